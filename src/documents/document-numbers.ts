import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DocumentCountersRepository } from './document-counters.repository';

/**
 * Gapless document numbers per series and year (e.g. 常天民安检〔2026〕第0007号).
 * The counter row is locked until the caller's transaction ends, so concurrent issuers queue up
 * and a rolled-back transaction gives its number back: no gaps, no duplicates.
 */
@Injectable()
export class DocumentNumbers {
  constructor(private readonly counters: DocumentCountersRepository) {}

  next(em: EntityManager, series: string, year: number): Promise<number> {
    return this.counters.increment(em, series, year);
  }
}

/** 常天民安检〔2026〕第0007号 */
export function formatDocumentNo(abbreviation: string, type: string, year: number, n: number): string {
  return `${abbreviation}${type}〔${year}〕第${String(n).padStart(4, '0')}号`;
}
