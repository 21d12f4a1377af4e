import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 监管看板 that stays flat as the city grows (issue 15, item 3): every figure the dashboard reads from `hazard` or
 * `inspection` comes from a maintained summary whose size is O(divisions × days/months), never O(hazards).
 *
 * Each summary is a pure function of single rows, kept the way `hazard_day_count` is (migration DashboardSummaries):
 * statement triggers append one signed delta row per key a statement touches (an insert adds the row's contribution,
 * a delete subtracts it, an update subtracts the old row's and adds the new row's) — no counter row is ever updated,
 * so two submissions never wait for each other — and the maintenance job folds each key's deltas into one row
 * (`dashboard_flat_compact(today)`). A reader sums whatever rows a key has, so a figure is exact before and after a fold.
 *
 * - `hazard_open_count` (division path, severity, category, listed): hazards not closed — the category chart and the totals.
 * - `hazard_due_count` (division path, due date): hazards that are overdue once their due date has passed (status open
 *   or returned, the one overdue definition). Overdue is "as of today": the reader counts the rows whose due date is
 *   before today and buckets them by `today - due_date`, so the figure moves with the clock without any write. The fold
 *   also moves due dates more than 120 days back to one row per path (1900-01-01): they stay in the "over 90 days"
 *   bucket for every later today, so the table stays O(paths × ~(120 + days ahead)).
 * - `hazard_item_month` (scope path, month, item): per Shanghai month, the findings of an item (`found`), the findings
 *   whose previous finding of the same item at the same institution was in that month (`prev`), and those whose
 *   second previous one was (`pprev`) — from `hazard.previous_found_at` / `second_previous_found_at`. For a period from
 *   the first day of month M to today (nothing is found after today):
 *     findings       = Σ found over months ≥ M
 *     institutions   = Σ found − Σ prev          (findings whose previous finding is before the period: one per institution)
 *     repeated pairs = Σ prev − Σ pprev          (findings whose previous is in the period and second previous is not)
 *   because a finding's previous findings are never after it. The row is kept for every ancestor of the hazard's path
 *   (city, district, street: `division_prefixes`), so a scope reads ≈ items × 12 rows with an equality, not a prefix.
 *   Other periods (a day in mid-month, or ending before today) are counted from the hazards by the dashboard.
 * - `inspection_day_count` (division path, day): inspections planned (not cancelled) and done (submitted) per
 *   coalesce(scheduled date, Shanghai day of creation).
 *
 * `hazard_summaries_rebuild()` (what the migration and a bulk load with triggers off call) now rebuilds these too.
 * A partial index on the listed open hazards' due dates keeps the "20 listed hazards due first" list flat as well.
 */
const INSPECTION_COLS = ['division_path', 'status', 'scheduled_date', 'created_at'];

/** The columns each hazard summary is a function of (an update that changes none of them adds no delta to it). */
const OPEN_COLS = ['division_path', 'severity', 'category', 'listed', 'status'];
const DUE_COLS = ['division_path', 'due_date', 'status'];
const ITEM_COLS = ['division_path', 'item_code', 'category', 'created_at', 'previous_found_at', 'second_previous_found_at'];

