import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Scope, scopeCondition } from '../common/scope';
import { BlockingHazard, GradeDecisionRecord, gradeIntervals, GradeOutcome } from './domain/grade';
import type { ScoreHazard, ScoreInspection } from './domain/safety-score';

/** Scoped by where the institution is now (an institution that moves district takes its grades with it), not where it was assessed. */
const ASSESSMENT_SCOPE = { divisionPath: 'i.division_path', institutionId: 'a.institution_id' } as const;

/** A row of the assessment list: the outcome and its standing today (pageAssessments). */
export interface AssessmentRow {
  id: string; institutionId: string; institutionName: string; status: string; total: number | null; grade: number | null; gradeLabel: string | null;
  validFrom: string | null; validUntil: string | null; openedAt: Date; finalizedAt: Date | null;
  currentGrade: number | null; decisionKind: 'revoke' | 'lower' | null;
  standing: 'open' | 'in_force' | 'superseded' | 'revoked' | 'expired'; expiring: boolean;
}

/** SQL for scores and grade assessments, each read within the caller's scope. */
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

  /**
   * The hazards that block a grade: major and not closed (未销号), or 疑似重大隐患 (major_status 'suspected', still
   * severity 'general') not closed and awaiting the bureau's confirmation or downgrade.
   */
  blockingMajorHazards(institutionId: string, em: EntityManager = this.dataSource.manager): Promise<(BlockingHazard & { hazardId: string })[]> {
    return em.query(`
      SELECT h.id AS "hazardId", h.item_code AS "itemCode", h.title_zh AS title, CASE WHEN h.severity = 'major' THEN 'major' ELSE 'suspected' END AS status
        FROM hazard h
       WHERE h.institution_id = $1 AND h.status <> 'closed' AND (h.severity = 'major' OR h.major_status = 'suspected')
       ORDER BY h.severity = 'major' DESC, h.item_code, h.created_at`, [institutionId]);
  }

  // ---- grade assessments

  async insertAssessment(em: EntityManager, a: { institutionId: string; divisionPath: string; formVersionId: string; policyVersionId: string | null; prerequisites: object; openedBy: string }): Promise<string> {
    const [row] = await em.query(
      `INSERT INTO grade_assessment (institution_id, division_path, form_version_id, product_policy_version_id, prerequisites, opened_by)
       VALUES ($1,$2,$3,$4,$5,$6) RETURNING id`,
      [a.institutionId, a.divisionPath, a.formVersionId, a.policyVersionId, JSON.stringify(a.prerequisites), a.openedBy]);
    return row.id;
  }

  async assessment(scope: Scope, id: string, em: EntityManager = this.dataSource.manager, lock = false) {
    const params: unknown[] = [id];
    const [row] = await em.query(
      `SELECT a.id, a.institution_id AS "institutionId", i.name AS "institutionName", i.division_path AS "divisionPath", a.form_version_id AS "formVersionId",
              a.status, a.prerequisites, a.item_points AS "itemPoints", a.item_notes AS "itemNotes", a.total::float AS total, a.grade,
              a.grade_label AS "gradeLabel", a.reasons, a.valid_from::text AS "validFrom", a.valid_until::text AS "validUntil",
              a.final_prerequisites AS "finalPrerequisites", a.product_policy_version_id AS "policyVersionId",
              a.opened_at AS "openedAt", a.finalized_at AS "finalizedAt", a.version,
              a.opened_by AS "openedBy", a.finalized_by AS "finalizedBy",
              coalesce((SELECT jsonb_agg(jsonb_build_object('id', d.id, 'kind', d.kind, 'newGrade', d.new_grade, 'reason', d.reason, 'basis', d.basis,
                               'effectiveOn', d.effective_on::text, 'decidedBy', d.decided_by, 'decidedAt', d.decided_at) ORDER BY d.effective_on, d.decided_at)
                          FROM grade_decision d WHERE d.assessment_id = a.id), '[]'::jsonb) AS decisions
         FROM grade_assessment a JOIN institution i ON i.id = a.institution_id
        WHERE a.id = $1 AND ${scopeCondition(scope, ASSESSMENT_SCOPE).bind(params)} ${lock ? 'FOR UPDATE OF a' : ''}`, params);
    return row ?? null;
  }

  /**
   * Assessments in scope with their standing today (`today`, a Shanghai date) — the SQL form of the timeline of
   * domain/grade.ts (gradeTimeline), kept beside it: 评定中 (open); 已被后评覆盖 (a later finalized outcome of the
   * institution has started: later valid_from, or the same day and finalized later); 已撤销 (a revocation in effect);
   * 已过期 (valid_until passed); otherwise 现行有效. `currentGrade` is the grade after the decisions in effect.
   * `expiring`: in force, holding a grade, and valid_until within `expiringDays` days from today (today included).
   */
  async pageAssessments(scope: Scope, filter: { institutionId?: string; status?: string; expiring?: boolean; sort?: string; today: string; expiringDays: number }, offset: number, limit: number) {
    const params: unknown[] = [filter.today];
    const inScope = scopeCondition(scope, ASSESSMENT_SCOPE).bind(params);
    const conditions: string[] = [];
    if (filter.institutionId) { params.push(filter.institutionId); conditions.push(`x."institutionId" = $${params.length}`); }
    if (filter.status) { params.push(filter.status); conditions.push(`x.standing = $${params.length}`); }
    params.push(filter.expiringDays);
    const soon = `(x.standing = 'in_force' AND x."currentGrade" IS NOT NULL AND x."validUntil" IS NOT NULL AND x."validUntil"::date < $1::date + $${params.length}::int)`;
    if (filter.expiring) conditions.push(soon);
    const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
    const order = filter.sort === 'expiry'
      ? `ORDER BY (x.standing = 'in_force') DESC, x."validUntil" ASC NULLS LAST, x."openedAt" DESC, x.id`
      : `ORDER BY x."openedAt" DESC, x.id`;
    const rows = `SELECT a.id, a.institution_id AS "institutionId", i.name AS "institutionName", a.status, a.total::float AS total, a.grade,
          a.grade_label AS "gradeLabel", a.valid_from::text AS "validFrom", a.valid_until::text AS "validUntil", a.opened_at AS "openedAt", a.finalized_at AS "finalizedAt",
          CASE WHEN ld.kind IS NULL THEN a.grade WHEN ld.kind = 'revoke' THEN NULL ELSE ld.new_grade END AS "currentGrade", ld.kind AS "decisionKind",
          CASE WHEN a.status = 'open' THEN 'open'
               WHEN EXISTS (SELECT 1 FROM grade_assessment n WHERE n.institution_id = a.institution_id AND n.status = 'finalized' AND n.id <> a.id
                             AND n.valid_from <= $1::date
                             AND (n.valid_from > a.valid_from OR (n.valid_from = a.valid_from
                                  AND (n.finalized_at > a.finalized_at OR (n.finalized_at = a.finalized_at AND n.id::text > a.id::text))))) THEN 'superseded'
               WHEN ld.kind = 'revoke' THEN 'revoked'
               WHEN a.valid_until IS NOT NULL AND a.valid_until < $1::date THEN 'expired'
               ELSE 'in_force' END AS standing
          FROM grade_assessment a JOIN institution i ON i.id = a.institution_id
          LEFT JOIN LATERAL (SELECT d.kind, d.new_grade FROM grade_decision d WHERE d.assessment_id = a.id AND d.effective_on <= $1::date
                              ORDER BY d.effective_on DESC, d.decided_at DESC LIMIT 1) ld ON true
         WHERE ${inScope}`;
    const [items, [{ total, expiring }]] = await Promise.all([
      this.dataSource.query(`SELECT x.*, ${soon} AS expiring FROM (${rows}) x ${where} ${order} OFFSET ${Number(offset)} LIMIT ${Number(limit)}`, params),
      this.dataSource.query(`SELECT count(*)::int AS total, count(*) FILTER (WHERE ${soon})::int AS expiring FROM (${rows}) x ${where}`, params),
    ]);
    return [items as AssessmentRow[], total as number, expiring as number] as const;
  }

  /** Display names of accounts (assessors on a grade result); only ids the caller already holds from a record in scope. */
  async userNames(ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows: { id: string; name: string }[] = await this.dataSource.query(`SELECT id, display_name AS name FROM app_user WHERE id = ANY($1::uuid[])`, [ids]);
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  async updateAssessment(em: EntityManager, id: string, version: number, changes: Record<string, unknown>): Promise<boolean> {
    const cols = Object.keys(changes);
    const sets = cols.map((c, i) => `${c} = $${i + 3}`).join(', ');
    const r = await em.query(`UPDATE grade_assessment SET ${sets}, version = version + 1 WHERE id = $1 AND version = $2 AND status = 'open'`,
      [id, version, ...cols.map((c) => (typeof changes[c] === 'object' && changes[c] !== null && !(changes[c] instanceof Date) ? JSON.stringify(changes[c]) : changes[c]))]);
    return r[1] === 1;
  }

  /**
   * Serialises the grade lifecycle of one institution (finalizations and decisions) for the rest of the
   * transaction, so a decision never lands on an outcome that a concurrent finalization is superseding.
   */
  async lockGrades(em: EntityManager, institutionId: string): Promise<void> {
    await em.query(`SELECT pg_advisory_xact_lock(hashtext('grade_lifecycle'), hashtext($1))`, [institutionId]);
  }

  /** The lifecycle rows of institutions: finalized outcomes starting on or before `to`, and their decisions. */
  async gradeRows(institutionIds: string[], to: string, em: EntityManager = this.dataSource.manager): Promise<{ outcomes: GradeOutcome[]; decisions: GradeDecisionRecord[] }> {
    if (!institutionIds.length) return { outcomes: [], decisions: [] };
    const [outcomes, decisions] = await Promise.all([
      em.query(`SELECT a.id AS "assessmentId", a.institution_id AS "institutionId", a.grade, a.valid_from::text AS "validFrom",
                       a.valid_until::text AS "validUntil", to_char(a.finalized_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "finalizedAt"
                  FROM grade_assessment a WHERE a.institution_id = ANY($1::uuid[]) AND a.status = 'finalized' AND a.valid_from <= $2::date`, [institutionIds, to]),
      em.query(`SELECT d.assessment_id AS "assessmentId", d.kind, d.new_grade AS "newGrade", d.effective_on::text AS "effectiveOn",
                       to_char(d.decided_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "decidedAt"
                  FROM grade_decision d WHERE d.institution_id = ANY($1::uuid[]) AND d.effective_on <= $2::date`, [institutionIds, to]),
    ]);
    return { outcomes, decisions };
  }

  /**
   * The grade in force per institution and day between from and to (inclusive): non-overlapping intervals clipped
   * to [from, to]; a later outcome (未达等级 included) supersedes from its valid_from, a revocation or lowering
   * applies from its effective date; days without a grade are absent. The rules live in domain/grade.ts.
   */
  async gradeIntervals(institutionIds: string[], from: string, to: string): Promise<{ institutionId: string; grade: 1 | 2 | 3 | 4 | 5 | null; from: string; to: string }[]> {
    const { outcomes, decisions } = await this.gradeRows(institutionIds, to);
    return gradeIntervals(outcomes, decisions, from, to);
  }

  /** The grade in force for an institution on a date (null: none), on the same model as gradeIntervals. */
  async gradeOn(institutionId: string, date: string): Promise<number | null> {
    return (await this.gradeIntervals([institutionId], date, date))[0]?.grade ?? null;
  }

  /**
   * Rewrites an institution's grade spans from its lifecycle rows (inside the transaction that changed them), so the
   * SQL readers of "the grade in force" (dashboard, compliance export) agree with gradeIntervals.
   */
  async refreshGradeSpans(em: EntityManager, institutionId: string): Promise<void> {
    const { outcomes, decisions } = await this.gradeRows([institutionId], '9999-12-31', em);
    const spans = gradeIntervals(outcomes, decisions, '0001-01-01', '9999-12-31').filter((s) => s.grade !== null);
    await em.query(`DELETE FROM grade_span WHERE institution_id = $1`, [institutionId]);
    if (spans.length) {
      await em.query(`INSERT INTO grade_span (institution_id, grade, valid_from, valid_to)
        SELECT institution_id, grade, valid_from, valid_to FROM jsonb_to_recordset($1::jsonb) AS r(institution_id uuid, grade smallint, valid_from date, valid_to date)`,
      [JSON.stringify(spans.map((s) => ({ institution_id: s.institutionId, grade: s.grade, valid_from: s.from, valid_to: s.to })))]);
    }
  }

  /**
   * Grades in force ending between from and to (inclusive) at their assessment's own validity end (not cut short by a
   * revocation), with no span of a later grade starting the next day.
   */
  async expiringGradeSpans(from: string, to: string): Promise<{ institutionId: string; divisionPath: string; grade: number; validTo: string }[]> {
    return this.dataSource.query(
      `SELECT s.institution_id AS "institutionId", i.division_path AS "divisionPath", s.grade, s.valid_to::text AS "validTo"
         FROM grade_span s JOIN institution i ON i.id = s.institution_id
        WHERE s.valid_to BETWEEN $1::date AND $2::date
          AND EXISTS (SELECT 1 FROM grade_assessment a WHERE a.institution_id = s.institution_id AND a.status = 'finalized' AND a.valid_until = s.valid_to)
          AND NOT EXISTS (SELECT 1 FROM grade_span l WHERE l.institution_id = s.institution_id AND l.valid_from = s.valid_to + 1)
        ORDER BY s.valid_to, s.institution_id`, [from, to]);
  }

  async insertDecision(em: EntityManager, d: { assessmentId: string; institutionId: string; divisionPath: string; kind: 'revoke' | 'lower'; newGrade: number | null; reason: string; basis: string; effectiveOn: string; decidedBy: string }): Promise<string> {
    const [row] = await em.query(
      `INSERT INTO grade_decision (assessment_id, institution_id, division_path, kind, new_grade, reason, basis, effective_on, decided_by)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id`,
      [d.assessmentId, d.institutionId, d.divisionPath, d.kind, d.newGrade, d.reason, d.basis, d.effectiveOn, d.decidedBy]);
    return row.id;
  }
}
