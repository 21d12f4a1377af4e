import { randomBytes } from 'node:crypto';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 检查码 (issue 17, item 4): every inspection gets a short code before the visit; on arrival the inspected institution
 * enters (or scans) it to confirm the visit is real, and after the submission it rates the visit once. The bureau sees
 * the ratings. docs/inspection-codes.md.
 *
 * - `inspection_code`: one code per inspection (8 characters of Crockford base32, unique across the installation,
 *   drawn from the OS's cryptographic random source), when it was issued, and who of the institution confirmed it
 *   when. A confirmation is final (never cleared); codes of submitted inspections are kept as the record.
 * - `inspection_code_guess`: the wrong codes an institution account typed (time only, not the code), for the
 *   rate limit; rows older than a day are pruned by the app.
 * - `inspection_rating`: the institution's one rating of a submitted visit: 检查人员执法规范 and 问题指出清楚 on 1–5, an
 *   optional comment (≤ 500 characters). One row per inspection (the primary key is the "once").
 * - `app_user.warrant_no`: the 执法证号 of an account that inspects (nullable; never on an institution account).
 *
 * Backfill: every inspection not yet submitted nor cancelled gets its code here (inspections submitted before this
 * release have none, and their pages say nothing about a code).
 */
export class InspectionCodes1765301000000 implements MigrationInterface {
  name = 'InspectionCodes1765301000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE app_user ADD COLUMN warrant_no varchar(32)
      CHECK (warrant_no IS NULL OR (length(btrim(warrant_no)) BETWEEN 1 AND 32 AND warrant_no = btrim(warrant_no) AND role <> 'institution'))`);
    await q.query(`COMMENT ON COLUMN app_user.warrant_no IS '执法证号 of an account that inspects (NULL: not registered; shown as 未登记)'`);

    await q.query(`
      CREATE TABLE inspection_code (
        inspection_id uuid PRIMARY KEY REFERENCES inspection(id) ON DELETE CASCADE,
        code          char(8) NOT NULL UNIQUE CHECK (code ~ '^[0-9ABCDEFGHJKMNPQRSTVWXYZ]{8}$'),
        issued_at     timestamptz NOT NULL DEFAULT now(),
        confirmed_at  timestamptz,
        confirmed_by  uuid REFERENCES app_user(id),
        CHECK ((confirmed_at IS NULL) = (confirmed_by IS NULL))
      )`);
    // A confirmation is written once and never changed or cleared (the record of who confirmed the visit when).
    await q.query(`
      CREATE FUNCTION yian_inspection_code_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.code <> OLD.code OR NEW.inspection_id <> OLD.inspection_id OR NEW.issued_at <> OLD.issued_at
           OR (OLD.confirmed_at IS NOT NULL AND (NEW.confirmed_at IS DISTINCT FROM OLD.confirmed_at OR NEW.confirmed_by IS DISTINCT FROM OLD.confirmed_by)) THEN
          RAISE EXCEPTION 'inspection_code % is fixed once issued and once confirmed', OLD.inspection_id USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER inspection_code_immutable BEFORE UPDATE ON inspection_code FOR EACH ROW EXECUTE FUNCTION yian_inspection_code_immutable()`);

    await q.query(`
      CREATE TABLE inspection_code_guess (
        user_id        uuid NOT NULL REFERENCES app_user(id),
        institution_id uuid NOT NULL REFERENCES institution(id),
        at             timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX inspection_code_guess_user_idx ON inspection_code_guess (user_id, at)`);
    await q.query(`CREATE INDEX inspection_code_guess_institution_idx ON inspection_code_guess (institution_id, at)`);

    await q.query(`
      CREATE TABLE inspection_rating (
        inspection_id  uuid PRIMARY KEY REFERENCES inspection(id),
        institution_id uuid NOT NULL REFERENCES institution(id),
        division_path  text NOT NULL,
        city_code      varchar(6) GENERATED ALWAYS AS (yian_city_code(division_path)) STORED,
        conduct        smallint NOT NULL CHECK (conduct BETWEEN 1 AND 5),
        clarity        smallint NOT NULL CHECK (clarity BETWEEN 1 AND 5),
        comment        text CHECK (comment IS NULL OR (length(btrim(comment)) BETWEEN 1 AND 500)),
        rated_by       uuid NOT NULL REFERENCES app_user(id),
        rated_at       timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX inspection_rating_division_idx ON inspection_rating (division_path text_pattern_ops, rated_at DESC)`);
    // Ratings are a record: never changed, never deleted by the app.
    await q.query(`
      CREATE FUNCTION yian_inspection_rating_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'inspection_rating is written once' USING ERRCODE = 'check_violation'; END $$`);
    await q.query(`CREATE TRIGGER inspection_rating_fixed BEFORE UPDATE OR DELETE ON inspection_rating FOR EACH ROW EXECUTE FUNCTION yian_inspection_rating_fixed()`);

    // Backfill: the open inspections get their code (random here, as the app draws it: src/inspections/domain/inspection-code.ts).
    const open: { id: string }[] = await q.query(`SELECT id FROM inspection WHERE status IN ('assigned', 'in_progress') ORDER BY created_at, id`);
    for (const { id } of open) {
      for (let attempt = 0; ; attempt++) {
        const rows: unknown[] = await q.query(
          `INSERT INTO inspection_code (inspection_id, code) VALUES ($1, $2) ON CONFLICT (code) DO NOTHING RETURNING inspection_id`, [id, backfillCode()]);
        if (rows.length) break;
        if (attempt >= 10) throw new Error(`InspectionCodes: no free code for inspection ${id}`);
      }
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE inspection_rating`);
    await q.query(`DROP FUNCTION yian_inspection_rating_fixed()`);
    await q.query(`DROP TABLE inspection_code_guess`);
    await q.query(`DROP TABLE inspection_code`);
    await q.query(`DROP FUNCTION yian_inspection_code_immutable()`);
    await q.query(`ALTER TABLE app_user DROP COLUMN warrant_no`);
  }
}

/** 8 characters of Crockford base32 from 8 random bytes (256 is a multiple of 32: no bias). Frozen with this migration. */
function backfillCode(): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  return Array.from(randomBytes(8), (b) => alphabet[b & 31]).join('');
}
