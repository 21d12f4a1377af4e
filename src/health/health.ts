import type { RenderBacklog } from '../jobs/document-renders.repository';
import type { QueueCounts } from '../jobs/jobs.service';

export type HealthReason = 'database.down' | 'queue.down' | 'workers.none' | 'documents.stale' | 'documents.failed' | 'outbox.backlog'
  | 'audit.unsealed' | 'audit.sealing_stopped';
/** Not a fault (the status stays ok) but a setup to fix: the app connects as a superuser or the tables' owner (docs/adr/0005). */
export type HealthWarning = 'database.privileged_role';

export interface HealthReport {
  status: 'ok' | 'degraded';
  database: 'up' | 'down';
  queue: 'up' | 'down';
  /** Why it is degraded (empty when ok). */
  reasons: HealthReason[];
  /** Present only when there is something to fix that does not degrade the service. */
  warnings?: HealthWarning[];
  /** Per queue: depth and connected workers (null when the queue did not answer). */
  queues: Record<string, QueueCounts & { workers: number }> | null;
  documents: { pending: number; failed: number; failedFinal: number; oldestPendingSeconds: number | null } | null;
  outbox: { pending: number; oldestSeconds: number | null } | null;
  /** Audit events not yet sealed into the chain (the sealer runs asynchronously), with the oldest one's age. */
  audit: { unsealed: number; oldestUnsealedSeconds: number | null; stopped?: string } | null;
}

const ageSeconds = (at: Date | null, now: Date) => (at ? Math.max(0, Math.round((now.getTime() - at.getTime()) / 1000)) : null);

/** The verdict from what could be measured (null: that check did not answer). Pure, so the thresholds are tested alone. */
export function healthVerdict(input: {
  database: boolean;
  queues: HealthReport['queues'];
  documents: RenderBacklog | null;
  outbox: { pending: number; oldestAt: Date | null } | null;
  /** AuditService.sealingBacklog(): events the sealer has not sealed yet. */
  audit: { pending: number; oldestAt: Date | null; stopped?: string | null } | null;
  now: Date;
  backlogMinutes: number;
  /** The app's database role is a superuser or owns the tables (null/undefined: not known). */
  privilegedDatabaseRole?: boolean | null;
}): HealthReport {
  const { now, backlogMinutes } = input;
  const limit = backlogMinutes * 60;
  const documents = input.documents && {
    pending: input.documents.pending, failed: input.documents.failed, failedFinal: input.documents.failedFinal,
    oldestPendingSeconds: ageSeconds(input.documents.oldestPendingAt, now),
  };
  const outbox = input.outbox && { pending: input.outbox.pending, oldestSeconds: ageSeconds(input.outbox.oldestAt, now) };
  // stopped: why the sealer does not seal (key_missing, key_invalid, key_mismatch, xid_behind: docs/adr/0001 Operations)
  const audit = input.audit && { unsealed: input.audit.pending, oldestUnsealedSeconds: ageSeconds(input.audit.oldestAt, now),
    ...(input.audit.stopped ? { stopped: input.audit.stopped } : {}) };
  const reasons: HealthReason[] = [];
  if (!input.database) reasons.push('database.down');
  if (!input.queues) reasons.push('queue.down');
  else if (Object.values(input.queues).some((q) => q.workers === 0)) reasons.push('workers.none');
  if ((documents?.oldestPendingSeconds ?? 0) > limit) reasons.push('documents.stale');
  if ((documents?.failedFinal ?? 0) > 0) reasons.push('documents.failed');
  if ((outbox?.oldestSeconds ?? 0) > limit) reasons.push('outbox.backlog');
  if ((audit?.oldestUnsealedSeconds ?? 0) > limit) reasons.push('audit.unsealed');
  if (audit?.stopped) reasons.push('audit.sealing_stopped');
  return {
    status: reasons.length ? 'degraded' : 'ok', database: input.database ? 'up' : 'down', queue: input.queues ? 'up' : 'down',
    reasons, queues: input.queues, documents, outbox, audit,
    ...(input.privilegedDatabaseRole ? { warnings: ['database.privileged_role' as const] } : {}),
  };
}
