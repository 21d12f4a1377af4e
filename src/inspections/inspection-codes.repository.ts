import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Scope, scopeCondition } from '../common/scope';
import type { GuessHistory, GuessLimits } from './domain/inspection-code';

/** An inspection as the institution and the record see it with its 检查码 (columns of one row). */
export interface CodedInspection {
  inspectionId: string;
  /** null: the inspection has no code (made before 检查码) */
  code: string | null;
  issuedAt: Date | null;
  confirmedAt: Date | null;
  confirmedBy: string | null;
  confirmedByName: string | null;
  confirmedByInstitution: string | null;
  kind: string;
  status: string;
  scheduledDate: string | null;
  startedAt: Date | null;
  submittedAt: Date | null;
  reportNo: string | null;
  divisionPath: string;
  institutionId: string;
  institutionName: string;
  planName: string | null;
  /** the institution's rating, if given */
  rated: boolean;
  /** the product policy the inspection was made under (its rating window); null: made before policies were versioned */
  productPolicyVersionId: string | null;
}

/** One member of the team as the inspected institution is shown them: name, division, 执法证号. */
export interface TeamCard {
  userId: string;
  displayName: string;
  role: 'lead' | 'member';
  accountRole: string;
  divisionName: string | null;
  warrantNo: string | null;
}

export interface RatingRow {
  inspectionId: string;
  institutionId: string;
  conduct: number;
  clarity: number;
  comment: string | null;
  ratedBy: string;
  ratedByName: string;
  ratedAt: Date;
}

/** The bureau's filters of the ratings (评价): a division subtree, the visit's Shanghai days, the lower of the two scores, an inspector. */
export interface RatingFilter {
  divisionCode?: string;
  /** YYYY-MM-DD, inclusive: the day the inspection was submitted (the visit) */
  from?: string;
  to?: string;
  /** the lower of the two scores is at least / at most */
  minScore?: number;
  maxScore?: number;
  /** ratings of visits this account was on the team of */
  inspectorId?: string;
}

/** One rating in the bureau's list. */
export interface RatingListRow {
  inspectionId: string;
  institutionId: string;
  institutionName: string;
  divisionName: string;
  kind: string;
  submittedAt: Date;
  startedAt: Date | null;
  reportNo: string | null;
  team: string | null;
  hasCode: boolean;
  confirmedAt: Date | null;
  conduct: number;
  clarity: number;
  comment: string | null;
  ratedAt: Date;
}

export interface RatingSummaryRow {
  count: number;
  conductSum: number;
  claritySum: number;
  low: number;
  commented: number;
  /** submitted inspections of the same scope, division, days and inspector (whatever their rating) */
  submitted: number;
}

export interface InspectorRatingRow {
  userId: string;
  displayName: string;
  divisionName: string | null;
  count: number;
  conductSum: number;
  claritySum: number;
  low: number;
}

/** Writes a value into a query as a positional parameter or an escaped literal (COPY takes no parameters). */
export type Bind = (value: string) => string;

/** The ratings' tables: the rating `r`, its inspection `i`, the institution `inst`. */
export const RATING_FROM = `FROM inspection_rating r JOIN inspection i ON i.id = r.inspection_id JOIN institution inst ON inst.id = r.institution_id`;

/** The lower of the two scores of a rating (the score filter and the 低分 count use it). */
const LOWER = 'least(r.conduct, r.clarity)';

/**
 * The ratings a viewer in `scope` sees with the filters, as one condition over `RATING_FROM` (scope on the
 * rating's division path, like the inspection's). The same condition feeds the list, its summary and the CSV export.
 */
export function ratingsWhere(scope: Scope, f: RatingFilter, bind: Bind): string {
  return [...visitConditions(scope, f, bind, 'r'), ...(f.minScore !== undefined ? [`${LOWER} >= ${bind(String(f.minScore))}::int`] : []),
    ...(f.maxScore !== undefined ? [`${LOWER} <= ${bind(String(f.maxScore))}::int`] : [])].join(' AND ');
}

/** Scope, division, days and inspector, on the rating `r` or (for the count of submitted visits) on the inspection `i`. */
function visitConditions(scope: Scope, f: RatingFilter, bind: Bind, alias: 'r' | 'i'): string[] {
  const inScope = scopeCondition(scope, { divisionPath: `${alias}.division_path`, institutionId: `${alias}.institution_id` });
  const [[name, value]] = Object.entries(inScope.params);
  const where = [inScope.sql.replace(`:${name}`, bind(String(value)))];
  if (f.divisionCode) where.push(`${alias}.division_path LIKE ${bind(`%/${f.divisionCode}/%`)}`);
  if (f.from) where.push(`i.submitted_at >= (${bind(f.from)}::date::timestamp AT TIME ZONE 'Asia/Shanghai')`);
  if (f.to) where.push(`i.submitted_at < ((${bind(f.to)}::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')`);
  if (f.inspectorId) where.push(`EXISTS (SELECT 1 FROM inspection_team_member fm WHERE fm.inspection_id = i.id AND fm.user_id = ${bind(f.inspectorId)}::uuid)`);
  return where;
}

