/**
 * A plan's spec (what the plan form holds): from a create request, from a stored plan, and merged with an edit.
 * Pure, so the edit rule "a changed draw input draws again" is decided on plain values.
 */
import type { PlanKind, PlanProgress, RiskLevel } from './plan-rules';

export interface PlanPoolSpec {
  institutionKinds?: string[];
  institutionStatuses?: string[];
  riskLevels?: RiskLevel[];
  lastInspectedBefore?: string;
  /** 按信用频次应检: only institutions behind the yearly inspection count of their credit level */
  creditDue?: boolean;
  checklistCode?: string;
}

export interface PlanSpec {
  name: string;
  kind: PlanKind;
  jointAgencies: string[];
  divisionCode: string;
  pool: PlanPoolSpec;
  inspectorIds: string[];
  sampleCount?: number | null;
  sampleRatio?: number | null;
  /** 差异化抽查: drawn by credit stratum (yian-draw-v2) instead of one sample of the pool */
  stratified?: boolean;
  teamSize?: number;
  conflictMonths?: number;
  seed?: string;
  scheduledFrom?: string | null;
  scheduledTo?: string | null;
}

/** The plan request's fields (CreatePlanDto / UpdatePlanDto without version), all optional. */
export interface PlanFields {
  name?: string;
  kind?: PlanKind;
  jointAgencies?: string[];
  divisionCode?: string;
  institutionKinds?: string[];
  institutionStatuses?: string[];
  riskLevels?: RiskLevel[];
  lastInspectedBefore?: string;
  creditDue?: boolean;
  checklistCode?: string;
  inspectorIds?: string[];
  sampleCount?: number;
  sampleRatio?: number;
  stratified?: boolean;
  teamSize?: number;
  conflictMonths?: number;
  seed?: string;
  scheduledFrom?: string;
  scheduledTo?: string;
}

const POOL_KEYS = ['institutionKinds', 'institutionStatuses', 'riskLevels', 'lastInspectedBefore', 'creditDue', 'checklistCode'] as const;

/** Drops empty filters, so "no filter" has one spelling (and compares equal). */
function cleanPool(pool: PlanPoolSpec): PlanPoolSpec {
  const out: PlanPoolSpec = {};
  for (const k of POOL_KEYS) {
    const v = pool[k];
    // false is the only spelling of an unticked box: left out, like an empty filter
    if (v === undefined || v === null || v === '' || v === false || (Array.isArray(v) && v.length === 0)) continue;
    (out as Record<string, unknown>)[k] = Array.isArray(v) ? [...new Set(v as string[])].sort() : v;
  }
  return out;
}

export function specOf(dto: PlanFields & { name: string; kind: PlanKind; divisionCode: string; inspectorIds: string[] }): PlanSpec {
  return {
    name: dto.name, kind: dto.kind, jointAgencies: dto.jointAgencies ?? [], divisionCode: dto.divisionCode,
    pool: cleanPool({ institutionKinds: dto.institutionKinds, institutionStatuses: dto.institutionStatuses, riskLevels: dto.riskLevels, lastInspectedBefore: dto.lastInspectedBefore, creditDue: dto.creditDue, checklistCode: dto.checklistCode }),
    inspectorIds: dto.inspectorIds, sampleCount: dto.sampleCount, sampleRatio: dto.sampleRatio, stratified: dto.stratified ?? false, teamSize: dto.teamSize,
    conflictMonths: dto.conflictMonths, seed: dto.seed, scheduledFrom: dto.scheduledFrom, scheduledTo: dto.scheduledTo,
  };
}

/** A stored plan's spec: the inspector pool is the recorded roster; the seed, team size and conflict rule as drawn. */
export function specOfPlan(plan: {
  name: string; kind: string; jointAgencies: string[]; divisionCode: string; sampleCount: number | null; sampleRatio: number | null;
  teamSize: number; conflictMonths: number; seed: string; scheduledFrom: string | null; scheduledTo: string | null; drawInput: object; algorithm?: string;
}, pool: PlanPoolSpec): PlanSpec {
  return {
    name: plan.name, kind: plan.kind as PlanKind, jointAgencies: plan.jointAgencies, divisionCode: plan.divisionCode, pool: cleanPool(pool),
    inspectorIds: ((plan.drawInput as { inspectors?: { id: string }[] }).inspectors ?? []).map((i) => i.id),
    sampleCount: plan.sampleCount, sampleRatio: plan.sampleRatio, stratified: plan.algorithm === 'yian-draw-v2', teamSize: plan.teamSize, conflictMonths: plan.conflictMonths, seed: plan.seed,
    scheduledFrom: plan.scheduledFrom, scheduledTo: plan.scheduledTo,
  };
}

/** The spec after an edit: given fields replace the stored ones (a seed left out keeps the plan's seed). */
export function mergeSpec(before: PlanSpec, changes: PlanFields): PlanSpec {
  const pool = { ...before.pool };
  for (const k of POOL_KEYS) if (k in changes && changes[k] !== undefined) (pool as Record<string, unknown>)[k] = changes[k];
  const next: PlanSpec = { ...before, pool: cleanPool(pool) };
  for (const k of ['name', 'kind', 'jointAgencies', 'divisionCode', 'inspectorIds', 'sampleCount', 'sampleRatio', 'stratified', 'teamSize', 'conflictMonths', 'seed', 'scheduledFrom', 'scheduledTo'] as const) {
    if (changes[k] !== undefined) (next as unknown as Record<string, unknown>)[k] = changes[k];
  }
  // One sample rule at a time: a count given replaces a ratio and the other way round.
  if (changes.sampleCount !== undefined && changes.sampleRatio === undefined) next.sampleRatio = null;
  if (changes.sampleRatio !== undefined && changes.sampleCount === undefined) next.sampleCount = null;
  // a stratified draw takes its ratios from the credit rules; a count or ratio given turns it back into one sample
  if (changes.stratified === true) { next.sampleCount = null; next.sampleRatio = null; }
  if ((changes.sampleCount !== undefined || changes.sampleRatio !== undefined) && changes.stratified === undefined) next.stratified = false;
  return next;
}

/** A field of the spec by its request name (the pool filters sit in `pool`); arrays compared as sets. */
export function pick(spec: PlanSpec, key: string): unknown {
  const v = key in spec.pool || (POOL_KEYS as readonly string[]).includes(key) ? (spec.pool as Record<string, unknown>)[key] : (spec as unknown as Record<string, unknown>)[key];
  if (key === 'inspectorIds' && Array.isArray(v)) return [...new Set(v as string[])].sort();
  return v ?? null;
}

export function emptyProgress(): PlanProgress {
  return { total: 0, done: 0, assigned: 0, started: 0, submitted: 0, cancelled: 0, overdue: 0 };
}
