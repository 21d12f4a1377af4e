import { STRATIFIED_DRAW_ALGORITHM } from '../inspections/domain/stratified-draw';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { FieldIssue } from '../common/app-error';
import { formatChineseDate, formatChineseDateTime } from '../common/calendar';
import { fieldMessage, message } from '../common/messages';
import type { Page } from '../common/pagination';
import type { AuthUser } from '../common/scope';
import { flattenValidationErrors } from '../common/validation';
import { label, labelEntries } from '../common/vocabulary';
import { can } from '../auth/permissions';
import { DRAW_ALGORITHM } from '../inspections/domain/random-draw';
import { drawsSample, editRefusal, PlanProgress, publishRefusal } from '../inspections/domain/plan-rules';
import type { PlanSpec } from '../inspections/domain/plan-spec';
import { CreatePlanDto, UpdatePlanDto } from '../inspections/dto/plan.dto';
import type { InspectionPlan } from '../inspections/inspection.entity';
import type { PoolInspector } from '../inspections/plans.repository';
import type { Flash } from './view-common';

/**
 * The plan pages' view models (检查计划): every decision — what the form offers and holds, which errors sit by which
 * field, whether 编辑 / 发布 are offered and why not — is made here; plan-pages.ts only renders.
 */

/** The plan form's fields by the label the officer sees (errors name the field). */
export const PLAN_FIELDS: Record<string, string> = {
  name: '计划名称', kind: '检查类型', divisionCode: '检查范围（行政区划）', scheduledFrom: '检查期间起', scheduledTo: '检查期间止',
  institutionKinds: '机构类型', institutionStatuses: '机构状态', riskLevels: '风险等级', lastInspectedBefore: '上次检查早于', creditDue: '按信用频次应检',
  sampleCount: '抽取机构数', sampleRatio: '抽取比例', stratified: '差异化抽查', teamSize: '每组人数', conflictMonths: '回避期限（月）', seed: '随机种子',
  inspectorIds: '检查人员', jointAgencies: '联合检查部门', checklistCode: '检查表', status: '计划状态', version: '版本',
};

/** yian-draw-v1 in two sentences (the full specification is the header of src/inspections/domain/random-draw.ts). */
export const ALGORITHM_TEXT: Record<string, string> = {
  [DRAW_ALGORITHM]: '以公开的随机种子经 SHA-256 生成随机数流；机构名单和人员名单先按编号排序，再用 Fisher–Yates 洗牌无偏地抽取机构；'
    + '每家抽中的机构从与其无利害关系（未申报利害关系、回避期内未检查过该机构）的人员中，优先选派任务最少的人随机组成检查组。'
    + '同一种子和同一名单总是得到同一结果，任何人都可以用“重新核验抽取”复核。',
  [STRATIFIED_DRAW_ALGORITHM]: '差异化抽查：机构按抽取时的信用等级分层（失信主体单列一层），各层按信用规则规定的比例抽取；'
    + '以公开的随机种子经 SHA-256 生成随机数流，各层依次用 Fisher–Yates 洗牌无偏地抽取，再与 yian-draw-v1 相同地组成检查组。'
    + '每家机构所在的层和各层比例随计划记录，同一种子和名单总是得到同一结果，任何人都可以复核；抽中与否仍是随机的。',
};

/** The pool line of 按信用频次应检, from what the draw recorded (the day, and how many of the filtered pool were due). */
function creditDueText(drawInput: object): string {
  const r = (drawInput as { creditDue?: { asOf: string; poolBefore: number; due: number } }).creditDue;
  return r ? `按信用频次应检（${formatChineseDate(r.asOf)}：${r.poolBefore} 家中 ${r.due} 家本年检查次数未达到信用等级要求）` : '按信用频次应检';
}

/** What the plan form holds: strings as typed, lists as checked. */
export interface PlanFormValues {
  name: string;
  kind: string;
  divisionCode: string;
  scheduledFrom: string;
  scheduledTo: string;
  institutionKinds: string[];
  riskLevels: string[];
  lastInspectedBefore: string;
  /** 'yes' when the 按信用频次应检 box is ticked */
  creditDue: string;
  sampleCount: string;
  /** 'yes' when the 差异化抽查 box is ticked */
  stratified: string;
  teamSize: string;
  conflictMonths: string;
  seed: string;
  inspectorIds: string[];
  jointAgencies: string[];
}

