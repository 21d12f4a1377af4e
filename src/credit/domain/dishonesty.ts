/**
 * 失信认定 (a bureau's decision that an institution is dishonest) — the one lifecycle function of the aggregate.
 *
 *   decided ──object (institution, by the objection deadline)──▶ objected ──uphold (bureau)──▶ upheld
 *                                                                        └─withdraw (bureau)─▶ withdrawn
 *   decided (deadline passed) | upheld ──repair (bureau, after the clean period)──▶ repaired (信用修复)
 *
 * A decision is in force (its consequences apply) from its decision day while decided, objected or upheld; an
 * objection does not suspend it. Withdrawn and repaired are final. Pure: the caller passes `today` and the record.
 */
import { addDays, addMonths } from './days';

export const DISHONESTY_STATUSES = ['decided', 'objected', 'upheld', 'withdrawn', 'repaired'] as const;
export type DishonestyStatus = (typeof DISHONESTY_STATUSES)[number];
export const IN_FORCE_STATUSES: readonly DishonestyStatus[] = ['decided', 'objected', 'upheld'];
export const DISHONESTY_ACTIONS = ['object', 'uphold', 'withdraw', 'repair'] as const;
export type DishonestyAction = (typeof DISHONESTY_ACTIONS)[number];
export type DishonestyActor = 'bureau' | 'institution';

export type DishonestyRefusal =
  | 'not_yours'
  | 'not_decided'
  | 'objection_closed'
  | 'not_objected'
  | 'not_repairable'
  | 'objection_window_open'
  | 'not_clean_yet';

export interface DishonestyState {
  status: DishonestyStatus;
  /** YYYY-MM-DD */
  decidedOn: string;
  objectionDueOn: string;
}

export interface DishonestyContext {
  /** YYYY-MM-DD (Asia/Shanghai) */
  today: string;
  repairCleanMonths: number;
  /** the latest deduction fact of the institution's record (credit-ledger lastDeductionOn), or null */
  lastDeductionOn: string | null;
}

/** The objection deadline of a decision made on `decidedOn` (inclusive, calendar days). */
export function objectionDueOn(decidedOn: string, objectionDays: number): string {
  return addDays(decidedOn, objectionDays);
}

/** The first day 信用修复 may be granted: repairCleanMonths after the decision or after the last deduction since. */
export function repairableFrom(state: Pick<DishonestyState, 'decidedOn'>, ctx: Pick<DishonestyContext, 'repairCleanMonths' | 'lastDeductionOn'>): string {
  const since = ctx.lastDeductionOn && ctx.lastDeductionOn > state.decidedOn ? ctx.lastDeductionOn : state.decidedOn;
  return addMonths(since, ctx.repairCleanMonths);
}

export function inForce(status: DishonestyStatus): boolean {
  return IN_FORCE_STATUSES.includes(status);
}

export function decideDishonesty(state: DishonestyState, action: DishonestyAction, actor: DishonestyActor, ctx: DishonestyContext): { next: DishonestyStatus } | { refusal: DishonestyRefusal } {
  switch (action) {
    case 'object':
      if (actor !== 'institution') return { refusal: 'not_yours' };
      if (state.status !== 'decided') return { refusal: 'not_decided' };
      if (ctx.today > state.objectionDueOn) return { refusal: 'objection_closed' };
      return { next: 'objected' };
    case 'uphold':
    case 'withdraw':
      if (actor !== 'bureau') return { refusal: 'not_yours' };
      if (state.status !== 'objected') return { refusal: 'not_objected' };
      return { next: action === 'uphold' ? 'upheld' : 'withdrawn' };
    case 'repair':
      if (actor !== 'bureau') return { refusal: 'not_yours' };
      if (state.status !== 'decided' && state.status !== 'upheld') return { refusal: 'not_repairable' };
      if (state.status === 'decided' && ctx.today <= state.objectionDueOn) return { refusal: 'objection_window_open' };
      if (ctx.today < repairableFrom(state, ctx)) return { refusal: 'not_clean_yet' };
      return { next: 'repaired' };
  }
}

/** What the actor may do now (for the page's buttons). */
export function allowedDishonestyActions(state: DishonestyState, actor: DishonestyActor, ctx: DishonestyContext): DishonestyAction[] {
  return DISHONESTY_ACTIONS.filter((a) => 'next' in decideDishonesty(state, a, actor, ctx));
}
