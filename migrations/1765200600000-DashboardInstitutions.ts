import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The dashboard's institution figures from maintained summaries (issue 15, item 3): the grade in force today, the
 * safety-score bands and the number of institutions no longer read every institution of the scope — at scale 10 those
 * three queries were what still grew with the city (dashboard p50 2.6× from scale 1 to 10).
 *
 * Kept like the hazard summaries of migration DashboardFlat: statement triggers append one signed delta row per key a
 * statement touches (no counter row is ever updated, so writers never wait for each other), and the maintenance job
 * folds each key's deltas into one row (`dashboard_institution_compact(today)`, called with `dashboard_flat_compact`).
 * Rows are kept for every ancestor of the institution's path (`division_prefixes`: city, district, street), so a scope
 * reads its own rows with an equality.
 *
 * - `institution_band_count` (scope path, band): institutions not closed, per band of their current safety score
 *   (`score_band`; '无得分' without one). Its sum is the number of institutions of the scope.
 * - `institution_grade_count` (scope path, grade, valid from, valid to): the grade spans (`grade_span`: inclusive,
 *   non-overlapping per institution) of institutions not closed. The grade in force "as of today" is applied by the
 *   reader (`valid_from <= today <= valid_to`), so a grade that starts or ends moves the figure with no write; an
 *   institution with no span covering today is 无等级 (the band count minus the graded ones). The fold drops spans that
 *   ended more than two days before `today` (no later today counts them) and sets the start of spans that began more
 *   than two days before to 1900-01-01, so the rows are O(scopes × grades × distinct end dates).
 *
 * Sources of the deltas: an institution inserted, deleted, or updated in its path or status (closed or not) — its
 * score's band and its spans move with it; a score inserted, updated or deleted (the band of the institution moves);
 * a span inserted, updated or deleted. `hazard_summaries_rebuild()` (what a bulk load with triggers off calls) now
 * rebuilds these too: the earlier body is kept under the name `hazard_summaries_rebuild_hazards()` and called first.
 */
const BAND = `CASE WHEN score IS NULL THEN '无得分' WHEN score >= 90 THEN '90–100' WHEN score >= 75 THEN '75–89.9'
                   WHEN score >= 60 THEN '60–74.9' ELSE '60 以下' END`;

/** Band deltas of signed rows (s, division_path, status, score). */
const bandDeltas = (src: string) => `
    INSERT INTO institution_band_count (scope_path, band, n)
    SELECT p.scope, score_band(x.score), sum(x.s) FROM ${src} x CROSS JOIN LATERAL division_prefixes(x.division_path) p(scope)
     WHERE x.status <> 'closed' GROUP BY 1, 2 HAVING sum(x.s) <> 0;`;
/** Grade deltas of signed rows (s, division_path, status, grade, valid_from, valid_to). */
const gradeDeltas = (src: string) => `
    INSERT INTO institution_grade_count (scope_path, grade, valid_from, valid_to, n)
    SELECT p.scope, x.grade, x.valid_from, x.valid_to, sum(x.s) FROM ${src} x CROSS JOIN LATERAL division_prefixes(x.division_path) p(scope)
     WHERE x.status <> 'closed' GROUP BY 1, 2, 3, 4 HAVING sum(x.s) <> 0;`;

/** The institutions of an UPDATE statement whose path or status changed. */
const MOVED = `old_rows o JOIN new_rows n ON n.id = o.id WHERE ROW(o.division_path, o.status) IS DISTINCT FROM ROW(n.division_path, n.status)`;

export class DashboardInstitutions1765200600000 implements MigrationInterface {
  name = 'DashboardInstitutions1765200600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE FUNCTION score_band(score numeric) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT ${BAND} $$`);
    await q.query(`CREATE TABLE institution_band_count (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, scope_path text NOT NULL,
      band varchar(16) NOT NULL, n integer NOT NULL)`);
    await q.query(`CREATE INDEX institution_band_count_idx ON institution_band_count (scope_path) INCLUDE (band, n)`);
    await q.query(`CREATE TABLE institution_grade_count (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, scope_path text NOT NULL,
      grade smallint NOT NULL, valid_from date NOT NULL, valid_to date NOT NULL, n integer NOT NULL)`);
    await q.query(`CREATE INDEX institution_grade_count_idx ON institution_grade_count (scope_path, valid_to) INCLUDE (grade, valid_from, n)`);