const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');
const list = (v: unknown): string[] => (Array.isArray(v) ? v : v === undefined || v === null || v === '' ? [] : [v]).filter((x): x is string => typeof x === 'string' && x !== '');

/** The form body as the form holds it (checkboxes arrive as one string or a list). */
export function planFormValues(body: Record<string, unknown>): PlanFormValues {
  return {
    name: text(body.name), kind: text(body.kind), divisionCode: text(body.divisionCode), scheduledFrom: text(body.scheduledFrom), scheduledTo: text(body.scheduledTo),
    institutionKinds: list(body.institutionKinds), riskLevels: list(body.riskLevels), lastInspectedBefore: text(body.lastInspectedBefore),
    creditDue: text(body.creditDue) === 'yes' ? 'yes' : '', sampleCount: text(body.sampleCount), stratified: text(body.stratified) === 'yes' ? 'yes' : '', teamSize: text(body.teamSize), conflictMonths: text(body.conflictMonths), seed: text(body.seed),
    inspectorIds: list(body.inspectorIds), jointAgencies: list(body.jointAgencies),
  };
}

/** The form of a stored plan (the edit form starts from it; the seed field shows the plan's seed). */
export function planFormOf(spec: PlanSpec): PlanFormValues {
  return {
    name: spec.name, kind: spec.kind, divisionCode: spec.divisionCode, scheduledFrom: spec.scheduledFrom ?? '', scheduledTo: spec.scheduledTo ?? '',
    institutionKinds: spec.pool.institutionKinds ?? [], riskLevels: spec.pool.riskLevels ?? [], lastInspectedBefore: spec.pool.lastInspectedBefore ?? '',
    creditDue: spec.pool.creditDue ? 'yes' : '', sampleCount: spec.sampleCount == null ? '' : String(spec.sampleCount), stratified: spec.stratified ? 'yes' : '', teamSize: spec.teamSize == null ? '' : String(spec.teamSize),
    conflictMonths: spec.conflictMonths == null ? '' : String(spec.conflictMonths), seed: spec.seed ?? '',
    inspectorIds: spec.inspectorIds, jointAgencies: spec.jointAgencies,
  };
}

/** A number field: the integer typed, the text itself when it is not one (so the DTO names the field), absent when empty. */
const num = (v: string): number | string | undefined => (v === '' ? undefined : /^-?\d+$/.test(v) ? Number(v) : v);

/**
 * The request the form makes. Creating: empty fields are left out. Editing: every field is sent, an emptied one as
 * null (or an empty list), so clearing a filter clears it; a seed left empty keeps the plan's seed.
 */
export function planRequest(v: PlanFormValues, mode: 'create' | 'edit'): Record<string, unknown> {
  const empty = mode === 'edit' ? null : undefined;
  const opt = (s: string) => (s === '' ? empty : s);
  const sample = drawsSample(v.kind);
  return {
    name: v.name, kind: v.kind || undefined, divisionCode: v.divisionCode || undefined,
    scheduledFrom: opt(v.scheduledFrom), scheduledTo: opt(v.scheduledTo),
    institutionKinds: v.institutionKinds, riskLevels: v.riskLevels, lastInspectedBefore: opt(v.lastInspectedBefore),
    ...(v.creditDue === 'yes' ? { creditDue: true } : mode === 'edit' ? { creditDue: false } : {}),
    ...(sample && v.stratified === 'yes'
      ? { stratified: true, ...(mode === 'edit' ? { sampleCount: null, sampleRatio: null } : {}), ...(v.sampleCount !== '' ? { sampleCount: num(v.sampleCount) } : {}) }
      : { ...(mode === 'edit' ? { stratified: false } : {}), sampleCount: sample ? num(v.sampleCount) ?? empty : empty, ...(mode === 'edit' && sample && v.sampleCount !== '' ? { sampleRatio: null } : {}) }),
    teamSize: num(v.teamSize) ?? empty, conflictMonths: num(v.conflictMonths) ?? empty,
    seed: v.seed === '' ? undefined : v.seed, inspectorIds: v.inspectorIds, jointAgencies: v.kind === 'joint' ? v.jointAgencies : [],
  };
}

/** The form's errors by field (the API's DTO validation), each line naming the field. */
export function planFormIssues(request: Record<string, unknown>, mode: 'create' | 'edit'): FieldIssue[] {
  const cls: new () => object = mode === 'create' ? CreatePlanDto : UpdatePlanDto;
  const dto = plainToInstance(cls, mode === 'edit' ? { ...request, version: 1 } : request);
  const issues = flattenValidationErrors(validateSync(dto, { whitelist: true }));
  if (mode === 'edit' && !text(request.name)) issues.push({ field: 'name', reason: 'isNotEmpty' });
  return issues;
}

