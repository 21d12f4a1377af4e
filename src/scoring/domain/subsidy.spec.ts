import { readFileSync } from 'fs';
import { resolve } from 'path';
import { parseRuleFile } from '../../checklists/domain/rule-file.loader';
import { subsidyContent } from '../../checklists/domain/rule-content';
import type { SubsidyPolicy } from '../../checklists/domain/rule-file.types';
import { computeSubsidy, eligibilityOf, SubsidyFacts, SubsidyResult } from './subsidy';

// The shipped policy (checklists/subsidy-policy-changzhou-2026.yaml): base 200 元/床/月 [S55]; uplift per resident per
// month 轻度 50 %, 中度 100 %, 重度 200 % of the base [S55]; grade coefficient 未评级 1.0, 一级 1.0, 二级 1.1, 三级 1.2,
// 四级 1.3, 五级 1.4; safety bands [0,60) 0.7, [60,80) 0.85, [80,90) 0.95, [90,100] 1.0, no score 0.85 (the pass band);
// suspension while a major hazard is open: on; every ownership, profit status and kind eligible.
const POLICY_PATH = resolve(__dirname, '../../../checklists/subsidy-policy-changzhou-2026.yaml');
const POLICY_TEXT = readFileSync(POLICY_PATH, 'utf8');
const POLICY = subsidyContent(parseRuleFile('subsidy-policy-changzhou-2026.yaml', POLICY_TEXT));

const MARCH = { start: '2026-03-01', end: '2026-03-31' }; // 31 days
const FEB = { start: '2026-02-01', end: '2026-02-28' }; // 28 days
const APRIL = { start: '2026-04-01', end: '2026-04-30' }; // 30 days

type Capacity = SubsidyFacts['capacity'][number];
const cap = (over: Partial<Capacity>): Capacity => ({
  effectiveFrom: '2020-01-01', occupiedBeds: 0, residentsSelfCare: 0, residentsMildlyDisabled: 0, residentsModeratelyDisabled: 0, residentsSeverelyDisabled: 0, ...over,
});

function facts(over: Partial<SubsidyFacts> & { beds?: Partial<Capacity> }): SubsidyFacts {
  const { beds, ...rest } = over;
  return {
    id: 'inst-1', name: '测试养老院', ownership: 'private', profitStatus: null, kind: 'nursing_home', openedOn: '2020-01-01',
    interruptions: [], capacity: [cap(beds ?? {})], grades: [], safety: { score: null, asOf: null }, majorHazards: [],
    ...rest,
  };
}
const graded = (grade: 1 | 2 | 3 | 4 | 5, from = '2025-01-01', to = '2027-12-31') => [{ grade, from, to }];
const table = (r: SubsidyResult) => r.lines.map((l) => [l.label, l.formula, l.amount]);
const addsUp = (r: SubsidyResult) => {
  expect(r.lines.reduce((s, l) => s + l.amountFen, 0)).toBe(r.amountFen);
  expect(r.lines.every((l) => l.amount === l.amountFen / 100)).toBe(true);
  expect(r.amount).toBe(r.amountFen / 100);
  expect(r.amountFen).toBeGreaterThanOrEqual(0);
};