    const fn = async (name: string, body: string) => q.query(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
      #variable_conflict use_column
      BEGIN ${body}
        RETURN NULL;
      END $$`);
    // institution
    await fn('dashboard_institution_inserted', `${bandDeltas(`(SELECT 1 AS s, n.division_path, n.status, sc.score FROM new_rows n
      LEFT JOIN institution_score sc ON sc.institution_id = n.id)`)}
      ${gradeDeltas(`(SELECT 1 AS s, n.division_path, n.status, g.grade, g.valid_from, g.valid_to FROM new_rows n JOIN grade_span g ON g.institution_id = n.id)`)}`);
    await fn('dashboard_institution_deleted', `${bandDeltas(`(SELECT -1 AS s, o.division_path, o.status, sc.score FROM old_rows o
      LEFT JOIN institution_score sc ON sc.institution_id = o.id)`)}
      ${gradeDeltas(`(SELECT -1 AS s, o.division_path, o.status, g.grade, g.valid_from, g.valid_to FROM old_rows o JOIN grade_span g ON g.institution_id = o.id)`)}`);
    await fn('dashboard_institution_updated', `${bandDeltas(`(SELECT -1 AS s, o.division_path, o.status, sc.score FROM ${MOVED.replace('WHERE', 'LEFT JOIN institution_score sc ON sc.institution_id = o.id WHERE')}
      UNION ALL SELECT 1, n.division_path, n.status, sc.score FROM ${MOVED.replace('WHERE', 'LEFT JOIN institution_score sc ON sc.institution_id = n.id WHERE')})`)}
      ${gradeDeltas(`(SELECT -1 AS s, o.division_path, o.status, g.grade, g.valid_from, g.valid_to FROM ${MOVED.replace('WHERE', 'JOIN grade_span g ON g.institution_id = o.id WHERE')}
      UNION ALL SELECT 1, n.division_path, n.status, g.grade, g.valid_from, g.valid_to FROM ${MOVED.replace('WHERE', 'JOIN grade_span g ON g.institution_id = n.id WHERE')})`)}`);
    // institution_score: the band of its institution moves from the old score's (none when inserted) to the new one's
    await fn('dashboard_score_inserted', bandDeltas(`(SELECT -1 AS s, i.division_path, i.status, NULL::numeric AS score FROM new_rows n JOIN institution i ON i.id = n.institution_id
      UNION ALL SELECT 1, i.division_path, i.status, n.score FROM new_rows n JOIN institution i ON i.id = n.institution_id)`));
    await fn('dashboard_score_deleted', bandDeltas(`(SELECT -1 AS s, i.division_path, i.status, o.score FROM old_rows o JOIN institution i ON i.id = o.institution_id
      UNION ALL SELECT 1, i.division_path, i.status, NULL::numeric FROM old_rows o JOIN institution i ON i.id = o.institution_id)`));
    await fn('dashboard_score_updated', bandDeltas(`(SELECT -1 AS s, i.division_path, i.status, o.score FROM old_rows o JOIN new_rows n ON n.institution_id = o.institution_id
        JOIN institution i ON i.id = o.institution_id WHERE score_band(o.score) <> score_band(n.score)
      UNION ALL SELECT 1, i.division_path, i.status, n.score FROM old_rows o JOIN new_rows n ON n.institution_id = o.institution_id
        JOIN institution i ON i.id = n.institution_id WHERE score_band(o.score) <> score_band(n.score))`));
    // grade_span (rewritten per institution by every finalization and decision)
    await fn('dashboard_span_inserted', gradeDeltas(`(SELECT 1 AS s, i.division_path, i.status, n.grade, n.valid_from, n.valid_to FROM new_rows n JOIN institution i ON i.id = n.institution_id)`));
    await fn('dashboard_span_deleted', gradeDeltas(`(SELECT -1 AS s, i.division_path, i.status, o.grade, o.valid_from, o.valid_to FROM old_rows o JOIN institution i ON i.id = o.institution_id)`));
    await fn('dashboard_span_updated', gradeDeltas(`(SELECT -1 AS s, i.division_path, i.status, o.grade, o.valid_from, o.valid_to FROM old_rows o JOIN institution i ON i.id = o.institution_id
      UNION ALL SELECT 1, i.division_path, i.status, n.grade, n.valid_from, n.valid_to FROM new_rows n JOIN institution i ON i.id = n.institution_id)`));
    await fn('dashboard_institution_summaries_truncated', 'PERFORM dashboard_institution_rebuild();');

    for (const [table, prefix] of [['institution', 'institution'], ['institution_score', 'score'], ['grade_span', 'span']]) {
      await q.query(`CREATE TRIGGER dashboard_institution_inserted AFTER INSERT ON ${table} REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION dashboard_${prefix}_inserted()`);
      await q.query(`CREATE TRIGGER dashboard_institution_updated AFTER UPDATE ON ${table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION dashboard_${prefix}_updated()`);
      await q.query(`CREATE TRIGGER dashboard_institution_deleted AFTER DELETE ON ${table} REFERENCING OLD TABLE AS old_rows
        FOR EACH STATEMENT EXECUTE FUNCTION dashboard_${prefix}_deleted()`);
      await q.query(`CREATE TRIGGER dashboard_institution_truncated AFTER TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION dashboard_institution_summaries_truncated()`);
    }

    await q.query(`
      CREATE FUNCTION dashboard_institution_rebuild() RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM institution_band_count; DELETE FROM institution_grade_count;
        ${bandDeltas(`(SELECT 1 AS s, i.division_path, i.status, sc.score FROM institution i LEFT JOIN institution_score sc ON sc.institution_id = i.id)`)}
        ${gradeDeltas(`(SELECT 1 AS s, i.division_path, i.status, g.grade, g.valid_from, g.valid_to FROM grade_span g JOIN institution i ON i.id = g.institution_id)`)}
      END $$`);
    // Folds each key's deltas into one row; spans ended before today − 2 are dropped, spans begun before then start 1900-01-01.
    await q.query(`
      CREATE FUNCTION dashboard_institution_compact(today date) RETURNS integer LANGUAGE plpgsql AS $$
      DECLARE folded integer; total integer := 0;
      BEGIN
        DELETE FROM institution_grade_count WHERE valid_to < today - 2;
        GET DIAGNOSTICS folded = ROW_COUNT; total := total + folded;
        WITH gone AS (DELETE FROM institution_grade_count WHERE valid_from < today - 2 AND valid_from > DATE '1900-01-01'
                      RETURNING scope_path, grade, valid_to, n),
             kept AS (INSERT INTO institution_grade_count (scope_path, grade, valid_from, valid_to, n)
                      SELECT scope_path, grade, DATE '1900-01-01', valid_to, sum(n) FROM gone GROUP BY 1, 2, 4 HAVING sum(n) <> 0 RETURNING 1)
        SELECT count(*) INTO folded FROM gone; total := total + folded;
        WITH keys AS (SELECT scope_path, grade, valid_from, valid_to FROM institution_grade_count GROUP BY 1, 2, 3, 4 HAVING count(*) > 1),
             gone AS (DELETE FROM institution_grade_count c USING keys k
                       WHERE c.scope_path = k.scope_path AND c.grade = k.grade AND c.valid_from = k.valid_from AND c.valid_to = k.valid_to
                       RETURNING c.scope_path, c.grade, c.valid_from, c.valid_to, c.n),
             kept AS (INSERT INTO institution_grade_count (scope_path, grade, valid_from, valid_to, n)
                      SELECT scope_path, grade, valid_from, valid_to, sum(n) FROM gone GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0 RETURNING 1)
        SELECT count(*) INTO folded FROM gone; total := total + folded;
        WITH keys AS (SELECT scope_path, band FROM institution_band_count GROUP BY 1, 2 HAVING count(*) > 1),
             gone AS (DELETE FROM institution_band_count c USING keys k WHERE c.scope_path = k.scope_path AND c.band = k.band
                       RETURNING c.scope_path, c.band, c.n),
             kept AS (INSERT INTO institution_band_count (scope_path, band, n)
                      SELECT scope_path, band, sum(n) FROM gone GROUP BY 1, 2 HAVING sum(n) <> 0 RETURNING 1)
        SELECT count(*) INTO folded FROM gone; total := total + folded;
        RETURN total;
      END $$`);
    await q.query(`ALTER FUNCTION hazard_summaries_rebuild() RENAME TO hazard_summaries_rebuild_hazards`);
    await q.query(`
      CREATE FUNCTION hazard_summaries_rebuild() RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM hazard_summaries_rebuild_hazards();
        PERFORM dashboard_institution_rebuild();
      END $$`);
    await q.query(`SELECT dashboard_institution_rebuild()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION hazard_summaries_rebuild()`);
    await q.query(`ALTER FUNCTION hazard_summaries_rebuild_hazards() RENAME TO hazard_summaries_rebuild`);
    for (const table of ['institution', 'institution_score', 'grade_span']) {
      for (const e of ['inserted', 'updated', 'deleted', 'truncated']) await q.query(`DROP TRIGGER dashboard_institution_${e} ON ${table}`);
    }
    await q.query(`DROP FUNCTION dashboard_institution_compact(date), dashboard_institution_rebuild(), dashboard_institution_summaries_truncated()`);
    for (const p of ['institution', 'score', 'span']) {
      for (const e of ['inserted', 'updated', 'deleted']) await q.query(`DROP FUNCTION dashboard_${p}_${e}()`);
    }
    await q.query(`DROP TABLE institution_grade_count, institution_band_count`);
    await q.query(`DROP FUNCTION score_band(numeric)`);
  }
}
