import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Logger } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import { AuditService, ChainReport } from '../audit/audit.service';
import { DocumentRendersService, SweepReport } from './document-renders.service';
import { JOBS, MAINTENANCE_QUEUE, QUEUE_CLOSE_TIMEOUT_MS } from './jobs.constants';
import { RectificationService } from '../rectification/rectification.service';
import { ScoringService } from '../scoring/scoring.service';
import { JobsService } from './jobs.service';
import { throttledErrorLog } from './worker-errors';
import { withTimeout } from './with-timeout';

@Processor(MAINTENANCE_QUEUE)
export class MaintenanceProcessor extends WorkerHost implements BeforeApplicationShutdown {
  private readonly logger = new Logger(MaintenanceProcessor.name);
  private readonly logError = throttledErrorLog(this.logger);

  constructor(
    private readonly audit: AuditService, private readonly rectification: RectificationService, private readonly scoring: ScoringService,
    private readonly documents: DocumentRendersService, private readonly jobs: JobsService,
  ) {
    super();
  }

  async process(job: Job): Promise<ChainReport | { escalated: number; reminded: number } | { score: number; scoreId: string } | SweepReport> {
    switch (job.name) {
      case JOBS.auditVerify: {
        const report = await this.audit.verifyChain();
        if (!report.ok) this.logger.error(`audit chain broken at event #${report.firstBroken?.id} (${report.firstBroken?.reason})`);
        return report;
      }
      case JOBS.scoreRecompute:
        return this.scoring.recompute((job.data as { institutionId: string }).institutionId);
      case JOBS.hazardsSweep:
        // A scheduled run sweeps as of its scheduled time, so a retried run does the same work once.
        return this.rectification.sweep(new Date((job.data as { at?: string }).at ?? job.timestamp));
      case JOBS.documentsSweep:
        return this.documents.sweep(new Date(job.timestamp));
      default:
        throw new UnrecoverableError(`no handler for job ${job.name}`);
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
