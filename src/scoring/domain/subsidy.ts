/**
 * Operating subsidy (运营补贴) of one institution for one period under a subsidy_policy file
 * (checklists/subsidy-policy-*.yaml), day by day. Money is computed in fen (integers) from exact rationals; every
 * line is rounded once, half away from zero (四舍五入), and the lines add up exactly to the amount.
 *
 * Time rules (docs/scoring.md has a worked example):
 *   - Eligibility first: an institution whose ownership, profit status or kind the policy does not pay gets one
 *     0 line saying why, and amount 0.
 *   - The period is cut into segments of consecutive days on which every input is constant: operating or not
 *     (before `openedOn`, or inside an interruption = not operating), the capacity in force (the latest capacity
 *     record effective on or before the day; before the first record, the first record), the grade in force
 *     (grade intervals; a day outside every interval is 未评级) and whether a major hazard was open that day
 *     (suspension, when the policy says so).
 *   - A segment that is not operating, or suspended, pays nothing and gets one 0 line with its dates and reason.
 *   - A paid segment gets: beds × base × months, then one line per care level with residents (unless the policy's
 *     basis for the institution's profit status is beds_only), then its grade coefficient on its own subtotal.
 *     months = Σ over the calendar months the segment touches of (segment days in the month ÷ days of the month).
 *   - The safety coefficient (one score for the whole period: the latest stored score computed on or before the
 *     period end, its date printed; none → `unscored`) applies to the sum of the paid segments.
 * A segment's formulas end with its dates and days, e.g. "38 床 × 200 元 × 16/31 个月（2026-03-16 至 2026-03-31，16 天）";
 * when a segment covers the whole period they carry no dates (the period says it). Pure; no clock, no I/O.
 */
import type { SubsidyGradeKey, SubsidyPolicy } from '../../checklists/domain/rule-file.types';
import type { SubsidyProfitKey } from '../../checklists/domain/rule-file.coefficients.schema';
import { label } from '../../common/vocabulary';
import { dayNumber, format, inclusiveDays, monthSlices, parseDate } from './dates';
import { fmt, Ratio } from './exact';

export type { SubsidyPolicy };

export type Grade = 1 | 2 | 3 | 4 | 5;

/** Beds and residents by care level in force from `effectiveFrom` (a row of institution_capacity). */
export interface CapacityRecord {
  effectiveFrom: string;
  occupiedBeds: number;
  residentsSelfCare: number;
  residentsMildlyDisabled: number;
  residentsModeratelyDisabled: number;
  residentsSeverelyDisabled: number;
}

/** Inclusive day interval; `to` null = open-ended. */
export interface DayInterval {
  from: string;
  to: string | null;
}

export interface SubsidyFacts {
  id: string;
  name: string;
  ownership: string;
  /** institution.profit_status; null = not registered */
  profitStatus: 'for_profit' | 'non_profit' | null;
  kind: string;
  /** the first operating day */
  openedOn: string;
  /** suspended (暂停) or closed (停止运营) days */
  interruptions: (DayInterval & { kind: 'suspended' | 'closed' })[];
  /** at least one record; any order */
  capacity: CapacityRecord[];
  /** the grade in force (inclusive, non-overlapping); days outside every interval are 未评级 */
  grades: { grade: Grade | null; from: string; to: string }[];
  /** the score used for the whole period and the date it was computed for (null: no stored score) */
  safety: { score: number | null; asOf: string | null };
  /** the days each major hazard was open (from its filing day to the day before it was closed) */
  majorHazards: DayInterval[];
  /** 信用评价 on the last day of the period and its subsidy consequence (checklists/credit-rules.yaml); absent = not applied */
  credit?: SubsidyCredit;
}

/** The credit standing a subsidy applies: ineligible, or reduced by a percent, as the credit rules say. */
export interface SubsidyCredit {
  level: string;
  levelLabelZh: string;
  points: number;
  dishonest: boolean;
  eligible: boolean;
  reductionPercent: number;
  /** e.g. "credit-rules 第 1 版" */
  rulesLabel: string;
}

export interface SubsidyLine {
  label: string;
  /** the arithmetic in Chinese, e.g. "38 床 × 200 元 × 16/31 个月" */
  formula: string;
  /** yuan, 2 decimals (= amountFen / 100) */
  amount: number;
  /** the same amount in fen: sum these to get the result's amountFen exactly */
  amountFen: number;
}

