import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import { InspectionReportService } from '../inspections/inspection-report.service';
import { JOBS, REPORTS_QUEUE } from './jobs.constants';
import { NoticePdfService } from '../rectification/notice-pdf.service';

/** Renders documents. Idempotent: rendering the same inspection again writes the same report. */
@Processor(REPORTS_QUEUE, { concurrency: 2 })
export class ReportsProcessor extends WorkerHost {
  private readonly logger = new Logger(ReportsProcessor.name);

  constructor(private readonly inspectionReports: InspectionReportService, private readonly notices: NoticePdfService) {
    super();
  }

  async process(job: Job<{ inspectionId: string } | { noticeId: string }>): Promise<{ rendered: boolean }> {
    if (job.name === JOBS.noticePdf) return this.notice(job as Job<{ noticeId: string }>);
    if (job.name !== JOBS.inspectionReport) throw new UnrecoverableError(`no handler for job ${job.name}`);
    return this.inspectionReport(job as Job<{ inspectionId: string }>);
  }

  private async notice(job: Job<{ noticeId: string }>): Promise<{ rendered: boolean }> {
    try {
      if (!(await this.notices.render(job.data.noticeId))) throw new UnrecoverableError(`notice ${job.data.noticeId} not found`);
      return { rendered: true };
    } catch (err) {
      if (err instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) {
        this.logger.error(`notice PDF ${job.data.noticeId} failed: ${(err as Error).message}`);
        await this.notices.markFailed(job.data.noticeId);
      }
      throw err;
    }
  }

  private async inspectionReport(job: Job<{ inspectionId: string }>): Promise<{ rendered: boolean }> {
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
