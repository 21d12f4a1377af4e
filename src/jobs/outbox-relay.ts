import { InjectQueue } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/env';
import { MAINTENANCE_QUEUE, QueueName, REPORTS_QUEUE } from '../outbox/job-names';
import { OutboxRepository } from '../outbox/outbox.repository';
import { OutboxService } from '../outbox/outbox.service';
import { JobHandlers } from './job-handlers';
import { QUEUE_CALL_TIMEOUT_MS } from './jobs.constants';
import { throttledErrorLog } from './worker-errors';
import { withTimeout } from './with-timeout';

/**
 * Moves outbox rows (written by the features in their own transactions) to the queue their job's handler declares,
 * with the row's job id so a row relayed twice still runs once. Every few seconds, and soon after a kick.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly warnDrain = throttledErrorLog(this.logger, 'outbox drain failed (rows wait for the next try)', 'warn');
  private timer?: NodeJS.Timeout;
  private kickTimer?: NodeJS.Timeout;
  private draining: Promise<number> | null = null;
  private closing = false;
  private readonly queues: Record<QueueName, Queue>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly repo: OutboxRepository,
    outbox: OutboxService,
    private readonly handlers: JobHandlers,
    @InjectQueue(REPORTS_QUEUE) reports: Queue,
    @InjectQueue(MAINTENANCE_QUEUE) maintenance: Queue,
  ) {
    this.queues = { [REPORTS_QUEUE]: reports, [MAINTENANCE_QUEUE]: maintenance };
    outbox.onKick(() => this.kick());
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
      const rows = await this.repo.claimPending(em);
      if (!rows.length) return 0;
      const byQueue = new Map<QueueName, typeof rows>();
      for (const r of rows) {
        const queue = this.handlers.queueOf(r.topic);
        byQueue.set(queue, [...(byQueue.get(queue) ?? []), r]);
      }
      for (const [queue, queued] of byQueue) {
        // Bounded: with the queue unreachable the transaction rolls back and the rows wait for the next sweep
        // (an add that still lands later is harmless: the row's job id makes the retry a no-op).
        await withTimeout(this.queues[queue].addBulk(queued.map((r) => ({ name: r.topic, data: r.payload, opts: { jobId: r.job_id } }))),
          QUEUE_CALL_TIMEOUT_MS, 'outbox relay');
      }
      await this.repo.markDispatched(em, rows.map((r) => r.id));
      return rows.length;
    });
  }
}