export interface FieldErrors {
  /** every line, for the summary at the top */
  lines: string[];
  /** field → its lines, shown under the field */
  byField: Record<string, string[]>;
}

/** Issues (from the DTO or from the service) as lines naming the field, grouped by the top-level field. */
export function fieldErrors(issues: FieldIssue[], extra: string[] = []): FieldErrors {
  const byField: Record<string, string[]> = {};
  const lines = [...extra];
  for (const i of issues) {
    const key = i.field.split('.')[0];
    const line = `${PLAN_FIELDS[key] ?? key}：${fieldMessage(i.reason, 'zh', i.args ?? [])}`;
    if (lines.includes(line)) continue;
    lines.push(line);
    (byField[key] ??= []).push(line);
  }
  return { lines, byField };
}

export interface PlanFormOptions {
  inspectors: PoolInspector[];
  divisions: { code: string; name: string; level: string; path: string }[];
  defaults: { teamSize: number; conflictMonths: number };
}

export interface PlanFormView {
  mode: 'create' | 'edit';
  action: string;
  csrf: string;
  title: string;
  values: PlanFormValues;
  errors: FieldErrors;
  version?: number;
  kinds: [string, string][];
  institutionKinds: [string, string][];
  riskLevels: [string, string][];
  jointAgencies: [string, string][];
  /** indented by level: 常州市 / · 天宁区 / · · 红梅街道 */
  divisions: { code: string; label: string }[];
  inspectors: { id: string; label: string; unit: string; checked: boolean; officer: boolean }[];
  defaults: { teamSize: number; conflictMonths: number };
  cancelHref: string;
}

const LEVEL_DEPTH: Record<string, number> = { province: 0, city: 0, district: 1, street: 2 };

export function planFormView(input: {
  mode: 'create' | 'edit'; planId?: string; version?: number; csrf: string; values: PlanFormValues; errors?: FieldErrors; options: PlanFormOptions; userDivisionCode: string;
}): PlanFormView {
  const { mode, values, options } = input;
  const chosen = new Set(values.inspectorIds);
  return {
    mode, csrf: input.csrf, values, version: input.version,
    action: mode === 'create' ? '/plans' : `/plans/${input.planId}/edit`,
    title: mode === 'create' ? '制定检查计划' : '编辑检查计划',
    errors: input.errors ?? { lines: [], byField: {} },
    kinds: labelEntries('planKind'),
    institutionKinds: labelEntries('institutionKind'),
    riskLevels: labelEntries('riskLevel'),
    jointAgencies: labelEntries('jointAgency'),
    divisions: options.divisions.map((d) => ({ code: d.code, label: `${'　'.repeat(LEVEL_DEPTH[d.level] ?? 0)}${d.name}` })),
    inspectors: options.inspectors.map((u) => ({
      id: u.id, label: u.displayName, unit: `${u.divisionName}${u.role === 'bureau_officer' ? '（监管人员）' : ''}`,
      checked: chosen.has(u.id), officer: u.role === 'bureau_officer',
    })),
    defaults: options.defaults,
    cancelHref: mode === 'create' ? '/plans' : `/plans/${input.planId}`,
  };
}

/** The default values of a new plan's form: the user's division, a 双随机 plan, the policy's team size and conflict rule. */
export function newPlanValues(userDivisionCode: string, defaults: { teamSize: number; conflictMonths: number }): PlanFormValues {
  return {
    name: '', kind: 'random', divisionCode: userDivisionCode, scheduledFrom: '', scheduledTo: '', institutionKinds: [], riskLevels: [], lastInspectedBefore: '', creditDue: '',
    sampleCount: '', stratified: '', teamSize: String(defaults.teamSize), conflictMonths: String(defaults.conflictMonths), seed: '', inspectorIds: [], jointAgencies: [],
  };
}

/** "待检查 2 · 检查中 1 · 已提交 3 · 逾期 1" */
export function progressText(p: PlanProgress): string {
  const parts = [`待检查 ${p.assigned}`, `检查中 ${p.started}`, `已提交 ${p.submitted}`];
  if (p.cancelled) parts.push(`已取消 ${p.cancelled}`);
  parts.push(`逾期 ${p.overdue}`);
  return `${parts.join(' · ')}（共 ${p.total}）`;
}

