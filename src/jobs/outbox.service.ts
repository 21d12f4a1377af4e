import { InjectQueue } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Queue } from 'bullmq';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/env';
import { MAINTENANCE_QUEUE, QUEUE_CALL_TIMEOUT_MS, REPORTS_QUEUE, TOPIC_ROUTES } from './jobs.constants';
import { throttledErrorLog } from './worker-errors';
import { withTimeout } from './with-timeout';

/**
 * Queue work that must never be lost is written as an outbox row in the transaction of the change that causes
 * it; this relay moves rows to the queue, with the row's job id so a row relayed twice still runs once.
 */
@Injectable()
export class OutboxService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxService.name);
  private readonly warnDrain = throttledErrorLog(this.logger, 'outbox drain failed (rows wait for the next try)', 'warn');
  private timer?: NodeJS.Timeout;
  private kickTimer?: NodeJS.Timeout;
  private draining: Promise<number> | null = null;
  private closing = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    @InjectQueue(REPORTS_QUEUE) private readonly reports: Queue,
    @InjectQueue(MAINTENANCE_QUEUE) private readonly maintenance: Queue,
  ) {}

  async add(em: EntityManager, topic: keyof typeof TOPIC_ROUTES, jobId: string, payload: object): Promise<void> {
    await this.addMany(em, [{ topic, jobId, payload }]);
  }

  /** Several rows in one statement (one round trip inside the caller's transaction). */
  async addMany(em: EntityManager, rows: { topic: keyof typeof TOPIC_ROUTES; jobId: string; payload: object }[]): Promise<void> {
    await em.query(
      `INSERT INTO outbox (topic, job_id, payload) SELECT r.topic, r.job_id, r.payload FROM jsonb_to_recordset($1::jsonb) AS r(topic text, job_id text, payload jsonb)
       ON CONFLICT (job_id) DO NOTHING`,
      [JSON.stringify(rows.map((r) => ({ topic: r.topic, job_id: r.jobId, payload: r.payload })))]);
  }

  /** Drains soon (after the caller's commit); the periodic sweep catches anything a crash left behind. */
  kick(): void {
    if (this.closing) return;
    clearTimeout(this.kickTimer);
    this.kickTimer = setTimeout(() => void this.drain().catch(this.warnDrain), 10);
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.drain().catch(this.warnDrain), this.config.OUTBOX_INTERVAL_MS);
    this.timer.unref();
    this.kick();
  }

  /** Runs before any module closes its queues or the database pool, so an in-flight relay can finish. */
  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    clearInterval(this.timer);
    clearTimeout(this.kickTimer);
    // Bounded by the queue call's own timeout; a relay cut short leaves its rows for the next start.
    await this.draining?.catch(() => undefined);
  }

  /** Relays pending rows; returns how many. Safe to run in several processes at once (SKIP LOCKED). */
  drain(): Promise<number> {
    if (this.closing) return Promise.resolve(0);
    this.draining ??= this.drainOnce().finally(() => (this.draining = null));
    return this.draining;
  }

  private async drainOnce(): Promise<number> {
    return this.dataSource.transaction(async (em) => {
      const rows: { id: string; topic: keyof typeof TOPIC_ROUTES; job_id: string; payload: object }[] = await em.query(
        `SELECT id, topic, job_id, payload FROM outbox WHERE dispatched_at IS NULL ORDER BY id LIMIT 200 FOR UPDATE SKIP LOCKED`);
      if (!rows.length) return 0;
      const queues: Record<string, Queue> = { [REPORTS_QUEUE]: this.reports, [MAINTENANCE_QUEUE]: this.maintenance };
      for (const queueName of new Set(rows.map((r) => TOPIC_ROUTES[r.topic].queue))) {
        // Bounded: with the queue unreachable the transaction rolls back and the rows wait for the next sweep
        // (an add that still lands later is harmless: the row's job id makes the retry a no-op).
        await withTimeout(queues[queueName].addBulk(rows.filter((r) => TOPIC_ROUTES[r.topic].queue === queueName)
          .map((r) => ({ name: TOPIC_ROUTES[r.topic].job, data: r.payload, opts: { jobId: r.job_id } }))), QUEUE_CALL_TIMEOUT_MS, 'outbox relay');
      }
      await em.query(`UPDATE outbox SET dispatched_at = now() WHERE id = ANY($1)`, [rows.map((r) => r.id)]);
      return rows.length;
    });
  }
}
