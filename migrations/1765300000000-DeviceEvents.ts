import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 消防物联网 / 云值班 (issue 17, item 1): the fire-safety devices of an institution, the credentials their gateway or
 * vendor platform signs events with, the events (append-only, idempotent by the sender's event id), and the duty
 * clock of every alarm: confirmed (real / false / test) by the person on duty, or escalated to the bureau once.
 * A device's state (online / offline / fault, since when) is kept on the device from the latest event by its own
 * time, so late and out-of-order deliveries cannot flip it back. See docs/devices.md.
 */
export class DeviceEvents1765300000000 implements MigrationInterface {
  name = 'DeviceEvents1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE device_credential (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        key_id         varchar(32) NOT NULL UNIQUE CHECK (key_id ~ '^yk_[a-z0-9]{20}$'),
        kind           varchar(12) NOT NULL CHECK (kind IN ('institution','platform')),
        institution_id uuid REFERENCES institution(id),
        division_path  varchar(400) NOT NULL,
        name           varchar(60) NOT NULL CHECK (length(btrim(name)) > 0),
        secret         varchar(64) NOT NULL CHECK (secret ~ '^[0-9a-f]{64}$'),
        created_by     uuid NOT NULL REFERENCES app_user(id),
        created_at     timestamptz NOT NULL DEFAULT now(),
        revoked_at     timestamptz,
        CHECK ((kind = 'institution') = (institution_id IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX device_credential_institution_idx ON device_credential (institution_id)`);

    await q.query(`
      CREATE TABLE device (
        id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        institution_id         uuid NOT NULL REFERENCES institution(id),
        credential_id          uuid NOT NULL REFERENCES device_credential(id),
        vendor_device_id       varchar(64) NOT NULL CHECK (vendor_device_id ~ '^[A-Za-z0-9._:-]{1,64}$'),
        type                   varchar(24) NOT NULL CHECK (type IN ('smoke_detector','electrical_fire_monitor','gas_detector','water_pressure','alarm_panel_gateway')),
        location               varchar(100) NOT NULL CHECK (length(btrim(location)) > 0),
        status                 varchar(8) NOT NULL DEFAULT 'online' CHECK (status IN ('online','offline','fault')),
        status_since           timestamptz NOT NULL DEFAULT now(),
        last_occurred_at       timestamptz,
        last_received_at       timestamptz,
        impairment_notified_at timestamptz,
        maintenance_flagged_at timestamptz,
        created_by             uuid NOT NULL REFERENCES app_user(id),
        created_at             timestamptz NOT NULL DEFAULT now(),
        retired_at             timestamptz,
        UNIQUE (credential_id, vendor_device_id)
      )`);
    await q.query(`CREATE INDEX device_institution_idx ON device (institution_id) WHERE retired_at IS NULL`);
    await q.query(`CREATE INDEX device_impaired_idx ON device (status_since) WHERE status <> 'online' AND retired_at IS NULL`);

    await q.query(`
      CREATE TABLE device_event (
        id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        credential_id  uuid NOT NULL REFERENCES device_credential(id),
        event_key      varchar(64) NOT NULL CHECK (event_key ~ '^[A-Za-z0-9._:-]{1,64}$'),
        device_id      uuid NOT NULL REFERENCES device(id),
        institution_id uuid NOT NULL REFERENCES institution(id),
        kind           varchar(12) NOT NULL CHECK (kind IN ('alarm','fault','offline','restored','valve_closed')),
        occurred_at    timestamptz NOT NULL,
        received_at    timestamptz NOT NULL DEFAULT now(),
        detail         varchar(500),
        UNIQUE (credential_id, event_key)
      )`);
    await q.query(`CREATE INDEX device_event_device_idx ON device_event (device_id, occurred_at DESC)`);
    await q.query(`CREATE INDEX device_event_institution_idx ON device_event (institution_id, occurred_at DESC)`);
    // the events are the record: the application appends and reads them, never changes them
    await q.query(`DO $$ BEGIN
      IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'yian_app') THEN
        REVOKE UPDATE, DELETE, TRUNCATE ON device_event FROM yian_app;
      END IF; END $$`);

    await q.query(`
      CREATE TABLE device_alarm (
        id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        event_id          bigint NOT NULL UNIQUE REFERENCES device_event(id),
        device_id         uuid NOT NULL REFERENCES device(id),
        institution_id    uuid NOT NULL REFERENCES institution(id),
        kind              varchar(12) NOT NULL CHECK (kind IN ('alarm','valve_closed')),
        raised_at         timestamptz NOT NULL,
        received_at       timestamptz NOT NULL,
        confirm_due_at    timestamptz NOT NULL,
        safety_work_policy_version_id uuid NOT NULL REFERENCES rule_set_version(id),
        outcome           varchar(8) CHECK (outcome IN ('real','false','test')),
        note              varchar(500),
        confirmed_by      uuid REFERENCES app_user(id),
        confirmed_at      timestamptz,
        escalated_at      timestamptz,
        CHECK ((outcome IS NULL) = (confirmed_at IS NULL) AND (outcome IS NULL) = (confirmed_by IS NULL)),
        CHECK (confirm_due_at > received_at)
      )`);
    await q.query(`CREATE INDEX device_alarm_institution_idx ON device_alarm (institution_id, raised_at DESC)`);
    await q.query(`CREATE INDEX device_alarm_due_idx ON device_alarm (confirm_due_at) WHERE confirmed_at IS NULL AND escalated_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE device_alarm`);
    await q.query(`DROP TABLE device_event`);
    await q.query(`DROP TABLE device`);
    await q.query(`DROP TABLE device_credential`);
  }
}
