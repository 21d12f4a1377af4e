import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import { AuditService, ChainReport } from '../audit/audit.service';
import { JOBS, MAINTENANCE_QUEUE } from './jobs.constants';

@Processor(MAINTENANCE_QUEUE)
export class MaintenanceProcessor extends WorkerHost {
  private readonly logger = new Logger(MaintenanceProcessor.name);

  constructor(private readonly audit: AuditService) {
    super();
  }

  async process(job: Job): Promise<ChainReport> {
    switch (job.name) {
      case JOBS.auditVerify: {
        const report = await this.audit.verifyChain();
        if (!report.ok) this.logger.error(`audit chain broken at event #${report.firstBroken?.id} (${report.firstBroken?.reason})`);
        return report;
      }
      default:
        throw new UnrecoverableError(`no handler for job ${job.name}`);
    }
  }
}
