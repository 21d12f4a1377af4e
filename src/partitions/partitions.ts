/** 按月分区: the history tables partitioned by month (migration MonthlyPartitions) and how far ahead they are kept. */
export const PARTITIONED_TABLES = ['inspection_response', 'audit_event', 'notification'] as const;
export type PartitionedTable = (typeof PARTITIONED_TABLES)[number];

/** The daily job keeps the current month and this many ahead, so a month's first row never waits for a partition. */
export const MONTHS_AHEAD = 3;

/** `<table>_pYYYYMM` of the month `month` ('YYYY-MM'). */
export function partitionName(table: string, month: string): string {
  return `${table}_p${month.replace('-', '')}`;
}

/** The month's bounds: from its first day 00:00 China time to the next month's (the partitions' bounds). */
export function monthBounds(month: string): { lo: Date; hi: Date } {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!m) throw new Error(`month must be YYYY-MM (got ${month})`);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const at = (year: number, month0: number) => new Date(Date.UTC(year, month0, 1) - 8 * 3600_000);
  return { lo: at(y, mo - 1), hi: at(mo === 12 ? y + 1 : y, mo === 12 ? 0 : mo) };
}
