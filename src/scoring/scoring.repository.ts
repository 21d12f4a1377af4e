import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Scope, scopeCondition } from '../common/scope';
import type { ScoreHazard, ScoreInspection } from './domain/safety-score';

const ASSESSMENT_SCOPE = { divisionPath: 'a.division_path', institutionId: 'a.institution_id' } as const;
/** A schedule covers a division, not one institution: an institution scope sees none. */
const SCHEDULE_SCOPE = { divisionPath: 's.division_path', institutionId: 'NULL::uuid' } as const;

/** SQL for scores, grade assessments and subsidy schedules, each read within the caller's scope. */
@Injectable()
export class ScoringRepository {
  constructor(private readonly dataSource: DataSource) {}

  async scoreInputs(institutionId: string): Promise<{ inspections: ScoreInspection[]; hazards: ScoreHazard[] }> {
    const [inspections, hazards] = await Promise.all([
      this.dataSource.query(`SELECT id, (submitted_at AT TIME ZONE 'Asia/Shanghai')::date::text AS "submittedOn"
        FROM inspection WHERE institution_id = $1 AND status = 'submitted' ORDER BY submitted_at DESC`, [institutionId]),
      this.dataSource.query(`
        SELECT h.id, h.inspection_id AS "inspectionId", h.item_code AS "itemCode", h.title_zh AS "titleZh", h.severity, h.scope, h.status,
               h.closure_reason AS "closureReason", h.overdue,
               (SELECT count(*)::int FROM hazard_verification v WHERE v.hazard_id = h.id AND NOT v.accepted) AS "returnedCount",
               (i.submitted_at AT TIME ZONE 'Asia/Shanghai')::date::text AS "foundOn"
          FROM hazard h JOIN inspection i ON i.id = h.inspection_id WHERE h.institution_id = $1 ORDER BY h.created_at, h.item_code`, [institutionId]),
    ]);
    return { inspections, hazards };
  }

  /** The score inputs of every institution of a subtree in two queries (for recomputing a whole city). */
  async allScoreInputs(scope: Scope): Promise<{ inspections: (ScoreInspection & { institutionId: string })[]; hazards: (ScoreHazard & { institutionId: string })[] }> {
    const inspectionParams: unknown[] = [];
    const hazardParams: unknown[] = [];
    const [inspections, hazards] = await Promise.all([
      this.dataSource.query(`SELECT id, institution_id AS "institutionId", (submitted_at AT TIME ZONE 'Asia/Shanghai')::date::text AS "submittedOn"
        FROM inspection WHERE ${scopeCondition(scope, { divisionPath: 'division_path', institutionId: 'institution_id' }).bind(inspectionParams)} AND status = 'submitted'
        ORDER BY submitted_at DESC`, inspectionParams),
      this.dataSource.query(`
        SELECT h.id, h.institution_id AS "institutionId", h.inspection_id AS "inspectionId", h.item_code AS "itemCode", h.title_zh AS "titleZh",
               h.severity, h.scope, h.status, h.closure_reason AS "closureReason", h.overdue, coalesce(v.returned, 0)::int AS "returnedCount",
               (i.submitted_at AT TIME ZONE 'Asia/Shanghai')::date::text AS "foundOn"
          FROM hazard h JOIN inspection i ON i.id = h.inspection_id
          LEFT JOIN (SELECT hazard_id, count(*) FILTER (WHERE NOT accepted) AS returned FROM hazard_verification GROUP BY hazard_id) v ON v.hazard_id = h.id
         WHERE ${scopeCondition(scope, { divisionPath: 'h.division_path', institutionId: 'h.institution_id' }).bind(hazardParams)} ORDER BY h.created_at, h.item_code`, hazardParams),
    ]);
    return { inspections, hazards };
  }

