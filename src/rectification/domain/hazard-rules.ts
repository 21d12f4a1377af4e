import { addDays } from '../../common/calendar';
import type { HazardStatus } from '../../hazards/hazard.entity';

/** What can happen to a hazard (隐患). The database trigger allows the same transitions. */
export type HazardAction = 'respond' | 'accept' | 'return' | 'uphold_objection';

const TRANSITIONS: Record<HazardAction, Partial<Record<HazardStatus, HazardStatus>>> = {
  respond: { open: 'responded', returned: 'responded' },
  accept: { responded: 'closed' },
  return: { responded: 'returned' },
  uphold_objection: { open: 'closed', returned: 'closed', responded: 'closed' },
};

/** The status after `action`, or null when the action is not allowed from `status`. */
export function nextStatus(status: HazardStatus, action: HazardAction): HazardStatus | null {
  return TRANSITIONS[action][status] ?? null;
}

/** Why an extension cannot be asked for, or null when it can: only before the deadline, to a later date. */
export function extensionRefusal(h: { status: HazardStatus; dueDate: string }, today: string, requested: string): string | null {
  if (h.status !== 'open' && h.status !== 'returned') return 'extensionWrongStatus';
  if (today > h.dueDate) return 'extensionAfterDeadline';
  if (requested <= h.dueDate) return 'extensionNotLater';
  return null;
}

/**
 * n working days (Monday–Friday) after `date`. Public holidays and 调休 make-up days are not modelled:
 * a bureau that needs them sets a longer window in configuration.
 */
export function addWorkingDays(date: string, n: number): string {
  let d = date;
  let left = n;
  while (left > 0) {
    d = addDays(d, 1);
    const weekday = new Date(`${d}T00:00:00Z`).getUTCDay();
    if (weekday !== 0 && weekday !== 6) left--;
  }
  return d;
}