/** A run of days with the same inputs. */
export interface SubsidySegment {
  start: string;
  end: string;
  days: number;
  /** null when operating */
  notOperating: null | 'not_open' | 'suspended' | 'closed';
  hazardSuspended: boolean;
  grade: Grade | null;
  occupiedBeds: number;
  amountFen: number;
}

export interface SubsidyResult {
  institutionId: string;
  eligible: boolean;
  /** yuan, 2 decimals, never negative */
  amount: number;
  amountFen: number;
  lines: SubsidyLine[];
  /** some days were not paid because a major hazard was open */
  suspended: boolean;
  /** grade: the coefficient in force on the last day of the period; proRata: paid days ÷ period days */
  coefficients: { grade: number; safety: number; proRata: number };
  period: { start: string; end: string; days: number; months: string };
  operatingDays: number;
  paidDays: number;
  segments: SubsidySegment[];
  safety: { score: number | null; asOf: string | null; cutoff: string };
  policy: { code: string; revision?: string; divisionCode: string; year: number };
  /** the credit standing applied (absent on schedules computed before credit evaluation) */
  credit?: SubsidyCredit;
}

const CARE_LEVELS = [
  ['residentsMildlyDisabled', 'mildlyDisabled', '轻度失能'],
  ['residentsModeratelyDisabled', 'moderatelyDisabled', '中度失能'],
  ['residentsSeverelyDisabled', 'severelyDisabled', '重度失能'],
  ['residentsSelfCare', 'selfCare', '自理'],
] as const;

const GRADE_ZH = ['未评级', '一级', '二级', '三级', '四级', '五级'];
const NOT_OPERATING_ZH = { not_open: '开业前', suspended: label('interruptionKind', 'suspended'), closed: label('interruptionKind', 'closed') } as const;

/** Who the policy pays, and on what basis; the reasons name each fact that excludes the institution. */
export function eligibilityOf(
  facts: Pick<SubsidyFacts, 'ownership' | 'profitStatus' | 'kind'>,
  policy: SubsidyPolicy,
): { eligible: true; basis: 'beds_and_care_levels' | 'beds_only' } | { eligible: false; reasons: string[] } {
  const profitKey: SubsidyProfitKey = facts.profitStatus ?? 'unknown';
  const e = policy.eligibility;
  const reasons: string[] = [];
  if (e) {
    const rule = <T extends string>(value: T, allowed: readonly T[], name: string, show: (v: T) => string) => {
      if (!allowed.includes(value)) reasons.push(`${name}为“${show(value)}”（本政策补贴：${allowed.map(show).join('、')}）`);
    };
    rule(facts.ownership, e.ownership as readonly string[], '所有制', (v) => label('ownership', v));
    rule(profitKey, e.profitStatus, '营利属性', profitLabel);
    rule(facts.kind, e.kinds as readonly string[], '机构类型', (v) => label('institutionKind', v));
  }
  if (reasons.length) return { eligible: false, reasons };
  return { eligible: true, basis: policy.basis?.[profitKey] ?? 'beds_and_care_levels' };
}

function profitLabel(v: SubsidyProfitKey): string {
  return v === 'unknown' ? '未登记' : label('profitStatus', v);
}

