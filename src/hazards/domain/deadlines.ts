/**
 * 整改期限: the one function that decides a hazard's deadline, and the check of a deadline an officer sets.
 * The numbers come from the product policy (checklists/product-policy.yaml) and the working-day calendar
 * (checklists/calendar-cn-*.yaml); see docs/policy.md. Pure: no clock (the caller passes `at` / `today`).
 */
import { addDays, shanghaiDate } from '../../common/calendar';
import type { PolicyValues, WorkingCalendar } from '../../checklists/domain/policy';
import type { ChecklistItem, Severity } from '../../checklists/domain/rule-file.types';

export interface Deadline {
  /** calendar days granted (before a due date on a rest day moves to the next working day) */
  deadlineDays: number;
  dueDate: string;
  /** 五到位 plan due date; major hazards only */
  planDueDate: string | null;
}

/** The calendar days a hazard of this item and severity gets. */
export function deadlineDaysFor(item: Pick<ChecklistItem, 'severity' | 'deadlineDays'>, severity: Severity, policy: PolicyValues): number {
  if (severity === 'general') return item.deadlineDays;
  const d = policy.deadlines;
  // An item escalated or confirmed major never keeps a longer general deadline, and escalation never loosens one:
  // min(item, majorDefaultDays) — an immediate fix (0 days, 立即整改) stays 0.
  const days = item.severity === 'major' ? item.deadlineDays : Math.min(item.deadlineDays, d.majorDefaultDays);
  return Math.min(days, d.majorMaxDays);
}

/**
 * The deadline of a hazard found at `at` (Asia/Shanghai day): major — the item's own days when the item is major by
 * default, else the shorter of the item's days and `majorDefaultDays` (escalation never loosens a deadline), never
 * above `majorMaxDays`; general — the item's days. With `rollToWorkingDay`,
 * a due date on a rest day moves to the next working day (not an immediate fix, 0 days: that stays the same day).
 * The plan of a major hazard is due `majorPlanDays` after, rolled the same way.
 */
export function deadlineFor(
  item: Pick<ChecklistItem, 'severity' | 'deadlineDays'>,
  severity: Severity,
  policy: PolicyValues,
  calendar: WorkingCalendar,
  at: Date,
): Deadline {
  const start = shanghaiDate(at);
  const roll = (days: number) => {
    const due = addDays(start, days);
    return policy.deadlines.rollToWorkingDay && days > 0 ? calendar.nextWorkingDay(due) : due;
  };
  const deadlineDays = deadlineDaysFor(item, severity, policy);
  return {
    deadlineDays,
    dueDate: roll(deadlineDays),
    planDueDate: severity === 'major' ? roll(policy.deadlines.majorPlanDays) : null,
  };
}

/** The longest calendar days a deadline of this severity may run (an officer's choice included). */
export function maxDeadlineDays(severity: Severity, policy: PolicyValues): number {
  return severity === 'major' ? policy.deadlines.majorMaxDays : policy.deadlines.generalMaxDays;
}

/**
 * The latest due date of a deadline set on `setOn` (the day an officer returns, extends, changes or confirms it):
 * its maximum days from that day, moved to the next working day like a computed deadline would be (so the policy's
 * own deadline is never above its own maximum).
 */
export function latestDueDate(severity: Severity, setOn: string, policy: PolicyValues, calendar: WorkingCalendar): string {
  const due = addDays(setOn, maxDeadlineDays(severity, policy));
  return policy.deadlines.rollToWorkingDay ? calendar.nextWorkingDay(due) : due;
}

export type DueDateRefusal =
  | { refusal: 'dateInPast' }
  | { refusal: 'deadlineAboveMax'; latest: string; maxDays: number };

/**
 * Why a due date an officer sets (return, change of deadline, granted extension) is refused, or null: not before
 * today, and not after `latestDueDate` counted from today — the day the deadline is set, not the day the hazard was
 * found (a hazard found long ago can still be returned or extended). The refusal names a reason of
 * src/common/messages.ts (`dateInPast`; `deadlineAboveMax` with args [latest, severity label, maxDays]).
 */
export function dueDateWithinPolicy(
  severity: Severity,
  dueDate: string,
  today: string,
  policy: PolicyValues,
  calendar: WorkingCalendar,
): DueDateRefusal | null {
  if (dueDate < today) return { refusal: 'dateInPast' };
  const latest = latestDueDate(severity, today, policy, calendar);
  if (dueDate > latest) return { refusal: 'deadlineAboveMax', latest, maxDays: maxDeadlineDays(severity, policy) };
  return null;
}