describe('computeSubsidy — one segment (inputs constant over the period)', () => {
  it('U1 care-level uplifts, 三级, safety 92 as of a stated date, a full month', () => {
    // 床位     38 床 × 200 × 1 个月                =  7,600.00
    // 轻度     12 人 × 200 × 50 % × 1              =  1,200.00
    // 中度     10 人 × 200 × 100 % × 1             =  2,000.00
    // 重度      6 人 × 200 × 200 % × 1             =  2,400.00
    // 小计                                          = 13,200.00
    // 三级 1.2:  13,200.00 × (1.2 − 1)             = +2,640.00 → 15,840.00
    // 安全分 92 (computed for 2026-03-28) ∈ [90,100] → 1.0: × (1 − 1) = 0.00
    const r = computeSubsidy(
      facts({ beds: { occupiedBeds: 38, residentsSelfCare: 10, residentsMildlyDisabled: 12, residentsModeratelyDisabled: 10, residentsSeverelyDisabled: 6 }, grades: graded(3), safety: { score: 92, asOf: '2026-03-28' } }),
      MARCH,
      POLICY,
    );
    expect(table(r)).toEqual([
      ['床位运营补贴（实际入住床位）', '38 床 × 200 元 × 1 个月', 7600],
      ['护理等级加补（轻度失能）', '12 人 × 200 元 × 50% × 1 个月', 1200],
      ['护理等级加补（中度失能）', '10 人 × 200 元 × 100% × 1 个月', 2000],
      ['护理等级加补（重度失能）', '6 人 × 200 元 × 200% × 1 个月', 2400],
      ['等级系数（三级）1.2', '小计 13,200.00 元 × (1.2 − 1)', 2640],
      ['安全系数（2026-03-28 安全分 92，区间 [90, 100]）1', '15,840.00 元 × (1 − 1)', 0],
    ]);
    expect(r.amount).toBe(15840);
    expect(r.coefficients).toEqual({ grade: 1.2, safety: 1, proRata: 1 });
    expect([r.suspended, r.eligible, r.operatingDays, r.paidDays]).toEqual([false, true, 31, 31]);
    addsUp(r);
  });

  it('U5 a period across months counts months by calendar days; lines round once each', () => {
    // 2026-01-15 … 2026-03-31: January 17/31, February 28/28, March 31/31 → months = 17/31 + 2 = 79/31; 76 days
    // 床位   7 × 200 × 79/31 = 110,600/31 = 3,567.741… → 3,567.74
    // 一级 1.0 → 0.00;  score 85.5 ∈ [80,90) → 0.95:  3,567.74 × −0.05 = −178.387 → −178.39;  total 3,389.35
    const r = computeSubsidy(facts({ beds: { occupiedBeds: 7, residentsSelfCare: 7 }, grades: graded(1), safety: { score: 85.5, asOf: '2026-03-01' } }), { start: '2026-01-15', end: '2026-03-31' }, POLICY);
    expect(table(r)).toEqual([
      ['床位运营补贴（实际入住床位）', '7 床 × 200 元 × (17/31 + 2) 个月', 3567.74],
      ['等级系数（一级）1', '小计 3,567.74 元 × (1 − 1)', 0],
      ['安全系数（2026-03-01 安全分 85.5，区间 [80, 90)）0.95', '3,567.74 元 × (0.95 − 1)', -178.39],
    ]);
    expect(r.amount).toBe(3389.35);
    expect(r.period).toEqual({ start: '2026-01-15', end: '2026-03-31', days: 76, months: '(17/31 + 2) 个月' });
    addsUp(r);
  });

  it('U6 half a fen rounds away from zero (四舍五入), once per line', () => {
    // base 200.02: 5 × 200.02 × 1 = 1,000.10; score 70 → 0.85: 1,000.10 × −0.15 = −150.015 → −150.02; total 850.08
    const p: SubsidyPolicy = { ...POLICY, baseAmount: { ...POLICY.baseAmount, yuanPerOccupiedBedPerMonth: 200.02 } };
    const r = computeSubsidy(facts({ beds: { occupiedBeds: 5, residentsSelfCare: 5 }, safety: { score: 70, asOf: '2026-03-31' } }), MARCH, p);
    expect(table(r).map((l) => l[2])).toEqual([1000.1, 0, -150.02]);
    expect(r.amount).toBe(850.08);
    addsUp(r);
  });
});

