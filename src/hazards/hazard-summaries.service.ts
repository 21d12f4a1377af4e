import { Injectable } from '@nestjs/common';
import { shanghaiDate } from '../common/calendar';
import { JobContext, JOBS, MAINTENANCE_QUEUE } from '../outbox/job-names';
import { OnJob } from '../outbox/on-job.decorator';
import { HazardSummariesRepository } from './hazard-summaries.repository';

/** How far back the hourly job derives previous findings again (a generous bound on a submission's transaction). */
export const REDERIVE_HOURS = 48;

@Injectable()
export class HazardSummariesService {
  constructor(private readonly repo: HazardSummariesRepository) {}

  /** The hourly upkeep, as of the job's (scheduled) time. */
  @OnJob({ queue: MAINTENANCE_QUEUE, name: JOBS.hazardSummaries })
  summariesJob(_data: unknown, job: JobContext): Promise<{ folded: number; pairs: number }> {
    return this.upkeep(new Date(job.timestamp));
  }

  async upkeep(asOf: Date = new Date()): Promise<{ folded: number; pairs: number }> {
    const pairs = await this.repo.rederiveSince(new Date(asOf.getTime() - REDERIVE_HOURS * 3600_000));
    const folded = await this.repo.compact(shanghaiDate(asOf));
    return { folded, pairs };
  }
}