/** The deltas of signed sets of hazard rows `src(cols)` = (s, …cols) with s = +1 / −1, one INSERT per summary. */
function hazardDeltas(src: (cols: string[]) => string): string {
  return `
    INSERT INTO hazard_open_count (division_path, severity, category, listed, n)
    SELECT division_path, severity, category, listed, sum(s) FROM ${src(OPEN_COLS)} x WHERE status <> 'closed' GROUP BY 1, 2, 3, 4 HAVING sum(s) <> 0;
    INSERT INTO hazard_due_count (division_path, due_date, n)
    SELECT division_path, due_date, sum(s) FROM ${src(DUE_COLS)} x WHERE status IN ('open','returned') GROUP BY 1, 2 HAVING sum(s) <> 0;
    INSERT INTO hazard_item_month (scope_path, month, item_code, category, found, prev, pprev)
    SELECT p.scope, k.month, x.item_code, x.category, sum(k.f), sum(k.p), sum(k.pp)
      FROM ${src(ITEM_COLS)} x CROSS JOIN LATERAL division_prefixes(x.division_path) p(scope)
      CROSS JOIN LATERAL (VALUES (shanghai_month(x.created_at), x.s, 0, 0), (shanghai_month(x.previous_found_at), 0, x.s, 0),
                                 (shanghai_month(x.second_previous_found_at), 0, 0, x.s)) k(month, f, p, pp)
     WHERE k.month IS NOT NULL GROUP BY 1, 2, 3, 4 HAVING sum(k.f) <> 0 OR sum(k.p) <> 0 OR sum(k.pp) <> 0;`;
}
function inspectionDeltas(src: (cols: string[]) => string): string {
  return `
    INSERT INTO inspection_day_count (division_path, day, planned, done)
    SELECT division_path, coalesce(scheduled_date, shanghai_day(created_at)), sum(s), coalesce(sum(s) FILTER (WHERE status = 'submitted'), 0)
      FROM ${src(INSPECTION_COLS)} x WHERE status <> 'cancelled' GROUP BY 1, 2 HAVING sum(s) <> 0 OR sum(s) FILTER (WHERE status = 'submitted') <> 0;`;
}
/** The signed rows of an UPDATE statement whose listed columns changed: the old row subtracted, the new added. */
function changed(cols: string[]): string {
  const list = (a: string) => cols.map((c) => `${a}.${c}`).join(', ');
  const where = `ROW(${list('o')}) IS DISTINCT FROM ROW(${list('n')})`;
  return `(SELECT -1 AS s, ${list('o')} FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE ${where}
           UNION ALL SELECT 1, ${list('n')} FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE ${where})`;
}
const signed = (sign: number, rel: string) => (cols: string[]) => `(SELECT ${sign} AS s, ${cols.join(', ')} FROM ${rel})`;

