import type { Role } from '../../common/roles';
import { roleCan, type Action } from '../../auth/permissions';
import type { PolicyValues, WorkingCalendar } from '../../checklists/domain/policy';
import { dueDateWithinPolicy } from '../../hazards/domain/deadlines';
import type { Hazard, HazardStatus, MajorStatus } from '../../hazards/hazard.entity';
import { extensionRefusal } from './hazard-rules';

/**
 * The one hazard lifecycle (隐患生命周期): given the hazard, an action, who acts and the facts around it, the next
 * status and the changes to write — or a named refusal. Pure: the services load the facts (the finding team, the
 * responders, the pending extension and objection, the objection deadline, the pinned policy) and write what it
 * returns; pages ask `availability` which actions to show. The database trigger (migration HazardLifecycle) refuses
 * the same transitions at the row level, as the last guard.
 *
 * Independence (policy.verification, pinned on the hazard):
 * - the responder never verifies (复核) a hazard he responded to;
 * - the verifier of a major hazard is not on the finding team (`majorExcludesFindingTeam`; general:
 *   `generalExcludesFindingTeam`);
 * - a member of the finding team never decides an extension or an objection on the team's finding
 *   (`requestsExcludeFindingTeam`; an objection is never decided by the team, whatever the policy, as before this
 *   release), nor confirms or downgrades a suspected major hazard it reported.
 * - a member of the finding team never changes the deadline of the team's finding either (`requestsExcludeFindingTeam`:
 *   otherwise a refused extension could simply be set as a new deadline).
 * Independence is in force for every record, whatever its pin (the legacy policy has it too, policy.ts).
 * 挂牌督办 (`list`, the system's action): a major hazard is listed only once a notice was served and the objection
 * window — from the notice's acknowledgement (else its issue) or, for a hazard confirmed major later, from the
 * confirmation — has closed with no objection pending (a rejected objection filed in that window ends it: one
 * objection per hazard, and one more against a later major confirmation); upheld → closed.
 * Deadlines an officer sets (return, extension, change) are checked against the policy maximum counted from the day
 * they are set (today), never before today.
 * 销号 (`accept`) waits for the decision on a 疑似重大隐患: fixing fast never avoids the major consequences.
 */
export type HazardAction =
  | 'respond' | 'accept' | 'return' | 'extend_request' | 'extend_decide' | 'object' | 'object_decide'
  | 'change_deadline' | 'plan_submit' | 'confirm_major' | 'downgrade_major' | 'list';

export const HAZARD_ACTIONS: readonly HazardAction[] = [
  'respond', 'accept', 'return', 'extend_request', 'extend_decide', 'object', 'object_decide',
  'change_deadline', 'plan_submit', 'confirm_major', 'downgrade_major', 'list',
];

/** An action with its arguments. A bare action name asks only "may this person take it now" (no arguments checked). */
export type HazardMove =
  | { type: 'respond' }
  | { type: 'accept' }
  | { type: 'return'; reason?: string; newDueDate?: string }
  | { type: 'extend_request'; requestedDueDate: string }
  | { type: 'extend_decide'; approve: boolean }
  | { type: 'object' }
  | { type: 'object_decide'; approve: boolean }
  | { type: 'change_deadline'; dueDate: string }
  | { type: 'plan_submit' }
  | { type: 'confirm_major'; criterion: string; reason?: string }
  | { type: 'downgrade_major'; reason: string }
  | { type: 'list' };

/** Who acts; null is the system itself (the sweep), the only one that lists. */
export type Actor = { id: string; role: Role } | null;

/** The hazard as the lifecycle reads it. */
export type LifecycleHazard = Pick<Hazard, 'status' | 'severity' | 'dueDate' | 'listed'> & { majorStatus?: MajorStatus | null };

