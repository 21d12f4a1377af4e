import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 监管看板 from maintained summaries (issue 13's charts at city scale; the first step of issue 15's item 3).
 *
 * 1. `hazard_day_count`: hazards found and closed per division path and Shanghai day. Triggers on `hazard` append one
 *    delta row per (path, day) a statement touches — never an update of a shared counter row, so two submissions of
 *    the same street never wait for each other — and the maintenance queue folds the deltas into one row per key
 *    (`hazard_day_count_compact()`). A reader sums whatever rows a key has, so a figure is exact before and after
 *    compaction. The opened-vs-closed chart reads O(paths × days) rows instead of every hazard of the year.
 * 2. `hazard.previous_found_at` / `second_previous_found_at`: the two previous findings of the same checklist item at
 *    the same institution (by found time, then id). With them one pass over a period's hazards counts, per item, the
 *    institutions it was found at (the findings whose previous one is before the period) and the institutions where
 *    it was found more than once (the second finding in the period) — exact for any period, without grouping every
 *    (item, institution) pair. Set by a BEFORE INSERT trigger; the pairs of a finding inserted out of order, or whose
 *    found time, institution or item changes, are derived again by the statement triggers; the maintenance job
 *    derives again the pairs found in the last two days (two submissions in flight at once for the same institution
 *    cannot see each other's rows).
 * 3. Both are backfilled from the existing hazards (`hazard_summaries_rebuild()`, also what a bulk load calls after
 *    COPY with triggers off).
 */
export class DashboardSummaries1765190000000 implements MigrationInterface {
  name = 'DashboardSummaries1765190000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE hazard_day_count (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        division_path text NOT NULL,
        day date NOT NULL,
        found integer NOT NULL DEFAULT 0,
        closed integer NOT NULL DEFAULT 0
      )`);
    await q.query(`CREATE INDEX hazard_day_count_idx ON hazard_day_count (division_path text_pattern_ops, day) INCLUDE (found, closed)`);
    await q.query(`ALTER TABLE hazard ADD COLUMN previous_found_at timestamptz, ADD COLUMN second_previous_found_at timestamptz`);
    await q.query(`CREATE INDEX hazard_pair_idx ON hazard (institution_id, item_code, created_at, id)`);
    await q.query(`CREATE INDEX hazard_found_idx ON hazard (created_at) INCLUDE (division_path, item_code, category, previous_found_at, second_previous_found_at)`);

    // The Shanghai calendar day of an instant (the day the ledger and the dashboard file a hazard under).
    await q.query(`CREATE FUNCTION shanghai_day(timestamptz) RETURNS date LANGUAGE sql STABLE PARALLEL SAFE
      AS $$ SELECT ($1 AT TIME ZONE 'Asia/Shanghai')::date $$`);

    // Derives the two previous findings again for the given (institution, item) pairs; changes only rows that differ.
    await q.query(`
      CREATE FUNCTION hazard_rederive_previous(institutions uuid[], items text[]) RETURNS void LANGUAGE sql AS $$
        UPDATE hazard h SET previous_found_at = x.p1, second_previous_found_at = x.p2
          FROM (SELECT id, lag(created_at) OVER w AS p1, lag(created_at, 2) OVER w AS p2
                  FROM hazard WHERE (institution_id, item_code) IN (SELECT * FROM unnest(institutions, items))
                WINDOW w AS (PARTITION BY institution_id, item_code ORDER BY created_at, id)) x
         WHERE h.id = x.id AND (h.previous_found_at IS DISTINCT FROM x.p1 OR h.second_previous_found_at IS DISTINCT FROM x.p2)
      $$`);

    await q.query(`
      CREATE FUNCTION hazard_previous_findings() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        SELECT max(created_at) FILTER (WHERE rn = 1), max(created_at) FILTER (WHERE rn = 2)
          INTO NEW.previous_found_at, NEW.second_previous_found_at
          FROM (SELECT created_at, row_number() OVER (ORDER BY created_at DESC, id DESC) AS rn
                  FROM hazard WHERE institution_id = NEW.institution_id AND item_code = NEW.item_code
                   AND (created_at, id) < (NEW.created_at, NEW.id)
                 ORDER BY created_at DESC, id DESC LIMIT 2) x;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER hazard_previous_findings BEFORE INSERT ON hazard FOR EACH ROW EXECUTE FUNCTION hazard_previous_findings()`);

    // Statement triggers: deltas for the day counts; pairs to derive again.
    await q.query(`
      CREATE FUNCTION hazard_summaries_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO hazard_day_count (division_path, day, found, closed)
        SELECT division_path, day, sum(f), sum(c) FROM (
          SELECT division_path, shanghai_day(created_at) AS day, 1 AS f, 0 AS c FROM new_rows
          UNION ALL SELECT division_path, shanghai_day(closed_at), 0, 1 FROM new_rows WHERE closed_at IS NOT NULL) x
        GROUP BY 1, 2;
        -- a finding inserted before a later one of its pair (a back-dated load): the later ones' previous findings change
        PERFORM hazard_rederive_previous(array_agg(p.institution_id), array_agg(p.item_code))
          FROM (SELECT DISTINCT n.institution_id, n.item_code::text FROM new_rows n
                 WHERE EXISTS (SELECT 1 FROM hazard h WHERE h.institution_id = n.institution_id AND h.item_code = n.item_code
                                  AND (h.created_at, h.id) > (n.created_at, n.id))) p
         HAVING count(*) > 0;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE FUNCTION hazard_summaries_updated() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO hazard_day_count (division_path, day, found, closed)
        SELECT division_path, day, sum(f), sum(c) FROM (
          SELECT o.division_path, shanghai_day(o.created_at) AS day, -1 AS f, 0 AS c FROM old_rows o JOIN new_rows n ON n.id = o.id
           WHERE o.division_path <> n.division_path OR o.created_at <> n.created_at
          UNION ALL SELECT n.division_path, shanghai_day(n.created_at), 1, 0 FROM old_rows o JOIN new_rows n ON n.id = o.id
           WHERE o.division_path <> n.division_path OR o.created_at <> n.created_at
          UNION ALL SELECT o.division_path, shanghai_day(o.closed_at), 0, -1 FROM old_rows o JOIN new_rows n ON n.id = o.id
           WHERE o.closed_at IS NOT NULL AND (o.division_path <> n.division_path OR o.closed_at IS DISTINCT FROM n.closed_at)
          UNION ALL SELECT n.division_path, shanghai_day(n.closed_at), 0, 1 FROM old_rows o JOIN new_rows n ON n.id = o.id
           WHERE n.closed_at IS NOT NULL AND (o.division_path <> n.division_path OR o.closed_at IS DISTINCT FROM n.closed_at)) x
        GROUP BY 1, 2 HAVING sum(f) <> 0 OR sum(c) <> 0;
        -- the found time, institution or item of a finding changed: both its old and its new pair are derived again
        PERFORM hazard_rederive_previous(array_agg(p.institution_id), array_agg(p.item_code))
          FROM (SELECT o.institution_id, o.item_code::text FROM old_rows o JOIN new_rows n ON n.id = o.id
                 WHERE o.created_at <> n.created_at OR o.institution_id <> n.institution_id OR o.item_code <> n.item_code
                UNION SELECT n.institution_id, n.item_code::text FROM old_rows o JOIN new_rows n ON n.id = o.id
                 WHERE o.created_at <> n.created_at OR o.institution_id <> n.institution_id OR o.item_code <> n.item_code) p
         HAVING count(*) > 0;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE FUNCTION hazard_summaries_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO hazard_day_count (division_path, day, found, closed)
        SELECT division_path, day, sum(f), sum(c) FROM (
          SELECT division_path, shanghai_day(created_at) AS day, -1 AS f, 0 AS c FROM old_rows
          UNION ALL SELECT division_path, shanghai_day(closed_at), 0, -1 FROM old_rows WHERE closed_at IS NOT NULL) x
        GROUP BY 1, 2;
        PERFORM hazard_rederive_previous(array_agg(p.institution_id), array_agg(p.item_code))
          FROM (SELECT DISTINCT institution_id, item_code::text FROM old_rows) p HAVING count(*) > 0;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER hazard_summaries_inserted AFTER INSERT ON hazard REFERENCING NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION hazard_summaries_inserted()`);
    await q.query(`CREATE TRIGGER hazard_summaries_updated AFTER UPDATE ON hazard REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION hazard_summaries_updated()`);
    await q.query(`CREATE TRIGGER hazard_summaries_deleted AFTER DELETE ON hazard REFERENCING OLD TABLE AS old_rows
      FOR EACH STATEMENT EXECUTE FUNCTION hazard_summaries_deleted()`);
    await q.query(`CREATE FUNCTION hazard_summaries_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN TRUNCATE hazard_day_count; RETURN NULL; END $$`);
    await q.query(`CREATE TRIGGER hazard_summaries_truncated AFTER TRUNCATE ON hazard FOR EACH STATEMENT EXECUTE FUNCTION hazard_summaries_truncated()`);

    // Folds each key's delta rows into one (keys with a single row are left alone; a key summing to zero disappears).
    await q.query(`
      CREATE FUNCTION hazard_day_count_compact() RETURNS integer LANGUAGE sql AS $$
        WITH keys AS (SELECT division_path, day FROM hazard_day_count GROUP BY 1, 2 HAVING count(*) > 1),
             gone AS (DELETE FROM hazard_day_count c USING keys k WHERE c.division_path = k.division_path AND c.day = k.day
                      RETURNING c.division_path, c.day, c.found, c.closed),
             kept AS (INSERT INTO hazard_day_count (division_path, day, found, closed)
                      SELECT division_path, day, sum(found), sum(closed) FROM gone GROUP BY 1, 2
                      HAVING sum(found) <> 0 OR sum(closed) <> 0 RETURNING 1)
        SELECT (SELECT count(*) FROM gone)::int
      $$`);
    // Both summaries recounted from the hazards (the backfill; a bulk load with triggers off calls it afterwards).
    await q.query(`
      CREATE FUNCTION hazard_summaries_rebuild() RETURNS void LANGUAGE plpgsql AS $$
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
    await q.query(`SELECT hazard_summaries_rebuild()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER hazard_summaries_truncated ON hazard`);
    await q.query(`DROP TRIGGER hazard_summaries_deleted ON hazard`);
    await q.query(`DROP TRIGGER hazard_summaries_updated ON hazard`);
    await q.query(`DROP TRIGGER hazard_summaries_inserted ON hazard`);
    await q.query(`DROP TRIGGER hazard_previous_findings ON hazard`);
    await q.query(`DROP FUNCTION hazard_summaries_rebuild(), hazard_day_count_compact(), hazard_summaries_truncated(), hazard_summaries_deleted(),
      hazard_summaries_updated(), hazard_summaries_inserted(), hazard_previous_findings(), hazard_rederive_previous(uuid[], text[]), shanghai_day(timestamptz)`);
    await q.query(`DROP INDEX hazard_found_idx, hazard_pair_idx`);
    await q.query(`ALTER TABLE hazard DROP COLUMN previous_found_at, DROP COLUMN second_previous_found_at`);
    await q.query(`DROP TABLE hazard_day_count`);
  }
}
