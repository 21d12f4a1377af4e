import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import { AuditService, ChainReport } from '../audit/audit.service';
import { JOBS, MAINTENANCE_QUEUE } from './jobs.constants';
import { RectificationService } from '../rectification/rectification.service';
import { ScoringService } from '../scoring/scoring.service';

@Processor(MAINTENANCE_QUEUE)
export class MaintenanceProcessor extends WorkerHost {
  private readonly logger = new Logger(MaintenanceProcessor.name);

  constructor(private readonly audit: AuditService, private readonly rectification: RectificationService, private readonly scoring: ScoringService) {
    super();
  }

  async process(job: Job): Promise<ChainReport | { escalated: number; reminded: number } | { score: number; scoreId: string }> {
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
      default:
        throw new UnrecoverableError(`no handler for job ${job.name}`);
    }
  }
}