export interface LifecycleContext {
  /** Asia/Shanghai calendar date of the decision */
  today: string;
  /** the instant of the decision (closedAt, majorDecidedAt); default: now */
  now?: Date;
  /** the policy pinned on the hazard (null pin → the legacy values) */
  policy: PolicyValues;
  /** the working-day calendar (a latest due date rolls to a working day when the policy says so); needed by deadline checks */
  calendar?: WorkingCalendar;
  /** user ids of the team that found the hazard (the inspection team) */
  team: readonly string[];
  /** everyone who submitted a rectification response for this hazard */
  responderIds: readonly string[];
  /** the latest response not yet verified (复核 needs one) */
  awaitingResponse: boolean;
  pendingExtension: { requestedDueDate: string } | null;
  /**
   * the hazard's objection (陈述申辩; at most one per hazard), whatever its status; `filedOn` (Asia/Shanghai day):
   * a rejected objection filed before the window opened (a hazard confirmed major later) does not end it
   */
  objection: { status: 'pending' | 'upheld' | 'rejected'; filedOn?: string; round?: 1 | 2 } | null;
  /**
   * the last day of the 陈述申辩 window (working days from the notice's acknowledgement, else its issue, or from the
   * major confirmation when later, by the calendar); null: no notice served yet — the window has not started
   */
  objectionDeadline: string | null;
  /** the Asia/Shanghai day the window opened (the notice's service or the major confirmation); null: no notice */
  objectionWindowFrom?: string | null;
  /** the permission table (default: src/auth/permissions.ts) */
  can?: (role: Role, action: Action) => boolean;
}

/** A refusal: a message code (403/409, src/common/messages.ts) or a field reason (400, FIELD_MESSAGES) naming `field`. */
export interface Refusal {
  ok: false;
  refusal: string;
  status: 400 | 403 | 409;
  field?: string;
  /** message parameters (409/403) or field-reason arguments (400) */
  params?: Record<string, unknown>;
  args?: unknown[];
}

export type HazardChanges = Partial<Pick<Hazard,
  'status' | 'dueDate' | 'escalatedOverdue' | 'escalatedAt' | 'listed' | 'closedAt' | 'closureReason' | 'severity' | 'majorCriterion'
  | 'majorStatus' | 'majorDecidedBy' | 'majorDecidedAt' | 'majorDecisionReason'>>;

export type Decision = { ok: true; status: HazardStatus; changes: HazardChanges } | Refusal;

/** The status moves of the loop; the database trigger allows the same. */
const TRANSITIONS: Partial<Record<HazardAction, Partial<Record<HazardStatus, HazardStatus>>>> = {
  respond: { open: 'responded', returned: 'responded' },
  accept: { responded: 'closed' },
  return: { responded: 'returned' },
};

/** The permission behind each action (the role part; the relational part is below). */
const PERMISSION: Record<Exclude<HazardAction, 'list'>, Action> = {
  respond: 'hazard.respond',
  accept: 'hazard.verify',
  return: 'hazard.verify',
  extend_request: 'extension.request',
  extend_decide: 'extension.decide',
  object: 'objection.file',
  object_decide: 'objection.decide',
  change_deadline: 'hazard.deadline_change',
  plan_submit: 'hazard.plan_submit',
  confirm_major: 'hazard.major_decide',
  downgrade_major: 'hazard.major_decide',
};

const refuse = (refusal: string, status: 409 | 403 = 409, params?: Record<string, unknown>): Refusal => ({ ok: false, refusal, status, ...(params ? { params } : {}) });
const invalid = (field: string, refusal: string, args?: unknown[]): Refusal => ({ ok: false, refusal, status: 400, field, ...(args ? { args } : {}) });
const ok = (status: HazardStatus, changes: HazardChanges = {}): Decision => ({ ok: true, status, changes });

/** Without a calendar, a latest due date does not roll (the stricter reading). */
const NO_ROLL: WorkingCalendar = {
  knownYears: [], isWorkingDay: () => true, addWorkingDays: (d) => d, nextWorkingDay: (d) => d, warnings: () => [],
};

/**
 * Why a deadline an officer sets is refused (a field reason with its arguments), or null: never in the past, never
 * after the policy's latest due date for the severity counted from today, the day it is set (deadlines.ts).
 */
