import { Injectable } from '@nestjs/common';
import { AppError } from '../common/app-error';
import { PageQuery, Page, pageOf } from '../common/pagination';
import { Scope, pathWithin } from '../common/scope';
import { Division } from './division.entity';
import { DivisionsRepository } from './divisions.repository';

@Injectable()
export class DivisionsService {
  constructor(private readonly divisions: DivisionsRepository) {}

  async list(scope: Scope, query: PageQuery & { parentCode?: string; level?: string }): Promise<Page<Division>> {
    const [items, total] = await this.divisions.page(scope, query, (query.page - 1) * query.pageSize, query.pageSize);
    return pageOf(items, total, query);
  }

  /** Divisions change only by data load; a short-lived cache spares a query on every document number. */
  private readonly cache = new Map<string, { at: number; division: Promise<Division | null> }>();

  find(code: string): Promise<Division | null> {
    const hit = this.cache.get(code);
    if (hit && Date.now() - hit.at < 5 * 60_000) return hit.division;
    const division = this.divisions.findByCode(code);
    this.cache.set(code, { at: Date.now(), division });
    division.catch(() => this.cache.delete(code));
    return division;
  }

  /** A division the scope may place things in, or a field error naming `field`. */
  async requireWithin(scope: Scope, code: string, field: string): Promise<Division> {
    const division = await this.divisions.findByCode(code);
    if (!division) throw AppError.validation([{ field, reason: 'divisionNotFound' }]);
    if (!pathWithin(division.path, scope)) throw AppError.validation([{ field, reason: 'divisionOutOfScope' }]);
    return division;
  }
}
