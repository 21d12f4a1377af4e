import type { RenderBacklog } from '../jobs/document-renders.repository';
import type { QueueCounts } from '../jobs/jobs.service';

export type HealthReason = 'database.down' | 'queue.down' | 'workers.none' | 'documents.stale' | 'documents.failed' | 'outbox.backlog';

export interface HealthReport {
  status: 'ok' | 'degraded';
  database: 'up' | 'down';
  queue: 'up' | 'down';
  /** Why it is degraded (empty when ok). */
  reasons: HealthReason[];
  /** Per queue: depth and connected workers (null when the queue did not answer). */
  queues: Record<string, QueueCounts & { workers: number }> | null;
  documents: { pending: number; failed: number; failedFinal: number; oldestPendingSeconds: number | null } | null;
  outbox: { pending: number; oldestSeconds: number | null } | null;
}

const ageSeconds = (at: Date | null, now: Date) => (at ? Math.max(0, Math.round((now.getTime() - at.getTime()) / 1000)) : null);

/** The verdict from what could be measured (null: that check did not answer). Pure, so the thresholds are tested alone. */
export function healthVerdict(input: {
  database: boolean;
  queues: HealthReport['queues'];
  documents: RenderBacklog | null;
  outbox: { pending: number; oldestAt: Date | null } | null;
  now: Date;
  backlogMinutes: number;
}): HealthReport {
  const { now, backlogMinutes } = input;
  const limit = backlogMinutes * 60;
  const documents = input.documents && {
    pending: input.documents.pending, failed: input.documents.failed, failedFinal: input.documents.failedFinal,
    oldestPendingSeconds: ageSeconds(input.documents.oldestPendingAt, now),
  };
  const outbox = input.outbox && { pending: input.outbox.pending, oldestSeconds: ageSeconds(input.outbox.oldestAt, now) };
  const reasons: HealthReason[] = [];
  if (!input.database) reasons.push('database.down');
  if (!input.queues) reasons.push('queue.down');
  else if (Object.values(input.queues).some((q) => q.workers === 0)) reasons.push('workers.none');
  if ((documents?.oldestPendingSeconds ?? 0) > limit) reasons.push('documents.stale');
  if ((documents?.failedFinal ?? 0) > 0) reasons.push('documents.failed');
  if ((outbox?.oldestSeconds ?? 0) > limit) reasons.push('outbox.backlog');
  return {
    status: reasons.length ? 'degraded' : 'ok', database: input.database ? 'up' : 'down', queue: input.queues ? 'up' : 'down',
    reasons, queues: input.queues, documents, outbox,
  };
}
