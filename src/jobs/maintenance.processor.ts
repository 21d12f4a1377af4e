import { Processor } from '@nestjs/bullmq';
import { MAINTENANCE_QUEUE } from '../outbox/job-names';
import { JobHandlers } from './job-handlers';
import { JobsProcessor } from './jobs.processor';
import { JobsService } from './jobs.service';

/** Audit verification, the hazard and document sweeps, score recomputes (handlers declared by each feature). */
@Processor(MAINTENANCE_QUEUE)
export class MaintenanceProcessor extends JobsProcessor {
  constructor(handlers: JobHandlers, jobs: JobsService) {
    super(MAINTENANCE_QUEUE, handlers, jobs);
  }
}
