import type { JobName, JobPayloads } from '../outbox/job-names';

/** The two documents rendered on the queue, named after the job that renders them. */
export type DocumentKind = Extract<JobName, 'inspection.report' | 'notice.pdf'>;

/** Where a document's current render job is: in the queue's states, still in the outbox, or gone. */
export type RenderJobState = 'outbox' | 'waiting' | 'active' | 'delayed' | 'prioritized' | 'waiting-children' | 'completed' | 'failed' | 'unknown';

export interface UnrenderedDocument {
  kind: DocumentKind;
  id: string;
  status: 'pending' | 'failed';
  /** When its current render job was queued. */
  queuedAt: Date;
  failedAt: Date | null;
  /** How many times the sweep has queued it again (0: only the job queued with the submission or the notice). */
  requeues: number;
}

export interface SweepPolicy {
  staleMinutes: number;
  retries: number;
}

export type SweepAction = 'leave' | 'mark-failed' | 'requeue';

const IN_PROGRESS: RenderJobState[] = ['outbox', 'waiting', 'active', 'delayed', 'prioritized', 'waiting-children'];

/** The job id of a document's render: the first is queued with the change itself, each re-queue gets the next id. */
export function renderJobId(kind: DocumentKind, id: string, requeues: number): string {
  const base = kind === 'inspection.report' ? `inspection-report-${id}` : `notice-pdf-${id}`;
  return requeues === 0 ? base : `${base}-r${requeues}`;
}

/** The render job's payload for a document (the inverse of `renderedDocument`). */
export function renderPayload<K extends DocumentKind>(kind: K, id: string): JobPayloads[K] {
  return (kind === 'inspection.report' ? { inspectionId: id } : { noticeId: id }) as JobPayloads[K];
}

/** The document a job renders, or null when the job is not a render (or its payload names none). */
export function renderedDocument(jobName: string, data: unknown): { kind: DocumentKind; id: string } | null {
  const d = (data ?? {}) as Partial<JobPayloads['inspection.report'] & JobPayloads['notice.pdf']>;
  if (jobName === 'inspection.report' && d.inspectionId) return { kind: jobName, id: d.inspectionId };
  if (jobName === 'notice.pdf' && d.noticeId) return { kind: jobName, id: d.noticeId };
  return null;
}

/** Earliest time a failed document is queued again: failure + staleMinutes × 2^requeues (5, 10, 20 … minutes). */
export function retryAt(doc: UnrenderedDocument, policy: SweepPolicy): Date | null {
  if (doc.status !== 'failed' || !doc.failedAt || doc.requeues >= policy.retries) return null;
  return new Date(doc.failedAt.getTime() + policy.staleMinutes * 60_000 * 2 ** doc.requeues);
}

/**
 * What the sweep does with a document that is not rendered.
 * - pending, and its job is still queued or running (or still in the outbox): leave it — a slow queue is not a failure
 *   (/health reports the backlog);
 * - pending longer than staleMinutes and its job failed (e.g. stalled twice: the worker was killed mid-render, so the
 *   processor's own failure handling never ran): mark it failed;
 * - pending longer than staleMinutes and its job is gone or completed without rendering: queue it again (within the
 *   retry budget, else mark it failed);
 * - failed: queue it again after a growing pause, at most `retries` times; then it stays failed (and /health says so).
 */
export function sweepAction(doc: UnrenderedDocument, job: RenderJobState, asOf: Date, policy: SweepPolicy): SweepAction {
  if (doc.status === 'failed') {
    const at = retryAt(doc, policy);
    return at && at <= asOf ? 'requeue' : 'leave';
  }
  if (doc.queuedAt.getTime() + policy.staleMinutes * 60_000 > asOf.getTime()) return 'leave';
  if (IN_PROGRESS.includes(job)) return 'leave';
  if (job === 'failed') return 'mark-failed';
  return doc.requeues < policy.retries ? 'requeue' : 'mark-failed';
}
