import { DataSource } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import { monthBounds, partitionName, PartitionedTable } from './partitions';
import { PartitionsRepository } from './partitions.repository';

export interface DetachResult {
  partition: string;
  dropped: boolean;
  /** Rows deleted from the tables that reference the month (table → rows). */
  referencingDeleted: Record<string, number>;
}

/** Why a month cannot be detached (the CLI prints `zh / en`). */
export class ArchiveRefused extends Error {
  constructor(readonly zh: string, readonly en: string) {
    super(`${zh} / ${en}`);
  }
}

/**
 * 归档分区 (docs/adr/0003): detaching one month of a history table, as the owner (the archive CLI). The detach, the
 * deletes of the referencing rows and the audit event `partition.detach` / `partition.drop` are one transaction.
 * The audit log's own months are refused: verification walks the chain from its first event, so a detached audit
 * month would read as a break until verification can start from a checkpoint.
 */
export class PartitionArchive {
  constructor(private readonly ds: DataSource, private readonly repo: PartitionsRepository, private readonly audit: AuditService) {}

  async detach(table: PartitionedTable, month: string, drop: boolean): Promise<DetachResult> {
    if (table === 'audit_event') {
      throw new ArchiveRefused('审计日志的按月归档需要从检查点开始校验，尚未提供', 'archiving audit months needs verification from a checkpoint, not built yet');
    }
    const { lo, hi } = monthBounds(month);
    const partition = partitionName(table, month);
    if (!(await this.repo.partitions(table)).some((p) => p.name === partition)) {
      throw new ArchiveRefused(`${partition} 不是 ${table} 的分区`, `${partition} is not a partition of ${table}`);
    }
    return this.ds.transaction(async (em) => {
      const referencingDeleted = await this.repo.detachMonth(em, table, partition, lo, hi, drop);
      await this.audit.record(em, {
        action: drop ? 'partition.drop' : 'partition.detach', entityType: 'partition', entityId: partition, scopePath: null,
        after: { table, month, partition, dropped: drop, referencingDeleted },
      });
      return { partition, dropped: drop, referencingDeleted };
    });
  }
}