export function deadlineRefusal(dueDate: string, severity: 'general' | 'major', ctx: Pick<LifecycleContext, 'policy' | 'calendar' | 'today'>): { reason: string; args?: unknown[] } | null {
  const r = dueDateWithinPolicy(severity, dueDate, ctx.today, ctx.policy, ctx.calendar ?? NO_ROLL);
  if (!r) return null;
  if (r.refusal === 'dateInPast') return { reason: 'dateInPast' };
  return { reason: 'deadlineAboveMax', args: [r.latest, severity === 'major' ? '重大' : '一般', r.maxDays] };
}

/** Overdue (逾期): still waiting for the institution (open or returned) after the due date. The SQL twin is `overdueSql` (hazards.repository.ts). */
export function isOverdue(h: Pick<Hazard, 'status' | 'dueDate'>, today: string): boolean {
  return (h.status === 'open' || h.status === 'returned') && h.dueDate < today;
}

/**
 * Is the objection window over for listing: a notice was served, and the window closed by date with nothing
 * pending, or the one objection — filed within the window — rejected.
 */
function objectionSettled(ctx: LifecycleContext): Refusal | null {
  if (ctx.objection?.status === 'pending') return refuse('hazard.objection_pending');
  if (ctx.objectionDeadline === null) return refuse('hazard.no_notice');
  if (ctx.objection?.status === 'rejected' && rejectionEndsWindow(ctx)) return null;
  if (ctx.today <= ctx.objectionDeadline) return refuse('hazard.objection_window_open', 409, { deadline: ctx.objectionDeadline });
  return null;
}

/**
 * May the institution object again: the hazard was confirmed major after its (decided) objection was filed, so the
 * window reopened at the confirmation and that objection was not about the major determination (round 2).
 */
export function secondRound(hazard: LifecycleHazard, ctx: Pick<LifecycleContext, 'objection' | 'objectionWindowFrom'>): boolean {
  const o = ctx.objection;
  return !!o && hazard.majorStatus === 'confirmed' && o.status !== 'pending' && (o.round ?? 1) === 1
    && !!o.filedOn && !!ctx.objectionWindowFrom && o.filedOn < ctx.objectionWindowFrom;
}

/** A rejected objection ends the window unless it was filed before the window opened (before a later major confirmation). */
function rejectionEndsWindow(ctx: LifecycleContext): boolean {
  const filed = ctx.objection?.filedOn;
  return !filed || !ctx.objectionWindowFrom || filed >= ctx.objectionWindowFrom;
}

/**
 * Decides one action. A bare action name checks who may take it now (role, relation, status); a move with its
 * arguments checks them too and returns the changes to write.
 */
