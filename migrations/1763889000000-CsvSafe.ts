import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `csv_safe(text)`: a text cell that Excel or WPS would run as a formula when the CSV is opened (it starts with
 * = + - @ TAB or CR) gets a leading apostrophe. The streamed CSV exports wrap every text column in it inside
 * their COPY query, so the guard costs one `left()` per cell and nothing in Node. A plain SQL function, IMMUTABLE
 * and STRICT, so the planner inlines it where the argument is simple.
 */
export class CsvSafe1763889000000 implements MigrationInterface {
  name = 'CsvSafe1763889000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION csv_safe(cell text) RETURNS text
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        AS $$ SELECT CASE WHEN left(cell, 1) IN ('=', '+', '-', '@', E'\\t', E'\\r') THEN '''' || cell ELSE cell END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION csv_safe(text)`);
  }
}
