import { can } from '../auth/permissions';
import { isOnTeam, isResponder } from '../auth/relations';
import { AuthUser } from '../common/scope';
import type { Hazard, MajorStatus } from '../hazards/hazard.entity';
import type { HazardAction } from '../rectification/domain/hazard-lifecycle';
import type { Flash, Link } from './view-common';

// ---------------------------------------------------------------- rectification

type History = Awaited<ReturnType<import('../rectification/rectification.repository').RectificationRepository['history']>>;
type PendingExtension = { id: string; requestedDueDate: string; reason: string };
type PendingObjection = { id: string; statement: string };

export interface HazardPage {
  hazard: Hazard;
  history: History;
  /** the last day of the 陈述申辩 window; null: no notice served yet (the window has not started) */
  objectionDeadline: string | null;
  /** warnings of dates (due date, objection deadline) counted in a year without a calendar file (Monday–Friday) */
  calendarWarnings: string[];
  today: string;
  csrf: string;
  flash: Flash;
  back: Link;
  pendingExtension: PendingExtension | null;
  pendingObjection: PendingObjection | null;
  /** 整改前 (the inspection's evidence of this item) and 整改后 (every response's photos), evidence ids */
  photos: { before: string[]; after: string[] };
  /** 处理过程, oldest first (set by the controller from the audit trail) */
  timeline: TimelineEntry[];
  /** the longest deadline that may be set today under the hazard's policy */
  deadlinePolicy: { maxDays: number; latest: string };
  /**
   * 安排复查: the re-inspection scheduled and not yet done, or the last one when it is over, each with whether the
   * viewer may open it; and the form (null: the viewer may not schedule one now)
   */
  reinspection: {
    scheduled: { id: string; linked: boolean } | null;
    previous: { id: string; linked: boolean } | null;
    form: { openCount: number; minTeam: number; inspectors: { id: string; name: string }[]; draft?: { scheduledDate?: string; teamUserIds?: string[] } } | null;
  };
  /** what a refused form is shown again with */
  forms: { deadline?: { dueDate?: string; reason?: string } };
  /** 疑似重大隐患 and its decision (null: never reported as suspected major); set by the controller */
  major?: MajorDecisionView | null;
  /** 五到位整改方案 of a major hazard (null: not a major hazard); set by the controller with `planView` */
  plan?: PlanView | null;
  can: {
    /** 提交整改情况 (the institution's portal; an officer records a paper reply through the API) */
    respond: boolean;
    /** 申请延期: before the deadline, one pending request at a time */
    extend: boolean;
    /** 陈述申辩: once, within the objection window */
    object: boolean;
    /** 复核: a response awaits verification and the viewer is not its responder */
    verify: boolean;
    /** decide the pending extension request */
    decideExtension: boolean;
    /** decide the pending objection: not by a member of the inspection team */
    decideObjection: boolean;
    /** 修改整改期限 (the lifecycle's `change_deadline` in allowedActions; set by the controller) */
    changeDeadline?: boolean;
  };
}

export interface HazardFacts {
  today: string;
  /** who submitted the response awaiting verification (null when none awaits) */
  awaitingResponse: { submittedBy: string } | null;
  /** the inspection team (only needed when the viewer may decide objections) */
  team: readonly { userId: string }[];
}

