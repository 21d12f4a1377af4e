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
