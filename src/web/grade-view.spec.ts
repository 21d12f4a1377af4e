import { activeSection, byPointsSentence, daysBetween, finalizeConfirmView, gradeListView, GradePreview, nextSection, prerequisiteLines, sectionsOf } from './grade-view';

const form = {
  code: 'GBT37276-2018', title: { zh: '养老机构等级评定评分表' }, totalPoints: 100, standard: 'GB/T 37276-2018',
  parts: [
    { code: 'A', title: { zh: '环境' }, maxPoints: 50, items: [{ code: 'A-1', title: { zh: '甲' }, maxPoints: 30 }, { code: 'A-2', title: { zh: '乙' }, maxPoints: 20 }] },
    { code: 'B', title: { zh: '服务' }, maxPoints: 50, items: [{ code: 'B-1', title: { zh: '丙' }, maxPoints: 50 }] },
  ],
};
const admin = { id: 'u', role: 'bureau_admin', divisionPath: '/320400/320402/' } as never;

function preview(over: Partial<GradePreview> = {}): GradePreview {
  return {
    assessment: {
      id: 'a1', institutionId: 'i1', institutionName: '甲养老院', status: 'open', itemPoints: {}, itemNotes: {}, version: 3,
      openedAt: '2026-12-01', finalizedAt: null, total: null, grade: null, gradeLabel: null, reasons: null, validFrom: null, validUntil: null,
      prerequisites: { noSeriousAccident: true, registrationInOrder: true }, decisions: [],
    },
    form: { form, versionNo: 1, code: 'GBT37276-2018', contentHash: 'abc' },
    blockingHazards: [], prerequisiteReasons: [], prerequisites: { noSeriousAccident: true, registrationInOrder: true, noOpenMajorHazard: true },
    gaps: { missing: [], unexplained: [] },
    result: { total: 100, grade: 5, gradeLabel: '五级', reasons: ['已达最高等级五级'], parts: [] },
    validity: { validFrom: '2026-12-01', validUntil: '2029-11-30' },
    ...over,
  };
}

describe('grade pages view model', () => {
  it('sections: progress per part, a deduction without a note keeps it incomplete', () => {
    const s = sectionsOf(form, { 'A-1': 25, 'A-2': 20 }, {}, 'a1', null);
    expect(s[0]).toMatchObject({ entered: 2, count: 2, complete: false, progress: '1 处扣分缺说明' });
    expect(s[1]).toMatchObject({ entered: 0, complete: false, progress: '0/1 项已打分' });
    const done = sectionsOf(form, { 'A-1': 25, 'A-2': 20 }, { 'A-1': '噪声超标' }, 'a1', null);
    expect(done[0]).toMatchObject({ complete: true, progress: '已完成 · 45/50 分' });
  });

  it('the section shown: the one asked for, else the first incomplete; after saving, the next incomplete one', () => {
    const s = [{ code: 'A', complete: true }, { code: 'B', complete: false }, { code: 'C', complete: false }];
    expect(activeSection(s, 'C')).toBe('C');
    expect(activeSection(s, 'Z')).toBe('B');
    expect(nextSection(s, 'B')).toBe('C');
    expect(nextSection(s, 'C')).toBe('B');
    expect(nextSection([{ code: 'A', complete: true }], 'A')).toBe('A');
  });

  it('prerequisites name each blocking hazard with a link', () => {
    const lines = prerequisiteLines(preview({
      blockingHazards: [{ hazardId: 'h1', itemCode: 'BLD-003', title: '彩钢板', status: 'major' }, { hazardId: 'h2', itemCode: 'ESC-001', title: '走道', status: 'suspected' }],
      prerequisiteReasons: ['x'],
    }));
    expect(lines[0]).toEqual({ ok: false, text: expect.stringContaining('未销号的重大隐患'), links: [{ href: '/hazards/h1', label: 'BLD-003 彩钢板' }] });
    expect(lines[1]).toEqual({ ok: false, text: expect.stringContaining('疑似重大隐患'), links: [{ href: '/hazards/h2', label: 'ESC-001 走道' }] });
    expect(lines.slice(2).every((l) => l.ok)).toBe(true);
  });

  it('the confirmation states the grade, its validity and the subsidy basis; blocked says what the points alone give', () => {
    const v = finalizeConfirmView(preview(), 'csrf');
    expect(v.blocked).toBe(false);
    expect(v.statements[0]).toBe('定稿后，甲养老院的评定结论为“五级”，有效期自 2026年12月1日 至 2029年11月30日。');
    expect(v.statements[1]).toContain('运营补贴');
    const b = finalizeConfirmView(preview({ prerequisiteReasons: ['存在未销号的重大隐患：…'], result: { total: 100, grade: null, gradeLabel: '未达等级', reasons: ['存在…', '（仅按得分可达五级，但前提条件不满足）'], parts: [] } }), 'csrf');
    expect(b).toMatchObject({ blocked: true, byPoints: '仅按得分可达“五级”' });
    expect(byPointsSentence(['（按得分也未达到一级）'])).toBe('按得分也未达到一级');
    expect(finalizeConfirmView(preview({ gaps: { missing: ['B-1'], unexplained: ['A-1'] } }), 'c').incomplete).toBe('评分尚不完整：B-1 未打分、A-1 扣分缺说明。请先回到评分表补全。');
  });

  it('list rows: 即将到期 with the days left, a lowering shown, the empty state says what to do', () => {
    const row = {
      id: 'a1', institutionId: 'i1', institutionName: '甲', status: 'finalized', total: 950, grade: 5, gradeLabel: '五级', validFrom: '2026-01-01', validUntil: '2027-01-10',
      openedAt: '2026-01-01', finalizedAt: '2026-01-01', currentGrade: 3, decisionKind: 'lower' as const, standing: 'in_force', expiring: true,
    };
    const v = gradeListView(admin, [row], {}, '2026-12-01', 1);
    expect(v.rows[0].tags.map((t) => t.text)).toEqual(['即将到期（40 天后到期）', '已降级：五级 → 三级']);
    expect(v.rows[0]).toMatchObject({ standing: '现行有效', result: '三级' });
    expect(v.expiringNote).toEqual({ text: '1 个现行等级将在 90 天内到期', href: '/grades?expiring=true&sort=expiry' });
    expect(gradeListView(admin, [], {}, '2026-12-01').empty).toEqual({ text: expect.stringContaining('开启第一次评定'), clear: false });
    expect(gradeListView(admin, [], { status: 'open' }, '2026-12-01').empty.clear).toBe(true);
    expect(daysBetween('2026-12-01', '2026-12-01')).toBe(0);
  });
});
