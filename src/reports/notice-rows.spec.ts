import { readFileSync } from 'fs';
import { resolve } from 'path';
import { pdfText, savePdf, squash } from '../../test/support/pdf';
import { applyLocalRules, checklistContent, localRuleSetContent, parseRuleFile } from '../checklists/domain';
import type { BasisEntry } from '../checklists/domain';
import { NoticeHazard, NoticeItem, noticeHazardRows } from './notice-rows';
import { renderRectificationNotice } from './notice.pdf';

const DIR = resolve(__dirname, '../../checklists');
const shipped = (name: string) => parseRuleFile(name, readFileSync(resolve(DIR, name), 'utf8'));

/** The citations the previous release printed on notices, as the items carried them. */
const OLD_STYLE: Record<string, BasisEntry[]> = {
  'ESC-002': [
    { kind: 'legal', document: '消防法', clause: '第二十八条', source: 'S39' },
    { kind: 'legal', document: 'CMS Life Safety Code K222（参照）', source: 'S73' },
  ],
  'ESC-003': [{ kind: 'legal', document: 'GB 50016-2014（2018年版）建筑设计防火规范', clause: '老年人照料设施安全出口规定（条号未核实）', source: 'S15' }],
  'ESC-005': [
    { kind: 'legal', document: '机关、团体、企业、事业单位消防安全管理规定（公安部令第61号）', clause: '第二十五条', source: 'S44' },
    { kind: 'legal', document: 'CMS Life Safety Code K291（参照）', source: 'S74' },
  ],
  'FOOD-006': [
    { kind: 'legal', document: 'CMS Life Safety Code K324（参照）', source: 'S71' },
    { kind: 'product_default', note: '厨房自动灭火装置要求为产品建议。' },
  ],
  'ELE-005': [{ kind: 'product_default', note: '配电设施检查要点为产品建议。' }],
};

const hazard = (itemCode: string, over: Partial<NoticeHazard> = {}): NoticeHazard => ({
  itemCode, titleZh: `${itemCode} 检查不合格`, note: '现场发现问题', location: '2号楼3层东侧走廊', severity: 'general', majorCriterion: null,
  dueDate: '2026-12-23', deadlineDays: 30, ...over,
});

describe('整改通知书 依据: Chinese normative sources only', () => {
  let text: string;
  let rows: ReturnType<typeof noticeHazardRows>;

  beforeAll(async () => {
    const changzhou = applyLocalRules(checklistContent(shipped('fire-safety-inspection.yaml')).items, localRuleSetContent(shipped('local-changzhou.yaml')));
    const items = new Map<string, NoticeItem>([
      ...Object.entries(OLD_STYLE).map(([code, basis]): [string, NoticeItem] => [code, { basis }]),
      ...changzhou.filter((i) => ['NET-901', 'PPE-001'].includes(i.code)).map((i): [string, NoticeItem] => [i.code, i]),
    ]);
    rows = noticeHazardRows(
      [
        ...Object.keys(OLD_STYLE).map((code) => hazard(code)),
        hazard('NET-901'), hazard('PPE-001'),
        hazard('ESC-001', { severity: 'major', majorCriterion: 'MZ2023-6.X', deadlineDays: 0 }),
        hazard('BLD-001', { severity: 'major', majorCriterion: 'MZ2023-4.1', deadlineDays: 0 }),
      ],
      items,
      new Set(['MZ2023-4.1']),
    );
    const pdf = await renderRectificationNotice({
      noticeNo: '常天民安整〔2026〕第0099号', bureauName: '常州市天宁区民政局',
      institution: { name: '常州市天宁区测试颐养院', address: '常州市天宁区测试路1号', creditCode: '52320402MJ5821346X' },
      inspection: { date: new Date('2026-11-23T02:05:00Z'), kindLabel: '日常检查', reportNo: '常民安检〔2026〕第0099号' },
      issuedAt: new Date('2026-11-23T02:00:00Z'), hazards: rows, majorCount: 2, howToRespond: ['请逐项整改。'],
      verifyUrl: 'http://yian.example.cn/verify/notice/x', contact: null,
    });
    text = squash(pdfText(savePdf('rectification-notice-basis.pdf', pdf)));
  });

  it('prints no CMS / NFPA / K-tag / 参照 and no "（条号未核实）"', () => {
    for (const forbidden of ['CMS', 'NFPA', 'K222', 'K291', 'K324', 'LifeSafetyCode', '参照', '条号未核实', '未核实']) expect(text).not.toContain(forbidden);
    // table cells wrap line by line, so the rows are compared whole and the PDF text by short runs
    expect(rows.find((r) => r.itemCode === 'ESC-002')?.basis).toBe('消防法 第二十八条');
    expect(rows.find((r) => r.itemCode === 'ESC-005')?.basis).toBe('机关、团体、企业、事业单位消防安全管理规定（公安部令第61号） 第二十五条');
    expect(text).toContain('消防法第二十八条');
    expect(rows.find((r) => r.itemCode === 'ESC-003')?.basis).toBe('GB 50016-2014（2018年版）建筑设计防火规范');
  });

  it('says plainly when an item is the system\'s own suggestion', () => {
    expect(rows.filter((r) => r.itemCode in OLD_STYLE && r.basis === '本系统建议项（非法定要求）').map((r) => r.itemCode)).toEqual(['FOOD-006', 'ELE-005']);
    expect(text).toContain('本系统建议项（非法定');
  });

  it('cites the local document for an item 常州 requires', () => {
    expect(rows.find((r) => r.itemCode === 'NET-901')?.basis).toBe('常州市深入推进“常有颐养”三年行动方案（2024–2026年）（常政办发〔2024〕16号）第18项');
    expect(text).toContain('常政办发〔2024〕16号');
  });

  it('never prints a placeholder criterion', () => {
    expect(text).not.toContain('MZ2023-6.X');
    expect(rows.find((r) => r.itemCode === 'ESC-001')?.severityLabel).toBe('重大隐患');
    expect(rows.find((r) => r.itemCode === 'BLD-001')?.severityLabel).toBe('重大隐患（MZ2023-4.1）');
  });
});