  /** Stores many scores in one statement and points each institution at its new score. */
  async saveScores(em: EntityManager, rows: { institutionId: string; divisionPath: string; asOf: string; score: number; capApplied: boolean; contributions: unknown; ruleSetVersionId: string }[]): Promise<void> {
    if (!rows.length) return;
    await em.query(
      `WITH input AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(institution_id uuid, division_path text, as_of date, score numeric, cap_applied boolean, contributions jsonb, rule_set_version_id uuid)
       ), inserted AS (
         INSERT INTO safety_score (institution_id, division_path, as_of, score, cap_applied, contributions, rule_set_version_id)
         SELECT institution_id, division_path, as_of, score, cap_applied, contributions, rule_set_version_id FROM input
         RETURNING id, institution_id, score, computed_at
       )
       INSERT INTO institution_score (institution_id, score_id, score, computed_at)
       SELECT institution_id, id, score, computed_at FROM inserted
       ON CONFLICT (institution_id) DO UPDATE SET score_id = EXCLUDED.score_id, score = EXCLUDED.score, computed_at = EXCLUDED.computed_at
       WHERE institution_score.computed_at <= EXCLUDED.computed_at`,
      [JSON.stringify(rows.map((r) => ({
        institution_id: r.institutionId, division_path: r.divisionPath, as_of: r.asOf, score: r.score, cap_applied: r.capApplied,
        contributions: r.contributions, rule_set_version_id: r.ruleSetVersionId,
      })))]);
  }

  async saveScore(em: EntityManager, s: { institutionId: string; divisionPath: string; asOf: string; score: number; capApplied: boolean; contributions: unknown; ruleSetVersionId: string }): Promise<string> {
    const [row] = await em.query(
      `INSERT INTO safety_score (institution_id, division_path, as_of, score, cap_applied, contributions, rule_set_version_id)
       VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id, computed_at`,
      [s.institutionId, s.divisionPath, s.asOf, s.score, s.capApplied, JSON.stringify(s.contributions), s.ruleSetVersionId]);
    await em.query(
      `INSERT INTO institution_score (institution_id, score_id, score, computed_at) VALUES ($1,$2,$3,$4)
       ON CONFLICT (institution_id) DO UPDATE SET score_id = EXCLUDED.score_id, score = EXCLUDED.score, computed_at = EXCLUDED.computed_at
       WHERE institution_score.computed_at <= EXCLUDED.computed_at`,
      [s.institutionId, row.id, s.score, row.computed_at]);
    return row.id;
  }

  async latestScore(institutionId: string) {
    const [row] = await this.dataSource.query(
      `SELECT s.id, s.score::float AS score, s.as_of::text AS "asOf", s.cap_applied AS "capApplied", s.contributions, s.computed_at AS "computedAt",
              v.rule_set_code AS "ruleSetCode", v.version_no AS "ruleSetVersionNo", v.content_hash AS "ruleSetHash"
         FROM institution_score l JOIN safety_score s ON s.id = l.score_id JOIN rule_set_version v ON v.id = s.rule_set_version_id
        WHERE l.institution_id = $1`, [institutionId]);
    return row ?? null;
  }

  institutionIds(scope: Scope): Promise<{ id: string; division_path: string }[]> {
    const params: unknown[] = [];
    return this.dataSource.query(`SELECT id, division_path FROM institution
      WHERE ${scopeCondition(scope, { divisionPath: 'division_path', institutionId: 'id' }).bind(params)} AND status <> 'closed' ORDER BY id`, params);
  }

  async hasOpenMajorHazard(institutionId: string, em: EntityManager = this.dataSource.manager): Promise<boolean> {
    const [row] = await em.query(`SELECT EXISTS (SELECT 1 FROM hazard WHERE institution_id = $1 AND severity = 'major' AND status <> 'closed') AS b`, [institutionId]);
    return row.b;
  }

  // ---- grade assessments

  async insertAssessment(em: EntityManager, a: { institutionId: string; divisionPath: string; formVersionId: string; prerequisites: object; openedBy: string }): Promise<string> {
    const [row] = await em.query(
      `INSERT INTO grade_assessment (institution_id, division_path, form_version_id, prerequisites, opened_by) VALUES ($1,$2,$3,$4,$5) RETURNING id`,
      [a.institutionId, a.divisionPath, a.formVersionId, JSON.stringify(a.prerequisites), a.openedBy]);
    return row.id;
  }

