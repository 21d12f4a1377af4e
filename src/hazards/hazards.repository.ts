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

/**
 * A hazard found by a submitted inspection, as it is first stored (status open). `listed` is always stored false:
 * a major hazard is listed (挂牌督办) only by the sweep, once its objection window has closed with no objection
 * pending (hazard-lifecycle.ts, action `list`).
 */
export type NewHazardRow = Pick<Hazard,
  'inspectionId' | 'institutionId' | 'divisionPath' | 'checklistVersionId' | 'itemCode' | 'category' | 'titleZh' | 'severity'
  | 'majorCriterion' | 'scope' | 'location' | 'note' | 'deadlineDays' | 'dueDate' | 'planDueDate' | 'listed'
  | 'productPolicyVersionId' | 'majorStatus' | 'suspectedReason' | 'suspectedBy' | 'majorConfirmDue'>;

/** "Today" as the database reads it: the Asia/Shanghai calendar date of now(). */
export const SHANGHAI_TODAY_SQL = `(now() AT TIME ZONE 'Asia/Shanghai')::date`;

/**
 * 逾期 — THE overdue definition, as SQL: still waiting for the institution (open or returned) after its due date
 * (a responded hazard waits for the bureau, not the institution). `alias` is the hazard table's alias; `today` a
 * date expression or parameter (default: the database's Shanghai today). Used by the hazard entity (`overdue`,
 * computed on every read), the ledger filter, the exports, the dashboard and the sweep; its TypeScript twin is
 * `isOverdue` (rectification/domain/hazard-lifecycle.ts).
 */
export function overdueSql(alias: string, today: string = SHANGHAI_TODAY_SQL): string {
  return `(${alias}.status IN ('open','returned') AND ${alias}.due_date < ${today})`;
}

/** Hazard columns of the scope condition. */
export const HAZARD_SCOPE = { divisionPath: 'h.division_path', institutionId: 'h.institution_id' } as const;

/** Hazard SQL, scoped: an institution sees its own hazards, a bureau or inspector the division subtree. */
@Injectable()
export class HazardsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insertMany(em: EntityManager, rows: NewHazardRow[]): Promise<{ id: string; itemCode: string; dueDate: string }[]> {
    if (!rows.length) return [];
    const result = await em.getRepository(Hazard).createQueryBuilder().insert()
      .values(rows.map((r) => ({ ...r, listed: false, status: 'open' as const, escalatedOverdue: false, version: 1 })))
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
    if (filter.overdue !== undefined) qb.andWhere(filter.overdue ? overdueSql('h') : `NOT ${overdueSql('h')}`);
    if (filter.divisionCode) qb.andWhere(`h.division_path LIKE '%/' || :dc || '/%'`, { dc: filter.divisionCode });
    return qb.orderBy(`CASE h.status WHEN 'closed' THEN 1 ELSE 0 END`).addOrderBy('h.due_date').addOrderBy('h.item_code')
      .skip(offset).take(limit).getManyAndCount();
  }
}
