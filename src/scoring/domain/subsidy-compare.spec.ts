import { changeReasons, ComparableLine, compareSchedules } from './subsidy-compare';

const line = (id: string, amount: number, over: Partial<ComparableLine> = {}): ComparableLine => ({
  institutionId: id, institutionName: `机构${id}`, amount, grade: null, occupiedBeds: 30, safetyScore: null, safetyScoreAsOf: null, suspended: false,
  eligible: true, paidDays: 30, period: { days: 30 }, lines: [{ label: '床位运营补贴（实际入住床位）', formula: '30 床 × 200 元 × 1 个月', amount }], ...over,
});

describe('compareSchedules', () => {
  it('lists added, removed, changed and unchanged institutions with both amounts, fen-exact', () => {
    const before = [line('a', 5100), line('b', 5100), line('d', 5100.1)];
    const after = [line('a', 5100), line('b', 7650, { occupiedBeds: 45 }), line('c', 2550, { paidDays: 15 })];
    const r = compareSchedules(after, before);
    expect(r.rows.map((x) => [x.institutionId, x.change, x.before, x.after, x.delta])).toEqual([
      ['c', 'added', null, 2550, 2550], ['d', 'removed', 5100.1, null, -5100.1], ['b', 'changed', 5100, 7650, 2550], ['a', 'unchanged', 5100, 5100, 0],
    ]);
    expect(r.counts).toEqual({ added: 1, removed: 1, changed: 1, unchanged: 1 });
    expect([r.totalBefore, r.totalAfter, r.delta]).toEqual([15300.1, 15300, -0.1]);
    expect(r.rows[2].reasons).toEqual(['期末入住床位 30 床 → 45 床']);
    expect(r.rows[3].reasons).toEqual([]);
  });

  it('names every fact that differs, in reading order', () => {
    const b = line('x', 6000, { period: { days: 31 }, paidDays: 31, grade: 5, safetyScore: 100, safetyScoreAsOf: '2026-10-31' });
    const a = line('x', 3000, {
      period: { days: 30 }, paidDays: 20, grade: null, suspended: true, safetyScore: null,
      lines: [{ label: '床位运营补贴（实际入住床位）', formula: '…', amount: 3000 }, { label: '护理等级加补（重度失能）', formula: '…', amount: 100 }],
    });
    expect(changeReasons(b, a)).toEqual([
      '期间天数 31 天 → 30 天', '计补天数 31 天 → 20 天', '期末等级 五级 → 未评级', '安全分 100（2026-10-31） → 无',
      '本期有重大隐患未销号停发的天数', '本期新增计补项：护理等级加补（重度失能）',
    ]);
  });

  it('explains a loss of eligibility with the stored reason, and says when no fact differs', () => {
    const ineligible = line('x', 0, { eligible: false, lines: [{ label: '不符合本政策补贴条件：营利属性为“营利性”', formula: '不予补贴', amount: 0 }] });
    expect(changeReasons(line('x', 6000), ineligible)[0]).toBe('本期不符合补贴条件：营利属性为“营利性”');
    expect(changeReasons(line('x', 6000), line('x', 6100))).toEqual(['各项事实相同，金额随明细中的分段天数或政策数值变化（见两期明细）']);
  });

  it('reads schedules stored before issue 12 (no eligibility, days or period)', () => {
    const old = { ...line('x', 6000), eligible: undefined, paidDays: undefined, period: undefined };
    expect(compareSchedules([line('x', 5100, { occupiedBeds: 25 })], [old]).rows[0].reasons).toEqual(['期末入住床位 30 床 → 25 床']);
  });
});
