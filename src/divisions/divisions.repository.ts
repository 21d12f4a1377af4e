import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Scope, scopeCondition } from '../common/scope';
import { Division } from './division.entity';

@Injectable()
export class DivisionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  findByCode(code: string, em: EntityManager = this.dataSource.manager): Promise<Division | null> {
    return em.findOneBy(Division, { code });
  }

  /** The divisions inside the scope (a division scope's subtree; an institution sees its own division). */
  async page(scope: Scope, filter: { parentCode?: string; level?: string }, offset: number, limit: number): Promise<[Division[], number]> {
    const inScope = scopeCondition(scope, { divisionPath: 'd.path' });
    const qb = this.dataSource.getRepository(Division).createQueryBuilder('d').where(inScope.sql, inScope.params);
    if (filter.parentCode) qb.andWhere('d.parent_code = :pc', { pc: filter.parentCode });
    if (filter.level) qb.andWhere('d.level = :lv', { lv: filter.level });
    return qb.orderBy('d.path', 'ASC').skip(offset).take(limit).getManyAndCount();
  }

  /** Inserts a division under its parent unless it exists; returns the stored row. */
  async insertIfMissing(em: EntityManager, d: Omit<Division, 'path'>): Promise<{ division: Division; created: boolean }> {
    const existing = await em.findOneBy(Division, { code: d.code });
    if (existing) return { division: existing, created: false };
    const parent = d.parentCode ? await em.findOneBy(Division, { code: d.parentCode }) : null;
    if (d.parentCode && !parent) throw new Error(`parent division ${d.parentCode} missing for ${d.code}`);
    const division = em.create(Division, { ...d, path: `${parent?.path ?? '/'}${d.code}/` });
    await em.insert(Division, division);
    return { division, created: true };
  }
}
