/**
 * 演练与培训 — the rules of an institution's drills and staff training: which kinds exist, when the next live drill
 * is due (policy `drills.liveDrillMonths`, S32: at least one live drill every half-year, 2026 ten-department opinion)
 * and when a staff member's training is due again (`drills.trainingMonths`). No Nest, no TypeORM.
 */
import { daysBetween } from '../../common/calendar';

/** 演练类型 */
export const DRILL_KINDS = ['fire_evacuation', 'night_drill', 'gas_leak', 'power_outage', 'earthquake', 'flood', 'food_poisoning', 'other'] as const;
export type DrillKind = (typeof DRILL_KINDS)[number];

/** 演练形式: only a live drill (实战演练) counts toward the half-year minimum; a tabletop exercise (桌面推演) does not. */
export const DRILL_FORMS = ['live', 'tabletop'] as const;
export type DrillForm = (typeof DRILL_FORMS)[number];

/** 培训内容 */
export const TRAINING_TOPICS = ['fire_safety', 'evacuation', 'first_aid', 'gas_safety', 'emergency_plan', 'other'] as const;
export type TrainingTopic = (typeof TRAINING_TOPICS)[number];

/** Residents evacuated, by the institution's care levels (CARE_LEVEL_KEYS). */
export const EVACUATED_LEVELS = ['selfCare', 'mildlyDisabled', 'moderatelyDisabled', 'severelyDisabled'] as const;
export type EvacuatedLevel = (typeof EVACUATED_LEVELS)[number];
export type Evacuated = Record<EvacuatedLevel, number>;

/** The kinds where a live drill moves residents out, so the evacuation time must be recorded. */
const EVACUATION_KINDS: ReadonlySet<DrillKind> = new Set(['fire_evacuation', 'night_drill', 'gas_leak', 'earthquake', 'flood']);

/**
 * How many days before the due date the page already says 即将到期. A product default, not a regulation's figure;
 * not in checklists/safety-work-policy.yaml yet (named here until it is).
 */
export const DRILL_DUE_SOON_DAYS = 30;

/** A calendar date plus n months; a day the target month lacks is its last day (08-31 + 6 → 02-28/29). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, lastDay));
  return first.toISOString().slice(0, 10);
}

/**
 * 演练状态 as of a date:
 * - `not_started`: no opening date recorded, or not yet open — nothing is due;
 * - `ok`: the next live drill is due on `dueBy`, more than DRILL_DUE_SOON_DAYS away;
 * - `due`: due within DRILL_DUE_SOON_DAYS (or today);
 * - `missed`: `dueBy` has passed without a live drill (the flag).
 * The period runs from the last live drill, or from the opening day when there is none yet: an institution that
 * has not operated a full period is never flagged.
 */
export const DRILL_STATES = ['not_started', 'ok', 'due', 'missed'] as const;
export type DrillState = (typeof DRILL_STATES)[number];
export interface DrillStatus {
  state: DrillState;
  /** the last day a live drill satisfies the minimum (null when not_started) */
  dueBy: string | null;
  lastLiveDrillOn: string | null;
  /** days past dueBy (missed) or left until it (ok / due) */
  days: number | null;
  liveDrillMonths: number;
}

export function drillStatus(input: { asOf: string; openedOn: string | null; lastLiveDrillOn: string | null; liveDrillMonths: number }): DrillStatus {
  const { asOf, openedOn, lastLiveDrillOn, liveDrillMonths } = input;
  const base = lastLiveDrillOn && (!openedOn || lastLiveDrillOn >= openedOn) ? lastLiveDrillOn : openedOn;
  if (!base || (!lastLiveDrillOn && openedOn && openedOn > asOf)) {
    return { state: 'not_started', dueBy: null, lastLiveDrillOn, days: null, liveDrillMonths };
  }
  const dueBy = addMonths(base, liveDrillMonths);
  const left = daysBetween(asOf, dueBy);
  const state: DrillState = left < 0 ? 'missed' : left <= DRILL_DUE_SOON_DAYS ? 'due' : 'ok';
  return { state, dueBy, lastLiveDrillOn, days: Math.abs(left), liveDrillMonths };
}

/** 培训到期: a staff member's training is due again `trainingMonths` after the last one; overdue the day after. */
export function trainingStatus(input: { asOf: string; lastTrainedOn: string; trainingMonths: number }): { dueBy: string; overdue: boolean } {
  const dueBy = addMonths(input.lastTrainedOn, input.trainingMonths);
  return { dueBy, overdue: input.asOf > dueBy };
}

export interface DrillIssue {
  field: string;
  reason: string;
  args?: unknown[];
}

/**
 * What a drill record must satisfy beyond its field formats: not in the future,
 * no more residents of a care level evacuated than live there, and an evacuation time for a live evacuation.
 */
export function drillIssues(d: { heldOn: string; form: DrillForm; kind: DrillKind; evacuated: Evacuated; evacuationSeconds?: number | null },
  ctx: { today: string; residents: Evacuated }): DrillIssue[] {
  const issues: DrillIssue[] = [];
  if (d.heldOn > ctx.today) issues.push({ field: 'heldOn', reason: 'dateInFuture' });
  for (const level of EVACUATED_LEVELS) {
    if (d.evacuated[level] > ctx.residents[level]) issues.push({ field: `evacuated.${level}`, reason: 'evacuatedExceedsResidents', args: [d.evacuated[level], ctx.residents[level]] });
  }
  if (d.form === 'live' && EVACUATION_KINDS.has(d.kind) && (d.evacuationSeconds === undefined || d.evacuationSeconds === null)) {
    issues.push({ field: 'evacuationSeconds', reason: 'evacuationTimeRequired' });
  }
  return issues;
}

/** Whole minutes and seconds, for pages: 185 → "3 分 5 秒". */
export function formatEvacuationTime(seconds: number | null): string {
  if (seconds === null) return '—';
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return m ? `${m} 分${s ? ` ${s} 秒` : '钟'}` : `${s} 秒`;
}
