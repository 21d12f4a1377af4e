/**
 * 投诉办理期限: a complaint is triaged within `triageWorkingDays` and answered within `replyWorkingDays` working days
 * of the (Asia/Shanghai) day it was received, on the working-day calendar (checklists/calendar-cn-*.yaml), with the
 * numbers of the safety-work policy (checklists/safety-work-policy.yaml). Pure: the caller passes the clock.
 */
import { shanghaiDate } from '../../common/calendar';
import type { WorkingCalendar } from '../../checklists/domain/policy';
import type { ComplaintStatus } from './complaint';

export interface ComplaintDeadlines {
  triageDueOn: string;
  replyDueOn: string;
}

export function complaintDeadlines(receivedAt: Date, policy: { triageWorkingDays: number; replyWorkingDays: number }, calendar: Pick<WorkingCalendar, 'addWorkingDays'>): ComplaintDeadlines {
  const day = shanghaiDate(receivedAt);
  return { triageDueOn: calendar.addWorkingDays(day, policy.triageWorkingDays), replyDueOn: calendar.addWorkingDays(day, policy.replyWorkingDays) };
}

export type OverdueKind = 'triage' | 'reply' | null;

/**
 * Which deadline a complaint has missed as of `today` (a due day itself is still in time): not triaged after its
 * triage day, or not answered after its reply day. The same rule as `ComplaintsRepository`'s `overdue` filter.
 */
export function overdueKind(c: { status: ComplaintStatus; triageDueOn: string; replyDueOn: string }, today: string): OverdueKind {
  if ((c.status === 'received' || c.status === 'accepted') && today > c.replyDueOn) return 'reply';
  if (c.status === 'received' && today > c.triageDueOn) return 'triage';
  return null;
}
