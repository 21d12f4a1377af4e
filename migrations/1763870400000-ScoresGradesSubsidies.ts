import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Safety scores with their ledger, grade assessments (GB/T 37276) and subsidy schedules. Each result records the
 * rule-set version it was computed with; an approved subsidy schedule can never change (trigger).
 */
export class ScoresGradesSubsidies1763870400000 implements MigrationInterface {
  name = 'ScoresGradesSubsidies1763870400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE rule_set DROP CONSTRAINT rule_set_kind_check`);
    await q.query(`ALTER TABLE rule_set ADD CONSTRAINT rule_set_kind_check CHECK (kind IN ('inspection_checklist','major_hazard_criteria','grading_form','self_inspection','scoring_rules','subsidy_policy'))`);

    await q.query(`
      CREATE TABLE safety_score (
        id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        institution_id      uuid NOT NULL REFERENCES institution(id),
        division_path       text NOT NULL,
        as_of               date NOT NULL,
        score               numeric(5,1) NOT NULL CHECK (score BETWEEN 0 AND 100),
        cap_applied         boolean NOT NULL,
        contributions       jsonb NOT NULL,
        rule_set_version_id uuid NOT NULL REFERENCES rule_set_version(id),
        computed_at         timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX safety_score_institution_idx ON safety_score (institution_id, computed_at DESC)`);
    await q.query(`
      CREATE TABLE institution_score (
        institution_id uuid PRIMARY KEY REFERENCES institution(id),
        score_id       uuid NOT NULL REFERENCES safety_score(id),
        score          numeric(5,1) NOT NULL,
        computed_at    timestamptz NOT NULL
      )`);

    await q.query(`
      CREATE TABLE grade_assessment (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        institution_id  uuid NOT NULL REFERENCES institution(id),
        division_path   text NOT NULL,
        form_version_id uuid NOT NULL REFERENCES rule_set_version(id),
        status          varchar(10) NOT NULL DEFAULT 'open' CHECK (status IN ('open','finalized')),
        prerequisites   jsonb NOT NULL,
        item_points     jsonb NOT NULL DEFAULT '{}',
        item_notes      jsonb NOT NULL DEFAULT '{}',
        total           numeric(6,1),
        grade           smallint CHECK (grade BETWEEN 1 AND 5),
        grade_label     varchar(16),
        reasons         jsonb,
        valid_until     date,
        opened_by       uuid NOT NULL REFERENCES app_user(id),
        opened_at       timestamptz NOT NULL DEFAULT now(),
        finalized_by    uuid REFERENCES app_user(id),
        finalized_at    timestamptz,
        version         integer NOT NULL DEFAULT 1,
        CHECK ((status = 'finalized') = (finalized_at IS NOT NULL AND total IS NOT NULL AND grade_label IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX grade_assessment_institution_idx ON grade_assessment (institution_id, finalized_at DESC)`);
    await q.query(`CREATE INDEX grade_assessment_division_idx ON grade_assessment (division_path text_pattern_ops)`);

    await q.query(`
      CREATE TABLE subsidy_schedule (
        id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        division_code     varchar(12) NOT NULL REFERENCES division(code),
        division_path     text NOT NULL,
        period_start      date NOT NULL,
        period_end        date NOT NULL CHECK (period_end >= period_start),
        version_no        integer NOT NULL,
        policy_version_id uuid NOT NULL REFERENCES rule_set_version(id),
        scoring_version_id uuid REFERENCES rule_set_version(id),
        status            varchar(10) NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','approved')),
        lines             jsonb NOT NULL,
        total             numeric(14,2) NOT NULL,
        created_by        uuid NOT NULL REFERENCES app_user(id),
        created_at        timestamptz NOT NULL DEFAULT now(),
        approved_by       uuid REFERENCES app_user(id),
        approved_at       timestamptz,
        UNIQUE (division_code, period_start, period_end, version_no),
        CHECK ((status = 'approved') = (approved_at IS NOT NULL))
      )`);
    await q.query(`
      CREATE FUNCTION subsidy_schedule_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.status = 'approved' THEN
          RAISE EXCEPTION 'subsidy schedule % is approved and frozen (% refused)', OLD.id, TG_OP USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
      END $$`);
    await q.query(`CREATE TRIGGER subsidy_schedule_frozen BEFORE UPDATE OR DELETE ON subsidy_schedule FOR EACH ROW EXECUTE FUNCTION subsidy_schedule_frozen()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE subsidy_schedule, grade_assessment, institution_score, safety_score`);
    await q.query(`DROP FUNCTION subsidy_schedule_frozen()`);
  }
}
