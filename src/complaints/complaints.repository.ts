import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Scope, scopeCondition } from '../common/scope';
import type { ComplaintCategory, ComplaintStatus } from './domain/complaint';

/** 投诉举报 as the bureau reads it — without the complainant's contact (see `contactOf`). */
export interface ComplaintRow {
  id: string;
  institutionId: string;
  institutionName: string;
  divisionPath: string;
  category: ComplaintCategory;
  description: string;
  receivedAt: Date;
  triageDueOn: string;
  replyDueOn: string;
  safetyWorkPolicyVersionId: string;
  status: ComplaintStatus;
  triagedByName: string | null;
  triagedAt: Date | null;
  mergedIntoId: string | null;
  referredTo: string | null;
  rejectReason: string | null;
  inspectionId: string | null;
  reply: string | null;
  repliedByName: string | null;
  repliedAt: Date | null;
  version: number;
  photoCount: number;
  contactGiven: boolean;
}

export interface ComplaintFilter {
  statuses?: readonly ComplaintStatus[];
  institutionId?: string;
  receivedBefore?: Date;
  /** only complaints past a deadline as of this (Shanghai) day — the rule of `overdueKind` in domain/deadlines.ts */
  overdueOn?: string;
}

/** What the complainant sees with the tracking code: the answer, never the handling officer or the contact. */
export interface TrackedComplaint {
  institutionName: string;
  category: ComplaintCategory;
  receivedAt: Date;
  status: ComplaintStatus;
  triagedAt: Date | null;
  referredTo: string | null;
  rejectReason: string | null;
  inspectionOpened: boolean;
  reply: string | null;
  repliedAt: Date | null;
  replyDueOn: string;
  /** when merged: the status and reply of the complaint it was merged into */
  mergedInto: { status: ComplaintStatus; reply: string | null; repliedAt: Date | null; inspectionOpened: boolean } | null;
}

export interface NewComplaint {
  institutionId: string;
  category: ComplaintCategory;
  description: string;
  trackingHash: Buffer;
  receivedAt: Date;
  triageDueOn: string;
  replyDueOn: string;
  safetyWorkPolicyVersionId: string;
}

export interface ComplaintPhoto {
  position: number;
  sha256: string;
  mime: string;
  sizeBytes: number;
}

const COLUMNS = `c.id, c.institution_id AS "institutionId", i.name AS "institutionName", i.division_path AS "divisionPath", c.category,
  c.description, c.received_at AS "receivedAt", c.triage_due_on::text AS "triageDueOn", c.reply_due_on::text AS "replyDueOn",
  c.safety_work_policy_version_id AS "safetyWorkPolicyVersionId", c.status, tu.display_name AS "triagedByName", c.triaged_at AS "triagedAt",
  c.merged_into_id AS "mergedIntoId", c.referred_to AS "referredTo", c.reject_reason AS "rejectReason", c.inspection_id AS "inspectionId",
  c.reply, ru.display_name AS "repliedByName", c.replied_at AS "repliedAt", c.version,
  (SELECT count(*)::int FROM complaint_photo p WHERE p.complaint_id = c.id) AS "photoCount",
  EXISTS (SELECT 1 FROM complaint_contact k WHERE k.complaint_id = c.id) AS "contactGiven"`;
const FROM = `FROM complaint c JOIN institution i ON i.id = c.institution_id
  LEFT JOIN app_user tu ON tu.id = c.triaged_by LEFT JOIN app_user ru ON ru.id = c.replied_by`;

/** The only SQL of complaints. Bureau reads are limited to the division subtree of the complaint's institution. */
@Injectable()
export class ComplaintsRepository {
  constructor(private readonly dataSource: DataSource) {}

  private scopeSql(scope: Scope, params: unknown[]): string {
    return scopeCondition(scope, { divisionPath: 'i.division_path', institutionId: 'c.institution_id' }).bind(params);
  }

