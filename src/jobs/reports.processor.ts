import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Logger } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import { InspectionReportService } from '../inspections/inspection-report.service';
import { NoticePdfService } from '../rectification/notice-pdf.service';
import { DocumentRendersService } from './document-renders.service';
import { DocumentKind } from './document-sweep';
import { JOBS, QUEUE_CLOSE_TIMEOUT_MS, REPORTS_QUEUE } from './jobs.constants';
import { JobsService } from './jobs.service';
import { throttledErrorLog } from './worker-errors';
import { withTimeout } from './with-timeout';

type RenderJob = Job<{ inspectionId?: string; noticeId?: string }>;

/**
 * Renders documents. Idempotent: rendering the same inspection again writes the same report.
 * A job that fails for good is marked failed from the worker's `failed` event, not inside process(): a job whose
 * worker died twice mid-render fails as "stalled" on the next worker without process() ever running.
 */
@Processor(REPORTS_QUEUE, { concurrency: 2 })
export class ReportsProcessor extends WorkerHost implements BeforeApplicationShutdown {
  private readonly logger = new Logger(ReportsProcessor.name);
  private readonly logError = throttledErrorLog(this.logger);

  constructor(
    private readonly inspectionReports: InspectionReportService, private readonly notices: NoticePdfService, private readonly renders: DocumentRendersService,
    private readonly jobs: JobsService,
  ) {
    super();
  }

  async process(job: RenderJob): Promise<{ rendered: boolean }> {
    if (job.name === JOBS.noticePdf) {
      if (!(await this.notices.render(job.data.noticeId!))) throw new UnrecoverableError(`notice ${job.data.noticeId} not found`);
      return { rendered: true };
    }
    if (job.name === JOBS.inspectionReport) {
      if (!(await this.inspectionReports.render(job.data.inspectionId!))) throw new UnrecoverableError(`inspection ${job.data.inspectionId} is not submitted`);
      return { rendered: true };
    }
    throw new UnrecoverableError(`no handler for job ${job.name}`);
  }

  /** Every failed attempt arrives here; only the last one (no retry left, or unrecoverable) marks the document. */
  @OnWorkerEvent('failed')
  async onFailed(job: RenderJob | undefined, err: Error): Promise<void> {
    if (!job) return;
    const final = !!job.finishedOn || err?.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
    if (!final) {
      this.logger.warn(`${job.name} ${job.id}: attempt ${job.attemptsMade} failed, will retry (${err?.message})`);
      return;
    }
    const target: [DocumentKind, string] | null = job.name === JOBS.noticePdf && job.data.noticeId ? ['notice.pdf', job.data.noticeId]
      : job.name === JOBS.inspectionReport && job.data.inspectionId ? ['inspection.report', job.data.inspectionId] : null;
    if (!target) return;
    try {
      await this.renders.markFailed(target[0], target[1], err?.message ?? 'failed');
    } catch (e) {
      // The sweep finds it (its job is failed) if this could not be written.
      this.logger.error(`could not mark ${target[0]} ${target[1]} failed: ${(e as Error).message}`);
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