export function computeSubsidy(facts: SubsidyFacts, period: { start: string; end: string }, policy: SubsidyPolicy): SubsidyResult {
  const start = parseDate(period.start, 'period.start');
  const end = parseDate(period.end, 'period.end');
  if (period.end < period.start) throw new RangeError(`period ends (${period.end}) before it starts (${period.start})`);
  if (start.y !== policy.year || end.y !== policy.year) {
    throw new RangeError(`period ${period.start}…${period.end} is outside the policy year ${policy.year} (${policy.code})`);
  }
  validate(facts);
  const periodDays = inclusiveDays(period.start, period.end);
  const safetyIn = { score: facts.safety.score, asOf: facts.safety.asOf, cutoff: period.end };
  const base = {
    institutionId: facts.id,
    period: { start: period.start, end: period.end, days: periodDays, months: monthsLabel(monthSlices(period.start, period.end)) },
    safety: safetyIn,
    policy: { code: policy.code, ...(policy.revision === undefined ? {} : { revision: policy.revision }), divisionCode: policy.divisionCode, year: policy.year },
    ...(facts.credit ? { credit: { ...facts.credit } } : {}),
  };

  const eligibility = eligibilityOf(facts, policy);
  if (!eligibility.eligible) {
    return {
      ...base, eligible: false, amount: 0, amountFen: 0, suspended: false, operatingDays: 0, paidDays: 0, segments: [],
      coefficients: { grade: 1, safety: 1, proRata: 0 },
      lines: [{ label: `不符合本政策补贴条件：${eligibility.reasons.join('；')}`, formula: '不予补贴', amount: 0, amountFen: 0 }],
    };
  }

  const credit = facts.credit;
  if (credit && !credit.eligible) {
    return {
      ...base, eligible: false, amount: 0, amountFen: 0, suspended: false, operatingDays: 0, paidDays: 0, segments: [],
      coefficients: { grade: 1, safety: 1, proRata: 0 },
      lines: [{ label: `信用：${creditText(credit)}，按信用评价规则（${credit.rulesLabel}）不予补贴`, formula: '不予补贴', amount: 0, amountFen: 0 }],
    };
  }

  const segments = segmentsOf(facts, period, policy.suspension.whileMajorHazardOpen);
  const wholePeriod = (s: { days: number }) => s.days === periodDays;
  const when = (s: SubsidySegment) => (wholePeriod(s) ? '' : `（${rangeText(s.start, s.end)}，${s.days} 天）`);
  const span = (s: SubsidySegment) => (wholePeriod(s) ? `全期 ${s.days} 天` : `${rangeText(s.start, s.end)}，${s.days} 天`);

  const baseAmount = policy.baseAmount.yuanPerOccupiedBedPerMonth;
  const baseFen = Ratio.from(baseAmount).mul(100);
  const lines: SubsidyLine[] = [];
  const push = (lineLabel: string, formula: string, fen: bigint) => {
    const amountFen = Number(fen) === 0 ? 0 : Number(fen);
    lines.push({ label: lineLabel, formula, amount: amountFen / 100, amountFen });
    return fen;
  };

  let running = 0n;
  let operatingDays = 0;
  let paidDays = 0;
  let hazardDaysUnpaid = 0;
  let hazardDaysPaid = 0;
  let skippedUplift = false;
  for (const s of segments) {
    if (s.notOperating) {
      push(`未运营（${NOT_OPERATING_ZH[s.notOperating]}）`, `${span(s)}不计补贴`, 0n);
      continue;
    }
    operatingDays += s.days;
    if (s.hazardSuspended) {
      hazardDaysUnpaid += s.days;
      push('重大隐患未销号停发', `${span(s)}不计补贴`, 0n);
      continue;
    }
    paidDays += s.days;
    const cap = capacityOn(facts.capacity, s.start);
    const slices = monthSlices(s.start, s.end);
    const months = slices.reduce((acc, x) => acc.add(Ratio.of(x.days, x.monthDays)), Ratio.of(0));
    const monthsText = monthsLabel(slices);
    let subtotal = 0n;
    subtotal += push('床位运营补贴（实际入住床位）', `${cap.occupiedBeds} 床 × ${fmt(baseAmount)} 元 × ${monthsText}${when(s)}`, baseFen.mul(cap.occupiedBeds).mul(months).roundScaled(0));
    for (const [field, key, zh] of CARE_LEVELS) {
      // The uplift is for residents in occupied beds: attendees of a facility without beds (day care, meal point)
      // are recorded for applicability, not paid as residents.
      const residents = cap.occupiedBeds === 0 ? 0 : cap[field];
      const pct = policy.careLevelUplift.percentOfBase[key];
      if (residents === 0 || pct === 0) continue;
      if (eligibility.basis === 'beds_only') {
        skippedUplift = true;
        continue;
      }
      subtotal += push(
        `护理等级加补（${zh}）`,
        `${residents} 人 × ${fmt(baseAmount)} 元 × ${fmt(pct)}% × ${monthsText}${when(s)}`,
        baseFen.mul(residents).mul(Ratio.from(pct).div(100)).mul(months).roundScaled(0),
      );
    }
    const gradeCoef = gradeCoefficient(s.grade, policy);
    subtotal += push(
      `等级系数（${GRADE_ZH[s.grade ?? 0]}）${fmt(gradeCoef)}`,
      `小计 ${yuan(subtotal)} 元 × (${fmt(gradeCoef)} − 1)${when(s)}`,
      Ratio.of(subtotal).mul(Ratio.from(gradeCoef).sub(1)).roundScaled(0),
    );
    s.amountFen = Number(subtotal);
    running += subtotal;
  }
  if (!policy.suspension.whileMajorHazardOpen) {
    hazardDaysPaid = segments.filter((s) => !s.notOperating && s.hazardSuspended === false).reduce((n, s) => n + hazardDaysIn(facts.majorHazards, s), 0);
  }
  if (skippedUplift) push(`护理等级加补：${profitLabel(facts.profitStatus ?? 'unknown')}机构按本政策只按实际入住床位补贴`, '不加补', 0n);

  const { coefficient: safetyCoef, band } = safetyCoefficient(facts.safety.score, policy, { asOf: facts.safety.asOf, cutoff: period.end });
  if (paidDays > 0) {
    running += push(`安全系数（${band}）${fmt(safetyCoef)}`, `${yuan(running)} 元 × (${fmt(safetyCoef)} − 1)`, Ratio.of(running).mul(Ratio.from(safetyCoef).sub(1)).roundScaled(0));
  }
  if (hazardDaysPaid > 0) push(`重大隐患未销号 ${hazardDaysPaid} 天（本政策不停发）`, '不扣减', 0n);
  if (credit && credit.reductionPercent > 0 && paidDays > 0) {
    const pct = credit.reductionPercent;
    running += push(
      `信用：${creditText(credit)}，减发 ${fmt(pct)}%`,
      `${yuan(running)} 元 × (−${fmt(pct)}%)（信用评价规则 ${credit.rulesLabel}）`,
      Ratio.of(running).mul(Ratio.from(pct).div(100)).roundScaled(0) * -1n,
    );
  }

  const amountFen = Number(running);
  if (amountFen < 0) throw new Error(`internal error: negative subsidy ${amountFen} fen`); // cannot happen: every factor is ≥ 0
  const last = segments[segments.length - 1];
  return {
    ...base,
    eligible: true,
    amount: amountFen / 100,
    amountFen,
    lines,
    suspended: hazardDaysUnpaid > 0,
    coefficients: { grade: gradeCoefficient(last.grade, policy), safety: safetyCoef, proRata: Ratio.of(paidDays, periodDays).round(6) },
    operatingDays,
    paidDays,
    segments,
  };
}

