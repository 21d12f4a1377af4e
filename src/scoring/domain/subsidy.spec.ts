import { readFileSync } from 'fs';
import { resolve } from 'path';
import { parseRuleFile } from '../../checklists/domain/rule-file.loader';
import { subsidyContent } from '../../checklists/domain/rule-content';
import type { SubsidyPolicy } from '../../checklists/domain/rule-file.types';
import { computeSubsidy, SubsidyInstitution, SubsidyResult } from './subsidy';

// The shipped policy (checklists/subsidy-policy-changzhou-2026.yaml): base 200 元/床/月 [S55]; uplift per resident per
// month 轻度 50 %, 中度 100 %, 重度 200 % of the base [S55]; grade coefficient 未评级 1.0, 一级 1.0, 二级 1.1, 三级 1.2,
// 四级 1.3, 五级 1.4; safety bands [0,60) 0.7, [60,80) 0.85, [80,90) 0.95, [90,100] 1.0, no score 1.0;
// suspension while a major hazard is open: on.
const POLICY = subsidyContent(parseRuleFile(
  'subsidy-policy-changzhou-2026.yaml',
  readFileSync(resolve(__dirname, '../../../checklists/subsidy-policy-changzhou-2026.yaml'), 'utf8'),
));

const MARCH = { start: '2026-03-01', end: '2026-03-31' }; // 31 days
const FEB = { start: '2026-02-01', end: '2026-02-28' }; // 28 days

function inst(over: Partial<SubsidyInstitution>): SubsidyInstitution {
  return {
    id: 'inst-1',
    name: '测试养老院',
    occupiedBeds: 0,
    residentsSelfCare: 0,
    residentsMildlyDisabled: 0,
    residentsModeratelyDisabled: 0,
    residentsSeverelyDisabled: 0,
    grade: null,
    safetyScore: null,
    majorHazardOpenDays: 0,
    activeDays: 31,
    ...over,
  };
}
const table = (r: SubsidyResult) => r.lines.map((l) => [l.label, l.formula, l.amount]);
const addsUp = (r: SubsidyResult) => {
  expect(r.lines.reduce((s, l) => s + l.amountFen, 0)).toBe(r.amountFen);
  expect(r.lines.every((l) => l.amount === l.amountFen / 100)).toBe(true);
  expect(r.amount).toBe(r.amountFen / 100);
  expect(r.amountFen).toBeGreaterThanOrEqual(0);
};

