import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** The per-series, per-year counters behind gapless document numbers. */
@Injectable()
export class DocumentCountersRepository {
  /** Takes the next number; the counter row stays locked by the UPDATE until the caller's transaction ends. */
  async increment(em: EntityManager, series: string, year: number): Promise<number> {
    const rows: { last: number }[] = await em.query(
      `INSERT INTO document_counter (series, year, last) VALUES ($1, $2, 1)
       ON CONFLICT (series, year) DO UPDATE SET last = document_counter.last + 1
       RETURNING last`,
      [series, year],
    );
    return rows[0].last;
  }
}
