import { Injectable, Logger } from '@nestjs/common';
import { JOBS, MAINTENANCE_QUEUE } from '../outbox/job-names';
import { OnJob } from '../outbox/on-job.decorator';
import { MONTHS_AHEAD, PARTITIONED_TABLES } from './partitions';
import { EnsuredPartition, PartitionsRepository } from './partitions.repository';

/** 分区维护: the monthly partitions of the history tables are created ahead, daily (docs/adr/0003). */
@Injectable()
export class PartitionsService {
  private readonly logger = new Logger(PartitionsService.name);

  constructor(private readonly repo: PartitionsRepository) {}

  @OnJob({ queue: MAINTENANCE_QUEUE, name: JOBS.partitionsEnsure })
  ensureJob(): Promise<Record<string, EnsuredPartition[]>> {
    return this.ensureAhead();
  }

  /** The current month and MONTHS_AHEAD more for each partitioned table; idempotent. */
  async ensureAhead(monthsAhead = MONTHS_AHEAD): Promise<Record<string, EnsuredPartition[]>> {
    const out: Record<string, EnsuredPartition[]> = {};
    for (const table of PARTITIONED_TABLES) {
      out[table] = await this.repo.ensureMonthsAhead(table, monthsAhead);
      const created = out[table].filter((p) => p.action === 'created').map((p) => p.partitionName);
      const skipped = out[table].filter((p) => p.action.startsWith('skipped')).map((p) => p.partitionName);
      if (created.length) this.logger.log(`created ${created.join(', ')}`);
      if (skipped.length) this.logger.warn(`not created (rows of the month in the default partition): ${skipped.join(', ')}`);
    }
    return out;
  }
}
