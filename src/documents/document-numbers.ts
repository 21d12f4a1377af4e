import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DocumentCountersRepository } from './document-counters.repository';

/**
 * The document series and whether each must be gapless — a product decision, made here in one place
 * (docs/adr/0002-document-numbers.md). 整改通知书 (notices) are served on the institution as the bureau's order to
 * correct within a deadline: their register accounts for every number, so the series is gapless and its counter is
 * taken as the last statement of the issuing transaction. Inspection records (检查记录) are the inspectors' own
 * record, filed by every submission: unique, increasing numbers, gaps allowed (a refused or failed submission may
 * use one up), taken from a sequence so that no submission waits for another.
 */
export const DOCUMENT_SERIES = {
  'inspection-report': { type: '民安检', gapless: false },
  notice: { type: '民安整', gapless: true },
} as const satisfies Record<string, { type: string; gapless: boolean }>;
export type DocumentSeries = keyof typeof DOCUMENT_SERIES;

/** The counter key of a bureau's series, e.g. `320400/320402:notice`. */
export function seriesKey(bureauSeries: string, series: DocumentSeries): string {
  return `${bureauSeries}:${series}`;
}

/**
 * Document numbers per series and year (e.g. 常天民安检〔2026〕第0007号). A gapless series' counter row is locked until
 * the caller's transaction ends, so concurrent issuers queue up and a rolled-back transaction gives its number back:
 * no gaps, no duplicates. Any other series never waits (a sequence) and never gives a number back.
 */
@Injectable()
export class DocumentNumbers {
  constructor(private readonly counters: DocumentCountersRepository) {}

  next(em: EntityManager, series: string, year: number): Promise<number> {
    return this.counters.increment(em, series, year);
  }
}

/** 常天民安检〔2026〕第 — everything of a document number before its digits. */
export function documentNoPrefix(abbreviation: string, type: string, year: number): string {
  return `${abbreviation}${type}〔${year}〕第`;
}

/** 常天民安检〔2026〕第0007号 */
export function formatDocumentNo(abbreviation: string, type: string, year: number, n: number): string {
  return `${documentNoPrefix(abbreviation, type, year)}${String(n).padStart(4, '0')}号`;
}
