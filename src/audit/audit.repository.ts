import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { divisionScope, scopeCondition } from '../common/scope';
import { BreakReason, ChainedFields, Checkpoint, HashAlg, SealedRow, SealValues } from './audit-chain';
import type { AuditWarning } from './audit-messages';
import { AuditEvent } from './audit-event.entity';

/**
 * The sealer's advisory lock (pg_try_advisory_xact_lock), taken only by the sealer, never by a request. The two-key
 * form with hashtext('yian:audit-sealer'): no other lock of the app uses that name (the single-key locks, e.g. the
 * rule-set publish lock 7_310_002, live in the other key space).
 */
const AUDIT_SEALER_LOCK_SQL = `SELECT pg_try_advisory_xact_lock(hashtext('yian:audit-sealer'), 0) AS ok`;

const EVENT_COLUMNS = `e.id::text AS id, e.xid::text AS xid,
  to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "occurredAt", e.occurred_at::text AS "occurredAtText",
  e.actor_id AS "actorId", e.actor_role AS "actorRole", e.actor_name AS "actorName", e.action, e.entity_type AS "entityType",
  e.entity_id AS "entityId", e.scope_path AS "scopePath", e.before, e.after, e.request_id AS "requestId",
  e.prev_hash AS "prevHash", e.hash`;

/** An event as the sealer reads it. */
export interface UnsealedEvent extends ChainedFields {
  id: string;
  xid: string | null;
  /** occurred_at exactly as stored (copied into the seal, for the join). */
  occurredAtText: string;
  prevHash: string | null;
  hash: string | null;
}

/** The last sealed event (the chain head). */
export interface SealHead {
  seq: string;
  eventId: string;
  eventXid: string | null;
  hash: string;
}

export interface SealInsert {
  seq: string;
  eventId: string;
  eventXid: string | null;
  occurredAtText: string;
  alg: HashAlg;
  prevHash: string;
  hash: string;
  mac: string;
}

function toChained(r: Record<string, unknown>): UnsealedEvent {
  return {
    id: r.id as string, xid: r.xid as string | null, occurredAt: r.occurredAt as string, occurredAtText: r.occurredAtText as string,
    actorId: r.actorId as string | null, actorRole: r.actorRole as string, actorName: r.actorName as string, action: r.action as string,
    entityType: r.entityType as string, entityId: r.entityId as string, scopePath: r.scopePath as string | null,
    before: r.before, after: r.after, requestId: r.requestId as string | null,
    prevHash: (r.prevHash as string | null) ?? null, hash: (r.hash as string | null) ?? null,
  };
}

