import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

export interface PartitionRow {
  name: string;
  /** `FOR VALUES FROM (…) TO (…)` or `DEFAULT` */
  bound: string;
  /** the planner's row estimate (no count(*) over a month) */
  estimatedRows: number;
}

/** One table partition's row, as yian_ensure_month_partitions reports it. */
export interface EnsuredPartition {
  partitionName: string;
  action: string;
}

/**
 * 分区维护 SQL: the monthly partitions of the history tables. Creating months ahead goes through the SECURITY DEFINER
 * function yian_ensure_month_partitions (the app's role owns no table); detaching is an owner's step (the archive
 * CLI connects with DATABASE_OWNER_URL).
 */
@Injectable()
export class PartitionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  ensureMonthsAhead(table: string, monthsAhead: number): Promise<EnsuredPartition[]> {
    return this.dataSource.query(
      `SELECT partition_name AS "partitionName", action FROM yian_ensure_month_partitions($1::regclass, $2)`, [table, monthsAhead]);
  }

  partitions(table: string): Promise<PartitionRow[]> {
    return this.dataSource.query(
      `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound, greatest(c.reltuples, 0)::bigint::int AS "estimatedRows"
         FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = $1::regclass ORDER BY c.relname`, [table]);
  }

  /** The tables whose foreign keys point at `table` (they carry its partition column), with that column. */
  referencing(table: string): Promise<{ table: string; column: string }[]> {
    return this.dataSource.query(
      `SELECT DISTINCT r.relname AS table, a.attname AS column
         FROM pg_constraint k
         JOIN pg_class r ON r.oid = k.conrelid
         JOIN pg_partitioned_table p ON p.partrelid = k.confrelid
         JOIN LATERAL unnest(k.confkey) WITH ORDINALITY f(attnum, n) ON f.attnum = p.partattrs[0]
         JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[f.n]
        WHERE k.contype = 'f' AND k.confrelid = $1::regclass AND k.conparentid = 0`, [table]);
  }

  /**
   * Detaches one month's partition (and, with `drop`, drops it) inside the caller's transaction: the month's rows
   * leave every query at once, without a delete of the month's rows. The rows of other tables that reference them
   * (evidence links, reads, deliveries) are deleted first — they are few, and found by their copy of the partition
   * column. Returns how many rows were deleted, per referencing table.
   */
  async detachMonth(em: EntityManager, table: string, partition: string, lo: Date, hi: Date, drop: boolean): Promise<Record<string, number>> {
    const deleted: Record<string, number> = {};
    for (const r of await this.referencing(table)) {
      const [, n] = await em.query(`DELETE FROM ${quoteIdent(r.table)} WHERE ${quoteIdent(r.column)} >= $1 AND ${quoteIdent(r.column)} < $2`, [lo, hi]);
      deleted[r.table] = (deleted[r.table] ?? 0) + Number(n ?? 0);
    }
    await em.query(`ALTER TABLE ${quoteIdent(table)} DETACH PARTITION ${quoteIdent(partition)}`);
    if (drop) await em.query(`DROP TABLE ${quoteIdent(partition)}`);
    return deleted;
  }
}

function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain identifier: ${name}`);
  return `"${name}"`;
}