export function hazardView(user: AuthUser, d: {
  hazard: Hazard; history: History; objectionDeadline: string | null; calendarWarnings?: string[];
  beforePhotoIds?: string[]; deadlinePolicy?: { maxDays: number; latest: string };
}, facts: HazardFacts, csrf: string, flash: Flash): HazardPage {
  const h = d.hazard;
  const waiting = h.status === 'open' || h.status === 'returned';
  const pendingExtension = (d.history.extensions as (PendingExtension & { status: string })[]).find((x) => x.status === 'pending') ?? null;
  const pendingObjection = (d.history.objections as (PendingObjection & { status: string })[]).find((x) => x.status === 'pending') ?? null;
  const portal = user.role === 'institution';
  return {
    hazard: h, history: d.history, objectionDeadline: d.objectionDeadline,
    calendarWarnings: d.calendarWarnings ?? [], today: facts.today, csrf, flash, pendingExtension, pendingObjection,
    photos: { before: d.beforePhotoIds ?? [], after: (d.history.responses as { evidenceIds: string[] }[]).flatMap((r) => r.evidenceIds) },
    timeline: [], deadlinePolicy: d.deadlinePolicy ?? { maxDays: 0, latest: facts.today },
    reinspection: { scheduled: null, previous: null, form: null }, forms: {},
    back: portal ? { href: '/', label: '首页' } : { href: '/hazards', label: '隐患台账' },
    can: {
      respond: portal && can(user, 'hazard.respond') && waiting,
      extend: can(user, 'extension.request') && waiting && facts.today <= h.dueDate && !pendingExtension,
      object: can(user, 'objection.file') && waiting && !d.history.objections.length && (d.objectionDeadline === null || facts.today <= d.objectionDeadline),
      verify: can(user, 'hazard.verify') && h.status === 'responded' && !!facts.awaitingResponse && !isResponder(facts.awaitingResponse, user.id),
      decideExtension: !!pendingExtension && can(user, 'extension.decide'),
      decideObjection: !!pendingObjection && can(user, 'objection.decide') && !isOnTeam(facts.team, user.id),
    },
  };
}

/** What an officer entered on the 疑似重大隐患 decision form (raw, shown again after a refusal or at the confirmation step). */
export interface MajorDraft {
  decision?: 'confirm' | 'downgrade';
  criterionCode?: string;
  reason?: string;
}

/** A criterion a major hazard may be confirmed against (retrieved text only), as offered and as cited. */
export interface CriterionOption {
  code: string;
  text: string;
  /** code and the text cut short, for the <select> */
  label: string;
}

/** 疑似重大隐患 and the bureau's decision on it, as the hazard page shows them. */
export interface MajorDecisionView {
  status: MajorStatus;
  suspectedReason: string | null;
  suspectedByName: string | null;
  /** the date the bureau should decide by (suspected only) */
  confirmDue: string | null;
  /** still undecided after `confirmDue` (late, not void: the decision stays possible) */
  late: boolean;
  /** 认定 / 不认定: who, when, against which criterion, why */
  decision: { byName: string | null; at: Date | null; criterion: CriterionOption | null; reason: string | null } | null;
  /** the decision form: only when the lifecycle allows this viewer to confirm or downgrade now */
  form: {
    criteria: CriterionOption[];
    /** what confirming sets in motion, from the policy pinned on the hazard */
    duties: { planDays: number; majorMaxDays: number; objectionWorkingDays: number };
    draft: MajorDraft;
    /** the confirmation step: the draft was checked and waits for 确认提交 */
    confirming: boolean;
  } | null;
  /** why this viewer may not decide (e.g. a member of the finding team), shown instead of the form */
  refusal: string | null;
}

export interface MajorFacts {
  today: string;
  allowedActions: readonly HazardAction[];
  /** action → readable refusal (only actions the viewer's role could take) */
  refusals: Partial<Record<HazardAction, string>>;
  criteria: readonly { code: string; text: string }[];
  /** user id → display name (the inspector who reported it, the officer who decided) */
  names: ReadonlyMap<string, string>;
  duties: { planDays: number; majorMaxDays: number; objectionWorkingDays: number };
  draft?: MajorDraft;
  confirming?: boolean;
}

const CRITERION_LABEL_CHARS = 40;

export function criterionOption(c: { code: string; text: string }): CriterionOption {
  const short = c.text.length > CRITERION_LABEL_CHARS ? `${c.text.slice(0, CRITERION_LABEL_CHARS)}…` : c.text;
  return { code: c.code, text: c.text, label: `${c.code} ${short}` };
}

