import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 隐患台账的全文检索 (issue 13): the ledger's `q` is a substring search (ILIKE) over the item title, the note and the
 * institution name. pg_trgm GIN indexes answer it without reading every hazard — trigrams work on Chinese text,
 * which has no word breaks for a tsvector parser to find (queries of one or two characters fall back to a scan,
 * still correct). pg_trgm ships with PostgreSQL (contrib) and is a trusted extension since PostgreSQL 13, so the
 * database owner may create it. The found-date filter and sort read inspection.submitted_at: an index for them.
 * Nothing is rewritten: every existing row is indexed as it is.
 */
export class HazardLedgerSearch1765180100000 implements MigrationInterface {
  name = 'HazardLedgerSearch1765180100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`CREATE INDEX hazard_title_trgm_idx ON hazard USING gin (title_zh gin_trgm_ops)`);
    await q.query(`CREATE INDEX hazard_note_trgm_idx ON hazard USING gin (note gin_trgm_ops)`);
    await q.query(`CREATE INDEX institution_name_trgm_idx ON institution USING gin (name gin_trgm_ops)`);
    await q.query(`CREATE INDEX inspection_submitted_idx ON inspection (submitted_at) WHERE submitted_at IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX inspection_submitted_idx, institution_name_trgm_idx, hazard_note_trgm_idx, hazard_title_trgm_idx`);
    // The extension stays: other objects may have come to use it.
  }
}
