import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/**
 * The numbers behind document numbers (docs/adr/0002-document-numbers.md): a gapless series takes the next value of
 * its per-series, per-year counter row (locked until the transaction ends); any other series a sequence's next value
 * (`yian_next_document_number`, migration SubmissionPath: never waits, never given back).
 */
@Injectable()
export class DocumentCountersRepository {
  /** Takes the next number; the counter row stays locked by the UPDATE until the caller's transaction ends. */
  async increment(em: EntityManager, series: string, year: number): Promise<number> {
    const rows: { last: number }[] = await em.query(`${COUNTER_NEXT_SQL('$1', '$2')} RETURNING last`, [series, year]);
    return rows[0].last;
  }
}

/**
 * The gapless counter's next value for the series and year parameters (a statement to which the caller adds RETURNING
 * last, or a CTE): the row is locked from here to the end of the transaction, so it belongs at the very end of one.
 */
export const COUNTER_NEXT_SQL = (series: string, year: string) => `INSERT INTO document_counter (series, year, last) VALUES (${series}, ${year}, 1)
       ON CONFLICT (series, year) DO UPDATE SET last = document_counter.last + 1`;

/** A non-gapless series' next value (bigint) as an SQL expression of the series and year parameters. */
export const SEQUENCE_NEXT_SQL = (series: string, year: string) => `yian_next_document_number(${series}, ${year})`;

/**
 * `formatDocumentNo` in SQL, for a number taken in the statement that writes it: the prefix parameter
 * (`documentNoPrefix`), the number zero-padded to 4 digits (longer ones as they are), 号.
 */
export const DOCUMENT_NO_SQL = (prefix: string, n: string) => `${prefix} || lpad(${n}::text, greatest(4, length(${n}::text)), '0') || '号'`;
