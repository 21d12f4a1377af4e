import { OnWorkerEvent, WorkerHost } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Logger } from '@nestjs/common';
import { Job } from 'bullmq';
import type { QueueName } from '../outbox/job-names';
import { JobHandlers } from './job-handlers';
import { QUEUE_CLOSE_TIMEOUT_MS } from './jobs.constants';
import { JobsService } from './jobs.service';
import { throttledErrorLog } from './worker-errors';
import { withTimeout } from './with-timeout';

/**
 * Whether this failure is the job's last: no attempt left, failed as unrecoverable, or already finished (BullMQ
 * fails a job stalled too often without calling the processor; `finishedOn` is then set).
 */
export function isFinalFailure(job: Pick<Job, 'finishedOn' | 'attemptsMade' | 'opts'>, err: Error | undefined): boolean {
  return !!job.finishedOn || err?.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
}

/**
 * One processor per queue, each a subclass naming its queue: jobs go to the handlers the features declared with
 * `@OnJob` (see JobHandlers). A job that fails for good reaches `onFinalFailure` from the worker's `failed` event,
 * not from process(): a job whose worker died twice mid-run fails as "stalled" on the next worker without
 * process() ever running.
 */
export abstract class JobsProcessor extends WorkerHost implements BeforeApplicationShutdown {
  protected readonly logger = new Logger(this.constructor.name);
  private readonly logError = throttledErrorLog(this.logger);

  protected constructor(private readonly queueName: QueueName, private readonly handlers: JobHandlers, private readonly jobs: JobsService) {
    super();
  }

  process(job: Job): Promise<unknown> {
    return this.handlers.run(this.queueName, job);
  }

  /** The job failed for good (see `isFinalFailure`); nothing to do by default. Errors here are logged, not thrown. */
  protected async onFinalFailure(_job: Job, _err: Error | undefined): Promise<void> {}

  @OnWorkerEvent('failed')
  async onFailed(job: Job | undefined, err: Error | undefined): Promise<void> {
    if (!job) return;
    if (!isFinalFailure(job, err)) {
      this.logger.warn(`${job.name} ${job.id}: attempt ${job.attemptsMade} failed, will retry (${err?.message})`);
      return;
    }
    this.logger.error(`${job.name} ${job.id}: failed for good (${err?.message})`);
    try {
      await this.onFinalFailure(job, err);
    } catch (e) {
      this.logger.error(`${job.name} ${job.id}: failure handling failed: ${(e as Error).message}`);
    }
  }

  @OnWorkerEvent('error')
  onError(err: Error): void {
    this.logError(err);
  }

  /**
   * With the queue's store unreachable a graceful close waits for it forever: close without waiting (a job in
   * flight is left to the stalled-job check, like a crash). The later graceful close then finds it closed.
   */
  async beforeApplicationShutdown(): Promise<void> {
    if (!(await this.jobs.reachableAtShutdown())) await withTimeout(this.worker.close(true), QUEUE_CLOSE_TIMEOUT_MS, 'worker close').catch(() => undefined);
  }
}