const positional = (params: unknown[]): Bind => (v) => `$${params.push(v)}`;

/** The inspection with its code, confirmer, plan and rating state; the WHERE is the caller's. */
const VISIT_SELECT = `
  SELECT i.id AS "inspectionId", trim(c.code) AS code, c.issued_at AS "issuedAt", c.confirmed_at AS "confirmedAt", c.confirmed_by AS "confirmedBy",
         cu.display_name AS "confirmedByName", ci.name AS "confirmedByInstitution",
         i.kind, i.status, to_char(i.scheduled_date, 'YYYY-MM-DD') AS "scheduledDate", i.started_at AS "startedAt", i.submitted_at AS "submittedAt",
         i.report_no AS "reportNo", i.division_path AS "divisionPath", i.institution_id AS "institutionId", inst.name AS "institutionName", p.name AS "planName",
         EXISTS (SELECT 1 FROM inspection_rating r WHERE r.inspection_id = i.id) AS rated,
         i.product_policy_version_id AS "productPolicyVersionId"
    FROM inspection i
    JOIN institution inst ON inst.id = i.institution_id
    LEFT JOIN inspection_code c ON c.inspection_id = i.id
    LEFT JOIN inspection_plan p ON p.id = i.plan_id
    LEFT JOIN app_user cu ON cu.id = c.confirmed_by
    LEFT JOIN institution ci ON ci.id = cu.institution_id`;

/** What an institution sees of its inspections outside the code: the submitted ones and those it confirmed. */
const INSTITUTION_VISIBLE = `(i.status = 'submitted' OR c.confirmed_at IS NOT NULL)`;

/**
 * 检查码 and 评价 SQL: the codes of inspections (issued by InspectionsRepository.insert at creation), their look-up by
 * an institution (only its own inspections: the scope is in every statement), confirmations, the wrong-guess
 * counter, ratings and the bureau's list of them.
 */