export function periodText(from: string | null, to: string | null): string {
  if (!from && !to) return '未定';
  if (from && to) return `${formatChineseDate(from)} 至 ${formatChineseDate(to)}`;
  return from ? `${formatChineseDate(from)} 起` : `至 ${formatChineseDate(to!)}`;
}

export interface PlanListRow {
  href: string;
  name: string;
  kind: string;
  division: string;
  period: string;
  status: string;
  published: boolean;
  progress: PlanProgress;
  progressText: string;
  created: string;
}

export interface PlanListView {
  rows: PlanListRow[];
  total: number;
  filters: Record<string, string>;
  filtered: boolean;
  canCreate: boolean;
  statuses: [string, string][];
  kinds: [string, string][];
}

export function planListView(user: AuthUser, page: Page<InspectionPlan & { progress: PlanProgress }>, filters: Record<string, string>, divisionNames: Map<string, string>): PlanListView {
  return {
    rows: page.items.map((p) => ({
      href: `/plans/${p.id}`, name: p.name, kind: label('planKind', p.kind), division: divisionNames.get(p.divisionCode) ?? p.divisionCode,
      period: periodText(p.scheduledFrom, p.scheduledTo), status: label('planStatus', p.status), published: p.status === 'published',
      progress: p.progress, progressText: progressText(p.progress), created: formatChineseDateTime(new Date(p.createdAt)),
    })),
    total: page.total, filters, filtered: Object.keys(filters).length > 0, canCreate: can(user, 'plan.create'),
    statuses: labelEntries('planStatus'), kinds: labelEntries('planKind'),
  };
}

export interface VerifyOutcome {
  reproducible: boolean;
  at: Date;
  selected: number;
}

export interface PlanDetailView {
  id: string;
  csrf: string;
  name: string;
  kind: string;
  status: string;
  published: boolean;
  publishedAt: string | null;
  facts: [string, string][];
  seed: string;
  algorithm: string;
  algorithmText: string;
  poolSize: number;
  conflicts: number;
  /** 差异化抽查: each stratum's ratio, pool and draw (null: one sample of the pool) */
  strata: { code: string; label: string; ratioText: string; poolSize: number; drawn: number }[] | null;
  rows: { no: number; institution: string; division: string; team: { name: string; lead: boolean; unit: string }[]; state: string; stateWarn: boolean }[];
  unstaffed: { institution: string; reason: string }[];
  inspectors: { name: string; unit: string; load: number }[];
  progress: PlanProgress;
  verify: { ok: boolean; text: string } | null;
  edit: { offered: boolean; reason: string | null; href: string };
  /** version: the plan version the confirmation shows (publishing a later one is refused) */
  publish: { offered: boolean; reason: string | null; href: string; confirming: boolean; errors: string[]; version: number };
  flash: Flash;
}

type PlanDetail = {
  plan: InspectionPlan & { progress: PlanProgress; pool: { institutionKinds?: string[]; riskLevels?: string[]; lastInspectedBefore?: string; creditDue?: boolean; institutionStatuses?: string[] } };
  poolSize: number;
  conflicts: number;
  rows: { institution?: { name: string; divisionName: string }; institutionId: string; team: { name: string; divisionName: string }[]; inspection: { status: string } | null }[];
  unstaffed: { institution?: { name: string; divisionName: string }; institutionId: string; reason: string }[];
  inspectors: { name: string; divisionName: string; load: number }[];
};

