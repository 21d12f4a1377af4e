import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Queue } from 'bullmq';
import { JOBS, MAINTENANCE_QUEUE, SCHEDULES } from './jobs.constants';

@Injectable()
export class JobsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(JobsService.name);

  constructor(@InjectQueue(MAINTENANCE_QUEUE) private readonly maintenance: Queue) {}

  /** Registers the schedules; upsert makes it idempotent across restarts and replicas. */
  async onApplicationBootstrap(): Promise<void> {
    const s = SCHEDULES.auditVerifyNightly;
    await this.maintenance.upsertJobScheduler(s.id, { pattern: s.pattern, tz: s.tz }, { name: JOBS.auditVerify });
    const h = SCHEDULES.hazardsSweepHourly;
    await this.maintenance.upsertJobScheduler(h.id, { pattern: h.pattern, tz: h.tz }, { name: JOBS.hazardsSweep });
    this.logger.log('schedules registered');
  }

  /** Enqueues an audit verification now; the job id makes a second call within the same minute a no-op. */
  async enqueueAuditVerify(key = new Date().toISOString().slice(0, 16)): Promise<string> {
    const job = await this.maintenance.add(JOBS.auditVerify, {}, { jobId: `audit-verify-${key.replace(/[^0-9T]/g, '')}` });
    return job.id!;
  }

  async counts(): Promise<Record<string, number>> {
    return this.maintenance.getJobCounts('waiting', 'active', 'failed', 'delayed');
  }

  queue(): Queue {
    return this.maintenance;
  }
}