describe('computeSubsidy — day-weighted segments (issue 12)', () => {
  it('T1 an institution opened mid-period is paid from its opening day only', () => {
    // February 2026 (28 days); opened 2026-02-18 → 02-01…02-17 not open (17 days), 02-18…02-28 paid (11 days)
    // 床位   20 × 200 × 11/28 = 44,000/28 = 1,571.428… → 1,571.43
    // 轻度    4 × 200 × 50 % × 11/28 = 4,400/28 = 157.142… → 157.14;  小计 1,728.57;  未评级 × 0 = 0
    // 安全   no score by 2026-02-28 → 0.85: 1,728.57 × −0.15 = −259.2855 → −259.29
    // total 1,469.28   (before issue 12: the whole month, 4,400.00 × 1.0 = 4,400.00)
    const r = computeSubsidy(facts({ openedOn: '2026-02-18', beds: { occupiedBeds: 20, residentsMildlyDisabled: 4, residentsSelfCare: 16, effectiveFrom: '2026-02-18' } }), FEB, POLICY);
    expect(table(r)).toEqual([
      ['未运营（开业前）', '2026-02-01 至 2026-02-17，17 天不计补贴', 0],
      ['床位运营补贴（实际入住床位）', '20 床 × 200 元 × 11/28 个月（2026-02-18 至 2026-02-28，11 天）', 1571.43],
      ['护理等级加补（轻度失能）', '4 人 × 200 元 × 50% × 11/28 个月（2026-02-18 至 2026-02-28，11 天）', 157.14],
      ['等级系数（未评级）1', '小计 1,728.57 元 × (1 − 1)（2026-02-18 至 2026-02-28，11 天）', 0],
      ['安全系数（截至 2026-02-28 尚无安全分）0.85', '1,728.57 元 × (0.85 − 1)', -259.29],
    ]);
    expect(r.amount).toBe(1469.28);
    expect([r.operatingDays, r.paidDays, r.coefficients.proRata]).toEqual([11, 11, 0.392857]);
    addsUp(r);
  });

  it('T2 a grade awarded mid-period counts from the day it takes effect', () => {
    // March (31); 30 beds (all 自理); 四级 valid from 2026-03-16; score 92 → 1.0
    // 03-01…03-15 (15 days) 未评级:  30 × 200 × 15/31 = 90,000/31 = 2,903.225… → 2,903.23;  × (1 − 1) = 0
    // 03-16…03-31 (16 days) 四级:    30 × 200 × 16/31 = 96,000/31 = 3,096.774… → 3,096.77;  × 0.3 = 929.031 → 929.03
    // total 6,929.03   (before issue 12: 四级 for the whole month, 6,000 × 1.3 = 7,800.00)
    const r = computeSubsidy(facts({ beds: { occupiedBeds: 30, residentsSelfCare: 30 }, grades: graded(4, '2026-03-16'), safety: { score: 92, asOf: '2026-03-30' } }), MARCH, POLICY);
    expect(table(r)).toEqual([
      ['床位运营补贴（实际入住床位）', '30 床 × 200 元 × 15/31 个月（2026-03-01 至 2026-03-15，15 天）', 2903.23],
      ['等级系数（未评级）1', '小计 2,903.23 元 × (1 − 1)（2026-03-01 至 2026-03-15，15 天）', 0],
      ['床位运营补贴（实际入住床位）', '30 床 × 200 元 × 16/31 个月（2026-03-16 至 2026-03-31，16 天）', 3096.77],
      ['等级系数（四级）1.3', '小计 3,096.77 元 × (1.3 − 1)（2026-03-16 至 2026-03-31，16 天）', 929.03],
      ['安全系数（2026-03-30 安全分 92，区间 [90, 100]）1', '6,929.03 元 × (1 − 1)', 0],
    ]);
    expect(r.amount).toBe(6929.03);
    expect(r.coefficients.grade).toBe(1.3);
    addsUp(r);
  });

  it('T3 a grade revoked mid-period stops counting from the decision date', () => {
    // March (31); 20 beds, 5 重度; 五级 revoked from 2026-03-21 (interval ends 03-20); no score → 0.85
    // 03-01…03-20 (20 days) 五级:  20 × 200 × 20/31 = 80,000/31 = 2,580.645… → 2,580.65
    //                              5 × 200 × 200 % × 20/31 = 40,000/31 = 1,290.322… → 1,290.32;  小计 3,870.97
    //                              × 0.4 = 1,548.388 → 1,548.39
    // 03-21…03-31 (11 days) 未评级: 20 × 200 × 11/31 = 44,000/31 = 1,419.354… → 1,419.35
    //                              5 × 200 × 200 % × 11/31 = 22,000/31 = 709.677… → 709.68;  小计 2,129.03;  × 0 = 0
    // sum 7,548.39;  安全 0.85: × −0.15 = −1,132.2585 → −1,132.26;  total 6,416.13
    const r = computeSubsidy(facts({ beds: { occupiedBeds: 20, residentsSelfCare: 15, residentsSeverelyDisabled: 5 }, grades: graded(5, '2025-06-01', '2026-03-20') }), MARCH, POLICY);
    expect(table(r)).toEqual([
      ['床位运营补贴（实际入住床位）', '20 床 × 200 元 × 20/31 个月（2026-03-01 至 2026-03-20，20 天）', 2580.65],
      ['护理等级加补（重度失能）', '5 人 × 200 元 × 200% × 20/31 个月（2026-03-01 至 2026-03-20，20 天）', 1290.32],
      ['等级系数（五级）1.4', '小计 3,870.97 元 × (1.4 − 1)（2026-03-01 至 2026-03-20，20 天）', 1548.39],
      ['床位运营补贴（实际入住床位）', '20 床 × 200 元 × 11/31 个月（2026-03-21 至 2026-03-31，11 天）', 1419.35],
      ['护理等级加补（重度失能）', '5 人 × 200 元 × 200% × 11/31 个月（2026-03-21 至 2026-03-31，11 天）', 709.68],
      ['等级系数（未评级）1', '小计 2,129.03 元 × (1 − 1)（2026-03-21 至 2026-03-31，11 天）', 0],
      ['安全系数（截至 2026-03-31 尚无安全分）0.85', '7,548.39 元 × (0.85 − 1)', -1132.26],
    ]);
    expect(r.amount).toBe(6416.13);
    expect(r.coefficients.grade).toBe(1); // 未评级 on the last day
    addsUp(r);
  });

  it('T4 a bed-count change mid-period: each capacity in force for its own days', () => {
    // April (30); 二级 throughout; 38 beds until 04-15, 45 beds from 04-16 (all 自理); score 85 → 0.95
    // 04-01…04-15: 38 × 200 × 15/30 = 3,800.00;  × 0.1 = 380.00
    // 04-16…04-30: 45 × 200 × 15/30 = 4,500.00;  × 0.1 = 450.00
    // sum 9,130.00;  安全 0.95: × −0.05 = −456.50;  total 8,673.50   (before issue 12: 45 beds all month → 9,405.00)
    const r = computeSubsidy(
      facts({ capacity: [cap({ occupiedBeds: 45, residentsSelfCare: 45, effectiveFrom: '2026-04-16' }), cap({ occupiedBeds: 38, residentsSelfCare: 38 })], grades: graded(2), safety: { score: 85, asOf: '2026-04-30' } }),
      APRIL,
      POLICY,
    );
    expect(table(r)).toEqual([
      ['床位运营补贴（实际入住床位）', '38 床 × 200 元 × 15/30 个月（2026-04-01 至 2026-04-15，15 天）', 3800],
      ['等级系数（二级）1.1', '小计 3,800.00 元 × (1.1 − 1)（2026-04-01 至 2026-04-15，15 天）', 380],
      ['床位运营补贴（实际入住床位）', '45 床 × 200 元 × 15/30 个月（2026-04-16 至 2026-04-30，15 天）', 4500],
      ['等级系数（二级）1.1', '小计 4,500.00 元 × (1.1 − 1)（2026-04-16 至 2026-04-30，15 天）', 450],
      ['安全系数（2026-04-30 安全分 85，区间 [80, 90)）0.95', '9,130.00 元 × (0.95 − 1)', -456.5],
    ]);
    expect(r.amount).toBe(8673.5);
    expect(r.segments.map((s) => [s.start, s.end, s.occupiedBeds, s.amountFen])).toEqual([['2026-04-01', '2026-04-15', 38, 418000], ['2026-04-16', '2026-04-30', 45, 495000]]);
    addsUp(r);
  });

  it('T5 a suspension (interruption) pays nothing for its days', () => {
    // March (31); 10 beds; suspended 03-11…03-20; no score → 0.85
    // 03-01…03-10: 10 × 200 × 10/31 = 20,000/31 = 645.161… → 645.16;  03-11…03-20: 0;  03-21…03-31: 22,000/31 = 709.677… → 709.68
    // sum 1,354.84;  × −0.15 = −203.226 → −203.23;  total 1,151.61
    const r = computeSubsidy(facts({ beds: { occupiedBeds: 10, residentsSelfCare: 10 }, interruptions: [{ kind: 'suspended', from: '2026-03-11', to: '2026-03-20' }] }), MARCH, POLICY);
    expect(table(r).map((l) => [l[0], l[1], l[2]])).toEqual([
      ['床位运营补贴（实际入住床位）', '10 床 × 200 元 × 10/31 个月（2026-03-01 至 2026-03-10，10 天）', 645.16],
      ['等级系数（未评级）1', '小计 645.16 元 × (1 − 1)（2026-03-01 至 2026-03-10，10 天）', 0],
      ['未运营（暂停运营）', '2026-03-11 至 2026-03-20，10 天不计补贴', 0],
      ['床位运营补贴（实际入住床位）', '10 床 × 200 元 × 11/31 个月（2026-03-21 至 2026-03-31，11 天）', 709.68],
      ['等级系数（未评级）1', '小计 709.68 元 × (1 − 1)（2026-03-21 至 2026-03-31，11 天）', 0],
      ['安全系数（截至 2026-03-31 尚无安全分）0.85', '1,354.84 元 × (0.85 − 1)', -203.23],
    ]);
    expect(r.amount).toBe(1151.61);
    expect([r.operatingDays, r.paidDays]).toEqual([21, 21]);
    addsUp(r);
  });

  it('T6 an open major hazard suspends the days it is open; with suspension off the days are paid and a 0 line says so', () => {
    // March (31); 二级; score 60 → 0.85; major hazard open from 03-22 (10 days); 30 beds, 5 中度
    // 03-01…03-21 (21 days): 30 × 200 × 21/31 = 126,000/31 = 4,064.516… → 4,064.52;  5 × 200 × 21/31 = 21,000/31 = 677.419… → 677.42
    //                        小计 4,741.94;  × 0.1 = 474.194 → 474.19
    // 03-22…03-31: 停发, 0;  sum 5,216.13;  × −0.15 = −782.4195 → −782.42;  total 4,433.71
    const input = facts({ beds: { occupiedBeds: 30, residentsModeratelyDisabled: 5, residentsSelfCare: 25 }, grades: graded(2), safety: { score: 60, asOf: '2026-03-31' }, majorHazards: [{ from: '2026-03-22', to: null }] });
    const r = computeSubsidy(input, MARCH, POLICY);
    expect(table(r).slice(3)).toEqual([
      ['重大隐患未销号停发', '2026-03-22 至 2026-03-31，10 天不计补贴', 0],
      ['安全系数（2026-03-31 安全分 60，区间 [60, 80)）0.85', '5,216.13 元 × (0.85 − 1)', -782.42],
    ]);
    expect(r.amount).toBe(4433.71);
    expect(r.suspended).toBe(true);
    expect(r.coefficients).toEqual({ grade: 1.1, safety: 0.85, proRata: 0.677419 }); // 21/31
    addsUp(r);

    // suspension off: 6,000 + 1,000 = 7,000;  × 0.1 = 700 → 7,700;  × −0.15 = −1,155 → 6,545.00
    const off: SubsidyPolicy = { ...POLICY, suspension: { ...POLICY.suspension, whileMajorHazardOpen: false } };
    const r2 = computeSubsidy(input, MARCH, off);
    expect(r2.amount).toBe(6545);
    expect(r2.suspended).toBe(false);
    expect(table(r2).at(-1)).toEqual(['重大隐患未销号 10 天（本政策不停发）', '不扣减', 0]);
    addsUp(r2);
  });

  it('T7 not operating for the whole period: one 0 line, no safety line', () => {
    const r = computeSubsidy(facts({ beds: { occupiedBeds: 10, residentsSelfCare: 10 }, interruptions: [{ kind: 'closed', from: '2026-02-01', to: null }] }), MARCH, POLICY);
    expect(table(r)).toEqual([['未运营（停止运营）', '全期 31 天不计补贴', 0]]);
    expect(r.amount).toBe(0);
  });
});

