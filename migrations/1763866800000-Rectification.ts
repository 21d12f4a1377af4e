import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The hazard loop: numbered notices, responses with evidence, independent verification, extensions, objections,
 * major-hazard plans (五到位), notifications. Hazard status moves only along the allowed transitions (trigger).
 */
export class Rectification1763866800000 implements MigrationInterface {
  name = 'Rectification1763866800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE inspection ADD COLUMN parent_inspection_id uuid REFERENCES inspection(id), ADD COLUMN item_codes text[]`);
    await q.query(`
      ALTER TABLE hazard
        ADD COLUMN plan_due_date date,
        ADD COLUMN closure_reason varchar(20) CHECK (closure_reason IN ('verified','objection_upheld')),
        ADD COLUMN reinspection_id uuid REFERENCES inspection(id),
        ADD CONSTRAINT hazard_closure_reason CHECK ((status = 'closed') = (closure_reason IS NOT NULL)),
        ADD CONSTRAINT hazard_major_plan_due CHECK (severity <> 'major' OR plan_due_date IS NOT NULL) NOT VALID`);
    await q.query(`
      CREATE FUNCTION hazard_status_transition() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.status = OLD.status THEN RETURN NEW; END IF;
        IF (OLD.status, NEW.status) IN (('open','responded'), ('returned','responded'), ('responded','returned'))
           OR (OLD.status = 'responded' AND NEW.status = 'closed' AND NEW.closure_reason = 'verified')
           OR (OLD.status IN ('open','returned','responded') AND NEW.status = 'closed' AND NEW.closure_reason = 'objection_upheld') THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'hazard % cannot move from % to %', OLD.id, OLD.status, NEW.status USING ERRCODE = 'check_violation';
      END $$`);
    await q.query(`CREATE TRIGGER hazard_status_transition BEFORE UPDATE OF status ON hazard FOR EACH ROW EXECUTE FUNCTION hazard_status_transition()`);

    await q.query(`
      CREATE TABLE rectification_notice (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        inspection_id   uuid NOT NULL UNIQUE REFERENCES inspection(id),
        institution_id  uuid NOT NULL REFERENCES institution(id),
        division_path   text NOT NULL,
        notice_no       varchar(64) NOT NULL UNIQUE,
        issued_by       uuid NOT NULL REFERENCES app_user(id),
        issued_at       timestamptz NOT NULL,
        acknowledged_at timestamptz,
        acknowledged_by uuid REFERENCES app_user(id),
        verify_token    char(32) NOT NULL UNIQUE,
        pdf_status      varchar(12) NOT NULL DEFAULT 'pending' CHECK (pdf_status IN ('pending','rendered','failed')),
        pdf_sha256      char(64),
        CHECK ((acknowledged_at IS NULL) = (acknowledged_by IS NULL))
      )`);
    await q.query(`CREATE INDEX rectification_notice_division_idx ON rectification_notice (division_path text_pattern_ops)`);
    await q.query(`CREATE INDEX rectification_notice_institution_idx ON rectification_notice (institution_id)`);

