import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { divisionScope, scopeCondition } from '../common/scope';
import { GENESIS_HASH, StoredEvent } from './audit-chain';
import { AuditEvent } from './audit-event.entity';

/** Any constant works; it serializes appends so each event chains to the one committed before it. */
const AUDIT_CHAIN_LOCK = 7_310_001;

@Injectable()
export class AuditRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Takes the chain lock for the rest of the transaction and returns the hash to chain to. */
  async lockAndGetLastHash(em: EntityManager): Promise<string> {
    await em.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_CHAIN_LOCK]);
    const rows: { hash: string }[] = await em.query('SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1');
    return rows[0]?.hash ?? GENESIS_HASH;
  }

  async insert(em: EntityManager, row: Omit<AuditEvent, 'id'>): Promise<void> {
    await em.insert(AuditEvent, row as Parameters<EntityManager['insert']>[1]);
  }

  /** Events in id order after `afterId`, for verification in constant memory. */
  async batchAfter(afterId: string, limit: number): Promise<StoredEvent[]> {
    const rows = await this.dataSource.getRepository(AuditEvent).createQueryBuilder('e')
      .where('e.id > :afterId', { afterId }).orderBy('e.id', 'ASC').limit(limit).getMany();
    return rows.map((r) => ({
      id: String(r.id), occurredAt: r.occurredAt.toISOString(), actorId: r.actorId, actorRole: r.actorRole,
      actorName: r.actorName, action: r.action, entityType: r.entityType, entityId: r.entityId, scopePath: r.scopePath,
      before: r.before, after: r.after, requestId: r.requestId, prevHash: r.prevHash, hash: r.hash,
    }));
  }

  /** Events of a division subtree from `fromId` on (those a break at `fromId` leaves unverified). */
  async countInScopeFrom(fromId: string, scopePath: string): Promise<number> {
    const params: unknown[] = [fromId];
    const [row]: { n: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_event WHERE id >= $1 AND ${scopeCondition(divisionScope(scopePath), { divisionPath: 'scope_path' }).bind(params)}`, params);
    return row.n;
  }

  async page(filter: { scopePath: string; entityType?: string; entityId?: string }, offset: number, limit: number): Promise<[AuditEvent[], number]> {
    const inScope = scopeCondition(divisionScope(filter.scopePath), { divisionPath: 'e.scope_path' });
    const qb = this.dataSource.getRepository(AuditEvent).createQueryBuilder('e').where(inScope.sql, inScope.params);
    if (filter.entityType) qb.andWhere('e.entity_type = :t', { t: filter.entityType });
    if (filter.entityId) qb.andWhere('e.entity_id = :eid', { eid: filter.entityId });
    return qb.orderBy('e.id', 'DESC').skip(offset).take(limit).getManyAndCount();
  }
}