describe('computeSubsidy — policy: never-inspected coefficient, eligibility, basis', () => {
  it('T8 a never-inspected institution gets no more than one that passed an inspection', () => {
    // 10 beds, March: 2,000.00;  no score → 0.85 → 1,700.00;  score 60 → 0.85 → 1,700.00;  score 92 → 1.0 → 2,000.00
    // (before issue 12 no score gave 1.0 → 2,000.00, more than the 1,700.00 of a score of 60)
    const amount = (score: number | null) => computeSubsidy(facts({ beds: { occupiedBeds: 10, residentsSelfCare: 10 }, safety: { score, asOf: score === null ? null : '2026-03-31' } }), MARCH, POLICY).amount;
    expect([amount(null), amount(60), amount(92)]).toEqual([1700, 1700, 2000]);
    expect(amount(null)).toBeLessThanOrEqual(amount(60));
  });

  it('T8b the schema refuses an unscored coefficient above the pass band', () => {
    const text = POLICY_TEXT.replace('unscored: 0.85', 'unscored: 1.0');
    expect(() => parseRuleFile('policy.yaml', text)).toThrow(/safetyCoefficient\.unscored: must not exceed 0\.85, the coefficient of the pass score 60/);
  });

  it('T9 an ineligible institution (for-profit where the policy excludes it) is listed with 0 and the reason', () => {
    const p: SubsidyPolicy = { ...POLICY, eligibility: { ...POLICY.eligibility!, profitStatus: ['non_profit', 'unknown'] } };
    const r = computeSubsidy(facts({ profitStatus: 'for_profit', beds: { occupiedBeds: 40, residentsSelfCare: 40 }, grades: graded(3) }), MARCH, p);
    expect(table(r)).toEqual([['不符合本政策补贴条件：营利属性为“营利性”（本政策补贴：非营利性、未登记）', '不予补贴', 0]]);
    expect([r.amount, r.eligible]).toEqual([0, false]);
    // the same institution as non-profit is paid: 40 × 200 = 8,000 × 1.2 = 9,600 × 0.85 = 8,160.00
    expect(computeSubsidy(facts({ profitStatus: 'non_profit', beds: { occupiedBeds: 40, residentsSelfCare: 40 }, grades: graded(3) }), MARCH, p).amount).toBe(8160);
    // kind and ownership are named too
    const q: SubsidyPolicy = { ...POLICY, eligibility: { ...POLICY.eligibility!, ownership: ['public', 'public_private'], kinds: ['nursing_home'] } };
    const e = eligibilityOf({ ownership: 'private', profitStatus: null, kind: 'day_care' }, q);
    expect(e).toEqual({ eligible: false, reasons: ['所有制为“民办”（本政策补贴：公办、公建民营）', '机构类型为“日间照料中心”（本政策补贴：养老院）'] });
  });

  it('T10 basis beds_only for for-profit institutions (武汉 seed 004 §十二): no care-level uplift, a 0 line says so', () => {
    // 10 beds, 4 中度, March, for-profit, beds_only: 2,000.00 (no 800.00 uplift);  未评级 0;  no score 0.85 → −300.00;  total 1,700.00
    const p: SubsidyPolicy = { ...POLICY, basis: { ...POLICY.basis!, for_profit: 'beds_only' } };
    const r = computeSubsidy(facts({ profitStatus: 'for_profit', beds: { occupiedBeds: 10, residentsSelfCare: 6, residentsModeratelyDisabled: 4 } }), MARCH, p);
    expect(table(r)).toEqual([
      ['床位运营补贴（实际入住床位）', '10 床 × 200 元 × 1 个月', 2000],
      ['等级系数（未评级）1', '小计 2,000.00 元 × (1 − 1)', 0],
      ['护理等级加补：营利性机构按本政策只按实际入住床位补贴', '不加补', 0],
      ['安全系数（截至 2026-03-31 尚无安全分）0.85', '2,000.00 元 × (0.85 − 1)', -300],
    ]);
    expect(r.amount).toBe(1700);
    addsUp(r);
  });

  it('a policy without eligibility or basis blocks (published before this release) pays everyone on beds and care levels', () => {
    const { eligibility: _e, basis: _b, ...old } = POLICY;
    expect(eligibilityOf({ ownership: 'public', profitStatus: 'for_profit', kind: 'meal_point' }, old as SubsidyPolicy)).toEqual({ eligible: true, basis: 'beds_and_care_levels' });
  });

  it('rejects a period outside the policy year and impossible inputs', () => {
    expect(() => computeSubsidy(facts({}), { start: '2025-12-01', end: '2025-12-31' }, POLICY)).toThrow(
      'period 2025-12-01…2025-12-31 is outside the policy year 2026 (subsidy-320400-2026)',
    );
    expect(() => computeSubsidy(facts({ beds: { occupiedBeds: -1 } }), MARCH, POLICY)).toThrow('occupiedBeds must be an integer ≥ 0');
    expect(() => computeSubsidy(facts({ capacity: [] }), MARCH, POLICY)).toThrow('has no capacity record');
    expect(() => computeSubsidy(facts({}), { start: '2026-03-31', end: '2026-03-01' }, POLICY)).toThrow('period ends (2026-03-01) before it starts (2026-03-31)');
  });
});

