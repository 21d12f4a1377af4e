import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Scope, scopeCondition } from '../common/scope';

/** A schedule covers a division, not one institution: an institution scope sees none. */
const SCHEDULE_SCOPE = { divisionPath: 's.division_path', institutionId: 'NULL::uuid' } as const;

/** SQL for subsidy schedules and their inputs, each read within the caller's scope. */
@Injectable()
export class SubsidiesRepository {
  constructor(private readonly dataSource: DataSource) {}

  // ---- subsidy schedules

  /**
   * The institutions a schedule lists: in the division, registered (not 筹建), opened on or before the period end
   * and not closed for good before the period starts.
   */
  subsidyInstitutions(scope: Scope, start: string, end: string) {
    const params: unknown[] = [];
    const inScope = scopeCondition(scope, { divisionPath: 'i.division_path', institutionId: 'i.id' }).bind(params); // $1
    params.push(start, end);
    return this.dataSource.query(`
      SELECT i.id, i.name, i.status, i.ownership, i.profit_status AS "profitStatus", i.kind, i.opened_on::text AS "openedOn",
             i.division_code AS "divisionCode", dv.name AS "divisionName"
        FROM institution i JOIN division dv ON dv.code = i.division_code
       WHERE ${inScope} AND i.status <> 'preparing' AND i.opened_on <= $3::date
         AND NOT EXISTS (SELECT 1 FROM institution_interruption x WHERE x.institution_id = i.id AND x.kind = 'closed'
                          AND x.to_date IS NULL AND x.from_date <= $2::date)
       ORDER BY i.division_path, i.name`, params) as Promise<{
        id: string; name: string; status: string; ownership: string; profitStatus: 'for_profit' | 'non_profit' | null; kind: string; openedOn: string;
        divisionCode: string; divisionName: string;
      }[]>;
  }

  /** The interruptions that overlap the period. */
  interruptions(ids: string[], start: string, end: string): Promise<{ institutionId: string; kind: 'suspended' | 'closed'; from: string; to: string | null }[]> {
    return this.dataSource.query(`
      SELECT institution_id AS "institutionId", kind, from_date::text AS "from", to_date::text AS "to" FROM institution_interruption
       WHERE institution_id = ANY($1::uuid[]) AND from_date <= $3::date AND (to_date IS NULL OR to_date >= $2::date)
       ORDER BY institution_id, from_date`, [ids, start, end]);
  }

  /**
   * The capacity records that decide the period: the one in force on its first day, those that take effect during
   * it, and the earliest one (it stands for the days before the first record).
   */
  capacity(ids: string[], start: string, end: string): Promise<{ institutionId: string; effectiveFrom: string; occupiedBeds: number; residentsSelfCare: number;
    residentsMildlyDisabled: number; residentsModeratelyDisabled: number; residentsSeverelyDisabled: number }[]> {
    return this.dataSource.query(`
      SELECT c.institution_id AS "institutionId", c.effective_from::text AS "effectiveFrom", c.occupied_beds AS "occupiedBeds",
             c.residents_self_care AS "residentsSelfCare", c.residents_mildly_disabled AS "residentsMildlyDisabled",
             c.residents_moderately_disabled AS "residentsModeratelyDisabled", c.residents_severely_disabled AS "residentsSeverelyDisabled"
        FROM institution_capacity c
       WHERE c.institution_id = ANY($1::uuid[])
         AND (c.effective_from BETWEEN $2::date AND $3::date
              OR c.effective_from = (SELECT max(x.effective_from) FROM institution_capacity x WHERE x.institution_id = c.institution_id AND x.effective_from <= $2::date)
              OR c.effective_from = (SELECT min(x.effective_from) FROM institution_capacity x WHERE x.institution_id = c.institution_id))
       ORDER BY c.institution_id, c.effective_from`, [ids, start, end]);
  }

  /** The safety score as of the period end: the latest stored score computed for a day on or before it. */
  safetyAsOf(ids: string[], end: string): Promise<{ institutionId: string; score: number; asOf: string }[]> {
    return this.dataSource.query(`
      SELECT DISTINCT ON (institution_id) institution_id AS "institutionId", score::float AS score, as_of::text AS "asOf"
        FROM safety_score WHERE institution_id = ANY($1::uuid[]) AND as_of <= $2::date
       ORDER BY institution_id, as_of DESC, computed_at DESC`, [ids, end]);
  }