describe('computeSubsidy — hand-worked cases', () => {
  it('U1 care-level uplifts, 三级, safety 92, a full month', () => {
    // 床位     38 床 × 200 × 1 个月                =  7,600.00
    // 轻度     12 人 × 200 × 50 % × 1              =  1,200.00
    // 中度     10 人 × 200 × 100 % × 1             =  2,000.00
    // 重度      6 人 × 200 × 200 % × 1             =  2,400.00
    // 小计                                          = 13,200.00
    // 三级 1.2:  13,200.00 × (1.2 − 1)             = +2,640.00 → 15,840.00
    // 安全分 92 ∈ [90,100] → 1.0: × (1 − 1)        =      0.00
    // total 15,840.00
    const r = computeSubsidy(
      inst({ occupiedBeds: 38, residentsSelfCare: 10, residentsMildlyDisabled: 12, residentsModeratelyDisabled: 10, residentsSeverelyDisabled: 6, grade: 3, safetyScore: 92 }),
      MARCH,
      POLICY,
    );
    expect(table(r)).toEqual([
      ['床位运营补贴（实际入住床位）', '38 床 × 200 元 × 1 个月', 7600],
      ['护理等级加补（轻度失能）', '12 人 × 200 元 × 50% × 1 个月', 1200],
      ['护理等级加补（中度失能）', '10 人 × 200 元 × 100% × 1 个月', 2000],
      ['护理等级加补（重度失能）', '6 人 × 200 元 × 200% × 1 个月', 2400],
      ['等级系数（三级）1.2', '小计 13,200.00 元 × (1.2 − 1)', 2640],
      ['安全系数（安全分 92，区间 [90, 100]）1', '15,840.00 元 × (1 − 1)', 0],
    ]);
    expect(r.amount).toBe(15840);
    expect(r.coefficients).toEqual({ grade: 1.2, safety: 1, proRata: 1 });
    expect(r.suspended).toBe(false);
    addsUp(r);
  });

  it('U2 an institution that opened mid-month is paid for its days', () => {
    // February 2026 has 28 days; opened 2026-02-18 → active 11 days (18th–28th), 17 days not operating
    // 床位   20 × 200 × 1 = 4,000.00;  轻度 4 × 200 × 50 % = 400.00;  小计 4,400.00
    // 未评级 1.0 → 0.00;  no safety score → 1.0 → 0.00
    // 未运营: −4,400.00 × 17 ÷ 28 = −2,671.428… → −2,671.43
    // total 1,728.57   (check: 4,400 × 11/28 = 1,728.571… → 1,728.57)
    const r = computeSubsidy(inst({ occupiedBeds: 20, residentsMildlyDisabled: 4, residentsSelfCare: 16, activeDays: 11 }), FEB, POLICY);
    expect(table(r)).toEqual([
      ['床位运营补贴（实际入住床位）', '20 床 × 200 元 × 1 个月', 4000],
      ['护理等级加补（轻度失能）', '4 人 × 200 元 × 50% × 1 个月', 400],
      ['等级系数（未评级）1', '小计 4,400.00 元 × (1 − 1)', 0],
      ['安全系数（尚无安全分）1', '4,400.00 元 × (1 − 1)', 0],
      ['未运营天数折减（运营 11/28 天）', '−4,400.00 元 × 17 天未运营 ÷ 28 天', -2671.43],
    ]);
    expect(r.amount).toBe(1728.57);
    expect(r.coefficients.proRata).toBe(0.392857); // 11/28
    addsUp(r);
  });

  it('U3 an open major hazard suspends the subsidy for its open days (and its capped score lowers the coefficient)', () => {
    // March (31 days); 二级; safety score 60 (capped by the open major hazard) ∈ [60,80) → 0.85; major hazard open 10 days
    // 床位   30 × 200 × 1 = 6,000.00;  中度 5 × 200 × 100 % = 1,000.00;  小计 7,000.00
    // 二级 1.1:   7,000.00 × 0.1  = +700.00     → 7,700.00
    // 安全 0.85:  7,700.00 × −0.15 = −1,155.00  → 6,545.00
    // 停发:      −6,545.00 × 10 ÷ 31 = −2,111.290… → −2,111.29
    // total 4,433.71
    const r = computeSubsidy(
      inst({ occupiedBeds: 30, residentsModeratelyDisabled: 5, residentsSelfCare: 25, grade: 2, safetyScore: 60, majorHazardOpenDays: 10 }),
      MARCH,
      POLICY,
    );
    expect(table(r).slice(2)).toEqual([
      ['等级系数（二级）1.1', '小计 7,000.00 元 × (1.1 − 1)', 700],
      ['安全系数（安全分 60，区间 [60, 80)）0.85', '7,700.00 元 × (0.85 − 1)', -1155],
      ['重大隐患未销号停发（10 天）', '−6,545.00 元 × 10 天停发 ÷ 31 天运营', -2111.29],
    ]);
    expect(r.amount).toBe(4433.71);
    expect(r.suspended).toBe(true);
    expect(r.coefficients).toEqual({ grade: 1.1, safety: 0.85, proRata: 0.677419 }); // 21/31
    addsUp(r);

    // the same with suspension switched off in the policy: no deduction, a 0 line says why
    const off: SubsidyPolicy = { ...POLICY, suspension: { ...POLICY.suspension, whileMajorHazardOpen: false } };
    const r2 = computeSubsidy(
      inst({ occupiedBeds: 30, residentsModeratelyDisabled: 5, residentsSelfCare: 25, grade: 2, safetyScore: 60, majorHazardOpenDays: 10 }),
      MARCH,
      off,
    );
    expect(r2.amount).toBe(6545);
    expect(r2.suspended).toBe(false);
    expect(table(r2).at(-1)).toEqual(['重大隐患未销号 10 天（本政策不停发）', '不扣减', 0]);
    addsUp(r2);
  });

  it('U4 a major hazard open the whole month leaves nothing, never less', () => {
    // 10 × 200 = 2,000.00; 一级 1.0 → 0; score 40 ∈ [0,60) → 0.7: × −0.3 = −600.00 → 1,400.00; 停发 31/31 → −1,400.00 → 0
    const r = computeSubsidy(inst({ occupiedBeds: 10, residentsSelfCare: 10, grade: 1, safetyScore: 40, majorHazardOpenDays: 31 }), MARCH, POLICY);
    expect(table(r).slice(-2)).toEqual([
      ['安全系数（安全分 40，区间 [0, 60)）0.7', '2,000.00 元 × (0.7 − 1)', -600],
      ['重大隐患未销号停发（31 天）', '−1,400.00 元 × 31 天停发 ÷ 31 天运营', -1400],
    ]);
    expect([r.amount, r.suspended, r.coefficients.proRata]).toEqual([0, true, 0]);
    addsUp(r);
  });

  it('U5 a period across months counts months by calendar days; lines round once each', () => {
    // 2026-01-15 … 2026-03-31: January 17/31, February 28/28, March 31/31 → months = 17/31 + 2 = 79/31; 76 days
    // 床位   7 × 200 × 79/31 = 110,600/31 = 3,567.741… → 3,567.74
    // 一级 1.0 → 0.00;  score 85.5 ∈ [80,90) → 0.95:  3,567.74 × −0.05 = −178.387 → −178.39
    // total 3,389.35
    const r = computeSubsidy(
      inst({ occupiedBeds: 7, residentsSelfCare: 7, grade: 1, safetyScore: 85.5, activeDays: 76 }),
      { start: '2026-01-15', end: '2026-03-31' },
      POLICY,
    );
    expect(table(r)).toEqual([
      ['床位运营补贴（实际入住床位）', '7 床 × 200 元 × (17/31 + 2) 个月', 3567.74],
      ['等级系数（一级）1', '小计 3,567.74 元 × (1 − 1)', 0],
      ['安全系数（安全分 85.5，区间 [80, 90)）0.95', '3,567.74 元 × (0.95 − 1)', -178.39],
    ]);
    expect(r.amount).toBe(3389.35);
    expect(r.period).toEqual({ start: '2026-01-15', end: '2026-03-31', days: 76, months: '(17/31 + 2) 个月' });
    addsUp(r);
  });

  it('U6 half a fen rounds away from zero (四舍五入), once per line', () => {
    // a policy with base 200.02: 5 × 200.02 × 1 = 1,000.10; score 70 → 0.85: 1,000.10 × −0.15 = −150.015 → −150.02
    // total 850.08
    const p: SubsidyPolicy = { ...POLICY, baseAmount: { ...POLICY.baseAmount, yuanPerOccupiedBedPerMonth: 200.02 } };
    const r = computeSubsidy(inst({ occupiedBeds: 5, residentsSelfCare: 5, safetyScore: 70 }), MARCH, p);
    expect(table(r).map((l) => l[2])).toEqual([1000.1, 0, -150.02]);
    expect(r.amount).toBe(850.08);
    addsUp(r);
  });

  it('U7 opened mid-month and a major hazard open part of the time: both deductions, in order', () => {
    // March (31); active 20 days, a major hazard open 5 of them; 15 beds, 3 重度; 四级 1.3; score 78.9 → 0.85
    // 床位  15 × 200 = 3,000.00;  重度 3 × 200 × 200 % = 1,200.00;  小计 4,200.00
    // 四级:  4,200.00 × 0.3   = +1,260.00 → 5,460.00
    // 安全:  5,460.00 × −0.15 =   −819.00 → 4,641.00
    // 未运营: −4,641.00 × 11 ÷ 31 = −1,646.806… → −1,646.81 → 2,994.19
    // 停发:   −2,994.19 × 5 ÷ 20 = −748.5475 → −748.55 → 2,245.64
    // (= 4,641.00 × 15/31 = 2,245.645… within a fen of the single-step amount)
    const r = computeSubsidy(
      inst({ occupiedBeds: 15, residentsSeverelyDisabled: 3, residentsSelfCare: 12, grade: 4, safetyScore: 78.9, activeDays: 20, majorHazardOpenDays: 5 }),
      MARCH,
      POLICY,
    );
    expect(table(r).slice(-4).map((l) => l[2])).toEqual([1260, -819, -1646.81, -748.55]);
    expect(r.amount).toBe(2245.64);
    expect(r.coefficients).toEqual({ grade: 1.3, safety: 0.85, proRata: 0.483871 }); // 15/31
    addsUp(r);
  });

  it('rejects a period outside the policy year and impossible day counts', () => {
    expect(() => computeSubsidy(inst({}), { start: '2025-12-01', end: '2025-12-31' }, POLICY)).toThrow(
      'period 2025-12-01…2025-12-31 is outside the policy year 2026 (subsidy-320400-2026)',
    );
    expect(() => computeSubsidy(inst({ activeDays: 29 }), FEB, POLICY)).toThrow('activeDays must be an integer within [0, 28]');
    expect(() => computeSubsidy(inst({ occupiedBeds: -1 }), MARCH, POLICY)).toThrow('occupiedBeds must be an integer ≥ 0');
    expect(() => computeSubsidy(inst({}), { start: '2026-03-31', end: '2026-03-01' }, POLICY)).toThrow('period ends (2026-03-01) before it starts (2026-03-31)');
  });
});
