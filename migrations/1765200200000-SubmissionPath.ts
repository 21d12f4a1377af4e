import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Document numbers that do not hold a district hostage (docs/adr/0002-document-numbers.md). A series that need not
 * be gapless (the inspection records, 民安检) takes its numbers from a PostgreSQL sequence per series and year:
 * nextval never waits and is never given back, so concurrent submissions of one district no longer queue on the
 * counter row. The sequences are created on first use by `yian_next_document_number` (the app's role may not create
 * objects: the function runs as the owner), each starting after the series' row in document_counter — the numbers
 * given before this release stay as they are and the series continues after them. Gapless series (notices, 民安整)
 * keep the counter row. Nothing is rewritten: an upgrade in place only adds the function.
 */
export class SubmissionPath1765200200000 implements MigrationInterface {
  name = 'SubmissionPath1765200200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION yian_next_document_number(p_series text, p_year integer) RETURNS bigint
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      DECLARE
        seq text := 'document_seq_' || substr(md5(p_series), 1, 16) || '_' || p_year;
        start_at bigint;
      BEGIN
        IF to_regclass(seq) IS NULL THEN
          SELECT coalesce(max(last), 0) + 1 INTO start_at FROM document_counter WHERE series = p_series AND year = p_year;
          BEGIN
            -- Two first callers at once: the second waits for the first's transaction, then finds the sequence.
            EXECUTE format('CREATE SEQUENCE %I AS bigint START WITH %s', seq, start_at);
            EXECUTE format('COMMENT ON SEQUENCE %I IS %L', seq, 'document numbers: ' || p_series || ' ' || p_year);
          EXCEPTION WHEN duplicate_table OR unique_violation THEN NULL;
          END;
        END IF;
        RETURN nextval(seq::regclass);
      END $$`);
    await q.query(`REVOKE ALL ON FUNCTION yian_next_document_number(text, integer) FROM PUBLIC`);
    await q.query(`COMMENT ON FUNCTION yian_next_document_number(text, integer) IS
      'The next number of a document series that need not be gapless (never waits, never given back); its sequence is created on first use, after the series'' document_counter row'`);
    // The app's role, when it exists already; the boot grants EXECUTE again to the app's role, whatever its name
    // (src/database/database-roles.repository.ts, APP_FUNCTIONS).
    await q.query(`DO $$ BEGIN
      IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'yian_app') THEN
        GRANT EXECUTE ON FUNCTION yian_next_document_number(text, integer) TO yian_app;
      END IF; END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    // The counters take over again where the sequences stopped (the previous release takes numbers only from them).
    await q.query(`DO $$ DECLARE s record; n bigint; BEGIN
      FOR s IN SELECT c.relname, obj_description(c.oid, 'pg_class') AS d FROM pg_class c
                WHERE c.relkind = 'S' AND c.relname LIKE 'document\\_seq\\_%' LOOP
        EXECUTE format('SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM %I', s.relname) INTO n;
        INSERT INTO document_counter (series, year, last)
        VALUES (regexp_replace(s.d, '^document numbers: (.*) (\\d+)$', '\\1'), regexp_replace(s.d, '^.* (\\d+)$', '\\1')::int, n)
        ON CONFLICT (series, year) DO UPDATE SET last = greatest(document_counter.last, EXCLUDED.last);
        EXECUTE format('DROP SEQUENCE %I', s.relname);
      END LOOP; END $$`);
    await q.query(`DROP FUNCTION yian_next_document_number(text, integer)`);
  }
}