export function decide(hazard: LifecycleHazard, action: HazardAction | HazardMove, actor: Actor, ctx: LifecycleContext): Decision {
  const move = typeof action === 'string' ? null : action;
  const type = typeof action === 'string' ? action : action.type;
  const can = ctx.can ?? roleCan;
  const onTeam = actor ? ctx.team.includes(actor.id) : false;
  const now = ctx.now ?? new Date();

  if (type === 'list') {
    if (actor) return refuse('request.forbidden', 403);
  } else {
    if (!actor || !can(actor.role, PERMISSION[type])) return refuse('request.forbidden', 403);
  }

  switch (type) {
    case 'respond': {
      const next = TRANSITIONS.respond![hazard.status];
      if (!next) return refuse('hazard.wrong_status', 409, { status: hazard.status });
      return ok(next);
    }

    case 'accept':
    case 'return': {
      const next = TRANSITIONS[type]![hazard.status];
      if (!next || !ctx.awaitingResponse) return refuse('hazard.wrong_status', 409, { status: hazard.status });
      if (ctx.responderIds.includes(actor!.id)) return refuse('hazard.self_verification', 403);
      // 销号 waits for the major decision: a suspected major hazard fixed fast must still be confirmed or downgraded.
      if (type === 'accept' && hazard.majorStatus === 'suspected') return refuse('hazard.accept_suspected');
      const excludeTeam = hazard.severity === 'major' ? ctx.policy.verification.majorExcludesFindingTeam : ctx.policy.verification.generalExcludesFindingTeam;
      if (excludeTeam && onTeam) return refuse(hazard.severity === 'major' ? 'hazard.verifier_on_team_major' : 'hazard.verifier_on_team', 403);
      if (type === 'accept') return ok(next, { closureReason: 'verified', closedAt: now, listed: false, escalatedOverdue: false });
      if (!move) return ok(next);
      const m = move as Extract<HazardMove, { type: 'return' }>;
      if (!m.reason?.trim()) return invalid('reason', 'isNotEmpty');
      if (!m.newDueDate) return invalid('newDueDate', 'isDefined');
      const bad = deadlineRefusal(m.newDueDate, hazard.severity, ctx);
      if (bad) return invalid('newDueDate', bad.reason, bad.args);
      return ok(next, { dueDate: m.newDueDate, escalatedOverdue: false, escalatedAt: null });
    }

    case 'extend_request': {
      if (hazard.status !== 'open' && hazard.status !== 'returned') return refuse('hazard.extensionWrongStatus');
      if (ctx.today > hazard.dueDate) return refuse('hazard.extensionAfterDeadline');
      if (ctx.pendingExtension) return refuse('hazard.extension_pending');
      if (move) {
        const r = extensionRefusal(hazard, ctx.today, (move as Extract<HazardMove, { type: 'extend_request' }>).requestedDueDate);
        if (r === 'extensionNotLater') return invalid('requestedDueDate', r);
        if (r) return refuse(`hazard.${r}`);
        const bad = deadlineRefusal((move as Extract<HazardMove, { type: 'extend_request' }>).requestedDueDate, hazard.severity, ctx);
        if (bad) return invalid('requestedDueDate', bad.reason, bad.args);
      }
      return ok(hazard.status);
    }

    case 'extend_decide': {
      if (!ctx.pendingExtension) return refuse('extension.decided');
      if (ctx.policy.verification.requestsExcludeFindingTeam && onTeam) return refuse('extension.decider_on_team', 403);
      if (hazard.status === 'closed') return refuse('hazard.wrong_status', 409, { status: hazard.status });
      if (move && (move as Extract<HazardMove, { type: 'extend_decide' }>).approve) {
        // Re-checked at the decision (the hazard may have become major since the request).
        const bad = deadlineRefusal(ctx.pendingExtension.requestedDueDate, hazard.severity, ctx);
        if (bad) return invalid('requestedDueDate', bad.reason, bad.args);
        return ok(hazard.status, { dueDate: ctx.pendingExtension.requestedDueDate, escalatedOverdue: false, escalatedAt: null });
      }
      return ok(hazard.status);
    }

    case 'object': {
      if (hazard.status === 'closed') return refuse('hazard.wrong_status', 409, { status: hazard.status });
      // One objection per hazard — and one more against a major confirmation that came after the first was filed.
      if (ctx.objection && !secondRound(hazard, ctx)) return refuse('hazard.objection_exists');
      // No notice served yet: the window has not started, an objection may be filed.
      if (ctx.objectionDeadline !== null && ctx.today > ctx.objectionDeadline) return refuse('hazard.objection_window_closed', 409, { deadline: ctx.objectionDeadline });
      // A hazard listed before this release while its window was open comes off the list until the objection is decided.
      return ok(hazard.status, hazard.listed ? { listed: false } : {});
    }

    case 'object_decide': {
      if (ctx.objection?.status !== 'pending') return refuse('objection.decided');
      // Always (before this release too): 陈述申辩 is heard by someone who did not make the finding.
      if (onTeam) return refuse('objection.decider_on_team', 403);
      if (hazard.status === 'closed') return refuse('hazard.wrong_status', 409, { status: hazard.status });
      if (move && (move as Extract<HazardMove, { type: 'object_decide' }>).approve) {
        // 采纳: the finding is withdrawn, the hazard closed and never listed.
        return ok('closed', { closureReason: 'objection_upheld', closedAt: now, listed: false, escalatedOverdue: false });
      }
      // 不予采纳: the window is over (one objection per hazard); a major hazard whose notice was served is listed from now on.
      if (move && listable(hazard) && ctx.objectionDeadline !== null && rejectionEndsWindow(ctx)) return ok(hazard.status, { listed: true });
      return ok(hazard.status);
    }

    case 'change_deadline': {
      if (hazard.status === 'closed') return refuse('hazard.wrong_status', 409, { status: hazard.status });
      // The team that may not decide an extension on its finding may not set the deadline either.
      if (ctx.policy.verification.requestsExcludeFindingTeam && onTeam) return refuse('hazard.deadline_changer_on_team', 403);
      if (!move) return ok(hazard.status);
      const dueDate = (move as Extract<HazardMove, { type: 'change_deadline' }>).dueDate;
      const bad = deadlineRefusal(dueDate, hazard.severity, ctx);
      if (bad) return invalid('dueDate', bad.reason, bad.args);
      return ok(hazard.status, { dueDate, escalatedOverdue: false, escalatedAt: null });
    }

    case 'plan_submit': {
      if (hazard.severity !== 'major') return refuse('hazard.not_major');
      if (hazard.status === 'closed') return refuse('hazard.wrong_status', 409, { status: hazard.status });
      return ok(hazard.status);
    }

    case 'confirm_major':
    case 'downgrade_major': {
      if (hazard.majorStatus !== 'suspected') return refuse('hazard.not_suspected');
      if (hazard.status === 'closed') return refuse('hazard.wrong_status', 409, { status: hazard.status });
      if (onTeam) return refuse('hazard.major_decider_on_team', 403);
      if (!move) return ok(hazard.status);
      const decided = { majorDecidedBy: actor!.id, majorDecidedAt: now };
      if (move.type === 'confirm_major') {
        if (!move.criterion?.trim()) return invalid('criterion', 'isNotEmpty');
        return ok(hazard.status, { ...decided, majorStatus: 'confirmed', severity: 'major', majorCriterion: move.criterion, majorDecisionReason: move.reason?.trim() || null });
      }
      const m = move as Extract<HazardMove, { type: 'downgrade_major' }>;
      if (!m.reason?.trim()) return invalid('reason', 'isNotEmpty');
      return ok(hazard.status, { ...decided, majorStatus: 'downgraded', majorDecisionReason: m.reason.trim() });
    }

    case 'list': {
      if (hazard.severity !== 'major' || hazard.majorStatus === 'suspected' || hazard.majorStatus === 'downgraded') return refuse('hazard.not_major');
      if (hazard.status === 'closed') return refuse('hazard.wrong_status', 409, { status: hazard.status });
      if (hazard.listed) return refuse('hazard.already_listed');
      const unsettled = objectionSettled(ctx);
      if (unsettled) return unsettled;
      return ok(hazard.status, { listed: true });
    }
  }
}

/** A confirmed (or, before this release, plainly major) hazard not yet closed or listed. */
function listable(h: LifecycleHazard): boolean {
  return h.severity === 'major' && h.majorStatus !== 'suspected' && h.majorStatus !== 'downgraded' && h.status !== 'closed' && !h.listed;
}

/** Each action a person could take, and whether they may take it now (with the refusal when not). */
export function availability(hazard: LifecycleHazard, actor: Actor, ctx: LifecycleContext): { action: HazardAction; allowed: boolean; refusal?: Refusal }[] {
  return HAZARD_ACTIONS.map((action) => {
    const d = decide(hazard, action, actor, ctx);
    return d.ok ? { action, allowed: true } : { action, allowed: false, refusal: d };
  });
}

/** The actions this person may take on the hazard now (for pages and `GET /api/hazards/:id`). */
export function allowedActions(hazard: LifecycleHazard, actor: Actor, ctx: LifecycleContext): HazardAction[] {
  return availability(hazard, actor, ctx).filter((a) => a.allowed).map((a) => a.action);
}