export class DashboardFlat1765200300000 implements MigrationInterface {
  name = 'DashboardFlat1765200300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE FUNCTION division_prefixes(path text) RETURNS SETOF text LANGUAGE sql IMMUTABLE PARALLEL SAFE
      AS $$ SELECT left(path, i) FROM generate_series(2, length(path)) i WHERE substr(path, i, 1) = '/' $$`);
    await q.query(`CREATE FUNCTION shanghai_month(timestamptz) RETURNS date LANGUAGE sql STABLE PARALLEL SAFE
      AS $$ SELECT date_trunc('month', $1 AT TIME ZONE 'Asia/Shanghai')::date $$`);

    await q.query(`CREATE TABLE hazard_open_count (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, division_path text NOT NULL,
      severity varchar(8) NOT NULL, category varchar(16) NOT NULL, listed boolean NOT NULL, n integer NOT NULL)`);
    await q.query(`CREATE INDEX hazard_open_count_idx ON hazard_open_count (division_path text_pattern_ops) INCLUDE (severity, category, listed, n)`);
    await q.query(`CREATE TABLE hazard_due_count (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, division_path text NOT NULL,
      due_date date NOT NULL, n integer NOT NULL)`);
    await q.query(`CREATE INDEX hazard_due_count_idx ON hazard_due_count (division_path text_pattern_ops, due_date) INCLUDE (n)`);
    await q.query(`CREATE TABLE hazard_item_month (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, scope_path text NOT NULL,
      month date NOT NULL, item_code varchar(32) NOT NULL, category varchar(16) NOT NULL,
      found integer NOT NULL, prev integer NOT NULL, pprev integer NOT NULL)`);
    await q.query(`CREATE INDEX hazard_item_month_idx ON hazard_item_month (scope_path, month) INCLUDE (item_code, category, found, prev, pprev)`);
    await q.query(`CREATE TABLE inspection_day_count (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, division_path text NOT NULL,
      day date NOT NULL, planned integer NOT NULL, done integer NOT NULL)`);
    await q.query(`CREATE INDEX inspection_day_count_idx ON inspection_day_count (division_path text_pattern_ops, day) INCLUDE (planned, done)`);

    // The 20 listed hazards due first: read from the listed ones only (the oldest open hazards are mostly general ones,
    // whose number grows with the city, and an index on every open hazard's due date walks past them).
    await q.query(`CREATE INDEX hazard_listed_due_idx ON hazard (due_date) WHERE listed AND status <> 'closed'`);

    const fn = async (name: string, body: string) => q.query(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
      #variable_conflict use_column
      BEGIN ${body}
        RETURN NULL;
      END $$`);
    await fn('dashboard_flat_hazard_inserted', hazardDeltas(signed(1, 'new_rows')));
    await fn('dashboard_flat_hazard_deleted', hazardDeltas(signed(-1, 'old_rows')));
    await fn('dashboard_flat_hazard_updated', hazardDeltas(changed));
    await fn('dashboard_flat_hazard_truncated', 'TRUNCATE hazard_open_count, hazard_due_count, hazard_item_month;');
    await fn('dashboard_flat_inspection_inserted', inspectionDeltas(signed(1, 'new_rows')));
    await fn('dashboard_flat_inspection_deleted', inspectionDeltas(signed(-1, 'old_rows')));
    await fn('dashboard_flat_inspection_updated', inspectionDeltas(changed));
    await fn('dashboard_flat_inspection_truncated', 'TRUNCATE inspection_day_count;');
    for (const t of ['hazard', 'inspection']) {
      await q.query(`CREATE TRIGGER dashboard_flat_inserted AFTER INSERT ON ${t} REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION dashboard_flat_${t}_inserted()`);
      await q.query(`CREATE TRIGGER dashboard_flat_updated AFTER UPDATE ON ${t} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION dashboard_flat_${t}_updated()`);
      await q.query(`CREATE TRIGGER dashboard_flat_deleted AFTER DELETE ON ${t} REFERENCING OLD TABLE AS old_rows
        FOR EACH STATEMENT EXECUTE FUNCTION dashboard_flat_${t}_deleted()`);
      await q.query(`CREATE TRIGGER dashboard_flat_truncated AFTER TRUNCATE ON ${t} FOR EACH STATEMENT EXECUTE FUNCTION dashboard_flat_${t}_truncated()`);
    }

    // Folds each key's deltas into one row (a key summing to zero disappears); due dates more than 120 days before
    // `today` fold into one row per path. Answers how many rows were folded.
    const fold = (table: string, keys: string[], values: string[], where = 'true') => `
      WITH keys AS (SELECT ${keys.join(', ')} FROM ${table} WHERE ${where} GROUP BY ${keys.join(', ')} HAVING count(*) > 1),
           gone AS (DELETE FROM ${table} c USING keys k WHERE ${keys.map((k) => `c.${k} = k.${k}`).join(' AND ')}
                    RETURNING ${[...keys, ...values].map((c) => `c.${c}`).join(', ')}),
           kept AS (INSERT INTO ${table} (${[...keys, ...values].join(', ')})
                    SELECT ${keys.join(', ')}, ${values.map((v) => `sum(${v})`).join(', ')} FROM gone GROUP BY ${keys.join(', ')}
                    HAVING ${values.map((v) => `sum(${v}) <> 0`).join(' OR ')} RETURNING 1)
      SELECT count(*) FROM gone`;
    await q.query(`
      CREATE FUNCTION dashboard_flat_compact(today date) RETURNS integer LANGUAGE plpgsql AS $$
      #variable_conflict use_column
      DECLARE folded integer; total integer := 0;
      BEGIN
        WITH gone AS (DELETE FROM hazard_due_count WHERE due_date < today - 120 AND due_date > DATE '1900-01-01' RETURNING division_path, n),
             kept AS (INSERT INTO hazard_due_count (division_path, due_date, n) SELECT division_path, DATE '1900-01-01', sum(n) FROM gone
                       GROUP BY 1 HAVING sum(n) <> 0 RETURNING 1)
        SELECT count(*) INTO folded FROM gone;
        total := total + folded;
        ${fold('hazard_open_count', ['division_path', 'severity', 'category', 'listed'], ['n'])} INTO folded; total := total + folded;
        ${fold('hazard_due_count', ['division_path', 'due_date'], ['n'])} INTO folded; total := total + folded;
        ${fold('hazard_item_month', ['scope_path', 'month', 'item_code', 'category'], ['found', 'prev', 'pprev'])} INTO folded; total := total + folded;
        ${fold('inspection_day_count', ['division_path', 'day'], ['planned', 'done'])} INTO folded; total := total + folded;
        RETURN total;
      END $$`);
    await q.query(`
      CREATE FUNCTION dashboard_flat_rebuild() RETURNS void LANGUAGE plpgsql AS $$
      #variable_conflict use_column
      BEGIN
        DELETE FROM hazard_open_count; DELETE FROM hazard_due_count; DELETE FROM hazard_item_month; DELETE FROM inspection_day_count;
        ${hazardDeltas(signed(1, 'hazard'))}
        ${inspectionDeltas(signed(1, 'inspection'))}
      END $$`);
    // The bulk-load entry point of migration DashboardSummaries rebuilds these summaries as well (same body otherwise).
    await q.query(`
      CREATE OR REPLACE FUNCTION hazard_summaries_rebuild() RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM hazard_day_count;
        INSERT INTO hazard_day_count (division_path, day, found, closed)
        SELECT division_path, day, sum(f), sum(c) FROM (
          SELECT division_path, shanghai_day(created_at) AS day, 1 AS f, 0 AS c FROM hazard
          UNION ALL SELECT division_path, shanghai_day(closed_at), 0, 1 FROM hazard WHERE closed_at IS NOT NULL) x
        GROUP BY 1, 2;
        UPDATE hazard h SET previous_found_at = x.p1, second_previous_found_at = x.p2
          FROM (SELECT id, lag(created_at) OVER w AS p1, lag(created_at, 2) OVER w AS p2 FROM hazard
                WINDOW w AS (PARTITION BY institution_id, item_code ORDER BY created_at, id)) x
         WHERE h.id = x.id AND (h.previous_found_at IS DISTINCT FROM x.p1 OR h.second_previous_found_at IS DISTINCT FROM x.p2);
        PERFORM dashboard_flat_rebuild();
      END $$`);
    await q.query(`SELECT dashboard_flat_rebuild()`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['hazard', 'inspection']) {
      for (const e of ['inserted', 'updated', 'deleted', 'truncated']) await q.query(`DROP TRIGGER dashboard_flat_${e} ON ${t}`);
    }
    await q.query(`
      CREATE OR REPLACE FUNCTION hazard_summaries_rebuild() RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM hazard_day_count;
        INSERT INTO hazard_day_count (division_path, day, found, closed)
        SELECT division_path, day, sum(f), sum(c) FROM (
          SELECT division_path, shanghai_day(created_at) AS day, 1 AS f, 0 AS c FROM hazard
          UNION ALL SELECT division_path, shanghai_day(closed_at), 0, 1 FROM hazard WHERE closed_at IS NOT NULL) x
        GROUP BY 1, 2;
        UPDATE hazard h SET previous_found_at = x.p1, second_previous_found_at = x.p2
          FROM (SELECT id, lag(created_at) OVER w AS p1, lag(created_at, 2) OVER w AS p2 FROM hazard
                WINDOW w AS (PARTITION BY institution_id, item_code ORDER BY created_at, id)) x
         WHERE h.id = x.id AND (h.previous_found_at IS DISTINCT FROM x.p1 OR h.second_previous_found_at IS DISTINCT FROM x.p2);
      END $$`);
    await q.query(`DROP FUNCTION dashboard_flat_rebuild(), dashboard_flat_compact(date)`);
    for (const t of ['hazard', 'inspection']) {
      for (const e of ['inserted', 'updated', 'deleted', 'truncated']) await q.query(`DROP FUNCTION dashboard_flat_${t}_${e}()`);
    }
    await q.query(`DROP TABLE inspection_day_count, hazard_item_month, hazard_due_count, hazard_open_count`);
    await q.query(`DROP INDEX hazard_listed_due_idx`);
    await q.query(`DROP FUNCTION shanghai_month(timestamptz), division_prefixes(text)`);
  }
}
