import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Scope, scopeCondition } from '../common/scope';
import { label } from '../common/vocabulary';
import type { CreditRecord } from './domain/credit-ledger';
import type { DishonestyStatus } from './domain/dishonesty';

export interface CreditInstitutionRow {
  id: string;
  name: string;
  divisionCode: string;
  divisionName: string;
  divisionPath: string;
}

export interface DishonestyRow {
  id: string;
  institutionId: string;
  institutionName: string;
  divisionPath: string;
  status: DishonestyStatus;
  reason: string;
  legalBasis: string;
  decidedOn: string;
  objectionDueOn: string;
  decidedByName: string;
  creditRulesVersionId: string;
  published: boolean;
  objection: string | null;
  objectedAt: Date | null;
  reviewNote: string | null;
  reviewedAt: Date | null;
  repairReason: string | null;
  repairedOn: string | null;
  version: number;
}

const DECISION_COLUMNS = `d.id, d.institution_id AS "institutionId", i.name AS "institutionName", d.division_path AS "divisionPath", d.status, d.reason,
  d.legal_basis AS "legalBasis", d.decided_on::text AS "decidedOn", d.objection_due_on::text AS "objectionDueOn", u.display_name AS "decidedByName",
  d.credit_rules_version_id AS "creditRulesVersionId", d.published, d.objection, d.objected_at AS "objectedAt", d.review_note AS "reviewNote",
  d.reviewed_at AS "reviewedAt", d.repair_reason AS "repairReason", d.repaired_on::text AS "repairedOn", d.version`;

const SH = `AT TIME ZONE 'Asia/Shanghai'`;

/**
 * The only SQL of 信用评价. The record of many institutions is read in a few set-based queries (one per kind of
 * fact, each `institution_id = ANY($1)` on the features' institution indexes), never one query per institution.
 */