  async assessment(scope: Scope, id: string, em: EntityManager = this.dataSource.manager, lock = false) {
    const params: unknown[] = [id];
    const [row] = await em.query(
      `SELECT a.id, a.institution_id AS "institutionId", i.name AS "institutionName", a.division_path AS "divisionPath", a.form_version_id AS "formVersionId",
              a.status, a.prerequisites, a.item_points AS "itemPoints", a.item_notes AS "itemNotes", a.total::float AS total, a.grade,
              a.grade_label AS "gradeLabel", a.reasons, a.valid_until::text AS "validUntil", a.opened_at AS "openedAt", a.finalized_at AS "finalizedAt", a.version
         FROM grade_assessment a JOIN institution i ON i.id = a.institution_id
        WHERE a.id = $1 AND ${scopeCondition(scope, ASSESSMENT_SCOPE).bind(params)} ${lock ? 'FOR UPDATE OF a' : ''}`, params);
    return row ?? null;
  }

  async pageAssessments(scope: Scope, institutionId: string | undefined, offset: number, limit: number) {
    const params: unknown[] = [];
    let where = scopeCondition(scope, ASSESSMENT_SCOPE).bind(params);
    if (institutionId) { params.push(institutionId); where += ` AND a.institution_id = $${params.length}`; }
    const [rows, [{ total }]] = await Promise.all([
      this.dataSource.query(`SELECT a.id, a.institution_id AS "institutionId", i.name AS "institutionName", a.status, a.total::float AS total,
          a.grade_label AS "gradeLabel", a.valid_until::text AS "validUntil", a.opened_at AS "openedAt", a.finalized_at AS "finalizedAt"
          FROM grade_assessment a JOIN institution i ON i.id = a.institution_id WHERE ${where} ORDER BY a.opened_at DESC OFFSET ${Number(offset)} LIMIT ${Number(limit)}`, params),
      this.dataSource.query(`SELECT count(*)::int AS total FROM grade_assessment a WHERE ${where}`, params),
    ]);
    return [rows, total] as const;
  }

  async updateAssessment(em: EntityManager, id: string, version: number, changes: Record<string, unknown>): Promise<boolean> {
    const cols = Object.keys(changes);
    const sets = cols.map((c, i) => `${c} = $${i + 3}`).join(', ');
    const r = await em.query(`UPDATE grade_assessment SET ${sets}, version = version + 1 WHERE id = $1 AND version = $2 AND status = 'open'`,
      [id, version, ...cols.map((c) => (typeof changes[c] === 'object' && changes[c] !== null && !(changes[c] instanceof Date) ? JSON.stringify(changes[c]) : changes[c]))]);
    return r[1] === 1;
  }

  /** The grade in force for an institution on a date: the latest finalized assessment still valid then. */
  async gradeOn(institutionId: string, date: string): Promise<number | null> {
    const [row] = await this.dataSource.query(
      `SELECT grade FROM grade_assessment WHERE institution_id = $1 AND status = 'finalized' AND valid_until >= $2 AND finalized_at::date <= $2
        ORDER BY finalized_at DESC LIMIT 1`, [institutionId, date]);
    return row?.grade ?? null;
  }

  // ---- subsidy schedules

  /** Per institution of the division: beds, residents, score, grade and the days of the period a major hazard was open. */
  subsidyInputs(scope: Scope, start: string, end: string) {
    const params: unknown[] = [];
    const inScope = scopeCondition(scope, { divisionPath: 'i.division_path', institutionId: 'i.id' }).bind(params); // $1
    params.push(start, end);
    return this.dataSource.query(`
      SELECT i.id, i.name, i.status, i.occupied_beds AS "occupiedBeds", i.residents_self_care AS "residentsSelfCare",
             i.residents_mildly_disabled AS "residentsMildlyDisabled", i.residents_moderately_disabled AS "residentsModeratelyDisabled",
             i.residents_severely_disabled AS "residentsSeverelyDisabled", s.score::float AS "safetyScore",
             (SELECT grade FROM grade_assessment a WHERE a.institution_id = i.id AND a.status = 'finalized' AND a.valid_until >= $2::date
               ORDER BY a.finalized_at DESC LIMIT 1) AS grade,
             (SELECT count(DISTINCT day)::int FROM hazard h,
                     generate_series(greatest((h.created_at AT TIME ZONE 'Asia/Shanghai')::date, $2::date),
                                     least(coalesce((h.closed_at AT TIME ZONE 'Asia/Shanghai')::date - 1, $3::date), $3::date), interval '1 day') AS day
               WHERE h.institution_id = i.id AND h.severity = 'major' AND h.closure_reason IS DISTINCT FROM 'objection_upheld') AS "majorHazardOpenDays"
        FROM institution i LEFT JOIN institution_score s ON s.institution_id = i.id
       WHERE ${inScope} AND i.status IN ('active','suspended')
       ORDER BY i.division_path, i.name`, params) as Promise<{
        id: string; name: string; status: string; occupiedBeds: number; residentsSelfCare: number; residentsMildlyDisabled: number;
        residentsModeratelyDisabled: number; residentsSeverelyDisabled: number; safetyScore: number | null; grade: 1 | 2 | 3 | 4 | 5 | null; majorHazardOpenDays: number;
      }[]>;
  }