/** The 疑似重大隐患 part of the hazard page (null: the hazard was never reported as suspected major). */
export function majorDecisionView(h: Hazard, f: MajorFacts): MajorDecisionView | null {
  if (!h.majorStatus) return null;
  const suspected = h.majorStatus === 'suspected';
  const decidable = f.allowedActions.includes('confirm_major') || f.allowedActions.includes('downgrade_major');
  const criteria = f.criteria.map(criterionOption);
  const cited = h.majorCriterion ? criteria.find((c) => c.code === h.majorCriterion) ?? { code: h.majorCriterion, text: '', label: h.majorCriterion } : null;
  // A refusal is worth showing only while a decision is still due (not "该隐患不是待认定的疑似重大隐患").
  const refusal = suspected && !decidable ? f.refusals.confirm_major ?? f.refusals.downgrade_major ?? null : null;
  return {
    status: h.majorStatus,
    suspectedReason: h.suspectedReason,
    suspectedByName: h.suspectedBy ? f.names.get(h.suspectedBy) ?? null : null,
    confirmDue: suspected ? h.majorConfirmDue : null,
    late: suspected && !!h.majorConfirmDue && f.today > h.majorConfirmDue,
    decision: suspected ? null : {
      byName: h.majorDecidedBy ? f.names.get(h.majorDecidedBy) ?? null : null, at: h.majorDecidedAt,
      criterion: h.majorStatus === 'confirmed' ? cited : null, reason: h.majorDecisionReason,
    },
    form: decidable ? { criteria, duties: f.duties, draft: f.draft ?? {}, confirming: !!f.confirming } : null,
    refusal,
  };
}

// ---------------------------------------------------------------- 隐患台账 (the ledger)

/** One ledger row as the table shows it: every decision made here, the template only prints. */
export interface LedgerRowView {
  id: string;
  href: string;
  itemCode: string;
  title: string;
  institutionName: string;
  /** the ledger narrowed to this institution, the other filters kept */
  institutionHref: string;
  streetName: string;
  categoryName: string;
  severity: 'general' | 'major';
  severityLabel: string;
  statusLabel: string;
  /** 已逾期 N 天 / 今日到期 / 剩 N 天 (none once closed) */
  countdown: { text: string; warn: boolean } | null;
  foundOn: string;
  dueDate: string;
  /** the ledger narrowed to the inspection that found it */
  inspectionHref: string;
}

export interface LedgerView {
  rows: LedgerRowView[];
  total: number;
  /** the filters as given (the form's values, the pager's and the exports' links) */
  filters: Record<string, string>;
  /** filters the form has no control for, shown as removable chips (the institution, the source inspection) */
  chips: { label: string; removeHref: string; name: string; value: string }[];
  streets: [string, string][];
  categories: [string, string][];
  sorts: [string, string][];
  sort: string;
  /** 导出: the same filters (and order) on the exports; null when the viewer may not export */
  exports: { csv: string; xlsx: string } | null;
  /** a hint for the empty state: any filter set */
  filtered: boolean;
}

type LedgerItem = Hazard & { institutionName: string; streetName: string | null; foundAt: Date };

export interface LedgerFacts {
  today: string;
  streets: readonly { code: string; name: string }[];
  categoryNames: Readonly<Record<string, string>>;
  statusLabels: Readonly<Record<string, string>>;
  severityLabels: Readonly<Record<string, string>>;
  sortLabels: readonly [string, string][];
  /** 'export.read' for this viewer */
  canExport: boolean;
  shanghaiDay: (at: Date) => string;
}

const query = (filters: Record<string, string>, changes: Record<string, string | undefined>) => {
  const next: Record<string, string> = { ...filters };
  for (const [k, v] of Object.entries(changes)) if (v === undefined) delete next[k]; else next[k] = v;
  const s = new URLSearchParams(next).toString();
  return s ? `?${s}` : '';
};