@Injectable()
export class CreditRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The institutions of `ids` within the scope (unknown or out-of-scope ids are left out). */
  async institutions(scope: Scope, ids: string[], em: EntityManager = this.dataSource.manager): Promise<CreditInstitutionRow[]> {
    const params: unknown[] = [ids];
    const where = scopeCondition(scope, { divisionPath: 'i.division_path', institutionId: 'i.id' }).bind(params);
    return em.query(`SELECT i.id, i.name, i.division_code AS "divisionCode", dv.name AS "divisionName", i.division_path AS "divisionPath"
      FROM institution i JOIN division dv ON dv.code = i.division_code WHERE i.id = ANY($1::uuid[]) AND ${where} ORDER BY i.name, i.id`, params);
  }

  /** Every institution of the scope that is not closed, optionally under a division (the credit list). */
  async institutionsInScope(scope: Scope, divisionPath?: string, em: EntityManager = this.dataSource.manager): Promise<CreditInstitutionRow[]> {
    const params: unknown[] = [];
    const where = [`i.status <> 'closed'`, scopeCondition(scope, { divisionPath: 'i.division_path', institutionId: 'i.id' }).bind(params)];
    if (divisionPath) where.push(`i.division_path LIKE $${params.push(`${divisionPath}%`)}`);
    return em.query(`SELECT i.id, i.name, i.division_code AS "divisionCode", dv.name AS "divisionName", i.division_path AS "divisionPath"
      FROM institution i JOIN division dv ON dv.code = i.division_code WHERE ${where.join(' AND ')} ORDER BY i.name, i.id`, params);
  }

  /**
   * The record of each institution from `since` (the window's first day, minus the repeat look-back for hazards
   * and the drill interval for drills, which the caller folds in) to `asOf`, in seven grouped queries.
   */
  async records(ids: string[], r: { since: string; hazardsSince: string; asOf: string }, em: EntityManager = this.dataSource.manager): Promise<Map<string, CreditRecord>> {
    const out = new Map<string, CreditRecord>(ids.map((id) => [id, { hazards: [], objectionsLost: [], complaintsUpheld: [], incidents: [], bedsOverstated: [], selfHazardsClosed: [], liveDrills: [] }]));
    if (!ids.length) return out;
    const q = <T>(sql: string, params: unknown[]) => em.query(sql, params) as Promise<(T & { institutionId: string })[]>;
    const [hazards, objections, complaints, incidents, requests, selfHazards, drills] = await Promise.all([
      q<CreditRecord['hazards'][number]>(
        `SELECT h.id, h.institution_id AS "institutionId", h.item_code AS "itemCode", h.title_zh AS "titleZh",
                (i.submitted_at ${SH})::date::text AS "foundOn", h.due_date::text AS "dueOn", h.overdue,
                (h.severity = 'major' AND coalesce(h.major_status, 'confirmed') = 'confirmed') AS "confirmedMajor"
           FROM hazard h JOIN inspection i ON i.id = h.inspection_id
          WHERE h.institution_id = ANY($1::uuid[]) AND i.status = 'submitted' AND h.closure_reason IS DISTINCT FROM 'objection_upheld'
            AND (i.submitted_at ${SH})::date BETWEEN $2::date AND $3::date`, [ids, r.hazardsSince, r.asOf]),
      q<CreditRecord['objectionsLost'][number]>(
        `SELECT o.id, h.institution_id AS "institutionId", h.item_code AS "itemCode", (o.decided_at ${SH})::date::text AS "decidedOn"
           FROM hazard_objection o JOIN hazard h ON h.id = o.hazard_id
          WHERE h.institution_id = ANY($1::uuid[]) AND o.status = 'rejected' AND (o.decided_at ${SH})::date BETWEEN $2::date AND $3::date`, [ids, r.since, r.asOf]),
      q<{ id: string; repliedOn: string; category: string }>(
        `SELECT c.id, c.institution_id AS "institutionId", (c.replied_at ${SH})::date::text AS "repliedOn", c.category
           FROM complaint c
          WHERE c.institution_id = ANY($1::uuid[]) AND c.status = 'replied' AND (c.replied_at ${SH})::date BETWEEN $2::date AND $3::date
            AND EXISTS (SELECT 1 FROM hazard h WHERE h.inspection_id = c.inspection_id AND h.closure_reason IS DISTINCT FROM 'objection_upheld')`, [ids, r.since, r.asOf]),
      q<{ id: string; occurredOn: string; grade: string; late: boolean }>(
        `SELECT x.id, x.institution_id AS "institutionId", (x.occurred_at ${SH})::date::text AS "occurredOn", x.grade, x.late
           FROM incident x WHERE x.institution_id = ANY($1::uuid[]) AND (x.occurred_at ${SH})::date BETWEEN $2::date AND $3::date`, [ids, r.since, r.asOf]),
      // a rejected request that asked for more beds than were confirmed (approved or occupied)
      q<CreditRecord['bedsOverstated'][number]>(
        `SELECT c.id, c.institution_id AS "institutionId", (c.decided_at ${SH})::date::text AS "decidedOn", f.field,
                (c.before ->> f.field)::int AS before, (c.after ->> f.field)::int AS after
           FROM institution_change_request c
           CROSS JOIN LATERAL (SELECT f.field FROM unnest(ARRAY['approvedBeds','occupiedBeds']) AS f(field)
                                WHERE jsonb_typeof(c.after -> f.field) = 'number' AND jsonb_typeof(c.before -> f.field) = 'number'
                                  AND (c.after ->> f.field)::numeric > (c.before ->> f.field)::numeric
                                ORDER BY f.field LIMIT 1) f
          WHERE c.institution_id = ANY($1::uuid[]) AND c.status = 'rejected' AND (c.decided_at ${SH})::date BETWEEN $2::date AND $3::date`, [ids, r.since, r.asOf]),
      q<CreditRecord['selfHazardsClosed'][number]>(
        `SELECT s.id, s.institution_id AS "institutionId", s.item_code AS "itemCode", s.title_zh AS "titleZh", (s.closed_at ${SH})::date::text AS "closedOn"
           FROM self_hazard s
          WHERE s.institution_id = ANY($1::uuid[]) AND s.status = 'closed' AND (s.closed_at ${SH})::date <= s.due_date
            AND (s.closed_at ${SH})::date BETWEEN $2::date AND $3::date`, [ids, r.since, r.asOf]),
      q<CreditRecord['liveDrills'][number]>(
        `SELECT id, "institutionId", "heldOn", "previousOn" FROM (
           SELECT d.id, d.institution_id AS "institutionId", d.held_on::text AS "heldOn",
                  (lag(d.held_on) OVER (PARTITION BY d.institution_id ORDER BY d.held_on, d.id))::text AS "previousOn"
             FROM drill d WHERE d.institution_id = ANY($1::uuid[]) AND d.form = 'live' AND d.held_on <= $3::date) x
          WHERE "heldOn" >= $2`, [ids, r.since, r.asOf]),
    ]);
    const push = <K extends keyof CreditRecord>(key: K, rows: (CreditRecord[K][number] & { institutionId: string })[]) => {
      for (const { institutionId, ...row } of rows) (out.get(institutionId)?.[key] as unknown[] | undefined)?.push(row);
    };
    push('hazards', hazards);
    push('objectionsLost', objections);
    push('complaintsUpheld', complaints.map((c) => ({ id: c.id, institutionId: c.institutionId, repliedOn: c.repliedOn, categoryZh: label('complaintCategory', c.category) })));
    push('incidents', incidents.map((x) => ({ id: x.id, institutionId: x.institutionId, occurredOn: x.occurredOn, gradeZh: label('incidentGrade', x.grade), late: x.late })));
    push('bedsOverstated', requests);
    push('selfHazardsClosed', selfHazards);
    push('liveDrills', drills);
    return out;
  }

  /**
   * Inspections counted toward this year's 检查频次: submitted ones in the year up to `asOf` (Asia/Shanghai), open ones
   * (assigned, in progress) as planned for the year of their scheduled date — or of their creation when they have none
   * — so an inspection left open since last year, or planned for next year, does not count for this one.
   */
  async frequencyCounts(ids: string[], kinds: readonly string[], r: { from: string; to: string; asOf: string }, em: EntityManager = this.dataSource.manager): Promise<Map<string, number>> {
    if (!ids.length) return new Map();
    const rows: { id: string; n: number }[] = await em.query(
      `SELECT x.institution_id AS id, count(*)::int AS n FROM inspection x
        WHERE x.institution_id = ANY($1::uuid[]) AND x.kind = ANY($2::text[]) AND x.status <> 'cancelled'
          AND CASE WHEN x.status = 'submitted' THEN (x.submitted_at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN $3::date AND $4::date
                   ELSE coalesce(x.scheduled_date, (x.created_at AT TIME ZONE 'Asia/Shanghai')::date) BETWEEN $3::date AND $5::date END
        GROUP BY x.institution_id`,
      [ids, kinds, r.from, r.asOf, r.to],
    );
    return new Map(rows.map((row) => [row.id, row.n]));
  }

  /** The 失信 decision of each institution in force on `asOf` (decided on or before it, not withdrawn, not repaired by then). */
  async inForce(ids: string[], asOf: string, em: EntityManager = this.dataSource.manager): Promise<Map<string, { id: string; decidedOn: string }>> {
    if (!ids.length) return new Map();
    const rows: { id: string; institutionId: string; decidedOn: string }[] = await em.query(
      `SELECT DISTINCT ON (d.institution_id) d.id, d.institution_id AS "institutionId", d.decided_on::text AS "decidedOn"
         FROM credit_dishonesty_decision d
        WHERE d.institution_id = ANY($1::uuid[]) AND d.decided_on <= $2::date
          AND (d.status IN ('decided','objected','upheld') OR (d.status = 'repaired' AND d.repaired_on > $2::date))
        ORDER BY d.institution_id, d.decided_on DESC, d.id`, [ids, asOf]);
    return new Map(rows.map((r) => [r.institutionId, { id: r.id, decidedOn: r.decidedOn }]));
  }

  /** Holds the institution row until commit: two decisions on one institution cannot both pass the in-force check. */
  async lockInstitution(em: EntityManager, institutionId: string): Promise<void> {
    await em.query(`SELECT 1 FROM institution WHERE id = $1 FOR UPDATE`, [institutionId]);
  }

  async insertDecision(em: EntityManager, d: { institutionId: string; divisionPath: string; reason: string; legalBasis: string; decidedOn: string; objectionDueOn: string; decidedBy: string; creditRulesVersionId: string; published: boolean }): Promise<string> {
    const [row] = await em.query(
      `INSERT INTO credit_dishonesty_decision (institution_id, division_path, reason, legal_basis, decided_on, objection_due_on, decided_by, credit_rules_version_id, published)
       VALUES ($1, $2, $3, $4, $5::date, $6::date, $7, $8, $9) RETURNING id`,
      [d.institutionId, d.divisionPath, d.reason, d.legalBasis, d.decidedOn, d.objectionDueOn, d.decidedBy, d.creditRulesVersionId, d.published]);
    return row.id;
  }

  async decision(scope: Scope, id: string, em: EntityManager = this.dataSource.manager, lock = false): Promise<DishonestyRow | null> {
    const params: unknown[] = [id];
    const where = scopeCondition(scope, { divisionPath: 'd.division_path', institutionId: 'd.institution_id' }).bind(params);
    if (lock) await em.query(`SELECT 1 FROM credit_dishonesty_decision WHERE id = $1 FOR UPDATE`, [id]);
    const [row] = await em.query(`SELECT ${DECISION_COLUMNS} FROM credit_dishonesty_decision d JOIN institution i ON i.id = d.institution_id
      JOIN app_user u ON u.id = d.decided_by WHERE d.id = $1 AND ${where}`, params);
    return row ?? null;
  }

  /** The decisions of one institution, newest first (an institution has few). */
  async decisionsOf(scope: Scope, institutionId: string, em: EntityManager = this.dataSource.manager): Promise<DishonestyRow[]> {
    const params: unknown[] = [institutionId];
    const where = scopeCondition(scope, { divisionPath: 'd.division_path', institutionId: 'd.institution_id' }).bind(params);
    return em.query(`SELECT ${DECISION_COLUMNS} FROM credit_dishonesty_decision d JOIN institution i ON i.id = d.institution_id
      JOIN app_user u ON u.id = d.decided_by WHERE d.institution_id = $1 AND ${where} ORDER BY d.decided_on DESC, d.decided_at DESC LIMIT 50`, params);
  }

  /** Moves a decision on if it is still at `version`; false when someone else moved it first. */
  async transition(em: EntityManager, id: string, version: number, to: DishonestyStatus, fields: { objection?: string; objectedBy?: string; reviewNote?: string; reviewedBy?: string; repairReason?: string; repairedOn?: string; repairedBy?: string }): Promise<boolean> {
    const rows = await em.query(
      `WITH u AS (
         UPDATE credit_dishonesty_decision SET status = $3,
                objection = coalesce($4, objection), objected_by = coalesce($5::uuid, objected_by), objected_at = CASE WHEN $4::text IS NULL THEN objected_at ELSE now() END,
                review_note = coalesce($6, review_note), reviewed_by = coalesce($7::uuid, reviewed_by), reviewed_at = CASE WHEN $6::text IS NULL THEN reviewed_at ELSE now() END,
                repair_reason = coalesce($8, repair_reason), repaired_on = coalesce($9::date, repaired_on), repaired_by = coalesce($10::uuid, repaired_by),
                repaired_at = CASE WHEN $8::text IS NULL THEN repaired_at ELSE now() END,
                version = version + 1
          WHERE id = $1 AND version = $2 RETURNING id)
       SELECT id FROM u`,
      [id, version, to, fields.objection ?? null, fields.objectedBy ?? null, fields.reviewNote ?? null, fields.reviewedBy ?? null, fields.repairReason ?? null, fields.repairedOn ?? null, fields.repairedBy ?? null]);
    return rows.length === 1;
  }

  /** Decisions in force and published (公示), for the public disclosure page. */
  async publishedInForce(divisionPath: string, limit: number): Promise<{ institutionName: string; decidedOn: string; reason: string; legalBasis: string; status: string }[]> {
    return this.dataSource.query(
      `SELECT i.name AS "institutionName", d.decided_on::text AS "decidedOn", d.reason, d.legal_basis AS "legalBasis", d.status
         FROM credit_dishonesty_decision d JOIN institution i ON i.id = d.institution_id
        WHERE d.published AND d.status IN ('decided','objected','upheld') AND d.division_path LIKE $1
        ORDER BY d.decided_on DESC, d.id LIMIT $2`, [`${divisionPath}%`, limit]);
  }
}
