/**
 * Operating subsidy (运营补贴) of one institution for one period under a subsidy_policy file
 * (checklists/subsidy-policy-*.yaml). Money is computed in fen (integers) from exact rationals; every line is
 * rounded once, half away from zero (四舍五入), and the lines add up exactly to the amount.
 *
 * Lines, in order (docs/scoring.md has the formula and a worked example):
 *   1. 床位运营补贴      beds × base × months
 *   2. 护理等级加补      residents of a level × base × uplift % × months        (one line per level with residents)
 *   3. 等级系数          subtotal × (gradeCoefficient − 1)
 *   4. 安全系数          running total × (safetyCoefficient − 1)
 *   5. 未运营天数折减    −running total × inactiveDays / periodDays                (only when inactiveDays > 0)
 *   6. 重大隐患停发      −running total × suspendedDays / activeDays               (only when suspended)
 * months = Σ over the calendar months the period touches of (period days in the month ÷ days of the month).
 * Pure; no clock, no I/O.
 */
import type { SubsidyGradeKey, SubsidyPolicy } from '../../checklists/domain/rule-file.types';
import { inclusiveDays, monthSlices, parseDate } from './dates';
import { fmt, Ratio } from './exact';

export type { SubsidyPolicy };

export interface SubsidyInstitution {
  id: string;
  name: string;
  occupiedBeds: number;
  residentsSelfCare: number;
  residentsMildlyDisabled: number;
  residentsModeratelyDisabled: number;
  residentsSeverelyDisabled: number;
  grade: 1 | 2 | 3 | 4 | 5 | null;
  safetyScore: number | null;
  /** days within the period a major hazard was open (suspension) */
  majorHazardOpenDays: number;
  /** days of the period the institution operated */
  activeDays: number;
}

export interface SubsidyLine {
  label: string;
  /** the arithmetic in Chinese, e.g. "38 床 × 200 元 × 1 个月" */
  formula: string;
  /** yuan, 2 decimals (= amountFen / 100) */
  amount: number;
  /** the same amount in fen: sum these to get the result's amountFen exactly */
  amountFen: number;
}

export interface SubsidyResult {
  institutionId: string;
  /** yuan, 2 decimals, never negative */
  amount: number;
  amountFen: number;
  lines: SubsidyLine[];
  suspended: boolean;
  coefficients: { grade: number; safety: number; proRata: number };
  period: { start: string; end: string; days: number; months: string };
  policy: { code: string; revision?: string; divisionCode: string; year: number };
}

const CARE_LEVELS = [
  ['residentsMildlyDisabled', 'mildlyDisabled', '轻度失能'],
  ['residentsModeratelyDisabled', 'moderatelyDisabled', '中度失能'],
  ['residentsSeverelyDisabled', 'severelyDisabled', '重度失能'],
  ['residentsSelfCare', 'selfCare', '自理'],
] as const;

const GRADE_ZH = ['未评级', '一级', '二级', '三级', '四级', '五级'];

