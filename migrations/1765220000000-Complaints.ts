import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 投诉举报 (public complaints and their triage) — issue 16.
 *
 * `complaint` holds what the public filed and the bureau's triage; the complainant's contact lives apart in
 * `complaint_contact`, read only by the bureau's detail page (never by a list, an export, the tracking page or the
 * audit log). The tracking code is kept only as its SHA-256. `complaint_address_hit` counts filings per hashed
 * network address for the abuse limits; it has no link to the complaint and is pruned after a day.
 */
export class Complaints1765220000000 implements MigrationInterface {
  name = 'Complaints1765220000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE complaint (
        id                            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        institution_id                uuid NOT NULL REFERENCES institution(id),
        category                      varchar(16) NOT NULL CHECK (category IN ('fire_safety','food_safety','care_quality','elder_rights','facilities','fees','other')),
        description                   text NOT NULL CHECK (length(btrim(description)) > 0 AND length(description) <= 20000),
        tracking_hash                 bytea NOT NULL UNIQUE CHECK (length(tracking_hash) = 32),
        received_at                   timestamptz NOT NULL DEFAULT now(),
        triage_due_on                 date NOT NULL,
        reply_due_on                  date NOT NULL,
        safety_work_policy_version_id uuid NOT NULL REFERENCES rule_set_version(id),
        status                        varchar(12) NOT NULL DEFAULT 'received' CHECK (status IN ('received','accepted','merged','referred','rejected','replied')),
        triaged_by                    uuid REFERENCES app_user(id),
        triaged_at                    timestamptz,
        merged_into_id                uuid REFERENCES complaint(id),
        referred_to                   text CHECK (referred_to IS NULL OR length(btrim(referred_to)) BETWEEN 1 AND 100),
        reject_reason                 text CHECK (reject_reason IS NULL OR length(btrim(reject_reason)) BETWEEN 1 AND 1000),
        inspection_id                 uuid UNIQUE REFERENCES inspection(id),
        reply                         text CHECK (reply IS NULL OR length(btrim(reply)) BETWEEN 1 AND 4000),
        replied_by                    uuid REFERENCES app_user(id),
        replied_at                    timestamptz,
        version                       integer NOT NULL DEFAULT 1 CHECK (version >= 1),
        CHECK (reply_due_on >= triage_due_on),
        CHECK (merged_into_id IS DISTINCT FROM id),
        CHECK ((status = 'received') = (triaged_at IS NULL) AND (triaged_at IS NULL) = (triaged_by IS NULL)),
        CHECK ((status = 'merged') = (merged_into_id IS NOT NULL)),
        CHECK ((status = 'referred') = (referred_to IS NOT NULL)),
        CHECK ((status = 'rejected') = (reject_reason IS NOT NULL)),
        CHECK ((status = 'replied') = (reply IS NOT NULL) AND (reply IS NULL) = (replied_at IS NULL) AND (replied_at IS NULL) = (replied_by IS NULL))
      )`);
    await q.query(`CREATE INDEX complaint_institution_idx ON complaint (institution_id, received_at DESC)`);
    await q.query(`CREATE INDEX complaint_status_idx ON complaint (status, received_at DESC)`);
    await q.query(`CREATE INDEX complaint_merged_into_idx ON complaint (merged_into_id) WHERE merged_into_id IS NOT NULL`);

    // Personal data: only the handling bureau's detail page reads it.
    await q.query(`
      CREATE TABLE complaint_contact (
        complaint_id uuid PRIMARY KEY REFERENCES complaint(id) ON DELETE CASCADE,
        contact      text NOT NULL CHECK (length(btrim(contact)) BETWEEN 1 AND 100)
      )`);

    // Re-encoded photos (EXIF/GPS stripped) in the evidence store, by content hash.
    await q.query(`
      CREATE TABLE complaint_photo (
        complaint_id uuid NOT NULL REFERENCES complaint(id) ON DELETE CASCADE,
        position     smallint NOT NULL CHECK (position BETWEEN 1 AND 20),
        sha256       char(64) NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        mime         varchar(40) NOT NULL CHECK (mime IN ('image/jpeg','image/png')),
        size_bytes   integer NOT NULL CHECK (size_bytes > 0),
        PRIMARY KEY (complaint_id, position)
      )`);
    await q.query(`CREATE INDEX complaint_photo_sha_idx ON complaint_photo (sha256)`);

    await q.query(`
      CREATE TABLE complaint_address_hit (
        address_hash bytea NOT NULL CHECK (length(address_hash) = 32),
        at           timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX complaint_address_hit_idx ON complaint_address_hit (address_hash, at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE complaint_address_hit`);
    await q.query(`DROP TABLE complaint_photo`);
    await q.query(`DROP TABLE complaint_contact`);
    await q.query(`DROP TABLE complaint`);
  }
}
