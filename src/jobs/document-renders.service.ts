import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/env';
import { JobContext, JOBS, MAINTENANCE_QUEUE } from '../outbox/job-names';
import { OnJob } from '../outbox/on-job.decorator';
import { OutboxService } from '../outbox/outbox.service';
import { DocumentRendersRepository, RenderBacklog } from './document-renders.repository';
import { DocumentKind, renderJobId, RenderJobState, renderPayload, sweepAction, UnrenderedDocument } from './document-sweep';
import { QUEUE_CALL_TIMEOUT_MS, REPORTS_QUEUE } from './jobs.constants';
import { withTimeout } from './with-timeout';

export interface SweepReport {
  checked: number;
  markedFailed: number;
  requeued: number;
}

/**
 * Keeps queued documents from getting stuck: a render whose job failed for good is marked failed (visible in the API
 * and /health), and the sweep queues stuck or failed renders again a bounded number of times.
 */
@Injectable()
export class DocumentRendersService {
  private readonly logger = new Logger(DocumentRendersService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly repo: DocumentRendersRepository,
    private readonly outbox: OutboxService,
    @InjectQueue(REPORTS_QUEUE) private readonly reports: Queue,
  ) {}

  async markFailed(kind: DocumentKind, id: string, reason: string): Promise<void> {
    if (await this.repo.markFailed(kind, id, reason)) this.logger.error(`${kind} ${id}: render failed (${reason})`);
  }

  /** The every-minute sweep, as of the job's (scheduled) time. */
  @OnJob({ queue: MAINTENANCE_QUEUE, name: JOBS.documentsSweep })
  sweepJob(_data: unknown, job: JobContext): Promise<SweepReport> {
    return this.sweep(new Date(job.timestamp));
  }

  /** One pass over the documents not rendered, as of `asOf` (a scheduled run passes its scheduled time). */
  async sweep(asOf: Date = new Date()): Promise<SweepReport> {
    const policy = { staleMinutes: this.config.DOCUMENT_STALE_MINUTES, retries: this.config.DOCUMENT_RENDER_RETRIES };
    const docs = await this.repo.sweepCandidates(new Date(asOf.getTime() - policy.staleMinutes * 60_000), policy.retries);
    const inOutbox = await this.outbox.pendingAmong(docs.map((d) => renderJobId(d.kind, d.id, d.requeues)));
    const report: SweepReport = { checked: docs.length, markedFailed: 0, requeued: 0 };
    for (const doc of docs) {
      const jobId = renderJobId(doc.kind, doc.id, doc.requeues);
      const state: RenderJobState = inOutbox.has(jobId) ? 'outbox'
        : doc.status === 'failed' ? 'failed' : await withTimeout(this.reports.getJobState(jobId), QUEUE_CALL_TIMEOUT_MS, 'render job state') as RenderJobState;
      const action = sweepAction(doc, state, asOf, policy);
      if (action === 'mark-failed') {
        const reason = state === 'failed'
          ? (await withTimeout(this.reports.getJob(jobId), QUEUE_CALL_TIMEOUT_MS, 'render job'))?.failedReason ?? 'render job failed'
          : `render job ${state}`;
        await this.markFailed(doc.kind, doc.id, reason);
        report.markedFailed++;
      } else if (action === 'requeue' && (await this.requeue(doc))) {
        report.requeued++;
      }
    }
    if (report.requeued) this.outbox.kick();
    if (report.markedFailed || report.requeued) this.logger.warn(`document sweep: ${report.markedFailed} marked failed, ${report.requeued} queued again`);
    return report;
  }

  /** Pending again, with a fresh job through the outbox in the same transaction (so a crash in between loses nothing). */
  private async requeue(doc: UnrenderedDocument): Promise<boolean> {
    return this.dataSource.transaction(async (em) => {
      const requeues = await this.repo.requeue(em, doc);
      if (requeues === null) return false;
      await this.outbox.add(em, doc.kind, renderJobId(doc.kind, doc.id, requeues), renderPayload(doc.kind, doc.id));
      return true;
    });
  }

  backlog(): Promise<RenderBacklog> {
    return this.repo.backlog(this.config.DOCUMENT_RENDER_RETRIES);
  }

  outboxBacklog(): Promise<{ pending: number; oldestAt: Date | null }> {
    return this.outbox.backlog();
  }
}
