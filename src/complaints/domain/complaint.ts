/**
 * 投诉举报 — the lifecycle of a complaint from the public, pure (no Nest, no TypeORM).
 *
 * 待受理 (received) is triaged by the bureau: accepted (受理), merged into another complaint about the same thing
 * (合并), referred to another agency (转办, with its name) or rejected with a reason (不予受理). An accepted complaint
 * (or a received one, which opening the inspection accepts) may get one complaint inspection (投诉核查); the bureau
 * replies to the complainant (答复), which closes it. Merged, referred, rejected and replied are final.
 * Who may act is the permissions table's (`complaint.triage`, `complaint.reply`).
 */
import { roleCan } from '../../auth/permissions';
import type { Role } from '../../common/roles';

export const COMPLAINT_STATUSES = ['received', 'accepted', 'merged', 'referred', 'rejected', 'replied'] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];

export const COMPLAINT_CATEGORIES = ['fire_safety', 'food_safety', 'care_quality', 'elder_rights', 'facilities', 'fees', 'other'] as const;
export type ComplaintCategory = (typeof COMPLAINT_CATEGORIES)[number];

export const COMPLAINT_ACTIONS = ['accept', 'merge', 'refer', 'reject', 'open_inspection', 'reply'] as const;
export type ComplaintAction = (typeof COMPLAINT_ACTIONS)[number];

/** Statuses still waiting for the bureau (the list's 办理中). */
export const OPEN_STATUSES: readonly ComplaintStatus[] = ['received', 'accepted'];

export interface ComplaintState {
  status: ComplaintStatus;
  inspectionId: string | null;
}

export type ComplaintRefusal = 'forbidden' | 'not_open' | 'not_received' | 'inspection_exists';

/** The one lifecycle function: the next status of a complaint for an action by a role, or the refusal. */
export function decideComplaint(state: ComplaintState, action: ComplaintAction, role: Role): { next: ComplaintStatus } | { refusal: ComplaintRefusal } {
  if (!roleCan(role, action === 'reply' ? 'complaint.reply' : 'complaint.triage')) return { refusal: 'forbidden' };
  if (!OPEN_STATUSES.includes(state.status)) return { refusal: 'not_open' };
  switch (action) {
    case 'accept':
      return state.status === 'received' ? { next: 'accepted' } : { refusal: 'not_received' };
    case 'merge':
      // a complaint with its own inspection is not folded into another one (the inspection would lose its cause)
      return state.inspectionId ? { refusal: 'inspection_exists' } : { next: 'merged' };
    case 'refer':
    case 'reject':
      if (state.status !== 'received') return { refusal: 'not_received' };
      return { next: action === 'refer' ? 'referred' : 'rejected' };
    case 'open_inspection':
      return state.inspectionId ? { refusal: 'inspection_exists' } : { next: 'accepted' };
    case 'reply':
      return { next: 'replied' };
  }
}

/** What a role may do with a complaint now (pages show only the forms the service would accept). */
export function allowedComplaintActions(state: ComplaintState, role: Role): ComplaintAction[] {
  return COMPLAINT_ACTIONS.filter((a) => 'next' in decideComplaint(state, a, role));
}

/** Whether `target` may absorb a complaint: another complaint, itself not merged away (no chains). */
export function mergeTargetRefusal(sourceId: string, target: { id: string; status: ComplaintStatus } | null): 'merge_target_invalid' | null {
  if (!target || target.id === sourceId || target.status === 'merged') return 'merge_target_invalid';
  return null;
}
