import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/**
 * Gapless document numbers per series and year (e.g. 常天民安检〔2026〕第0007号).
 * The counter row is locked by the UPDATE until the caller's transaction ends, so concurrent issuers queue up
 * and a rolled-back transaction gives its number back: no gaps, no duplicates.
 */
@Injectable()
export class DocumentNumbers {
  async next(em: EntityManager, series: string, year: number): Promise<number> {
    const rows: { last: number }[] = await em.query(
      `INSERT INTO document_counter (series, year, last) VALUES ($1, $2, 1)
       ON CONFLICT (series, year) DO UPDATE SET last = document_counter.last + 1
       RETURNING last`,
      [series, year],
    );
    return rows[0].last;
  }
}

/** The issuing bureau's short name from its division names: 常州市 → 常; 常州市/天宁区 → 常天. */
export function bureauAbbreviation(divisionNames: string[]): string {
  return divisionNames.slice(0, 2).map((n) => n.charAt(0)).join('');
}

/** 常天民安检〔2026〕第0007号 */
export function formatDocumentNo(abbreviation: string, type: string, year: number, n: number): string {
  return `${abbreviation}${type}〔${year}〕第${String(n).padStart(4, '0')}号`;
}
