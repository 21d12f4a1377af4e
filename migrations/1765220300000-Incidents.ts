import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 突发事件报告 (incident reports) — issue 16. The institution reports (type per 民发〔2025〕32号, grade, time, residents
 * affected, first measures); the reporting deadline by grade comes from the pinned safety-work policy and is stored
 * with the report, so 迟报 is a fact of the row the database checks. The bureau acknowledges once (with a note) and
 * may link one follow-up inspection; nothing else ever changes.
 */
export class Incidents1765220300000 implements MigrationInterface {
  name = 'Incidents1765220300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE incident (
        id                             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        institution_id                 uuid NOT NULL REFERENCES institution(id),
        type                           varchar(20) NOT NULL CHECK (type IN ('natural_disaster','accident','public_health','social_security')),
        grade                          varchar(20) NOT NULL CHECK (grade IN ('general','larger','major','especially_major')),
        occurred_at                    timestamptz NOT NULL,
        reported_at                    timestamptz NOT NULL DEFAULT now(),
        report_hours                   numeric(6,2) NOT NULL CHECK (report_hours > 0),
        report_deadline_at             timestamptz NOT NULL,
        late                           boolean NOT NULL,
        summary                        text NOT NULL CHECK (length(btrim(summary)) > 0 AND length(summary) <= 2000),
        residents_affected             integer NOT NULL CHECK (residents_affected BETWEEN 0 AND 100000),
        first_measures                 text NOT NULL CHECK (length(btrim(first_measures)) > 0 AND length(first_measures) <= 2000),
        reported_by                    uuid NOT NULL REFERENCES app_user(id),
        status                         varchar(12) NOT NULL DEFAULT 'reported' CHECK (status IN ('reported','acknowledged')),
        acknowledged_by                uuid REFERENCES app_user(id),
        acknowledged_at                timestamptz,
        acknowledgement_note           text CHECK (length(acknowledgement_note) <= 1000),
        follow_up_inspection_id        uuid UNIQUE REFERENCES inspection(id),
        safety_work_policy_version_id  uuid NOT NULL REFERENCES rule_set_version(id),
        version                        integer NOT NULL DEFAULT 1 CHECK (version >= 1),
        CHECK (occurred_at <= reported_at + interval '1 minute'),
        CHECK (report_deadline_at = occurred_at + report_hours * interval '1 hour'),
        CHECK (late = (reported_at > report_deadline_at)),
        CHECK ((status = 'acknowledged') = (acknowledged_at IS NOT NULL) AND (acknowledged_at IS NULL) = (acknowledged_by IS NULL)),
        CHECK (follow_up_inspection_id IS NULL OR status = 'acknowledged')
      )`);
    await q.query(`CREATE INDEX incident_institution_idx ON incident (institution_id, occurred_at DESC)`);
    await q.query(`CREATE INDEX incident_open_idx ON incident (status, grade) WHERE status = 'reported'`);

    await q.query(`
      CREATE FUNCTION incident_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        decision text[] := ARRAY['status','acknowledged_by','acknowledged_at','acknowledgement_note','follow_up_inspection_id','version'];
      BEGIN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'incident % cannot be deleted', OLD.id USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF (to_jsonb(NEW) - decision) IS DISTINCT FROM (to_jsonb(OLD) - decision) THEN
          RAISE EXCEPTION 'incident %: the report never changes', OLD.id USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF OLD.status = 'acknowledged' AND (NEW.status <> 'acknowledged' OR NEW.acknowledged_at IS DISTINCT FROM OLD.acknowledged_at
            OR NEW.acknowledged_by IS DISTINCT FROM OLD.acknowledged_by OR NEW.acknowledgement_note IS DISTINCT FROM OLD.acknowledgement_note) THEN
          RAISE EXCEPTION 'incident %: the acknowledgement never changes', OLD.id USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF OLD.follow_up_inspection_id IS NOT NULL AND NEW.follow_up_inspection_id IS DISTINCT FROM OLD.follow_up_inspection_id THEN
          RAISE EXCEPTION 'incident %: the follow-up inspection never changes', OLD.id USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER incident_guard BEFORE UPDATE OR DELETE ON incident FOR EACH ROW EXECUTE FUNCTION incident_guard()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE incident`);
    await q.query(`DROP FUNCTION incident_guard()`);
  }
}
