import { MigrationInterface, QueryRunner } from 'typeorm';

// The value lists are written out in the CHECKs (vocabulary.spec.ts reads them from this file); they equal the domain constants.
const STAFF_ROLES = ['safety_responsible', 'safety_manager', 'safety_officer', 'control_room_operator', 'other'];
const list = (values: string[]) => values.map((v) => `'${v}'`).join(',');
const PURPOSE = 'register_cert';

/** The values evidence_purpose_check allows now (other features may have added theirs since the last migration that wrote it). */
async function evidencePurposes(q: QueryRunner): Promise<string[]> {
  const [row] = await q.query(`SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = 'evidence_purpose_check' AND conrelid = 'evidence'::regclass`);
  return [...String(row?.def ?? '').matchAll(/'([^']+)'/g)].map((m) => m[1]);
}

async function setEvidencePurposes(q: QueryRunner, purposes: string[]): Promise<void> {
  await q.query(`ALTER TABLE evidence DROP CONSTRAINT evidence_purpose_check`);
  await q.query(`ALTER TABLE evidence ADD CONSTRAINT evidence_purpose_check CHECK (purpose IN (${list(purposes)}))`);
}

/**
 * 人员与设备台账、安全责任公示牌 (issue 16): the institution's staff with their safety posts and certificates, its
 * equipment with the statutory dates (检验、检测、维保), the expiry alerts sent (once per item, expiry date and
 * threshold, pinned to the safety-work policy that set the thresholds) and the board's bureau-set contacts.
 * Rows are never deleted: an entry leaves the register by being retired (停用). Scope comes from the institution
 * (joined), so a register follows its institution to another division without a copy of the path.
 */
export class Registers1765220100000 implements MigrationInterface {
  name = 'Registers1765220100000';