  async page(scope: Scope, filter: ComplaintFilter, offset: number, limit: number): Promise<[ComplaintRow[], number]> {
    const params: unknown[] = [];
    const where = [this.scopeSql(scope, params)];
    if (filter.statuses?.length) where.push(`c.status = ANY($${params.push([...filter.statuses])}::text[])`);
    if (filter.institutionId) where.push(`c.institution_id = $${params.push(filter.institutionId)}`);
    if (filter.receivedBefore) where.push(`c.received_at < $${params.push(filter.receivedBefore)}`);
    if (filter.overdueOn) {
      const d = params.push(filter.overdueOn);
      where.push(`((c.status IN ('received','accepted') AND c.reply_due_on < $${d}::date) OR (c.status = 'received' AND c.triage_due_on < $${d}::date))`);
    }
    const sqlWhere = where.join(' AND ');
    const [{ n }] = await this.dataSource.query(`SELECT count(*)::int AS n FROM complaint c JOIN institution i ON i.id = c.institution_id WHERE ${sqlWhere}`, params);
    const rows = await this.dataSource.query(
      `SELECT ${COLUMNS} ${FROM} WHERE ${sqlWhere} ORDER BY c.received_at DESC, c.id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, limit, offset]);
    return [rows, n];
  }

  async findById(scope: Scope, id: string, em: EntityManager = this.dataSource.manager, lock = false): Promise<ComplaintRow | null> {
    const params: unknown[] = [id];
    const rows = await em.query(`SELECT ${COLUMNS} ${FROM} WHERE c.id = $1 AND ${this.scopeSql(scope, params)}${lock ? ' FOR UPDATE OF c' : ''}`, params);
    return rows[0] ?? null;
  }

  /** The complainant's contact, for the handling bureau's detail page only. */
  async contactOf(scope: Scope, id: string): Promise<string | null> {
    const params: unknown[] = [id];
    const rows = await this.dataSource.query(
      `SELECT k.contact FROM complaint_contact k JOIN complaint c ON c.id = k.complaint_id JOIN institution i ON i.id = c.institution_id
        WHERE k.complaint_id = $1 AND ${this.scopeSql(scope, params)}`, params);
    return rows[0]?.contact ?? null;
  }

  photos(id: string): Promise<ComplaintPhoto[]> {
    return this.dataSource.query(
      `SELECT position, trim(sha256) AS sha256, mime, size_bytes AS "sizeBytes" FROM complaint_photo WHERE complaint_id = $1 ORDER BY position`, [id]);
  }

  /** The complaints merged into this one (their ids and received times). */
  mergedFrom(scope: Scope, id: string): Promise<{ id: string; receivedAt: Date }[]> {
    const params: unknown[] = [id];
    return this.dataSource.query(
      `SELECT c.id, c.received_at AS "receivedAt" FROM complaint c JOIN institution i ON i.id = c.institution_id
        WHERE c.merged_into_id = $1 AND ${this.scopeSql(scope, params)} ORDER BY c.received_at`, params);
  }

  /** The institutions of the scope that have complaints (the list's filter). */
  institutionsWithComplaints(scope: Scope): Promise<{ id: string; name: string }[]> {
    const params: unknown[] = [];
    return this.dataSource.query(
      `SELECT i.id, i.name FROM institution i WHERE EXISTS (SELECT 1 FROM complaint c WHERE c.institution_id = i.id) AND ${scopeCondition(scope, { divisionPath: 'i.division_path', institutionId: 'i.id' }).bind(params)} ORDER BY i.name LIMIT 500`, params);
  }

  async insert(em: EntityManager, c: NewComplaint): Promise<string> {
    const [row] = await em.query(
      `INSERT INTO complaint (institution_id, category, description, tracking_hash, received_at, triage_due_on, reply_due_on, safety_work_policy_version_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [c.institutionId, c.category, c.description, c.trackingHash, c.receivedAt, c.triageDueOn, c.replyDueOn, c.safetyWorkPolicyVersionId]);
    return row.id;
  }

  async insertContact(em: EntityManager, complaintId: string, contact: string): Promise<void> {
    await em.query(`INSERT INTO complaint_contact (complaint_id, contact) VALUES ($1, $2)`, [complaintId, contact]);
  }

  async insertPhotos(em: EntityManager, complaintId: string, photos: ComplaintPhoto[]): Promise<void> {
    for (const p of photos) {
      await em.query(`INSERT INTO complaint_photo (complaint_id, position, sha256, mime, size_bytes) VALUES ($1, $2, $3, $4, $5)`,
        [complaintId, p.position, p.sha256, p.mime, p.sizeBytes]);
    }
  }

  /**
   * Records a triage decision or the reply only if the complaint is still at `version`; false when someone else
   * acted first. `triagedBy` is set once, by the first decision.
   */
  async decideIfVersion(em: EntityManager, id: string, version: number, d: {
    status: ComplaintStatus; userId: string; mergedIntoId?: string; referredTo?: string; rejectReason?: string; inspectionId?: string; reply?: string;
  }): Promise<boolean> {
    const rows = await em.query(
      `WITH decided AS (UPDATE complaint SET status = $3, version = version + 1,
          triaged_by = coalesce(triaged_by, $4), triaged_at = coalesce(triaged_at, now()),
          merged_into_id = coalesce($5, merged_into_id), referred_to = coalesce($6, referred_to), reject_reason = coalesce($7, reject_reason),
          inspection_id = coalesce($8, inspection_id),
          reply = coalesce($9, reply), replied_by = CASE WHEN $9::text IS NULL THEN replied_by ELSE $4 END,
          replied_at = CASE WHEN $9::text IS NULL THEN replied_at ELSE now() END
        WHERE id = $1 AND version = $2 RETURNING id) SELECT id FROM decided`,
      [id, version, d.status, d.userId, d.mergedIntoId ?? null, d.referredTo ?? null, d.rejectReason ?? null, d.inspectionId ?? null, d.reply ?? null]);
    return rows.length === 1;
  }

  async byTrackingHash(hash: Buffer): Promise<TrackedComplaint | null> {
    const rows = await this.dataSource.query(
      `SELECT i.name AS "institutionName", c.category, c.received_at AS "receivedAt", c.status, c.triaged_at AS "triagedAt",
              c.referred_to AS "referredTo", c.reject_reason AS "rejectReason", c.inspection_id IS NOT NULL AS "inspectionOpened",
              c.reply, c.replied_at AS "repliedAt", c.reply_due_on::text AS "replyDueOn",
              CASE WHEN m.id IS NULL THEN NULL ELSE json_build_object('status', m.status, 'reply', m.reply, 'repliedAt', m.replied_at,
                'inspectionOpened', m.inspection_id IS NOT NULL) END AS "mergedInto"
         FROM complaint c JOIN institution i ON i.id = c.institution_id LEFT JOIN complaint m ON m.id = c.merged_into_id
        WHERE c.tracking_hash = $1`, [hash]);
    const row = rows[0];
    if (!row) return null;
    if (row.mergedInto?.repliedAt) row.mergedInto.repliedAt = new Date(row.mergedInto.repliedAt);
    return row;
  }

  /** The institutions the public form offers (not closed), by name; or one of them. */
  publicInstitutions(id?: string): Promise<{ id: string; name: string; divisionPath: string }[]> {
    return this.dataSource.query(
      `SELECT i.id, i.name, i.division_path AS "divisionPath" FROM institution i
        WHERE i.status <> 'closed' ${id ? 'AND i.id = $1' : ''} ORDER BY i.name, i.id LIMIT 5000`, id ? [id] : []);
  }

  // ---------------------------------------------------------------- abuse limits

  /** Filings from a (hashed) address in the last hour and day. */
  async addressHits(addressHash: Buffer, now: Date, em: EntityManager = this.dataSource.manager): Promise<{ lastHour: number; lastDay: number }> {
    const [row] = await em.query(
      `SELECT count(*) FILTER (WHERE at > $2::timestamptz - interval '1 hour')::int AS "lastHour", count(*)::int AS "lastDay"
         FROM complaint_address_hit WHERE address_hash = $1 AND at > $2::timestamptz - interval '1 day'`, [addressHash, now]);
    return row;
  }

  /** Serialises the filings of one address (the count and the insert that follows are one decision). */
  async lockAddress(em: EntityManager, addressHash: Buffer): Promise<void> {
    await em.query(`SELECT pg_advisory_xact_lock(('x' || substr(encode($1::bytea, 'hex'), 1, 16))::bit(64)::bigint)`, [addressHash]);
  }

  /** Counts a filing; hits older than a day are no longer needed and are dropped (the address is kept no longer). */
  async recordHit(em: EntityManager, addressHash: Buffer, now: Date): Promise<void> {
    await em.query(`INSERT INTO complaint_address_hit (address_hash, at) VALUES ($1, $2)`, [addressHash, now]);
    await em.query(`DELETE FROM complaint_address_hit WHERE at < $1::timestamptz - interval '1 day'`, [now]);
  }

  /** The photo hashes some complaint still refers to (a refused filing takes back only files nobody uses). */
  async referencedPhotoHashes(sha256s: string[]): Promise<Set<string>> {
    if (!sha256s.length) return new Set();
    const rows: { sha256: string }[] = await this.dataSource.query(
      `SELECT DISTINCT trim(sha256) AS sha256 FROM complaint_photo WHERE sha256 = ANY($1)
       UNION SELECT DISTINCT trim(sha256) FROM evidence WHERE sha256 = ANY($1)`, [sha256s]);
    return new Set(rows.map((r) => r.sha256));
  }
}
