import { InjectQueue } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { JobName } from '../outbox/job-names';
import { JobHandlers } from './job-handlers';
import { JOBS, MAINTENANCE_QUEUE, QUEUE_CALL_TIMEOUT_MS, REPORTS_QUEUE, SCHEDULED_JOBS } from './jobs.constants';
import { throttledErrorLog } from './worker-errors';
import { withTimeout } from './with-timeout';

export type QueueCounts = Record<'waiting' | 'active' | 'failed' | 'delayed', number>;

@Injectable()
export class JobsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(JobsService.name);
  private retryTimer?: NodeJS.Timeout;
  private stopping = false;
  private schedulesRegistered = false;
  private shutdownCheck?: Promise<boolean>;

  constructor(
    @InjectQueue(MAINTENANCE_QUEUE) private readonly maintenance: Queue,
    @InjectQueue(REPORTS_QUEUE) private readonly reports: Queue,
    private readonly handlers: JobHandlers,
  ) {
    // Without a listener BullMQ prints every connection error to stderr (once a second while Redis is down).
    const logError = throttledErrorLog(this.logger);
    for (const q of [maintenance, reports]) q.on('error', logError);
  }

  /**
   * Registers the schedules (upsert: idempotent across restarts and replicas). Boot waits for it briefly only: with
   * the queue's store unreachable (Redis down) the API still starts, and registration keeps trying in the background.
   */
  async onApplicationBootstrap(): Promise<void> {
    const first = this.registerSchedules(1);
    await Promise.race([first, new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
    if (!this.schedulesRegistered) this.logger.warn('队列暂不可用，定时任务将在连接恢复后注册 / the queue is not reachable yet; schedules will be registered once it is');
  }

  private async registerSchedules(attempt: number): Promise<void> {
    if (this.stopping) return;
    try {
      // No timeout here: while Redis is down ioredis holds the commands and sends them on reconnect.
      await Promise.all(SCHEDULED_JOBS.map(({ schedule: s, job }) => this.queueOf(job).upsertJobScheduler(s.id, { pattern: s.pattern, tz: s.tz }, { name: job })));
      this.schedulesRegistered = true;
      this.logger.log('schedules registered');
    } catch (err) {
      if (this.stopping) return;
      const delay = Math.min(60_000, 1_000 * 2 ** attempt);
      this.logger.warn(`schedules not registered (${(err as Error).message}); retrying in ${delay / 1000} s`);
      this.retryTimer = setTimeout(() => void this.registerSchedules(attempt + 1), delay);
      this.retryTimer.unref();
    }
  }

  /** Stops the schedule retries; with the store unreachable the workers close without waiting for it (see the processors). */
  async beforeApplicationShutdown(): Promise<void> {
    if (!(await this.reachableAtShutdown())) this.logger.warn('队列不可用，不等待队列直接关闭 / the queue is not reachable; closing without waiting for it');
  }

  /** Asked once when the app closes, by this service and by the workers (each cuts its own connection if not). */
  reachableAtShutdown(): Promise<boolean> {
    this.stopping = true;
    clearTimeout(this.retryTimer);
    this.shutdownCheck ??= this.reachable(1_000);
    return this.shutdownCheck;
  }

  /** Whether the queue's store answers within `ms`. */
  async reachable(ms = QUEUE_CALL_TIMEOUT_MS): Promise<boolean> {
    try {
      await withTimeout(this.maintenance.getJobCounts('waiting'), ms, 'queue ping');
      return true;
    } catch {
      return false;
    }
  }

  /** Enqueues an audit verification now; the job id makes a second call within the same minute a no-op. */
  async enqueueAuditVerify(key = new Date().toISOString().slice(0, 16)): Promise<string> {
    const job = await withTimeout(this.queueOf(JOBS.auditVerify).add(JOBS.auditVerify, {}, { jobId: `audit-verify-${key.replace(/[^0-9T]/g, '')}` }), QUEUE_CALL_TIMEOUT_MS, 'enqueue');
    return job.id!;
  }

  async counts(ms = QUEUE_CALL_TIMEOUT_MS): Promise<QueueCounts> {
    return withTimeout(this.maintenance.getJobCounts('waiting', 'active', 'failed', 'delayed'), ms, 'queue counts') as Promise<QueueCounts>;
  }

  /** Depth of each queue and how many workers are connected to it (anywhere: this process or others). */
  async status(ms = QUEUE_CALL_TIMEOUT_MS): Promise<Record<string, QueueCounts & { workers: number }>> {
    const entries = await Promise.all([this.maintenance, this.reports].map(async (q) => {
      const [counts, workers] = await Promise.all([
        withTimeout(q.getJobCounts('waiting', 'active', 'failed', 'delayed'), ms, 'queue counts') as Promise<QueueCounts>,
        withTimeout(q.getWorkersCount(), ms, 'queue workers'),
      ]);
      return [q.name, { ...counts, workers }] as const;
    }));
    return Object.fromEntries(entries);
  }

  private queueOf(name: JobName): Queue {
    return this.handlers.queueOf(name) === REPORTS_QUEUE ? this.reports : this.maintenance;
  }

  queue(): Queue {
    return this.maintenance;
  }
}