  async up(q: QueryRunner): Promise<void> {
    const purposes = await evidencePurposes(q);
    if (!purposes.includes(PURPOSE)) await setEvidencePurposes(q, [...purposes, PURPOSE]);

    await q.query(`
      CREATE TABLE register_staff (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        institution_id uuid NOT NULL REFERENCES institution(id),
        name           varchar(50) NOT NULL CHECK (length(btrim(name)) > 0),
        roles          text[] NOT NULL CHECK (cardinality(roles) >= 1 AND roles <@ ARRAY[${list(STAFF_ROLES)}]::text[]),
        post           varchar(50),
        phone          varchar(30),
        retired_at     timestamptz,
        created_by     uuid NOT NULL REFERENCES app_user(id),
        created_at     timestamptz NOT NULL DEFAULT now(),
        updated_at     timestamptz NOT NULL DEFAULT now(),
        version        integer NOT NULL DEFAULT 1 CHECK (version >= 1),
        -- the people printed on the 公示牌 are reachable
        CONSTRAINT register_staff_board_phone CHECK (NOT (roles && ARRAY['safety_responsible','safety_officer']::text[]) OR length(btrim(coalesce(phone, ''))) > 0),
        UNIQUE (id, institution_id)
      )`);
    await q.query(`CREATE INDEX register_staff_institution_idx ON register_staff (institution_id, created_at)`);

    await q.query(`
      CREATE TABLE register_certificate (
        id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        institution_id    uuid NOT NULL REFERENCES institution(id),
        staff_id          uuid NOT NULL,
        cert_type         varchar(30) NOT NULL CHECK (cert_type IN ('fire_facility_operator','special_equipment','electrician','safety_training','other')),
        cert_no           varchar(60) NOT NULL CHECK (length(btrim(cert_no)) > 0),
        issued_on         date NOT NULL,
        expires_on        date,
        photo_evidence_id uuid REFERENCES evidence(id),
        retired_at        timestamptz,
        created_by        uuid NOT NULL REFERENCES app_user(id),
        created_at        timestamptz NOT NULL DEFAULT now(),
        updated_at        timestamptz NOT NULL DEFAULT now(),
        version           integer NOT NULL DEFAULT 1 CHECK (version >= 1),
        CONSTRAINT register_certificate_dates CHECK (expires_on IS NULL OR expires_on >= issued_on),
        -- the holder is a staff member of the same institution
        FOREIGN KEY (staff_id, institution_id) REFERENCES register_staff(id, institution_id)
      )`);
    await q.query(`CREATE UNIQUE INDEX register_certificate_one_current ON register_certificate (institution_id, cert_type, cert_no) WHERE retired_at IS NULL`);
    await q.query(`CREATE INDEX register_certificate_staff_idx ON register_certificate (staff_id)`);
    await q.query(`CREATE INDEX register_certificate_expiry_idx ON register_certificate (expires_on) WHERE retired_at IS NULL AND expires_on IS NOT NULL`);

    await q.query(`
      CREATE TABLE register_equipment (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        institution_id  uuid NOT NULL REFERENCES institution(id),
        kind            varchar(20) NOT NULL CHECK (kind IN ('elevator','boiler','pressure_vessel','oxygen_pipeline','fire_system','extinguisher')),
        name            varchar(100) NOT NULL CHECK (length(btrim(name)) > 0),
        location        varchar(100),
        registration_no varchar(60),
        retired_at      timestamptz,
        created_by      uuid NOT NULL REFERENCES app_user(id),
        created_at      timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now(),
        version         integer NOT NULL DEFAULT 1 CHECK (version >= 1),
        UNIQUE (id, institution_id, kind)
      )`);
    await q.query(`CREATE INDEX register_equipment_institution_idx ON register_equipment (institution_id, created_at)`);

    await q.query(`
      CREATE TABLE register_statutory_test (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        equipment_id   uuid NOT NULL,
        institution_id uuid NOT NULL REFERENCES institution(id),
        equipment_kind varchar(20) NOT NULL,
        test_kind      varchar(30) NOT NULL CHECK (test_kind IN ('periodic_inspection','annual_test','maintenance_contract','service')),
        last_done_on   date,
        expires_on     date NOT NULL,
        report_no      varchar(60),
        created_by     uuid NOT NULL REFERENCES app_user(id),
        created_at     timestamptz NOT NULL DEFAULT now(),
        updated_at     timestamptz NOT NULL DEFAULT now(),
        version        integer NOT NULL DEFAULT 1 CHECK (version >= 1),
        CONSTRAINT register_statutory_test_dates CHECK (last_done_on IS NULL OR expires_on >= last_done_on),
        -- the statutory dates each kind of equipment has (domain TESTS_OF)
        CONSTRAINT register_statutory_test_kind_fits CHECK (CASE equipment_kind
          WHEN 'fire_system' THEN test_kind IN ('annual_test','maintenance_contract')
          WHEN 'extinguisher' THEN test_kind = 'service'
          ELSE test_kind = 'periodic_inspection' END),
        FOREIGN KEY (equipment_id, institution_id, equipment_kind) REFERENCES register_equipment(id, institution_id, kind),
        UNIQUE (equipment_id, test_kind)
      )`);
    await q.query(`CREATE INDEX register_statutory_test_expiry_idx ON register_statutory_test (expires_on)`);

    await q.query(`
      CREATE TABLE register_expiry_alert (
        id                             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        item_kind                      varchar(20) NOT NULL CHECK (item_kind IN ('certificate','statutory_test')),
        item_id                        uuid NOT NULL,
        institution_id                 uuid NOT NULL REFERENCES institution(id),
        expires_on                     date NOT NULL,
        threshold_days                 integer NOT NULL CHECK (threshold_days > 0),
        safety_work_policy_version_id  uuid NOT NULL REFERENCES rule_set_version(id),
        sent_at                        timestamptz NOT NULL DEFAULT now(),
        -- once per item, expiry date and threshold: a renewal (a new expiry date) starts afresh
        UNIQUE (item_kind, item_id, expires_on, threshold_days)
      )`);

    await q.query(`
      CREATE TABLE register_board_contact (
        institution_id   uuid PRIMARY KEY REFERENCES institution(id),
        supervisor_name  varchar(50) NOT NULL CHECK (length(btrim(supervisor_name)) > 0),
        supervisor_phone varchar(30) NOT NULL CHECK (length(btrim(supervisor_phone)) > 0),
        hotline          varchar(30) NOT NULL CHECK (length(btrim(hotline)) > 0),
        updated_by       uuid NOT NULL REFERENCES app_user(id),
        updated_at       timestamptz NOT NULL DEFAULT now(),
        version          integer NOT NULL DEFAULT 1 CHECK (version >= 1)
      )`);
    await q.query(`COMMENT ON TABLE register_board_contact IS '安全责任公示牌: the 属地监管责任人 and the supervising bureau''s hotline of an institution, set by the bureau'`);

    await q.query(`
      CREATE FUNCTION register_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% rows are retired, never deleted', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
      END $$`);
    for (const table of ['register_staff', 'register_certificate', 'register_equipment', 'register_statutory_test', 'register_expiry_alert']) {
      await q.query(`CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION register_no_delete()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE register_board_contact, register_expiry_alert, register_statutory_test, register_equipment, register_certificate, register_staff`);
    await q.query(`DROP FUNCTION register_no_delete()`);
    await q.query(`DELETE FROM evidence WHERE purpose = '${PURPOSE}'`);
    const purposes = await evidencePurposes(q);
    if (purposes.includes(PURPOSE)) await setEvidencePurposes(q, purposes.filter((p) => p !== PURPOSE));
  }
}