@Injectable()
export class AuditRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Appends events, unchained, with the writing transaction's id; one statement, no lock. The sealer chains them
   * once the transaction has ended (see AuditSealer).
   */
  async insertMany(em: EntityManager, r: Omit<ChainedFields, 'occurredAt'>[], occurredAt: Date): Promise<void> {
    await em.query(
      `INSERT INTO audit_event (occurred_at, actor_id, actor_role, actor_name, action, entity_type, entity_id, scope_path, before, after, request_id, xid)
       SELECT $1, u.actor_id, u.actor_role, u.actor_name, u.action, u.entity_type, u.entity_id, u.scope_path, u.before, u.after, u.request_id, pg_current_xact_id()
         FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::jsonb[], $10::jsonb[], $11::text[])
              WITH ORDINALITY AS u(actor_id, actor_role, actor_name, action, entity_type, entity_id, scope_path, before, after, request_id, n)
        ORDER BY u.n`,
      [occurredAt, r.map((x) => x.actorId), r.map((x) => x.actorRole), r.map((x) => x.actorName), r.map((x) => x.action),
        r.map((x) => x.entityType), r.map((x) => x.entityId), r.map((x) => x.scopePath),
        r.map((x) => (x.before === null ? null : JSON.stringify(x.before))), r.map((x) => (x.after === null ? null : JSON.stringify(x.after))),
        r.map((x) => x.requestId)]);
  }

  /** The sealer's turn: true when this transaction is the only sealer (held to its end; a request never waits on it). */
  async trySealerLock(em: EntityManager): Promise<boolean> {
    const [row]: { ok: boolean }[] = await em.query(AUDIT_SEALER_LOCK_SQL);
    return row.ok;
  }

  /** The last seal with its MAC (to check the key against the chain when there is no checkpoint yet). */
  async lastSeal(em: EntityManager | DataSource = this.dataSource): Promise<(SealValues & { mac: string }) | null> {
    const [row] = await em.query(
      `SELECT s.seq::text AS seq, s.event_id::text AS "eventId", s.alg, s.prev_hash AS "prevHash", s.hash, s.mac FROM audit_seal s ORDER BY s.seq DESC LIMIT 1`);
    return row ?? null;
  }

  /**
   * Whether the database's transaction ids run behind the chain head's (a logical restore into a new cluster: the
   * stored xids are the old cluster's, the new one counts from the start again), so nothing new could be sealed.
   */
  async xidBehind(headXid: string | null, em: EntityManager | DataSource = this.dataSource): Promise<boolean> {
    if (!headXid) return false;
    const [row]: { behind: boolean }[] = await em.query(`SELECT $1::xid8 >= pg_snapshot_xmax(pg_current_snapshot()) AS behind`, [headXid]);
    return row.behind;
  }

  async head(em: EntityManager | DataSource = this.dataSource): Promise<SealHead | null> {
    const [row] = await em.query(
      `SELECT s.seq::text AS seq, s.event_id::text AS "eventId", s.event_xid::text AS "eventXid", s.hash FROM audit_seal s ORDER BY s.seq DESC LIMIT 1`);
    return row ?? null;
  }

  /** Events of the previous release (xid NULL, already hashed) after `afterId`, in id order: the legacy chain. */
  async legacyAfter(em: EntityManager, afterId: string, limit: number): Promise<UnsealedEvent[]> {
    const rows = await em.query(`SELECT ${EVENT_COLUMNS} FROM audit_event e WHERE e.xid IS NULL AND e.id > $1 ORDER BY e.id LIMIT $2`, [afterId, limit]);
    return rows.map(toChained);
  }

  /**
   * Unsealed events after (xid, id), in (xid, id) order, of transactions that have all ended: xid below the xmin of
   * this statement's snapshot means no transaction that could still add an event before them is running.
   */
  async finishedAfter(em: EntityManager, xid: string, id: string, limit: number): Promise<UnsealedEvent[]> {
    const rows = await em.query(
      `SELECT ${EVENT_COLUMNS} FROM audit_event e
        WHERE e.xid IS NOT NULL AND (e.xid, e.id) > ($1::xid8, $2::bigint) AND e.xid < pg_snapshot_xmin(pg_current_snapshot())
        ORDER BY e.xid, e.id LIMIT $3`, [xid, id, limit]);
    return rows.map(toChained);
  }

  async insertSeals(em: EntityManager, seals: SealInsert[]): Promise<void> {
    await em.query(
      `INSERT INTO audit_seal (seq, event_id, event_xid, occurred_at, alg, prev_hash, hash, mac)
       SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::xid8[], $4::timestamptz[], $5::text[], $6::text[], $7::text[], $8::text[])`,
      [seals.map((s) => s.seq), seals.map((s) => s.eventId), seals.map((s) => s.eventXid), seals.map((s) => s.occurredAtText),
        seals.map((s) => s.alg), seals.map((s) => s.prevHash), seals.map((s) => s.hash), seals.map((s) => s.mac)]);
  }

  async lastCheckpoint(em: EntityManager | DataSource = this.dataSource): Promise<Checkpoint | null> {
    const [row] = await em.query(`SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoint c ORDER BY c.id DESC LIMIT 1`);
    return row ? toCheckpoint(row) : null;
  }

  /** The newest checkpoint written before `at`. */
  async checkpointBefore(at: Date): Promise<Checkpoint | null> {
    const [row] = await this.dataSource.query(`SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoint c WHERE c.created_at < $1 ORDER BY c.id DESC LIMIT 1`, [at]);
    return row ? toCheckpoint(row) : null;
  }

  async nextCheckpointId(em: EntityManager): Promise<string> {
    const [row]: { id: string }[] = await em.query(`SELECT nextval('audit_checkpoint_id_seq')::text AS id`);
    return row.id;
  }

  async insertCheckpoint(em: EntityManager, c: Checkpoint): Promise<void> {
    await em.query(
      `INSERT INTO audit_checkpoint (id, created_at, head_seq, head_hash, alg, reason, prev_mac, mac) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [c.id, c.createdAt, c.headSeq, c.headHash, c.alg, c.reason, c.prevMac, c.mac]);
  }

  /** Every checkpoint, oldest first (a few per hour: small). */
  async checkpoints(): Promise<Checkpoint[]> {
    const rows = await this.dataSource.query(`SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoint c ORDER BY c.id`);
    return rows.map(toCheckpoint);
  }

  /**
   * Sealed events in sequence order after `afterSeq`, each with its event (null when gone), for verification in
   * constant memory. The join names occurred_at too, so it prunes to one partition once audit_event is partitioned.
   */
  async sealedAfter(afterSeq: string, limit: number): Promise<SealedRow[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT s.seq::text AS seq, s.event_id::text AS "eventId", s.alg, s.prev_hash AS "sealPrev", s.hash AS "sealHash", s.mac,
              e.id IS NOT NULL AS found, ${EVENT_COLUMNS}
         FROM audit_seal s LEFT JOIN audit_event e ON e.id = s.event_id AND e.occurred_at = s.occurred_at
        WHERE s.seq > $1 ORDER BY s.seq LIMIT $2`, [afterSeq, limit]);
    return rows.map((r) => ({
      seq: r.seq as string, eventId: r.eventId as string, alg: r.alg as string, prevHash: r.sealPrev as string, hash: r.sealHash as string,
      mac: r.mac as string, event: r.found ? toChained(r) : null,
    }));
  }

  /** One event by id alone (when the join by id and time found none: was it altered, or deleted?). */
  async eventById(id: string): Promise<UnsealedEvent | null> {
    const [row] = await this.dataSource.query(`SELECT ${EVENT_COLUMNS} FROM audit_event e WHERE e.id = $1`, [id]);
    return row ? toChained(row) : null;
  }

  /**
   * Events with no seal: those ordered before the head (xid NULL counts as 0) cannot be sealed any more — they were
   * inserted behind the chain — and those after it that are older than `staleSeconds` wait too long.
   */
  async unsealed(head: { xid: string; id: string }, staleSeconds: number): Promise<UnsealedSummary> {
    const [row] = await this.dataSource.query(
      `SELECT count(*)::int AS total,
              (min(e.id) FILTER (WHERE (coalesce(e.xid, '0'::xid8), e.id) < ($1::xid8, $2::bigint)))::text AS "firstBehind",
              count(*) FILTER (WHERE (coalesce(e.xid, '0'::xid8), e.id) > ($1::xid8, $2::bigint) AND e.occurred_at < now() - make_interval(secs => $3))::int AS stale,
              min(e.occurred_at) AS "oldestAt"
         FROM audit_event e WHERE NOT EXISTS (SELECT 1 FROM audit_seal s WHERE s.event_id = e.id)`, [head.xid, head.id, staleSeconds]);
    return { total: row.total, firstBehind: row.firstBehind ?? null, stale: row.stale, oldestAt: row.oldestAt ?? null };
  }

  /** Unsealed events after the head (cheap: the (xid, id) index): how many and the oldest, for the status. */
  async unsealedTail(head: SealHead | null): Promise<{ count: number; oldestAt: Date | null }> {
    const [row] = await this.dataSource.query(
      `SELECT count(*)::int AS count, min(e.occurred_at) AS "oldestAt" FROM audit_event e
        WHERE e.xid IS NOT NULL AND (e.xid, e.id) > ($1::xid8, $2::bigint)`, [head?.eventXid ?? '0', head?.eventXid ? head.eventId : '0']);
    return { count: row.count, oldestAt: row.oldestAt ?? null };
  }

  /** Events of a division subtree sealed at or after `fromSeq`, or not sealed at all (those a break leaves unverified). */
  async countInScopeFromSeq(fromSeq: string, scopePath: string): Promise<number> {
    const params: unknown[] = [fromSeq];
    const [row]: { n: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_event e LEFT JOIN audit_seal s ON s.event_id = e.id
        WHERE (s.seq IS NULL OR s.seq >= $1) AND ${scopeCondition(divisionScope(scopePath), { divisionPath: 'e.scope_path' }).bind(params)}`, params);
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
      `INSERT INTO audit_verification (verified_at, scope_path, verified_by, ok, checked, unverified, first_broken_id, first_broken_reason, broken_outside_scope, warnings)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id::text AS id`,
      [v.verifiedAt, v.scopePath, v.verifiedBy, v.ok, v.checked, v.unverified, v.firstBrokenId, v.firstBrokenReason, v.brokenOutsideScope, JSON.stringify(v.warnings ?? [])]);
    return { ...v, id: row.id };
  }

  /** The last verification reported to exactly this subtree (each admin verifies for its own). */
  async lastVerification(scopePath: string): Promise<VerificationRecord | null> {
    const [row] = await this.dataSource.query(
      `SELECT v.id::text AS id, v.verified_at AS "verifiedAt", v.scope_path AS "scopePath", v.verified_by AS "verifiedBy", u.display_name AS "verifiedByName",
              v.ok, v.checked, v.unverified, v.first_broken_id::text AS "firstBrokenId", v.first_broken_reason AS "firstBrokenReason",
              v.broken_outside_scope AS "brokenOutsideScope", v.warnings
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
  firstBrokenReason: BreakReason | null;
  brokenOutsideScope: boolean;
  /** What was worth a look but no break (codes; texts in audit-messages.ts). ok false with no break: not verifiable (the key). */
  warnings?: AuditWarning[];
}

export interface UnsealedSummary {
  total: number;
  /** The first event ordered before the chain head that has no seal (inserted behind the chain). */
  firstBehind: string | null;
  /** Unsealed events after the head older than the limit. */
  stale: number;
  oldestAt: Date | null;
}

const CHECKPOINT_COLUMNS = `c.id::text AS id, c.created_at AS "createdAt", c.head_seq::text AS "headSeq", c.head_hash AS "headHash", c.alg, c.reason, c.prev_mac AS "prevMac", c.mac`;

function toCheckpoint(r: Record<string, unknown>): Checkpoint {
  return {
    id: r.id as string, createdAt: (r.createdAt as Date).toISOString(), headSeq: r.headSeq as string, headHash: r.headHash as string,
    alg: r.alg as HashAlg, reason: r.reason as string, prevMac: r.prevMac as string, mac: r.mac as string,
  };
}