/** The days of the period cut into runs of constant inputs. */
export function segmentsOf(facts: SubsidyFacts, period: { start: string; end: string }, suspendOnHazard: boolean): SubsidySegment[] {
  const first = dayNumber(period.start);
  const last = dayNumber(period.end);
  const opened = dayNumber(facts.openedOn);
  const within = (d: number, i: DayInterval) => d >= dayNumber(i.from) && (i.to === null || d <= dayNumber(i.to));
  const sorted = [...facts.capacity].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
  const out: SubsidySegment[] = [];
  let key = '';
  for (let d = first; d <= last; d++) {
    const date = dateOf(d);
    const interruption = facts.interruptions.find((i) => within(d, i));
    const notOperating: SubsidySegment['notOperating'] = d < opened ? 'not_open' : interruption ? interruption.kind : null;
    const cap = inForce(sorted, date);
    const grade = facts.grades.find((g) => date >= g.from && date <= g.to)?.grade ?? null;
    const hazard = suspendOnHazard && facts.majorHazards.some((h) => within(d, h));
    const k = notOperating ? `off:${notOperating}` : `${capKey(cap)}|${grade}|${hazard}`;
    if (k === key) {
      const s = out[out.length - 1];
      s.end = date;
      s.days += 1;
    } else {
      out.push({ start: date, end: date, days: 1, notOperating, hazardSuspended: !notOperating && hazard, grade: notOperating ? null : grade, occupiedBeds: cap.occupiedBeds, amountFen: 0 });
      key = k;
    }
  }
  return out;
}

