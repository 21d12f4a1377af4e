import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 演练与培训 (drills and training records) — issue 16. A drill records its day, kind and form (only a live drill
 * counts toward the half-year minimum of the 2026 opinion), how many residents of each care level were evacuated and
 * in how long, and the lessons; a training record is one staff member's attendance (by name until the staff register
 * links it). Both pin the safety-work policy they were recorded under and never change (append-only: a mistake is
 * corrected by a new record, the audit trail keeps both).
 */
export class Drills1765220200000 implements MigrationInterface {
  name = 'Drills1765220200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE drill (
        id                             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        institution_id                 uuid NOT NULL REFERENCES institution(id),
        held_on                        date NOT NULL CHECK (held_on >= DATE '2000-01-01'),
        kind                           varchar(20) NOT NULL CHECK (kind IN ('fire_evacuation','night_drill','gas_leak','power_outage','earthquake','flood','food_poisoning','other')),
        form                           varchar(10) NOT NULL CHECK (form IN ('live','tabletop')),
        participants_staff             integer NOT NULL CHECK (participants_staff BETWEEN 0 AND 10000),
        participants_note              text CHECK (length(participants_note) <= 500),
        evacuated_self_care            integer NOT NULL DEFAULT 0 CHECK (evacuated_self_care >= 0),
        evacuated_mildly_disabled      integer NOT NULL DEFAULT 0 CHECK (evacuated_mildly_disabled >= 0),
        evacuated_moderately_disabled  integer NOT NULL DEFAULT 0 CHECK (evacuated_moderately_disabled >= 0),
        evacuated_severely_disabled    integer NOT NULL DEFAULT 0 CHECK (evacuated_severely_disabled >= 0),
        evacuation_seconds             integer CHECK (evacuation_seconds BETWEEN 1 AND 86400),
        lessons                        text NOT NULL CHECK (length(btrim(lessons)) > 0 AND length(lessons) <= 2000),
        recorded_by                    uuid NOT NULL REFERENCES app_user(id),
        recorded_at                    timestamptz NOT NULL DEFAULT now(),
        safety_work_policy_version_id  uuid NOT NULL REFERENCES rule_set_version(id),
        -- a tabletop exercise moves nobody
        CHECK (form = 'live' OR (evacuated_self_care + evacuated_mildly_disabled + evacuated_moderately_disabled + evacuated_severely_disabled = 0 AND evacuation_seconds IS NULL))
      )`);
    await q.query(`CREATE INDEX drill_institution_idx ON drill (institution_id, held_on DESC)`);
    await q.query(`CREATE INDEX drill_live_idx ON drill (institution_id, held_on DESC) WHERE form = 'live'`);

    await q.query(`
      CREATE TABLE staff_training (
        id                             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        institution_id                 uuid NOT NULL REFERENCES institution(id),
        held_on                        date NOT NULL CHECK (held_on >= DATE '2000-01-01'),
        topic                          varchar(20) NOT NULL CHECK (topic IN ('fire_safety','evacuation','first_aid','gas_safety','emergency_plan','other')),
        hours                          numeric(4,1) NOT NULL CHECK (hours > 0 AND hours <= 24),
        trainer                        text CHECK (length(trainer) <= 100),
        trainee_name                   text NOT NULL CHECK (length(btrim(trainee_name)) > 0 AND length(trainee_name) <= 50),
        trainee_id_last4               char(4) CHECK (trainee_id_last4 ~ '^[0-9]{3}[0-9X]$'),
        trainee_role                   text CHECK (length(trainee_role) <= 50),
        recorded_by                    uuid NOT NULL REFERENCES app_user(id),
        recorded_at                    timestamptz NOT NULL DEFAULT now(),
        safety_work_policy_version_id  uuid NOT NULL REFERENCES rule_set_version(id)
      )`);
    await q.query(`CREATE INDEX staff_training_institution_idx ON staff_training (institution_id, held_on DESC)`);
    await q.query(`CREATE INDEX staff_training_trainee_idx ON staff_training (institution_id, trainee_name, (coalesce(trainee_id_last4, '')), held_on DESC)`);

    await q.query(`
      CREATE FUNCTION drill_records_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% records are append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`CREATE TRIGGER drill_append_only BEFORE UPDATE OR DELETE ON drill FOR EACH ROW EXECUTE FUNCTION drill_records_append_only()`);
    await q.query(`CREATE TRIGGER staff_training_append_only BEFORE UPDATE OR DELETE ON staff_training FOR EACH ROW EXECUTE FUNCTION drill_records_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE staff_training`);
    await q.query(`DROP TABLE drill`);
    await q.query(`DROP FUNCTION drill_records_append_only()`);
  }
}