export function planDetailView(user: AuthUser, d: PlanDetail, ctx: {
  csrf: string; divisionName: string; today: string; flash?: Flash; verify?: VerifyOutcome; confirming?: boolean; publishErrors?: string[];
}): PlanDetailView {
  const p = d.plan;
  const pool = p.pool ?? {};
  const editBlock = editRefusal(p, p.progress);
  const publishBlock = publishRefusal(p, p.progress);
  const stratified = p.algorithm === STRATIFIED_DRAW_ALGORITHM;
  const recorded = p.drawInput as { strataLabels?: Record<string, string>; creditRulesVersionId?: string };
  const strata = stratified
    ? ((p.drawResult as { strata?: { code: string; ratio: number; poolSize: number; drawn: number }[] }).strata ?? []).map((x) => ({
      code: x.code, label: recorded.strataLabels?.[x.code] ?? x.code, ratioText: `${Math.round(x.ratio * 1000) / 10}%`, poolSize: x.poolSize, drawn: x.drawn,
    }))
    : null;
  const sample = stratified ? '差异化抽查：按信用等级分层，各层按信用规则的比例抽取' : drawsSample(p.kind)
    ? (p.sampleCount != null ? `抽取 ${p.sampleCount} 家` : `抽取 ${Math.round((p.sampleRatio ?? 0) * 1000) / 10}%`)
    : '池内全部机构（只随机选派检查组）';
  const facts: [string, string][] = [
    ['检查类型', label('planKind', p.kind)],
    ['检查范围', ctx.divisionName],
    ['检查期间', periodText(p.scheduledFrom, p.scheduledTo)],
    ['机构池', [
      pool.institutionKinds?.length ? `类型：${pool.institutionKinds.map((k) => label('institutionKind', k)).join('、')}` : '全部类型',
      pool.riskLevels?.length ? `风险：${pool.riskLevels.map((k) => label('riskLevel', k)).join('、')}` : '',
      pool.lastInspectedBefore ? `上次检查早于 ${formatChineseDate(pool.lastInspectedBefore)}（含从未检查）` : '',
      pool.creditDue ? creditDueText(p.drawInput) : '',
      `状态：${(pool.institutionStatuses?.length ? pool.institutionStatuses : ['active']).map((s) => label('institutionStatus', s)).join('、')}`,
    ].filter(Boolean).join('；')],
    ['抽取', sample],
    ['每组人数', `${p.teamSize} 人`],
    ['回避规则', p.conflictMonths > 0 ? `回避最近 ${p.conflictMonths} 个月内检查过该机构的人员，以及申报过利害关系的人员` : '只回避申报过利害关系的人员'],
  ];
  if (p.kind === 'joint') facts.splice(1, 0, ['联合检查部门', p.jointAgencies.length ? p.jointAgencies.map((a) => label('jointAgency', a)).join('、') : '未填写']);
  const stateOf = (s: string | undefined) => (s ? label('inspectionStatus', s) : '—');
  return {
    id: p.id, csrf: ctx.csrf, name: p.name, kind: label('planKind', p.kind), status: label('planStatus', p.status), published: p.status === 'published',
    publishedAt: p.publishedAt ? formatChineseDateTime(new Date(p.publishedAt)) : null,
    facts, seed: p.seed, algorithm: p.algorithm, algorithmText: ALGORITHM_TEXT[p.algorithm] ?? '见算法说明文档。',
    poolSize: d.poolSize, conflicts: d.conflicts, strata,
    rows: d.rows.map((r, i) => ({
      no: i + 1, institution: r.institution?.name ?? r.institutionId, division: r.institution?.divisionName ?? '',
      team: r.team.map((m, k) => ({ name: m.name, lead: k === 0, unit: m.divisionName })),
      state: stateOf(r.inspection?.status),
      stateWarn: !!r.inspection && ['assigned', 'in_progress'].includes(r.inspection.status) && !!p.scheduledTo && p.scheduledTo < ctx.today,
    })),
    unstaffed: d.unstaffed.map((u) => ({ institution: u.institution?.name ?? u.institutionId, reason: u.reason })),
    inspectors: d.inspectors.map((m) => ({ name: m.name, unit: m.divisionName, load: m.load })),
    progress: p.progress,
    verify: ctx.verify ? {
      ok: ctx.verify.reproducible,
      text: ctx.verify.reproducible
        ? `核验通过（${formatChineseDateTime(ctx.verify.at)}）：用记录的种子 ${p.seed} 和名单重新抽取，得到与记录完全相同的结果（${ctx.verify.selected} 家机构及其检查组）。`
        : `核验不一致（${formatChineseDateTime(ctx.verify.at)}）：重新抽取的结果与记录的不同，请联系系统管理员核查。`,
    } : null,
    edit: {
      offered: can(user, 'plan.update') && !editBlock, href: `/plans/${p.id}/edit`,
      reason: editBlock ? message(editBlock, 'zh') : null,
    },
    publish: {
      offered: can(user, 'plan.publish') && !publishBlock, href: `/plans/${p.id}/publish`, confirming: !!ctx.confirming, errors: ctx.publishErrors ?? [], version: p.version,
      reason: publishBlock === 'plan.not_finished'
        ? `还有 ${p.progress.total - p.progress.done} 项检查未提交或取消；公示的是抽查结果，计划内检查全部完成后才能公示。`
        : publishBlock ? message(publishBlock, 'zh') : null,
    },
    flash: ctx.flash ?? {},
  };
}