/** The capacity in force on a day: the latest record effective on or before it; before the first, the first. */
export function capacityOn(records: CapacityRecord[], date: string): CapacityRecord {
  return inForce([...records].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom)), date);
}

/** capacityOn over records already sorted by effectiveFrom. */
function inForce(sorted: CapacityRecord[], date: string): CapacityRecord {
  let found = sorted[0];
  for (const r of sorted) if (r.effectiveFrom <= date) found = r;
  return found;
}

function hazardDaysIn(hazards: DayInterval[], s: { start: string; end: string }): number {
  let n = 0;
  for (let d = dayNumber(s.start); d <= dayNumber(s.end); d++) if (hazards.some((h) => d >= dayNumber(h.from) && (h.to === null || d <= dayNumber(h.to)))) n++;
  return n;
}

function gradeCoefficient(grade: Grade | null, policy: SubsidyPolicy): number {
  const key: SubsidyGradeKey = grade === null ? 'ungraded' : (`grade${grade}` as SubsidyGradeKey);
  return policy.gradeCoefficient[key];
}

/** The coefficient of a safety score and a description of its band (with the score's date when given). */
export function safetyCoefficient(score: number | null, policy: SubsidyPolicy, when?: { asOf: string | null; cutoff: string }): { coefficient: number; band: string } {
  const { bands, unscored } = policy.safetyCoefficient;
  if (score === null) return { coefficient: unscored, band: when ? `截至 ${when.cutoff} 尚无安全分` : '尚无安全分' };
  let i = 0;
  for (let k = 0; k < bands.length; k++) if (Ratio.from(score).cmp(bands[k].minScore) >= 0) i = k;
  const upper = bands[i + 1];
  const range = upper ? `[${fmt(bands[i].minScore)}, ${fmt(upper.minScore)})` : `[${fmt(bands[i].minScore)}, 100]`;
  const dated = when?.asOf ? `${when.asOf} ` : '';
  return { coefficient: bands[i].coefficient, band: `${dated}安全分 ${fmt(score)}，区间 ${range}` };
}

function validate(facts: SubsidyFacts): void {
  parseDate(facts.openedOn, 'openedOn');
  if (!facts.capacity.length) throw new RangeError(`institution ${facts.id} has no capacity record`);
  for (const c of facts.capacity) {
    parseDate(c.effectiveFrom, 'capacity.effectiveFrom');
    for (const field of ['occupiedBeds', ...CARE_LEVELS.map(([f]) => f)] as const) {
      const v = c[field];
      if (!Number.isInteger(v) || v < 0) throw new RangeError(`${field} must be an integer ≥ 0, found ${v}`);
    }
  }
  for (const i of [...facts.interruptions, ...facts.majorHazards]) {
    parseDate(i.from, 'interval.from');
    if (i.to !== null) parseDate(i.to, 'interval.to');
  }
  for (const g of facts.grades) {
    parseDate(g.from, 'grade.from');
    parseDate(g.to, 'grade.to');
  }
  const score = facts.safety.score;
  if (score !== null && !(score >= 0 && score <= 100)) throw new RangeError(`safetyScore must be within [0, 100] or null, found ${score}`);
}

function capKey(c: CapacityRecord): string {
  return [c.occupiedBeds, c.residentsSelfCare, c.residentsMildlyDisabled, c.residentsModeratelyDisabled, c.residentsSeverelyDisabled].join(',');
}

function dateOf(dayNo: number): string {
  const d = new Date(dayNo * 86_400_000);
  return format({ y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate() });
}

/** "2026-03-16 至 2026-03-31", or one day "2026-03-16". */
function rangeText(start: string, end: string): string {
  return start === end ? start : `${start} 至 ${end}`;
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

/** "D 级（重点关注），信用分 52" or "失信认定生效中（信用分 52，B 级）" */
function creditText(c: SubsidyCredit): string {
  return c.dishonest ? `失信认定生效中（信用分 ${c.points}，${c.levelLabelZh}）` : `${c.levelLabelZh}，信用分 ${c.points}`;
}

/** fen → "7,600.00" */
function yuan(fen: bigint): string {
  const neg = fen < 0n;
  const abs = neg ? -fen : fen;
  const int = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '−' : ''}${int}.${(abs % 100n).toString().padStart(2, '0')}`;
}
