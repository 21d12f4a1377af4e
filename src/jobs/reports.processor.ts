import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import { InspectionReportService } from '../inspections/inspection-report.service';
import { JOBS, REPORTS_QUEUE } from './jobs.constants';

/** Renders documents. Idempotent: rendering the same inspection again writes the same report. */
@Processor(REPORTS_QUEUE, { concurrency: 2 })
export class ReportsProcessor extends WorkerHost {
  private readonly logger = new Logger(ReportsProcessor.name);

  constructor(private readonly inspectionReports: InspectionReportService) {
    super();
  }

  async process(job: Job<{ inspectionId: string }>): Promise<{ rendered: boolean }> {
    if (job.name !== JOBS.inspectionReport) throw new UnrecoverableError(`no handler for job ${job.name}`);
    try {
      const rendered = await this.inspectionReports.render(job.data.inspectionId);
      if (!rendered) throw new UnrecoverableError(`inspection ${job.data.inspectionId} is not submitted`);
      return { rendered };
    } catch (err) {
      const last = err instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (last) {
        this.logger.error(`report of inspection ${job.data.inspectionId} failed: ${(err as Error).message}`);
        await this.inspectionReports.markFailed(job.data.inspectionId);
      }
      throw err;
    }
  }
}
