import { Processor } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { REPORTS_QUEUE } from '../outbox/job-names';
import { DocumentRendersService } from './document-renders.service';
import { renderedDocument } from './document-sweep';
import { JobHandlers } from './job-handlers';
import { JobsProcessor } from './jobs.processor';
import { JobsService } from './jobs.service';

/** Renders documents (handlers in the features). Idempotent: rendering the same inspection again writes the same report. */
@Processor(REPORTS_QUEUE, { concurrency: 2 })
export class ReportsProcessor extends JobsProcessor {
  constructor(handlers: JobHandlers, jobs: JobsService, private readonly renders: DocumentRendersService) {
    super(REPORTS_QUEUE, handlers, jobs);
  }

  /** A render that failed for good marks its document failed (the sweep finds it anyway if this cannot be written). */
  protected override async onFinalFailure(job: Job, err: Error | undefined): Promise<void> {
    const doc = renderedDocument(job.name, job.data);
    if (doc) await this.renders.markFailed(doc.kind, doc.id, err?.message ?? 'failed');
  }
}