  /**
   * The days each major hazard was open within the period: from its filing day to the day before it was closed
   * (a hazard closed because the objection was upheld never counts).
   */
  majorHazardIntervals(ids: string[], start: string, end: string): Promise<{ institutionId: string; from: string; to: string | null }[]> {
    return this.dataSource.query(`
      SELECT h.institution_id AS "institutionId", (h.created_at AT TIME ZONE 'Asia/Shanghai')::date::text AS "from",
             ((h.closed_at AT TIME ZONE 'Asia/Shanghai')::date - 1)::text AS "to"
        FROM hazard h
       WHERE h.institution_id = ANY($1::uuid[]) AND h.severity = 'major' AND h.closure_reason IS DISTINCT FROM 'objection_upheld'
         AND (h.created_at AT TIME ZONE 'Asia/Shanghai')::date <= $3::date
         AND (h.closed_at IS NULL OR (h.closed_at AT TIME ZONE 'Asia/Shanghai')::date - 1 >= $2::date)
         AND (h.closed_at IS NULL OR (h.closed_at AT TIME ZONE 'Asia/Shanghai')::date > (h.created_at AT TIME ZONE 'Asia/Shanghai')::date)`, [ids, start, end]);
  }

  async insertSchedule(em: EntityManager, s: { divisionCode: string; divisionPath: string; start: string; end: string; policyVersionId: string; scoringVersionId: string | null; productPolicyVersionId: string | null; creditRulesVersionId: string | null; lines: unknown; total: number; createdBy: string }): Promise<string> {
    const [row] = await em.query(
      `INSERT INTO subsidy_schedule (division_code, division_path, period_start, period_end, version_no, policy_version_id, scoring_version_id, product_policy_version_id, lines, total, created_by, credit_rules_version_id)
       VALUES ($1::varchar, $2, $3::date, $4::date,
               (SELECT coalesce(max(version_no), 0) + 1 FROM subsidy_schedule WHERE division_code = $1::varchar AND period_start = $3::date AND period_end = $4::date),
               $5, $6, $7, $8, $9, $10, $11)
       RETURNING id`,
      [s.divisionCode, s.divisionPath, s.start, s.end, s.policyVersionId, s.scoringVersionId, s.productPolicyVersionId, JSON.stringify(s.lines), s.total, s.createdBy, s.creditRulesVersionId]);
    return row.id;
  }

  async schedule(scope: Scope, id: string, em: EntityManager = this.dataSource.manager) {
    const params: unknown[] = [id];
    const [row] = await em.query(
      `SELECT s.id, s.division_code AS "divisionCode", d.name AS "divisionName", s.division_path AS "divisionPath", s.period_start::text AS "periodStart",
              s.period_end::text AS "periodEnd", s.version_no AS "versionNo", s.status, s.lines, s.total::float AS total, s.created_at AS "createdAt",
              s.approved_at AS "approvedAt", u.display_name AS "approvedByName", v.rule_set_code AS "policyCode", v.version_no AS "policyVersionNo", v.content_hash AS "policyHash",
              s.product_policy_version_id AS "productPolicyVersionId", s.credit_rules_version_id AS "creditRulesVersionId",
              cv.rule_set_code AS "creditRulesCode", cv.version_no AS "creditRulesVersionNo",
              sv.rule_set_code AS "scoringCode", sv.version_no AS "scoringVersionNo", sv.content_hash AS "scoringHash",
              pv.version_no AS "productPolicyVersionNo", c.display_name AS "createdByName",
              s.recomputed_at AS "recomputedAt", r.display_name AS "recomputedByName"
         FROM subsidy_schedule s JOIN division d ON d.code = s.division_code JOIN rule_set_version v ON v.id = s.policy_version_id
         LEFT JOIN app_user u ON u.id = s.approved_by
         LEFT JOIN app_user c ON c.id = s.created_by
         LEFT JOIN app_user r ON r.id = s.recomputed_by
         LEFT JOIN rule_set_version sv ON sv.id = s.scoring_version_id
         LEFT JOIN rule_set_version cv ON cv.id = s.credit_rules_version_id
         LEFT JOIN rule_set_version pv ON pv.id = s.product_policy_version_id
        WHERE s.id = $1 AND ${scopeCondition(scope, SCHEDULE_SCOPE).bind(params)}`, params);
    return row ?? null;
  }

  /** A page of schedules, newest first, optionally by status and by division (its subtree included). */
  async pageSchedules(scope: Scope, filter: { status?: string; divisionCode?: string }, offset: number, limit: number) {
    const params: unknown[] = [];
    const conditions = [scopeCondition(scope, SCHEDULE_SCOPE).bind(params)];
    if (filter.status) conditions.push(`s.status = $${params.push(filter.status)}`);
    if (filter.divisionCode) conditions.push(`s.division_path LIKE $${params.push(`%/${filter.divisionCode}/%`)}`);
    const where = conditions.join(' AND ');
    const [rows, [{ total }]] = await Promise.all([
      this.dataSource.query(`SELECT s.id, s.division_code AS "divisionCode", d.name AS "divisionName", s.period_start::text AS "periodStart", s.period_end::text AS "periodEnd",
          s.version_no AS "versionNo", s.status, s.total::float AS total, jsonb_array_length(s.lines) AS institutions, s.created_at AS "createdAt",
          s.approved_at AS "approvedAt", u.display_name AS "approvedByName"
          FROM subsidy_schedule s JOIN division d ON d.code = s.division_code LEFT JOIN app_user u ON u.id = s.approved_by
         WHERE ${where} ORDER BY s.created_at DESC, s.id OFFSET ${Number(offset)} LIMIT ${Number(limit)}`, params),
      this.dataSource.query(`SELECT count(*)::int AS total FROM subsidy_schedule s WHERE ${where}`, params),
    ]);
    return [rows, total] as const;
  }