@Injectable()
export class InspectionCodesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The institution's inspection with this code, whatever its state (a code of another institution's inspection
   * is not found). `lock`: the code row for update and the inspection row for share (a submission holding it is
   * waited for, so a confirmation never lands after the filing).
   */
  async findByCode(em: EntityManager, code: string, institutionId: string, lock = false): Promise<CodedInspection | null> {
    if (lock) {
      const locked: unknown[] = await em.query(
        `SELECT c.inspection_id FROM inspection_code c JOIN inspection i ON i.id = c.inspection_id
          WHERE c.code = $1 AND i.institution_id = $2 FOR UPDATE OF c FOR SHARE OF i`, [code, institutionId]);
      if (!locked.length) return null;
    }
    const [row] = await em.query(`${VISIT_SELECT} WHERE c.code = $1 AND i.institution_id = $2`, [code, institutionId]);
    return row ?? null;
  }

  /** One inspection of the institution it may see here: submitted, or confirmed by it. */
  async findVisit(inspectionId: string, institutionId: string, em: EntityManager = this.dataSource.manager): Promise<CodedInspection | null> {
    const [row] = await em.query(`${VISIT_SELECT} WHERE i.id = $1 AND i.institution_id = $2 AND ${INSTITUTION_VISIBLE}`, [inspectionId, institutionId]);
    return row ?? null;
  }

  /** The inspection's code facts for its record and pages (the caller has read the inspection in its scope). */
  async ofInspection(inspectionId: string, em: EntityManager = this.dataSource.manager): Promise<CodedInspection | null> {
    const [row] = await em.query(`${VISIT_SELECT} WHERE i.id = $1`, [inspectionId]);
    return row ?? null;
  }

  /** The institution's visits (submitted, or confirmed by it), newest first. */
  async visits(institutionId: string, offset: number, limit: number): Promise<[CodedInspection[], number]> {
    const where = `WHERE i.institution_id = $1 AND ${INSTITUTION_VISIBLE}`;
    const [rows, [{ n }]] = await Promise.all([
      this.dataSource.query(`${VISIT_SELECT} ${where} ORDER BY coalesce(i.submitted_at, c.confirmed_at) DESC, i.id LIMIT $2 OFFSET $3`, [institutionId, limit, offset]),
      this.dataSource.query(`SELECT count(*)::int AS n FROM inspection i LEFT JOIN inspection_code c ON c.inspection_id = i.id ${where}`, [institutionId]),
    ]);
    return [rows, n];
  }

  /** The teams of inspections with each member's division and 执法证号, lead first. */
  async teamCards(inspectionIds: string[]): Promise<Map<string, TeamCard[]>> {
    const out = new Map<string, TeamCard[]>();
    if (!inspectionIds.length) return out;
    const rows: (TeamCard & { inspectionId: string })[] = await this.dataSource.query(
      `SELECT m.inspection_id AS "inspectionId", m.user_id AS "userId", u.display_name AS "displayName", m.role, u.role AS "accountRole",
              d.name AS "divisionName", u.warrant_no AS "warrantNo"
         FROM inspection_team_member m JOIN app_user u ON u.id = m.user_id LEFT JOIN division d ON d.code = u.division_code
        WHERE m.inspection_id = ANY($1) ORDER BY m.role, u.display_name, u.id`, [inspectionIds]);
    for (const { inspectionId, ...card } of rows) out.set(inspectionId, [...(out.get(inspectionId) ?? []), card]);
    return out;
  }

  // ---------------------------------------------------------------- confirmation and wrong guesses

  /** Serialises the guesses of one institution's accounts (the count and the guess that follows are one decision). */
  async lockGuesses(em: EntityManager, institutionId: string): Promise<void> {
    await em.query(`SELECT pg_advisory_xact_lock(hashtextextended('inspection-code-guess:' || $1::text, 0))`, [institutionId]);
  }

  /** Wrong guesses of the account and of its institution within their windows, with the oldest of each. */
  async guessHistory(em: EntityManager, userId: string, institutionId: string, now: Date, limits: GuessLimits): Promise<GuessHistory> {
    const [row] = await em.query(
      `SELECT count(*) FILTER (WHERE user_id = $1 AND at > $3::timestamptz - make_interval(mins => $4))::int AS "userCount",
              min(at) FILTER (WHERE user_id = $1 AND at > $3::timestamptz - make_interval(mins => $4)) AS "userOldest",
              count(*)::int AS "institutionCount", min(at) AS "institutionOldest"
         FROM inspection_code_guess WHERE institution_id = $2 AND at > $3::timestamptz - make_interval(hours => $5)`,
      [userId, institutionId, now, limits.userWindowMinutes, limits.institutionWindowHours]);
    return {
      user: { count: row.userCount, oldest: row.userOldest ? new Date(row.userOldest) : null },
      institution: { count: row.institutionCount, oldest: row.institutionOldest ? new Date(row.institutionOldest) : null },
    };
  }

  /** Counts a wrong guess (time only, never the code typed); the institution's guesses older than a day go. */
  async recordWrongGuess(em: EntityManager, userId: string, institutionId: string, now: Date): Promise<void> {
    await em.query(`INSERT INTO inspection_code_guess (user_id, institution_id, at) VALUES ($1, $2, $3)`, [userId, institutionId, now]);
    await em.query(`DELETE FROM inspection_code_guess WHERE institution_id = $1 AND at < $2::timestamptz - interval '1 day'`, [institutionId, now]);
  }

  /** Records the confirmation once; false when it was confirmed already. */
  async confirm(em: EntityManager, inspectionId: string, userId: string, at: Date): Promise<boolean> {
    const r = await em.query(`UPDATE inspection_code SET confirmed_at = $2, confirmed_by = $3 WHERE inspection_id = $1 AND confirmed_at IS NULL`, [inspectionId, at, userId]);
    return r[1] === 1;
  }

  // ---------------------------------------------------------------- ratings

  async rating(inspectionId: string, em: EntityManager = this.dataSource.manager): Promise<RatingRow | null> {
    const [row] = await em.query(
      `SELECT r.inspection_id AS "inspectionId", r.institution_id AS "institutionId", r.conduct, r.clarity, r.comment, r.rated_by AS "ratedBy",
              u.display_name AS "ratedByName", r.rated_at AS "ratedAt"
         FROM inspection_rating r JOIN app_user u ON u.id = r.rated_by WHERE r.inspection_id = $1`, [inspectionId]);
    return row ?? null;
  }

  /** Writes the one rating of an inspection; false when there is one already. */
  async insertRating(em: EntityManager, v: { inspectionId: string; institutionId: string; divisionPath: string; conduct: number; clarity: number; comment: string | null; ratedBy: string; ratedAt: Date }): Promise<boolean> {
    const rows: unknown[] = await em.query(
      `INSERT INTO inspection_rating (inspection_id, institution_id, division_path, conduct, clarity, comment, rated_by, rated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (inspection_id) DO NOTHING RETURNING inspection_id`,
      [v.inspectionId, v.institutionId, v.divisionPath, v.conduct, v.clarity, v.comment, v.ratedBy, v.ratedAt]);
    return rows.length === 1;
  }

  /** The bureau's page of ratings with the filters, newest visit first. */
  async ratingsPage(scope: Scope, f: RatingFilter, offset: number, limit: number): Promise<RatingListRow[]> {
    const params: unknown[] = [];
    const where = ratingsWhere(scope, f, positional(params));
    return this.dataSource.query(
      `SELECT r.inspection_id AS "inspectionId", r.institution_id AS "institutionId", inst.name AS "institutionName", d.name AS "divisionName",
              i.kind, i.submitted_at AS "submittedAt", i.started_at AS "startedAt", i.report_no AS "reportNo", tm.names AS team,
              (c.inspection_id IS NOT NULL) AS "hasCode", c.confirmed_at AS "confirmedAt",
              r.conduct, r.clarity, r.comment, r.rated_at AS "ratedAt"
         ${RATING_FROM}
         JOIN division d ON d.code = inst.division_code
         LEFT JOIN inspection_code c ON c.inspection_id = r.inspection_id
         LEFT JOIN LATERAL (${TEAM_NAMES_SQL}) tm ON true
        WHERE ${where}
        ORDER BY i.submitted_at DESC, r.inspection_id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`, [...params, limit, offset]);
  }

  /** Count, sums and 低分 of the filtered ratings, and how many submitted visits the same filter (without the score) holds. */
  async ratingsSummary(scope: Scope, f: RatingFilter): Promise<RatingSummaryRow> {
    const params: unknown[] = [];
    const bind = positional(params);
    const where = ratingsWhere(scope, f, bind);
    const visits = visitConditions(scope, f, bind, 'i').join(' AND ');
    const [row] = await this.dataSource.query(
      `SELECT (SELECT count(*)::int ${RATING_FROM} WHERE ${where}) AS count,
              (SELECT coalesce(sum(r.conduct), 0)::int ${RATING_FROM} WHERE ${where}) AS "conductSum",
              (SELECT coalesce(sum(r.clarity), 0)::int ${RATING_FROM} WHERE ${where}) AS "claritySum",
              (SELECT count(*) FILTER (WHERE ${LOWER} <= 2)::int ${RATING_FROM} WHERE ${where}) AS low,
              (SELECT count(*) FILTER (WHERE r.comment IS NOT NULL)::int ${RATING_FROM} WHERE ${where}) AS commented,
              (SELECT count(*)::int FROM inspection i WHERE i.status = 'submitted' AND ${visits}) AS submitted`, params);
    return row;
  }

  /** Per member of the rated teams: how many ratings, their sums and 低分, lowest average first (at most `limit`). */
  ratingsByInspector(scope: Scope, f: RatingFilter, limit = 50): Promise<InspectorRatingRow[]> {
    const params: unknown[] = [];
    const where = ratingsWhere(scope, f, positional(params));
    return this.dataSource.query(
      `SELECT u.id AS "userId", u.display_name AS "displayName", ud.name AS "divisionName", count(*)::int AS count,
              sum(r.conduct)::int AS "conductSum", sum(r.clarity)::int AS "claritySum", count(*) FILTER (WHERE ${LOWER} <= 2)::int AS low
         ${RATING_FROM}
         JOIN inspection_team_member m ON m.inspection_id = r.inspection_id
         JOIN app_user u ON u.id = m.user_id
         LEFT JOIN division ud ON ud.code = u.division_code
        WHERE ${where}
        GROUP BY u.id, u.display_name, ud.name
        ORDER BY (sum(r.conduct) + sum(r.clarity))::numeric / count(*) ASC, count(*) DESC, u.display_name, u.id
        LIMIT $${params.length + 1}`, [...params, limit]);
  }
}

/** The team of the rating's inspection `r` as one text: 张三（组长）、李四 (a LATERAL subquery). */
export const TEAM_NAMES_SQL = `SELECT string_agg(tu.display_name || CASE tmm.role WHEN 'lead' THEN '（组长）' ELSE '' END, '、' ORDER BY tmm.role, tu.display_name) AS names
  FROM inspection_team_member tmm JOIN app_user tu ON tu.id = tmm.user_id WHERE tmm.inspection_id = r.inspection_id`;
