/**
 * 检查计划 — the plan's own rules, pure: the risk bands its institution pool may be filtered by, which kinds draw a
 * sample, and whether a plan may still be edited (and drawn again) or published.
 */

/** Kinds a plan may have (a 复查 is never planned: rectification asks for it). */
export const PLAN_KINDS = ['routine', 'random', 'joint', 'special', 'complaint'] as const;
export type PlanKind = (typeof PLAN_KINDS)[number];

/** The agencies a 联合检查 may be held with (the plan records them; their inspectors are accounts of the pool). */
export const JOINT_AGENCIES = ['fire', 'market', 'health', 'housing'] as const;

/**
 * 风险等级 of an institution for planning: the band of its current safety score (安全分, 0–100, the scoring rules).
 * The product has no separate risk rating; a low safety score is the risk signal the bureau already computes.
 */
export const RISK_LEVELS = ['high', 'elevated', 'normal', 'unscored'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];
/** Lower bounds (inclusive) of the scored bands; below `elevated` is `high`. */
export const RISK_BANDS = { elevated: 60, normal: 80 } as const;

export function riskLevelOf(score: number | null): RiskLevel {
  if (score === null) return 'unscored';
  if (score < RISK_BANDS.elevated) return 'high';
  if (score < RISK_BANDS.normal) return 'elevated';
  return 'normal';
}

/** The score range a band covers, as SQL-ready bounds (`min <= score < max`; null = open). */
export function riskBounds(level: Exclude<RiskLevel, 'unscored'>): { min: number | null; max: number | null } {
  if (level === 'high') return { min: null, max: RISK_BANDS.elevated };
  if (level === 'elevated') return { min: RISK_BANDS.elevated, max: RISK_BANDS.normal };
  return { min: RISK_BANDS.normal, max: null };
}

/** Only a 双随机 plan draws a sample; the other kinds inspect every institution of the pool (teams are still drawn). */
export function drawsSample(kind: string): boolean {
  return kind === 'random';
}

export interface PlanProgress {
  total: number;
  /** submitted + cancelled (what publication waits for) */
  done: number;
  assigned: number;
  started: number;
  submitted: number;
  cancelled: number;
  /** not submitted or cancelled, and the plan's period ended before today */
  overdue: number;
}

/**
 * Why a plan may not be edited now, or null. Published plans are final; once an inspector has started one of its
 * inspections, drawing again would take work away from a team, so the plan is frozen too.
 */
export function editRefusal(plan: { status: string }, progress: Pick<PlanProgress, 'total' | 'assigned'>): 'plan.published' | 'plan.started' | null {
  if (plan.status === 'published') return 'plan.published';
  if (progress.assigned < progress.total) return 'plan.started';
  return null;
}

/** Why a plan may not be published now, or null: 公示 discloses results, so every inspection must be done. */
export function publishRefusal(plan: { status: string }, progress: Pick<PlanProgress, 'total' | 'done'>): 'plan.published' | 'plan.not_finished' | null {
  if (plan.status === 'published') return 'plan.published';
  if (progress.done < progress.total) return 'plan.not_finished';
  return null;
}

/** The inputs that decide the draw: a change to any of them draws again (name, period and agencies do not). */
export const DRAW_INPUTS = [
  'divisionCode', 'institutionKinds', 'institutionStatuses', 'riskLevels', 'lastInspectedBefore', 'inspectorIds',
  'sampleCount', 'sampleRatio', 'stratified', 'teamSize', 'conflictMonths', 'seed', 'kind', 'checklistCode',
] as const;