  /**
   * The schedule of the period before `before` for the same division: the latest period ending before that day; of
   * its versions the approved one, else the newest.
   */
  async previousScheduleId(scope: Scope, divisionCode: string, before: string): Promise<string | null> {
    const params: unknown[] = [divisionCode, before];
    const [row] = await this.dataSource.query(
      `SELECT s.id FROM subsidy_schedule s
        WHERE s.division_code = $1 AND s.period_end < $2::date AND ${scopeCondition(scope, SCHEDULE_SCOPE).bind(params)}
        ORDER BY s.period_end DESC, s.period_start DESC, (s.status = 'approved') DESC, s.version_no DESC LIMIT 1`, params);
    return row?.id ?? null;
  }

  /** One institution's lines across the schedules of the scope, newest period first (the institution page's history). */
  institutionLines(scope: Scope, institutionId: string, limit: number): Promise<{ scheduleId: string; periodStart: string; periodEnd: string; versionNo: number; status: string;
    amount: number; eligible: boolean | null; paidDays: number | null }[]> {
    const params: unknown[] = [institutionId];
    return this.dataSource.query(
      `SELECT s.id AS "scheduleId", s.period_start::text AS "periodStart", s.period_end::text AS "periodEnd", s.version_no AS "versionNo", s.status,
              (l->>'amount')::float AS amount, (l->>'eligible')::boolean AS eligible, (l->>'paidDays')::int AS "paidDays"
         FROM subsidy_schedule s CROSS JOIN LATERAL jsonb_array_elements(s.lines) l
        WHERE l->>'institutionId' = $1::text AND ${scopeCondition(scope, SCHEDULE_SCOPE).bind(params)}
        ORDER BY s.period_end DESC, s.version_no DESC LIMIT ${Number(limit)}`, params);
  }

  /** Where the institutions are registered now and their kind (for lines stored before the schedule recorded them). */
  institutionPlaces(ids: string[]): Promise<{ id: string; kind: string; divisionCode: string; divisionName: string }[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.dataSource.query(
      `SELECT i.id, i.kind, i.division_code AS "divisionCode", d.name AS "divisionName"
         FROM institution i JOIN division d ON d.code = i.division_code WHERE i.id = ANY($1::uuid[])`, [ids]);
  }

  /** Another version of the same division and period that is already approved (one approval per period). */
  async approvedSibling(em: EntityManager, id: string): Promise<{ id: string; versionNo: number } | null> {
    // Serializes approvals of one division and period, so two versions cannot both pass this check.
    await em.query(`SELECT pg_advisory_xact_lock(hashtext('subsidy:' || division_code || ':' || period_start || ':' || period_end)) FROM subsidy_schedule WHERE id = $1`, [id]);
    const [row] = await em.query(
      `SELECT o.id, o.version_no AS "versionNo" FROM subsidy_schedule s JOIN subsidy_schedule o
          ON o.division_code = s.division_code AND o.period_start = s.period_start AND o.period_end = s.period_end AND o.id <> s.id AND o.status = 'approved'
        WHERE s.id = $1 LIMIT 1`, [id]);
    return row ?? null;
  }

  /** 重新计算 a draft in place: new lines, total and pins; false when it is not (or no longer) a draft. */
  async recomputeDraft(em: EntityManager, id: string, s: { policyVersionId: string; scoringVersionId: string | null; productPolicyVersionId: string | null; creditRulesVersionId: string | null; lines: unknown; total: number; by: string }): Promise<boolean> {
    const r = await em.query(
      `UPDATE subsidy_schedule SET lines = $2, total = $3, policy_version_id = $4, scoring_version_id = $5, product_policy_version_id = $6,
              recomputed_at = now(), recomputed_by = $7, credit_rules_version_id = $8
        WHERE id = $1 AND status = 'draft'`,
      [id, JSON.stringify(s.lines), s.total, s.policyVersionId, s.scoringVersionId, s.productPolicyVersionId, s.by, s.creditRulesVersionId]);
    return r[1] === 1;
  }

  /** Holds the schedule row until commit: a recompute cannot slip in between what the approver checked and the approval. */
  async lockSchedule(em: EntityManager, id: string): Promise<void> {
    await em.query(`SELECT 1 FROM subsidy_schedule WHERE id = $1 FOR UPDATE`, [id]);
  }

  async approveSchedule(em: EntityManager, id: string, by: string): Promise<boolean> {
    const r = await em.query(`UPDATE subsidy_schedule SET status = 'approved', approved_by = $2, approved_at = now() WHERE id = $1 AND status = 'draft'`, [id, by]);
    return r[1] === 1;
  }
}
