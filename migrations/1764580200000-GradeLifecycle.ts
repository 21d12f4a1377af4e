import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Grades with a validity interval, superseded by later outcomes, revoked or lowered by a decision.
 *
 * - grade_assessment.valid_from: the first day a finalized outcome is in force (its Shanghai finalization date).
 *   Existing finalized rows are backfilled from finalized_at; their valid_until stays as it was (NULL for an old
 *   未达等级: open-ended, so it supersedes earlier grades for good, which is what it meant).
 * - grade_assessment.final_prerequisites: the prerequisites as re-checked at finalization (they decide the
 *   outcome); `prerequisites` stays the snapshot taken at opening, for the record. NULL on older rows.
 * - grade_decision: 撤销 / 降级 decisions, immutable (the database refuses UPDATE, DELETE and TRUNCATE).
 * - grade_span: the grade in force per institution as dated spans (inclusive, non-overlapping, graded days only),
 *   a materialisation of the pure `gradeIntervals` rewritten in the same transaction as every finalization and
 *   decision, so SQL readers (dashboard, compliance export) see the same grade as subsidies and 公示. Backfilled from
 *   the finalized rows (before this release there were no decisions: a later outcome ends the earlier one the day
 *   before it starts; on the same day the later finalization wins).
 */
export class GradeLifecycle1764580200000 implements MigrationInterface {
  name = 'GradeLifecycle1764580200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE grade_assessment ADD COLUMN valid_from date, ADD COLUMN final_prerequisites jsonb`);
    await q.query(`UPDATE grade_assessment SET valid_from = (finalized_at AT TIME ZONE 'Asia/Shanghai')::date WHERE status = 'finalized'`);
    await q.query(`ALTER TABLE grade_assessment ADD CONSTRAINT grade_assessment_valid_from_check
      CHECK ((status = 'finalized') = (valid_from IS NOT NULL) AND (valid_until IS NULL OR valid_until >= valid_from))`);
    await q.query(`CREATE INDEX grade_assessment_in_force_idx ON grade_assessment (institution_id, valid_from) WHERE status = 'finalized'`);

    await q.query(`
      CREATE TABLE grade_decision (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        assessment_id  uuid NOT NULL REFERENCES grade_assessment(id),
        institution_id uuid NOT NULL REFERENCES institution(id),
        division_path  text NOT NULL,
        kind           varchar(8) NOT NULL CHECK (kind IN ('revoke','lower')),
        new_grade      smallint CHECK (new_grade BETWEEN 1 AND 4),
        reason         text NOT NULL CHECK (length(btrim(reason)) > 0),
        basis          text NOT NULL CHECK (length(btrim(basis)) > 0),
        effective_on   date NOT NULL,
        decided_by     uuid NOT NULL REFERENCES app_user(id),
        decided_at     timestamptz NOT NULL DEFAULT now(),
        CHECK ((kind = 'lower') = (new_grade IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX grade_decision_assessment_idx ON grade_decision (assessment_id, effective_on)`);
    await q.query(`CREATE INDEX grade_decision_institution_idx ON grade_decision (institution_id)`);
    await q.query(`CREATE INDEX grade_decision_division_idx ON grade_decision (division_path text_pattern_ops)`);
    await q.query(`
      CREATE FUNCTION grade_decision_is_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'grade_decision is immutable (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`CREATE TRIGGER grade_decision_immutable BEFORE UPDATE OR DELETE ON grade_decision FOR EACH ROW EXECUTE FUNCTION grade_decision_is_immutable()`);
    await q.query(`CREATE TRIGGER grade_decision_no_truncate BEFORE TRUNCATE ON grade_decision FOR EACH STATEMENT EXECUTE FUNCTION grade_decision_is_immutable()`);

    await q.query(`
      CREATE TABLE grade_span (
        institution_id uuid NOT NULL REFERENCES institution(id),
        grade          smallint NOT NULL CHECK (grade BETWEEN 1 AND 5),
        valid_from     date NOT NULL,
        valid_to       date NOT NULL CHECK (valid_to >= valid_from),
        PRIMARY KEY (institution_id, valid_from)
      )`);
    await q.query(`
      INSERT INTO grade_span (institution_id, grade, valid_from, valid_to)
      SELECT institution_id, grade, valid_from, span_end FROM (
        SELECT institution_id, grade, valid_from,
               least(coalesce(valid_until, DATE '9999-12-31'),
                     coalesce(lead(valid_from) OVER (PARTITION BY institution_id ORDER BY valid_from, finalized_at) - 1, DATE '9999-12-31')) AS span_end
          FROM grade_assessment WHERE status = 'finalized') o
       WHERE grade IS NOT NULL AND span_end >= valid_from`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE grade_span`);
    await q.query(`DROP TABLE grade_decision`);
    await q.query(`DROP FUNCTION grade_decision_is_immutable()`);
    await q.query(`DROP INDEX grade_assessment_in_force_idx`);
    await q.query(`ALTER TABLE grade_assessment DROP CONSTRAINT grade_assessment_valid_from_check`);
    await q.query(`ALTER TABLE grade_assessment DROP COLUMN final_prerequisites, DROP COLUMN valid_from`);
  }
}