/** The ledger page: rows with names and countdowns, the filter choices, the chips and the export links (same filters). */
export function ledgerView(items: readonly LedgerItem[], total: number, filters: Record<string, string>, f: LedgerFacts): LedgerView {
  const rows = items.map((h): LedgerRowView => {
    const days = Math.round((Date.parse(h.dueDate) - Date.parse(f.today)) / 86_400_000);
    // A countdown only while the institution is the one to act (a responded hazard waits for the bureau).
    const countdown = h.status !== 'open' && h.status !== 'returned' ? null : days < 0 ? { text: `已逾期 ${-days} 天`, warn: true } : days === 0 ? { text: '今日到期', warn: true } : { text: `剩 ${days} 天`, warn: false };
    return {
      id: h.id, href: `/hazards/${h.id}`, itemCode: h.itemCode, title: h.titleZh,
      institutionName: h.institutionName, institutionHref: `/hazards${query(filters, { institutionId: h.institutionId, page: undefined })}`,
      streetName: h.streetName ?? '—', categoryName: f.categoryNames[h.category] ?? h.category,
      severity: h.severity, severityLabel: `${f.severityLabels[h.severity] ?? h.severity}${h.listed ? '（挂牌督办）' : ''}`,
      statusLabel: f.statusLabels[h.status] ?? h.status, countdown,
      foundOn: f.shanghaiDay(new Date(h.foundAt)), dueDate: h.dueDate,
      inspectionHref: `/hazards${query(filters, { inspectionId: h.inspectionId, page: undefined })}`,
    };
  });
  const chips: LedgerView['chips'] = [];
  if (filters.institutionId) {
    const name = items.find((h) => h.institutionId === filters.institutionId)?.institutionName;
    chips.push({ label: `机构：${name ?? '所选机构'}`, name: 'institutionId', value: filters.institutionId, removeHref: `/hazards${query(filters, { institutionId: undefined })}` });
  }
  if (filters.inspectionId) {
    chips.push({ label: '来源检查：所选检查', name: 'inspectionId', value: filters.inspectionId, removeHref: `/hazards${query(filters, { inspectionId: undefined })}` });
  }
  const sort = filters.sort ?? '-found';
  const exportQuery = query({ ...filters, sort }, {});
  return {
    rows, total, filters, chips,
    streets: f.streets.map((s) => [s.code, s.name]),
    categories: Object.entries(f.categoryNames).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    sorts: [...f.sortLabels], sort,
    exports: f.canExport ? { csv: `/api/exports/hazards.csv${exportQuery}`, xlsx: `/api/exports/hazards.xlsx${exportQuery}` } : null,
    filtered: Object.keys(filters).some((k) => k !== 'sort'),
  };
}

// ---------------------------------------------------------------- the hazard's timeline

/** One moment of a hazard's story: what, when, who, and the detail that matters (a new date, a reason). */
export interface TimelineEntry {
  at: Date;
  what: string;
  who: string;
  detail: string | null;
}

/**
 * The timeline from the audit trail (found, notice served, acknowledged, responses, returns, extensions,
 * objections, major decision, deadline changes, listing, verification, closure), oldest first. `labels` names
 * each audit action; `roleLabels` the actor's role when the trail names no person.
 */
export function timelineView(
  events: readonly { at: Date; actorName: string; actorRole: string; action: string; after: Record<string, unknown> | null }[],
  labels: (action: string) => string, roleLabels: (role: string) => string, formatDate: (d: string) => string,
): TimelineEntry[] {
  const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);
  return events.map((e) => {
    const a = e.after ?? {};
    const parts: string[] = [];
    const date = text(a.newDueDate) ?? text(a.dueDate);
    if (e.action === 'hazard.extension_request' && text(a.requestedDueDate)) parts.push(`申请延期至 ${formatDate(text(a.requestedDueDate)!)}`);
    else if (date && e.action !== 'hazard.escalate') parts.push(`${e.action === 'hazard.extension_approve' ? '延期至' : '新的整改期限'} ${formatDate(date)}`);
    if (e.action === 'hazard.escalate' && date) parts.push(`期限 ${formatDate(date)}`);
    if (text(a.reason)) parts.push(`理由：${text(a.reason)}`);
    if (text(a.noticeNo)) parts.push(`文号 ${text(a.noticeNo)}`);
    if (e.action === 'hazard.respond' && text(a.whatWasFixed)) parts.push(text(a.whatWasFixed)!);
    return {
      at: new Date(e.at), what: labels(e.action),
      who: e.actorName && e.actorName !== 'system' ? `${e.actorName}（${roleLabels(e.actorRole)}）` : roleLabels(e.actorRole || 'system'),
      detail: parts.length ? parts.join('；') : null,
    };
  });
}

