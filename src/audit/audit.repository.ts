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

  async page(filter: AuditFilter, offset: number, limit: number): Promise<[AuditEvent[], number]> {
    const inScope = scopeCondition(divisionScope(filter.scopePath), { divisionPath: 'e.scope_path' });
    const qb = this.dataSource.getRepository(AuditEvent).createQueryBuilder('e').where(inScope.sql, inScope.params);
    if (filter.entityType) qb.andWhere('e.entity_type = :t', { t: filter.entityType });
    if (filter.entityId) qb.andWhere('e.entity_id = :eid', { eid: filter.entityId });
    if (filter.actor) qb.andWhere('e.actor_name = :actor', { actor: filter.actor });
    if (filter.action) qb.andWhere('e.action = :action', { action: filter.action });
    if (filter.from) qb.andWhere('e.occurred_at >= :from', { from: filter.from });
    if (filter.until) qb.andWhere('e.occurred_at < :until', { until: filter.until });
    return qb.orderBy('e.id', 'DESC').skip(offset).take(limit).getManyAndCount();
  }

  /** The entity types and actions that occur in a subtree (the filter choices of the audit log page). */
  async vocabulary(scopePath: string): Promise<{ entityTypes: string[]; actions: string[] }> {
    const params: unknown[] = [];
    const where = scopeCondition(divisionScope(scopePath), { divisionPath: 'scope_path' }).bind(params);
    const [types, actions]: { v: string }[][] = await Promise.all([
      this.dataSource.query(`SELECT DISTINCT entity_type AS v FROM audit_event WHERE ${where} ORDER BY 1 LIMIT 100`, params),
      this.dataSource.query(`SELECT DISTINCT action AS v FROM audit_event WHERE ${where} ORDER BY 1 LIMIT 300`, params),
    ]);
    return { entityTypes: types.map((r) => r.v), actions: actions.map((r) => r.v) };
  }

  /** The newest event of a subtree (null: none yet). */
  async lastEventAt(scopePath: string): Promise<Date | null> {
    const params: unknown[] = [];
    const where = scopeCondition(divisionScope(scopePath), { divisionPath: 'scope_path' }).bind(params);
    const [row]: { at: Date | null }[] = await this.dataSource.query(`SELECT max(occurred_at) AS at FROM audit_event WHERE ${where}`, params);
    return row?.at ?? null;
  }

  async insertVerification(v: Omit<VerificationRecord, 'id'>): Promise<VerificationRecord> {
    const [row] = await this.dataSource.query(
      `INSERT INTO audit_verification (verified_at, scope_path, verified_by, ok, checked, unverified, first_broken_id, first_broken_reason, broken_outside_scope)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id::text AS id`,
      [v.verifiedAt, v.scopePath, v.verifiedBy, v.ok, v.checked, v.unverified, v.firstBrokenId, v.firstBrokenReason, v.brokenOutsideScope]);
    return { ...v, id: row.id };
  }

  /** The last verification reported to exactly this subtree (each admin verifies for its own). */
  async lastVerification(scopePath: string): Promise<VerificationRecord | null> {
    const [row] = await this.dataSource.query(
      `SELECT v.id::text AS id, v.verified_at AS "verifiedAt", v.scope_path AS "scopePath", v.verified_by AS "verifiedBy", u.display_name AS "verifiedByName",
              v.ok, v.checked, v.unverified, v.first_broken_id::text AS "firstBrokenId", v.first_broken_reason AS "firstBrokenReason",
              v.broken_outside_scope AS "brokenOutsideScope"
         FROM audit_verification v LEFT JOIN app_user u ON u.id = v.verified_by
        WHERE v.scope_path = $1 ORDER BY v.verified_at DESC, v.id DESC LIMIT 1`, [scopePath]);
    return row ?? null;
  }
}

export interface AuditFilter {
  scopePath: string;
  entityType?: string;
  entityId?: string;
  /** the actor's username */
  actor?: string;
  action?: string;
  /** occurred at or after */
  from?: Date;
  /** occurred before */
  until?: Date;
}

/** One verification of the chain, as reported to a subtree (table audit_verification). */
export interface VerificationRecord {
  id: string;
  verifiedAt: Date;
  scopePath: string;
  verifiedBy: string | null;
  verifiedByName?: string | null;
  ok: boolean;
  checked: number;
  unverified: number;
  firstBrokenId: string | null;
  firstBrokenReason: 'prev_hash_mismatch' | 'hash_mismatch' | null;
  brokenOutsideScope: boolean;
}
