import { can } from '../auth/permissions';
import { isOnTeam, isResponder } from '../auth/relations';
import type { Page } from '../common/pagination';
import { AuthUser } from '../common/scope';
import type { Hazard, MajorStatus } from '../hazards/hazard.entity';
import type { Inspection } from '../inspections/inspection.entity';
import type { TeamMemberView } from '../inspections/inspections.repository';
import { allowedChangeRequestActions } from '../institutions/change-request';
import type { ChangeRequestRow } from '../institutions/change-requests.repository';
import type { Institution } from '../institutions/institution.entity';
import type { HazardAction } from '../rectification/domain/hazard-lifecycle';
import type { NoticeRow } from '../rectification/rectification.repository';
import type { HomeData } from './pages';

type InspectionRow = Parameters<typeof import('./inspection-pages').inspectionRows>[0][number];

/**
 * 页面视图模型 — what each page shows and what the viewer may do, decided here (from `can(user, action)`, the relational
 * functions in `auth/relations.ts` and the record's state) so the templates in `*-pages.ts` only render. A form is
 * offered only when the service would accept it from this viewer in this state; the service still decides.
 */

export interface Link {
  href: string;
  label: string;
}

export interface Flash {
  ok?: string;
  errors?: string[];
}

// ---------------------------------------------------------------- home

export interface HomePage {
  viewer: AuthUser;
  /** what the home page of this kind of user shows (loaded by `WebService.homeData`) */
  data: HomeData;
  today: string;
  /** the buttons: only pages this viewer may open */
  links: Link[];
}

export function homeView(user: AuthUser, data: HomeData, today: string): HomePage {
  const offer = (ok: boolean, href: string, label: string): Link[] => (ok ? [{ href, label }] : []);
  const links = data.bureau
    ? [
      ...offer(can(user, 'dashboard.read'), '/dashboard', '监管看板'), ...offer(can(user, 'institution.list'), '/institutions', '机构名录'),
      { href: '/inspections', label: '检查' }, { href: '/hazards', label: '隐患台账' }, { href: '/notices', label: '整改通知书' },
      ...offer(can(user, 'change_request.decide'), '/change-requests', '档案变更审核'),
    ]
    : data.tasks
      ? [{ href: '/inspections', label: '全部检查' }, ...offer(can(user, 'institution.list'), '/institutions', '查看辖区机构')]
      : [{ href: '/notices', label: '整改通知书' }];
  return { viewer: user, data, today, links };
}

export interface InspectionListPage {
  list: Page<InspectionRow>;
  status: string;
  /** an inspector's list is the tasks assigned to them */
  ownTasks: boolean;
}

export function inspectionListView(user: AuthUser, list: Page<InspectionRow>, status: string): InspectionListPage {
  return { list, status, ownTasks: user.role === 'inspector' };
}

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
  /** 疑似重大隐患 and its decision (null: never reported as suspected major); set by the controller */
  major?: MajorDecisionView | null;
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
  };
}

export interface HazardFacts {
  today: string;
  /** who submitted the response awaiting verification (null when none awaits) */
  awaitingResponse: { submittedBy: string } | null;
  /** the inspection team (only needed when the viewer may decide objections) */
  team: readonly { userId: string }[];
}