export function computeSubsidy(inst: SubsidyInstitution, period: { start: string; end: string }, policy: SubsidyPolicy): SubsidyResult {
  const start = parseDate(period.start, 'period.start');
  const end = parseDate(period.end, 'period.end');
  if (period.end < period.start) throw new RangeError(`period ends (${period.end}) before it starts (${period.start})`);
  if (start.y !== policy.year || end.y !== policy.year) {
    throw new RangeError(`period ${period.start}…${period.end} is outside the policy year ${policy.year} (${policy.code})`);
  }
  const periodDays = inclusiveDays(period.start, period.end);
  const counts: Array<[string, number]> = [
    ['occupiedBeds', inst.occupiedBeds],
    ...CARE_LEVELS.map(([field]) => [field, inst[field]] as [string, number]),
  ];
  for (const [field, v] of counts) if (!Number.isInteger(v) || v < 0) throw new RangeError(`${field} must be an integer ≥ 0, found ${v}`);
  for (const [field, v] of [['activeDays', inst.activeDays], ['majorHazardOpenDays', inst.majorHazardOpenDays]] as const) {
    if (!Number.isInteger(v) || v < 0 || v > periodDays) throw new RangeError(`${field} must be an integer within [0, ${periodDays}] (the period's days), found ${v}`);
  }
  if (inst.safetyScore !== null && !(inst.safetyScore >= 0 && inst.safetyScore <= 100)) {
    throw new RangeError(`safetyScore must be within [0, 100] or null, found ${inst.safetyScore}`);
  }

  // months = Σ (days of the period in the month ÷ days of the month)
  const slices = monthSlices(period.start, period.end);
  const months = slices.reduce((s, x) => s.add(Ratio.of(x.days, x.monthDays)), Ratio.of(0));
  const monthsText = monthsLabel(slices);

  const base = policy.baseAmount.yuanPerOccupiedBedPerMonth;
  const baseFen = Ratio.from(base).mul(100);
  const lines: SubsidyLine[] = [];
  const push = (label: string, formula: string, fen: bigint) => {
    const amountFen = Number(fen) === 0 ? 0 : Number(fen);
    lines.push({ label, formula, amount: amountFen / 100, amountFen });
    return fen;
  };

  let running = 0n;
  running += push('床位运营补贴（实际入住床位）', `${inst.occupiedBeds} 床 × ${fmt(base)} 元 × ${monthsText}`, baseFen.mul(inst.occupiedBeds).mul(months).roundScaled(0));
  for (const [field, key, zh] of CARE_LEVELS) {
    const residents = inst[field];
    const pct = policy.careLevelUplift.percentOfBase[key];
    if (residents === 0 || pct === 0) continue;
    running += push(
      `护理等级加补（${zh}）`,
      `${residents} 人 × ${fmt(base)} 元 × ${fmt(pct)}% × ${monthsText}`,
      baseFen.mul(residents).mul(Ratio.from(pct).div(100)).mul(months).roundScaled(0),
    );
  }

  const gradeKey: SubsidyGradeKey = inst.grade === null ? 'ungraded' : (`grade${inst.grade}` as SubsidyGradeKey);
  const gradeCoef = policy.gradeCoefficient[gradeKey];
  running += push(
    `等级系数（${GRADE_ZH[inst.grade ?? 0]}）${fmt(gradeCoef)}`,
    `小计 ${yuan(running)} 元 × (${fmt(gradeCoef)} − 1)`,
    Ratio.of(running).mul(Ratio.from(gradeCoef).sub(1)).roundScaled(0),
  );

  const { coefficient: safetyCoef, band } = safetyCoefficient(inst.safetyScore, policy);
  running += push(
    `安全系数（${band}）${fmt(safetyCoef)}`,
    `${yuan(running)} 元 × (${fmt(safetyCoef)} − 1)`,
    Ratio.of(running).mul(Ratio.from(safetyCoef).sub(1)).roundScaled(0),
  );

  const inactiveDays = periodDays - inst.activeDays;
  if (inactiveDays > 0) {
    running += push(
      `未运营天数折减（运营 ${inst.activeDays}/${periodDays} 天）`,
      `−${yuan(running)} 元 × ${inactiveDays} 天未运营 ÷ ${periodDays} 天`,
      -Ratio.of(running).mul(Ratio.of(inactiveDays, periodDays)).roundScaled(0),
    );
  }

  const suspendOn = policy.suspension.whileMajorHazardOpen;
  const suspendedDays = suspendOn ? Math.min(inst.majorHazardOpenDays, inst.activeDays) : 0;
  if (suspendedDays > 0) {
    running += push(
      `重大隐患未销号停发（${suspendedDays} 天）`,
      `−${yuan(running)} 元 × ${suspendedDays} 天停发 ÷ ${inst.activeDays} 天运营`,
      -Ratio.of(running).mul(Ratio.of(suspendedDays, inst.activeDays)).roundScaled(0),
    );
  } else if (!suspendOn && inst.majorHazardOpenDays > 0) {
    push(`重大隐患未销号 ${inst.majorHazardOpenDays} 天（本政策不停发）`, '不扣减', 0n);
  }

  const payableDays = inst.activeDays - suspendedDays;
  const amountFen = Number(running);
  if (amountFen < 0) throw new Error(`internal error: negative subsidy ${amountFen} fen`); // cannot happen: every factor is ≥ 0
  return {
    institutionId: inst.id,
    amount: amountFen / 100,
    amountFen,
    lines,
    suspended: suspendedDays > 0,
    coefficients: { grade: gradeCoef, safety: safetyCoef, proRata: Ratio.of(payableDays, periodDays).round(6) },
    period: { start: period.start, end: period.end, days: periodDays, months: monthsText },
    policy: { code: policy.code, ...(policy.revision === undefined ? {} : { revision: policy.revision }), divisionCode: policy.divisionCode, year: policy.year },
  };
}

/** The coefficient of a safety score and a description of its band. */
export function safetyCoefficient(score: number | null, policy: SubsidyPolicy): { coefficient: number; band: string } {
  const { bands, unscored } = policy.safetyCoefficient;
  if (score === null) return { coefficient: unscored, band: '尚无安全分' };
  let i = 0;
  for (let k = 0; k < bands.length; k++) if (Ratio.from(score).cmp(bands[k].minScore) >= 0) i = k;
  const upper = bands[i + 1];
  const range = upper ? `[${fmt(bands[i].minScore)}, ${fmt(upper.minScore)})` : `[${fmt(bands[i].minScore)}, 100]`;
  return { coefficient: bands[i].coefficient, band: `安全分 ${fmt(score)}，区间 ${range}` };
}

/** "1 个月", "15/28 个月", "(17/31 + 2) 个月": partial months as days/month-days, whole months summed. */
function monthsLabel(slices: Array<{ days: number; monthDays: number }>): string {
  const terms: string[] = [];
  let whole = 0;
  for (const s of slices) {
    if (s.days === s.monthDays) {
      whole += 1;
      continue;
    }
    if (whole) terms.push(String(whole));
    whole = 0;
    terms.push(`${s.days}/${s.monthDays}`);
  }
  if (whole) terms.push(String(whole));
  return terms.length === 1 ? `${terms[0]} 个月` : `(${terms.join(' + ')}) 个月`;
}

/** fen → "7,600.00" */
function yuan(fen: bigint): string {
  const neg = fen < 0n;
  const abs = neg ? -fen : fen;
  const int = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '−' : ''}${int}.${(abs % 100n).toString().padStart(2, '0')}`;
}
