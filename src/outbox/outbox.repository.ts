import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { JobName } from './job-names';

export interface OutboxRow {
  id: string;
  /** The job name (column `topic`). */
  topic: JobName;
  job_id: string;
  payload: object;
}

/** The outbox table: written by the features inside their transactions, drained by the relay in the jobs module. */
@Injectable()
export class OutboxRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Several rows in one statement (one round trip inside the caller's transaction); a job id already there is kept. */
  async insert(em: EntityManager, rows: { name: JobName; jobId: string; payload: object }[]): Promise<void> {
    await em.query(
      `INSERT INTO outbox (topic, job_id, payload) SELECT r.topic, r.job_id, r.payload FROM jsonb_to_recordset($1::jsonb) AS r(topic text, job_id text, payload jsonb)
       ON CONFLICT (job_id) DO NOTHING`,
      [JSON.stringify(rows.map((r) => ({ topic: r.name, job_id: r.jobId, payload: r.payload })))]);
  }

  /** Locks the oldest undispatched rows for the caller's transaction; rows another relay holds are skipped. */
  claimPending(em: EntityManager, limit = 200): Promise<OutboxRow[]> {
    return em.query(`SELECT id, topic, job_id, payload FROM outbox WHERE dispatched_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`, [limit]);
  }

  async markDispatched(em: EntityManager, ids: string[]): Promise<void> {
    await em.query(`UPDATE outbox SET dispatched_at = now() WHERE id = ANY($1)`, [ids]);
  }

  /** Undispatched rows among these job ids (their job is not lost, only not relayed yet). */
  async pendingAmong(jobIds: string[]): Promise<Set<string>> {
    if (!jobIds.length) return new Set();
    const rows: { job_id: string }[] = await this.dataSource.query(`SELECT job_id FROM outbox WHERE job_id = ANY($1) AND dispatched_at IS NULL`, [jobIds]);
    return new Set(rows.map((r) => r.job_id));
  }

  /** Rows not relayed to the queue yet, and the oldest one's time. */
  async backlog(): Promise<{ pending: number; oldestAt: Date | null }> {
    const [row] = await this.dataSource.query(`SELECT count(*)::int AS pending, min(created_at) AS "oldestAt" FROM outbox WHERE dispatched_at IS NULL`);
    return { pending: row.pending, oldestAt: row.oldestAt ? new Date(row.oldestAt) : null };
  }
}