export function hazardView(user: AuthUser, d: { hazard: Hazard; history: History; objectionDeadline: string | null; calendarWarnings?: string[] }, facts: HazardFacts, csrf: string, flash: Flash): HazardPage {
  const h = d.hazard;
  const waiting = h.status === 'open' || h.status === 'returned';
  const pendingExtension = (d.history.extensions as (PendingExtension & { status: string })[]).find((x) => x.status === 'pending') ?? null;
  const pendingObjection = (d.history.objections as (PendingObjection & { status: string })[]).find((x) => x.status === 'pending') ?? null;
  const portal = user.role === 'institution';
  return {
    ...d, calendarWarnings: d.calendarWarnings ?? [], today: facts.today, csrf, flash, pendingExtension, pendingObjection,
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

export interface NoticePage {
  notice: NoticeRow;
  hazards: Hazard[];
  today: string;
  csrf: string;
  can: { acknowledge: boolean };
}

export function noticeView(user: AuthUser, d: { notice: NoticeRow; hazards: Hazard[] }, today: string, csrf: string): NoticePage {
  return { ...d, today, csrf, can: { acknowledge: can(user, 'notice.acknowledge') && !d.notice.acknowledgedAt } };
}

// ---------------------------------------------------------------- inspections

export interface InspectionPage {
  inspection: Inspection;
  institution: { id: string; name: string };
  team: TeamMemberView[];
  hazards: Hazard[];
  responses: { result: string }[];
  today: string;
  csrf: string;
  can: {
    /** 开始/继续检查: the team only, while the inspection is open */
    fill: boolean;
    /** 下达整改通知书: a submitted inspection with hazards */
    issueNotice: boolean;
  };
}

export function inspectionView(user: AuthUser, d: Omit<InspectionPage, 'today' | 'csrf' | 'can'>, today: string, csrf: string): InspectionPage {
  const i = d.inspection;
  const open = i.status === 'assigned' || i.status === 'in_progress';
  return {
    ...d, today, csrf,
    can: {
      fill: open && can(user, 'inspection.fill') && isOnTeam(d.team, user.id),
      issueNotice: i.status === 'submitted' && d.hazards.length > 0 && can(user, 'notice.issue'),
    },
  };
}

// ---------------------------------------------------------------- institutions and change requests

export interface InstitutionPage {
  institution: Institution;
  divisionName: string;
  back: Link;
  can: {
    /** 档案变更申请 (the institution files, the bureau reviews; others would be refused) */
    changeRequests: boolean;
  };
}

export function institutionView(user: AuthUser, d: { institution: Institution; divisionName: string }): InstitutionPage {
  return {
    ...d,
    back: can(user, 'institution.list') ? { href: '/institutions', label: '机构名录' } : { href: '/', label: '首页' },
    can: { changeRequests: can(user, 'change_request.read') },
  };
}

/** The decisions on one request this viewer may make (the lifecycle in `institutions/change-request.ts` decides). */
export interface ChangeRequestActions {
  approve: boolean;
  reject: boolean;
  withdraw: boolean;
}

export function changeRequestActions(user: AuthUser, r: ChangeRequestRow): ChangeRequestActions {
  const allowed = allowedChangeRequestActions(r.status, user.role);
  return {
    approve: allowed.includes('approve') && can(user, 'change_request.decide'),
    reject: allowed.includes('reject') && can(user, 'change_request.decide'),
    withdraw: allowed.includes('withdraw') && can(user, 'change_request.withdraw'),
  };
}

export interface ChangeRequestPage {
  request: ChangeRequestRow;
  /** the current profile beside the request (bureau reviewers only, while pending) */
  current: Institution | null;
  csrf: string;
  flash: Flash;
  back: Link;
  /** the institution waits; the bureau reviews */
  reviewing: boolean;
  can: ChangeRequestActions;
}

export function changeRequestView(user: AuthUser, r: ChangeRequestRow, current: Institution | null, csrf: string, flash: Flash): ChangeRequestPage {
  const filer = can(user, 'change_request.file');
  return {
    request: r, current: filer ? null : current, csrf, flash, reviewing: !filer,
    back: filer ? { href: `/institutions/${r.institutionId}/change-requests`, label: '档案变更申请' } : { href: '/change-requests', label: '档案变更审核' },
    can: changeRequestActions(user, r),
  };
}

export interface InstitutionChangePage {
  institution: Institution;
  pending: ChangeRequestRow | null;
  history: ChangeRequestRow[];
  /** raw form values to show again after a refused submission */
  draft?: Record<string, string>;
  csrf: string;
  flash: Flash;
  /** a reviewer (sees the current profile beside the pending request); the filer sees before/after only */
  reviewing: boolean;
  can: {
    /** 申请变更档案: the institution, when no request is pending */
    file: boolean;
    /** the decisions on the pending request */
    pending: ChangeRequestActions | null;
  };
}

export function institutionChangeView(user: AuthUser, d: { institution: Institution; pending: ChangeRequestRow | null; history: ChangeRequestRow[]; draft?: Record<string, string> }, csrf: string, flash: Flash): InstitutionChangePage {
  const filer = can(user, 'change_request.file');
  return {
    ...d, csrf, flash, reviewing: !filer,
    can: { file: filer && !d.pending, pending: d.pending ? changeRequestActions(user, d.pending) : null },
  };
}
