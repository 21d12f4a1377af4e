import type { FieldIssue } from '../common/app-error';
import { addDays } from '../common/calendar';
import type { InstitutionStatus } from './institution.entity';

/**
 * 停业整顿 / 恢复运营 / 注销（关闭）— the bureau's changes of an institution's operating status, each with the day
 * it takes effect. The status and the operating period (institution_interruption, which subsidies count days by)
 * change together: a suspension opens an interruption from its day, a resumption ends it the day before, a closure
 * ends a running suspension and opens a closure that never ends. Closing is final: a closed institution has no
 * further status change (a new registration is a new institution).
 *
 * Pure: the caller passes today (Shanghai) and the recorded interruptions.
 */
export const STATUS_ACTIONS = ['suspend', 'resume', 'close'] as const;
export type StatusAction = (typeof STATUS_ACTIONS)[number];

export interface RecordedInterruption {
  id: string;
  kind: 'suspended' | 'closed';
  fromDate: string;
  toDate: string | null;
}

export interface StatusChangeInput {
  status: InstitutionStatus;
  openedOn: string;
  interruptions: RecordedInterruption[];
  action: StatusAction;
  /** the first day suspended / closed, or the first day operating again (resume) */
  date: string;
  today: string;
}

export interface StatusChangePlan {
  next: InstitutionStatus;
  /** an open-ended interruption to end, on this day (inclusive) */
  end: { id: string; toDate: string } | null;
  /** an interruption to open from `date` */
  open: { kind: 'suspended' | 'closed'; fromDate: string } | null;
}

/** What the status allows (for pages: offer only these). A 筹建 institution opens through its profile first. */
export function allowedStatusActions(status: InstitutionStatus): StatusAction[] {
  if (status === 'active') return ['suspend', 'close'];
  if (status === 'suspended') return ['resume', 'close'];
  return [];
}

/** The plan of a status change, or the refusal: `{ code }` (409, the status does not allow it) or field issues on `date`. */
export function planStatusChange(x: StatusChangeInput): StatusChangePlan | { code: 'institution.status_not_allowed' } | { issues: FieldIssue[] } {
  if (!allowedStatusActions(x.status).includes(x.action)) return { code: 'institution.status_not_allowed' };
  if (x.date > x.today) return { issues: [{ field: 'date', reason: 'dateInFuture' }] };
  if (x.date < x.openedOn) return { issues: [{ field: 'date', reason: 'beforeOpening', args: [x.openedOn] }] };
  const running = x.interruptions.find((i) => i.toDate === null && i.kind === 'suspended') ?? null;
  if (x.action === 'resume' || (x.action === 'close' && running)) {
    if (running && x.date <= running.fromDate) {
      return { issues: [{ field: 'date', reason: 'afterSuspensionStart', args: [running.fromDate] }] };
    }
  }
  const end = running && x.action !== 'suspend' ? { id: running.id, toDate: addDays(x.date, -1) } : null;
  if (x.action === 'resume') return { next: 'active', end, open: null };
  // The new interruption runs from `date` with no end: nothing recorded may lie on or after that day (the running suspension ends the day before).
  const clash = x.interruptions.find((i) => i.id !== end?.id && (i.toDate === null || i.toDate >= x.date));
  if (clash) return { issues: [{ field: 'date', reason: 'interruptionOverlapOn', args: [clash.fromDate, clash.toDate ?? '至今'] }] };
  const kind = x.action === 'suspend' ? 'suspended' : 'closed';
  return { next: kind, end, open: { kind, fromDate: x.date } };
}