describe('computeSubsidy — the credit consequence (checklists/credit-rules.yaml)', () => {
  const credit = (over: Partial<NonNullable<SubsidyFacts['credit']>>): NonNullable<SubsidyFacts['credit']> => ({
    level: 'A', levelLabelZh: 'A 级（守信）', points: 100, dishonest: false, eligible: true, reductionPercent: 0, rulesLabel: 'credit-rules 第 1 版', ...over,
  });

  it('a level paid in full adds no line, and the standing is kept on the result', () => {
    const r = computeSubsidy(facts({ beds: { occupiedBeds: 30 }, safety: { score: 95, asOf: '2026-03-31' }, credit: credit({}) }), MARCH, POLICY);
    expect(r.amount).toBe(6000);
    expect(r.lines.some((l) => l.label.startsWith('信用'))).toBe(false);
    expect(r.credit).toMatchObject({ level: 'A', rulesLabel: 'credit-rules 第 1 版' });
  });

  it('a reduced level takes the percent of the amount after the coefficients, in one explained line', () => {
    // 30 床 × 200 × 1 = 6,000.00; 安全分 95 → × 1; D 级减发 30%: 6,000.00 × (−30%) = −1,800.00 → 4,200.00
    const r = computeSubsidy(facts({ beds: { occupiedBeds: 30 }, safety: { score: 95, asOf: '2026-03-31' }, credit: credit({ level: 'D', levelLabelZh: 'D 级（重点关注）', points: 52, reductionPercent: 30 }) }), MARCH, POLICY);
    expect(table(r).at(-1)).toEqual(['信用：D 级（重点关注），信用分 52，减发 30%', '6,000.00 元 × (−30%)（信用评价规则 credit-rules 第 1 版）', -1800]);
    expect(r.amount).toBe(4200);
    addsUp(r);
  });

  it('a 失信 decision in force makes the institution ineligible, saying so with the rules version', () => {
    const r = computeSubsidy(facts({ beds: { occupiedBeds: 30 }, credit: credit({ dishonest: true, eligible: false, reductionPercent: 100, points: 88, levelLabelZh: 'B 级（基本守信）' }) }), MARCH, POLICY);
    expect(r.eligible).toBe(false);
    expect(table(r)).toEqual([['信用：失信认定生效中（信用分 88，B 级（基本守信）），按信用评价规则（credit-rules 第 1 版）不予补贴', '不予补贴', 0]]);
    addsUp(r);
  });
});
