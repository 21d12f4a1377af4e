import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * Reads a document number series without taking a number (the preview's "将编号为…"): the last number given in a
 * series and year, 0 before the first. Nothing is locked or reserved; the number is taken when the notice is issued
 * (DocumentNumbers.next, in the issuing transaction), so the peeked one is exact only if nobody issues first.
 */
@Injectable()
export class NoticeSeriesRepository {
  constructor(private readonly dataSource: DataSource) {}

  async lastNumber(series: string, year: number): Promise<number> {
    const [row]: { last: number }[] = await this.dataSource.query(
      'SELECT last FROM document_counter WHERE series = $1 AND year = $2', [series, year]);
    return row?.last ?? 0;
  }
}