// ---------------------------------------------------------------- 五到位整改方案 (a major hazard's plan)

/** The plan's fields in the order of the form, with the label the institution sees (errors name these labels). */
export const PLAN_FIELDS = [
  { name: 'measures', label: '整改措施', rows: 3, hint: '怎样消除隐患：工程、设备、管理上的具体做法' },
  { name: 'funds', label: '整改资金', rows: 0, hint: '金额与来源，例如“3.5 万元，机构自筹”' },
  { name: 'deadline', label: '完成时限', rows: 0, hint: '' },
  { name: 'responsiblePerson', label: '责任人', rows: 0, hint: '姓名与职务' },
  { name: 'emergencyPlan', label: '应急预案', rows: 3, hint: '整改完成前发生险情时怎样处置、谁负责' },
  { name: 'interimMeasures', label: '临时管控措施', rows: 2, hint: '整改完成前采取的防范措施' },
] as const;

export type PlanFieldName = (typeof PLAN_FIELDS)[number]['name'];
export type PlanDraft = Partial<Record<PlanFieldName, string>>;
export const PLAN_FIELD_LABELS: Record<string, string> = Object.fromEntries(PLAN_FIELDS.map((f) => [f.name, f.label]));

type FiledPlan = Record<PlanFieldName, string> & { submittedAt: Date | string };

export interface PlanView {
  /** 须于 … 前提交 (null: no due date recorded) */
  dueDate: string | null;
  /** past the due date and not filed */
  late: boolean;
  /** filed: shown read-only, field by field */
  filed: { fields: { label: string; value: string }[]; submittedAt: Date } | null;
  /** the form (only the institution, while the lifecycle allows `plan_submit` and nothing was filed yet) */
  form: {
    action: string;
    today: string;
    maxDate: string | null;
    fields: { name: PlanFieldName; id: string; label: string; rows: number; hint: string; value: string; error: string | null }[];
  } | null;
}

/**
 * The 五到位 part of the hazard page: the plan read-only once filed; before that, for the institution the lifecycle
 * allows to file, the form — a refused attempt comes back with what was typed and each field's error beside it
 * (`errors` are the page's "label：message" lines).
 */
export function planView(h: Pick<Hazard, 'id' | 'severity' | 'planDueDate' | 'dueDate'>, filed: FiledPlan | null, f: { mayFile: boolean; today: string; draft?: PlanDraft; errors?: readonly string[] }): PlanView | null {
  if (h.severity !== 'major' && !filed) return null;
  const errorOf = (label: string) => f.errors?.find((e) => e.startsWith(`${label}：`))?.slice(label.length + 1) ?? null;
  return {
    dueDate: h.planDueDate, late: !filed && !!h.planDueDate && f.today > h.planDueDate,
    filed: filed ? { fields: PLAN_FIELDS.map((x) => ({ label: x.label, value: filed[x.name] ?? '' })), submittedAt: new Date(filed.submittedAt) } : null,
    form: filed || !f.mayFile ? null : {
      action: `/hazards/${h.id}/plan`, today: f.today, maxDate: h.dueDate,
      fields: PLAN_FIELDS.map((x) => ({ name: x.name, id: `plan-${x.name}`, label: x.label, rows: x.rows, hint: x.hint, value: f.draft?.[x.name] ?? '', error: errorOf(x.label) })),
    },
  };
}
