import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Scope, scopeCondition } from '../common/scope';
import { Hazard } from './hazard.entity';

export interface HazardFilter {
  overdue?: boolean;
  divisionCode?: string;
  status?: string;
  severity?: string;
  category?: string;
  institutionId?: string;
  listed?: boolean;
}

/** A hazard found by a submitted inspection, as it is first stored (status open). */
export type NewHazardRow = Pick<Hazard,
  'inspectionId' | 'institutionId' | 'divisionPath' | 'checklistVersionId' | 'itemCode' | 'category' | 'titleZh' | 'severity'
  | 'majorCriterion' | 'scope' | 'location' | 'note' | 'deadlineDays' | 'dueDate' | 'planDueDate' | 'listed'>;

/** Hazard columns of the scope condition. */
export const HAZARD_SCOPE = { divisionPath: 'h.division_path', institutionId: 'h.institution_id' } as const;

/** Hazard SQL, scoped: an institution sees its own hazards, a bureau or inspector the division subtree. */
@Injectable()
export class HazardsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insertMany(em: EntityManager, rows: NewHazardRow[]): Promise<{ id: string; itemCode: string; dueDate: string }[]> {
    if (!rows.length) return [];
    const result = await em.getRepository(Hazard).createQueryBuilder().insert()
      .values(rows.map((r) => ({ ...r, status: 'open' as const, overdue: false, version: 1 })))
      .returning('id, item_code, due_date::text AS due_date').execute();
    // Ordered like forInspection() (C collation: byte order), so a replayed submission answers identically.
    return (result.raw as { id: string; item_code: string; due_date: string }[])
      .map((r) => ({ id: r.id, itemCode: r.item_code, dueDate: r.due_date }))
      .sort((a, b) => (a.itemCode < b.itemCode ? -1 : a.itemCode > b.itemCode ? 1 : 0));
  }

  forInspection(inspectionId: string, em: EntityManager = this.dataSource.manager): Promise<Hazard[]> {
    return em.getRepository(Hazard).find({ where: { inspectionId }, order: { itemCode: 'ASC' } });
  }

  page(scope: Scope, filter: HazardFilter, offset: number, limit: number): Promise<[Hazard[], number]> {
    const inScope = scopeCondition(scope, HAZARD_SCOPE);
    const qb = this.dataSource.getRepository(Hazard).createQueryBuilder('h').where(inScope.sql, inScope.params);
    if (filter.status) qb.andWhere('h.status = :status', { status: filter.status });
    if (filter.severity) qb.andWhere('h.severity = :severity', { severity: filter.severity });
    if (filter.category) qb.andWhere('h.category = :category', { category: filter.category });
    if (filter.institutionId) qb.andWhere('h.institution_id = :fi', { fi: filter.institutionId });
    if (filter.listed !== undefined) qb.andWhere('h.listed = :listed', { listed: filter.listed });
    if (filter.overdue !== undefined) qb.andWhere('h.overdue = :overdue', { overdue: filter.overdue });
    if (filter.divisionCode) qb.andWhere(`h.division_path LIKE '%/' || :dc || '/%'`, { dc: filter.divisionCode });
    return qb.orderBy(`CASE h.status WHEN 'closed' THEN 1 ELSE 0 END`).addOrderBy('h.due_date').addOrderBy('h.item_code')
      .skip(offset).take(limit).getManyAndCount();
  }
}
