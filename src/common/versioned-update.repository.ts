import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { Scope, ScopeColumns, scopeCondition } from './scope';

/**
 * Applies `changes` to a versioned row (columns id, version, updated_at) only if it is still at `version` and in
 * the scope; returns false when someone else changed it first (or it is not the caller's to change).
 */
export async function updateIfVersion<E extends ObjectLiteral>(
  em: EntityManager, entity: EntityTarget<E>, scope: Scope, scopeColumns: ScopeColumns, id: string, version: number, changes: Partial<E>,
): Promise<boolean> {
  const qb = em.getRepository(entity).createQueryBuilder().update()
    .set({ ...changes, version: () => 'version + 1', updatedAt: () => 'now()' } as QueryDeepPartialEntity<E>)
    .where('id = :id AND version = :version', { id, version });
  const inScope = scopeCondition(scope, scopeColumns);
  qb.andWhere(inScope.sql, inScope.params);
  return (await qb.execute()).affected === 1;
}