  async insertSchedule(em: EntityManager, s: { divisionCode: string; divisionPath: string; start: string; end: string; policyVersionId: string; scoringVersionId: string | null; lines: unknown; total: number; createdBy: string }): Promise<string> {
    const [row] = await em.query(
      `INSERT INTO subsidy_schedule (division_code, division_path, period_start, period_end, version_no, policy_version_id, scoring_version_id, lines, total, created_by)
       VALUES ($1::varchar, $2, $3::date, $4::date,
               (SELECT coalesce(max(version_no), 0) + 1 FROM subsidy_schedule WHERE division_code = $1::varchar AND period_start = $3::date AND period_end = $4::date),
               $5, $6, $7, $8, $9)
       RETURNING id`,
      [s.divisionCode, s.divisionPath, s.start, s.end, s.policyVersionId, s.scoringVersionId, JSON.stringify(s.lines), s.total, s.createdBy]);
    return row.id;
  }

  async schedule(scope: Scope, id: string, em: EntityManager = this.dataSource.manager) {
    const params: unknown[] = [id];
    const [row] = await em.query(
      `SELECT s.id, s.division_code AS "divisionCode", d.name AS "divisionName", s.division_path AS "divisionPath", s.period_start::text AS "periodStart",
              s.period_end::text AS "periodEnd", s.version_no AS "versionNo", s.status, s.lines, s.total::float AS total, s.created_at AS "createdAt",
              s.approved_at AS "approvedAt", u.display_name AS "approvedByName", v.rule_set_code AS "policyCode", v.version_no AS "policyVersionNo", v.content_hash AS "policyHash"
         FROM subsidy_schedule s JOIN division d ON d.code = s.division_code JOIN rule_set_version v ON v.id = s.policy_version_id
         LEFT JOIN app_user u ON u.id = s.approved_by
        WHERE s.id = $1 AND ${scopeCondition(scope, SCHEDULE_SCOPE).bind(params)}`, params);
    return row ?? null;
  }

  async pageSchedules(scope: Scope, offset: number, limit: number) {
    const params: unknown[] = [];
    const where = scopeCondition(scope, SCHEDULE_SCOPE).bind(params);
    const [rows, [{ total }]] = await Promise.all([
      this.dataSource.query(`SELECT s.id, s.division_code AS "divisionCode", s.period_start::text AS "periodStart", s.period_end::text AS "periodEnd",
          s.version_no AS "versionNo", s.status, s.total::float AS total, s.created_at AS "createdAt", s.approved_at AS "approvedAt"
          FROM subsidy_schedule s WHERE ${where} ORDER BY s.created_at DESC OFFSET ${Number(offset)} LIMIT ${Number(limit)}`, params),
      this.dataSource.query(`SELECT count(*)::int AS total FROM subsidy_schedule s WHERE ${where}`, params),
    ]);
    return [rows, total] as const;
  }

  async approveSchedule(em: EntityManager, id: string, by: string): Promise<boolean> {
    const r = await em.query(`UPDATE subsidy_schedule SET status = 'approved', approved_by = $2, approved_at = now() WHERE id = $1 AND status = 'draft'`, [id, by]);
    return r[1] === 1;
  }
}