    await q.query(`
      CREATE TABLE hazard_response (
        id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        hazard_id           uuid NOT NULL REFERENCES hazard(id),
        what_was_fixed      text NOT NULL,
        other_places_checked text NOT NULL,
        lasting_change      text NOT NULL,
        responsible_person  varchar(64) NOT NULL,
        completed_on        date NOT NULL,
        submitted_by        uuid NOT NULL REFERENCES app_user(id),
        submitted_at        timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX hazard_response_hazard_idx ON hazard_response (hazard_id, submitted_at)`);
    await q.query(`
      CREATE TABLE hazard_response_evidence (
        response_id uuid NOT NULL REFERENCES hazard_response(id),
        evidence_id uuid NOT NULL REFERENCES evidence(id),
        PRIMARY KEY (response_id, evidence_id)
      )`);
    await q.query(`
      CREATE TABLE hazard_verification (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        hazard_id     uuid NOT NULL REFERENCES hazard(id),
        response_id   uuid NOT NULL UNIQUE REFERENCES hazard_response(id),
        responder_id  uuid NOT NULL REFERENCES app_user(id),
        verifier_id   uuid NOT NULL REFERENCES app_user(id),
        accepted      boolean NOT NULL,
        reason        text,
        new_due_date  date,
        on_site       boolean NOT NULL DEFAULT false,
        verified_at   timestamptz NOT NULL,
        CHECK (verifier_id <> responder_id),
        CHECK (accepted OR (reason IS NOT NULL AND new_due_date IS NOT NULL))
      )`);
    await q.query(`
      CREATE TABLE hazard_extension (
        id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        hazard_id          uuid NOT NULL REFERENCES hazard(id),
        requested_by       uuid NOT NULL REFERENCES app_user(id),
        requested_at       timestamptz NOT NULL,
        previous_due_date  date NOT NULL,
        requested_due_date date NOT NULL CHECK (requested_due_date > previous_due_date),
        reason             text NOT NULL,
        status             varchar(10) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','approved','refused')),
        decided_by         uuid REFERENCES app_user(id),
        decided_at         timestamptz,
        decision_reason    text,
        CHECK ((status = 'pending') = (decided_at IS NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX hazard_extension_one_pending ON hazard_extension (hazard_id) WHERE status = 'pending'`);
    await q.query(`
      CREATE TABLE hazard_objection (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        hazard_id       uuid NOT NULL REFERENCES hazard(id),
        statement       text NOT NULL,
        filed_by        uuid NOT NULL REFERENCES app_user(id),
        filed_at        timestamptz NOT NULL,
        status          varchar(10) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','upheld','rejected')),
        decided_by      uuid REFERENCES app_user(id),
        decided_at      timestamptz,
        decision_reason text,
        CHECK ((status = 'pending') = (decided_at IS NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX hazard_objection_one_per_hazard ON hazard_objection (hazard_id)`);
    await q.query(`
      CREATE TABLE hazard_plan (
        hazard_id          uuid PRIMARY KEY REFERENCES hazard(id),
        interim_measures   text NOT NULL,
        measures           text NOT NULL,
        funds              text NOT NULL,
        responsible_person varchar(64) NOT NULL,
        deadline           date NOT NULL,
        emergency_plan     text NOT NULL,
        submitted_by       uuid NOT NULL REFERENCES app_user(id),
        submitted_at       timestamptz NOT NULL
      )`);

    await q.query(`
      CREATE TABLE notification (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        institution_id uuid REFERENCES institution(id),
        division_path  text NOT NULL,
        audience       varchar(12) NOT NULL CHECK (audience IN ('institution','bureau')),
        kind           varchar(32) NOT NULL,
        title          varchar(200) NOT NULL,
        body           text NOT NULL,
        entity_type    varchar(32) NOT NULL,
        entity_id      uuid NOT NULL,
        dedup_key      varchar(128) NOT NULL UNIQUE,
        created_at     timestamptz NOT NULL DEFAULT now(),
        CHECK ((audience = 'institution') = (institution_id IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX notification_institution_idx ON notification (institution_id, created_at DESC)`);
    await q.query(`CREATE INDEX notification_division_idx ON notification (division_path text_pattern_ops, created_at DESC)`);
    // For SMS / e-mail adapters to consume later; nothing sends yet.
    await q.query(`
      CREATE TABLE notification_delivery (
        id              bigserial PRIMARY KEY,
        notification_id uuid NOT NULL REFERENCES notification(id),
        channel         varchar(8) NOT NULL CHECK (channel IN ('sms','email')),
        status          varchar(8) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','sent','failed')),
        created_at      timestamptz NOT NULL DEFAULT now(),
        UNIQUE (notification_id, channel)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE notification_delivery, notification, hazard_plan, hazard_objection, hazard_extension, hazard_verification,
      hazard_response_evidence, hazard_response, rectification_notice`);
    await q.query(`DROP TRIGGER hazard_status_transition ON hazard`);
    await q.query(`DROP FUNCTION hazard_status_transition()`);
    await q.query(`ALTER TABLE hazard DROP COLUMN plan_due_date, DROP COLUMN closure_reason, DROP COLUMN reinspection_id`);
    await q.query(`ALTER TABLE inspection DROP COLUMN parent_inspection_id, DROP COLUMN item_codes`);
  }
}
