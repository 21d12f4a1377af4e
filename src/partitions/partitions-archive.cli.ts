import 'reflect-metadata';
import { DataSource } from 'typeorm';
import type { AuditSealer } from '../audit/audit-sealer';
import { AuditRepository } from '../audit/audit.repository';
import { AuditService } from '../audit/audit.service';
import { dataSourceOptions } from '../database/data-source';
import { PARTITIONED_TABLES, PartitionedTable } from './partitions';
import { ArchiveRefused, PartitionArchive } from './partitions-archive';
import { PartitionsRepository } from './partitions.repository';

/**
 * 归档分区 (docs/adr/0003): lists a history table's monthly partitions, or detaches one month (and with --drop, drops
 * it) so that its rows leave every query at once — after it has been copied elsewhere (pg_dump -t <partition>).
 *
 *   npm run partitions:archive -- list <table>
 *   npm run partitions:archive -- detach <table> <YYYY-MM> [--drop]
 *
 * Connects as the owner (DATABASE_OWNER_URL, else DATABASE_URL): detaching is not the app's right. The detach writes
 * the audit event partition.detach (partition.drop) in its transaction; the running app's sealer seals it. The audit
 * log's own months are refused for now (verification from a checkpoint is not built yet).
 */
const USAGE_ZH = '用法';

async function main(argv: string[]): Promise<number> {
  const [command, table, month] = argv;
  const flags = new Set(argv.filter((a) => a.startsWith('--')));
  const url = process.env.DATABASE_OWNER_URL || process.env.DATABASE_URL;
  if (!url) {
    process.stderr.write('未设置 DATABASE_OWNER_URL 或 DATABASE_URL / DATABASE_OWNER_URL or DATABASE_URL is not set\n');
    return 2;
  }
  if (!PARTITIONED_TABLES.includes(table as PartitionedTable) || (command !== 'list' && command !== 'detach')
    || [...flags].some((f) => f !== '--drop')) {
    process.stderr.write(`${USAGE_ZH} / usage: list <表 table> | detach <表 table> <YYYY-MM> [--drop]; 表 / tables: ${PARTITIONED_TABLES.join(', ')}\n`);
    return 2;
  }
  if (command === 'detach' && table === 'audit_event') {
    process.stderr.write('审计日志的按月归档需要从检查点开始校验，尚未提供 / archiving audit months needs verification from a checkpoint, not built yet\n');
    return 2;
  }
  if (command === 'detach' && !/^\d{4}-(0[1-9]|1[0-2])$/.test(month ?? '')) {
    process.stderr.write(`月份须为 YYYY-MM / the month must be YYYY-MM (got ${month ?? 'nothing'})\n`);
    return 2;
  }
  const ds = await new DataSource(dataSourceOptions(url, { extra: { max: 2 } })).initialize();
  try {
    const repo = new PartitionsRepository(ds);
    if (command === 'list') {
      for (const p of await repo.partitions(table)) process.stdout.write(`${p.name}\t${p.bound}\t≈ ${p.estimatedRows} 行 / rows\n`);
      return 0;
    }
    // Only what recording needs from the sealer: nothing to wake here (the app's sealer picks the event up).
    const sealer = { kick: () => undefined } as unknown as AuditSealer;
    const archive = new PartitionArchive(ds, repo, new AuditService(new AuditRepository(ds), sealer));
    const drop = flags.has('--drop');
    const res = await archive.detach(table as PartitionedTable, month, drop);
    const deleted = Object.entries(res.referencingDeleted).map(([t, n]) => `${t} ${n}`).join(', ') || '-';
    process.stdout.write(drop
      ? `${res.partition} 已分离并删除 / detached and dropped; 删除的引用行 / referencing rows deleted: ${deleted}\n`
      : `${res.partition} 已分离，现为独立的表 / detached (now a table of its own); 删除的引用行 / referencing rows deleted: ${deleted}\n`);
    return 0;
  } catch (err) {
    if (err instanceof ArchiveRefused) {
      process.stderr.write(`${err.message}\n`);
      return 1;
    }
    throw err;
  } finally {
    await ds.destroy();
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code), (err) => {
  process.stderr.write(`${err?.message ?? err}\n`);
  process.exit(2);
});
