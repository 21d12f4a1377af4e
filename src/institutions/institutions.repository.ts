import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { divisionScope, Scope, scopeCondition } from '../common/scope';
import { updateIfVersion } from '../common/versioned-update.repository';
import { Institution } from './institution.entity';

export interface InstitutionFilter {
  divisionPath?: string;
  kind?: string;
  status?: string;
  name?: string;
}

const INSTITUTION_SCOPE = { divisionPath: 'i.division_path', institutionId: 'i.id' } as const;

/** The only place with institution SQL; every read and write is limited to the caller's scope. */
@Injectable()
export class InstitutionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  private scoped(scope: Scope, em: EntityManager = this.dataSource.manager): SelectQueryBuilder<Institution> {
    const qb = em.getRepository(Institution).createQueryBuilder('i');
    const inScope = scopeCondition(scope, INSTITUTION_SCOPE);
    return qb.where(inScope.sql, inScope.params);
  }

  async page(scope: Scope, filter: InstitutionFilter, offset: number, limit: number): Promise<[Institution[], number]> {
    const qb = this.scoped(scope);
    if (filter.divisionPath) {
      const within = scopeCondition(divisionScope(filter.divisionPath), INSTITUTION_SCOPE);
      qb.andWhere(within.sql, within.params);
    }
    if (filter.kind) qb.andWhere('i.kind = :kind', { kind: filter.kind });
    if (filter.status) qb.andWhere('i.status = :status', { status: filter.status });
    if (filter.name) qb.andWhere(`i.name LIKE :name ESCAPE '\\'`, { name: `%${filter.name.replace(/[\\%_]/g, '\\$&')}%` });
    return qb.orderBy('i.division_path').addOrderBy('i.name').skip(offset).take(limit).getManyAndCount();
  }

  findById(scope: Scope, id: string, em?: EntityManager, lock = false): Promise<Institution | null> {
    const qb = this.scoped(scope, em).andWhere('i.id = :id', { id });
    if (lock) qb.setLock('pessimistic_write');
    return qb.getOne();
  }

  async creditCodeTaken(creditCode: string, em: EntityManager, exceptId?: string): Promise<boolean> {
    const qb = em.getRepository(Institution).createQueryBuilder('i').where('i.credit_code = :c', { c: creditCode });
    if (exceptId) qb.andWhere('i.id <> :id', { id: exceptId });
    return (await qb.getCount()) > 0;
  }

  async insert(em: EntityManager, values: Omit<Institution, 'id' | 'createdAt' | 'updatedAt'>): Promise<Institution> {
    const result = await em.getRepository(Institution).createQueryBuilder().insert().values(values).execute();
    return em.findOneByOrFail(Institution, { id: result.identifiers[0].id });
  }

  /** Applies `changes` only if the row is still at `version`; returns false when someone else changed it first. */
  updateIfVersion(em: EntityManager, scope: Scope, id: string, version: number, changes: Partial<Institution>): Promise<boolean> {
    return updateIfVersion(em, Institution, scope, { divisionPath: 'division_path', institutionId: 'id' }, id, version, changes);
  }

  /** How many institutions of each kind and status the scope holds (the bureau home page). */
  countsByKindAndStatus(scope: Scope): Promise<{ kind: string; status: string; count: number }[]> {
    return this.scoped(scope).select('i.kind', 'kind').addSelect('i.status', 'status').addSelect('count(*)::int', 'count')
      .groupBy('i.kind').addGroupBy('i.status').getRawMany();
  }

  /** The names of these institutions, those in the scope only. */
  async namesByIds(scope: Scope, ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows = await this.scoped(scope).select('i.id', 'id').addSelect('i.name', 'name')
      .andWhere('i.id IN (:...ids)', { ids }).getRawMany<{ id: string; name: string }>();
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /** The division paths of these institutions, those in the scope only. */
  async divisionPathsByIds(scope: Scope, ids: string[], em: EntityManager = this.dataSource.manager): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows = await this.scoped(scope, em).select('i.id', 'id').addSelect('i.division_path', 'divisionPath')
      .andWhere('i.id IN (:...ids)', { ids }).getRawMany<{ id: string; divisionPath: string }>();
    return new Map(rows.map((r) => [r.id, r.divisionPath]));
  }

  /** Ids of the institutions in a division subtree matching kinds and statuses (the pool of a plan). */
  async idsMatching(scope: Scope, divisionPath: string, kinds: string[] | undefined, statuses: string[]): Promise<string[]> {
    const within = scopeCondition(divisionScope(divisionPath), INSTITUTION_SCOPE);
    const qb = this.scoped(scope).select('i.id', 'id')
      .andWhere(within.sql, within.params)
      .andWhere('i.status IN (:...statuses)', { statuses });
    if (kinds?.length) qb.andWhere('i.kind IN (:...kinds)', { kinds });
    return (await qb.getRawMany<{ id: string }>()).map((r) => r.id);
  }

  /** For seeding: inserts unless the credit code exists. */
  async insertIfMissing(em: EntityManager, values: Omit<Institution, 'id' | 'createdAt' | 'updatedAt'>): Promise<{ institution: Institution; created: boolean }> {
    const existing = await em.findOneBy(Institution, { creditCode: values.creditCode });
    if (existing) return { institution: existing, created: false };
    return { institution: await this.insert(em, values), created: true };
  }
}
