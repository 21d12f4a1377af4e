import type { HazardStatus } from '../../hazards/hazard.entity';

/**
 * Why an extension cannot be asked for, or null when it can: only before the deadline, to a later date.
 * Used by the hazard lifecycle (hazard-lifecycle.ts, action `extend_request`), which holds every other rule.
 */
export function extensionRefusal(h: { status: HazardStatus; dueDate: string }, today: string, requested: string): string | null {
  if (h.status !== 'open' && h.status !== 'returned') return 'extensionWrongStatus';
  if (today > h.dueDate) return 'extensionAfterDeadline';
  if (requested <= h.dueDate) return 'extensionNotLater';
  return null;
}
