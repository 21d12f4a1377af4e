import { ledgerView, timelineView } from './hazard-view';
import type { Hazard } from '../hazards/hazard.entity';

const item = (over: Partial<Hazard> = {}) => ({
  id: 'h1', inspectionId: 'i1', institutionId: 'inst1', itemCode: 'ESC-001', titleZh: '疏散通道无占用堵塞', category: 'ESC', severity: 'general' as const,
  status: 'open' as const, listed: false, dueDate: '2026-12-03', institutionName: '红梅颐康养老院', streetName: '红梅街道', foundAt: new Date('2026-11-30T02:00:00Z'),
  ...over,
}) as unknown as Hazard & { institutionName: string; streetName: string | null; foundAt: Date };

const facts = {
  today: '2026-12-01', streets: [{ code: '320402004', name: '红梅街道' }], categoryNames: { ESC: '疏散通道' },
  statusLabels: { open: '待整改', responded: '已回复待复核' }, severityLabels: { general: '一般隐患', major: '重大隐患' },
  sortLabels: [['-found', '发现日期（最新在前）']] as [string, string][], canExport: true, shanghaiDay: () => '2026-11-30',
};

describe('ledgerView', () => {
  it('keeps the filters on the export links and the institution link, and counts down only while the institution acts', () => {
    const v = ledgerView([item(), item({ id: 'h2', status: 'responded' } as Partial<Hazard>)], 2, { q: '福寿', status: 'open' }, facts);
    expect(v.exports!.csv).toBe('/api/exports/hazards.csv?q=%E7%A6%8F%E5%AF%BF&status=open&sort=-found');
    expect(v.rows[0].institutionHref).toBe('/hazards?q=%E7%A6%8F%E5%AF%BF&status=open&institutionId=inst1');
    expect(v.rows[0].countdown).toEqual({ text: '剩 2 天', warn: false });
    expect(v.rows[1].countdown).toBeNull();
    expect(v.rows[0].categoryName).toBe('疏散通道');
    expect(v.filtered).toBe(true);
  });

  it('names the institution filter in a removable chip and offers no export without the permission', () => {
    const v = ledgerView([item()], 1, { institutionId: 'inst1' }, { ...facts, canExport: false });
    expect(v.chips).toEqual([{ label: '机构：红梅颐康养老院', name: 'institutionId', value: 'inst1', removeHref: '/hazards' }]);
    expect(v.exports).toBeNull();
  });
});

describe('timelineView', () => {
  it('says what, who and the detail that matters', () => {
    const [e] = timelineView([{ at: new Date('2026-12-01T02:00:00Z'), actorName: '张监管', actorRole: 'bureau_officer', action: 'hazard.deadline_change', after: { dueDate: '2026-12-20', reason: '设备采购' } }],
      (a) => (a === 'hazard.deadline_change' ? '调整期限' : a), (r) => (r === 'bureau_officer' ? '监管人员' : r), (d) => d);
    expect(e).toEqual({ at: new Date('2026-12-01T02:00:00Z'), what: '调整期限', who: '张监管（监管人员）', detail: '新的整改期限 2026-12-20；理由：设备采购' });
  });
});
