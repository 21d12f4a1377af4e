import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Product policy, the working-day calendar and the deploying city's local rule set become rule files like the
 * checklists (published by hash, never changed). Every record that used a policy says which version: an
 * inspection (team size, signatures), a hazard (deadlines, plan, objection window), a grade assessment (validity)
 * and a subsidy schedule (eligibility and coefficients come from its subsidy policy; the product policy for the
 * grade and score rules). Records made before this release keep NULL: they used the values that were then
 * constants in code (documented in docs/policy.md). An inspection also pins the local rule set it was made under.
 */
export class RulePolicyPins1764580000000 implements MigrationInterface {
  name = 'RulePolicyPins1764580000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE rule_set DROP CONSTRAINT rule_set_kind_check`);
    await q.query(`ALTER TABLE rule_set ADD CONSTRAINT rule_set_kind_check CHECK (kind IN ('inspection_checklist','major_hazard_criteria','grading_form','self_inspection','scoring_rules','subsidy_policy','product_policy','working_calendar','local_rule_set'))`);
    for (const table of ['inspection', 'hazard', 'grade_assessment', 'subsidy_schedule']) {
      await q.query(`ALTER TABLE ${table} ADD COLUMN product_policy_version_id uuid REFERENCES rule_set_version(id)`);
    }
    // The deploying city's local rule set in force when the inspection was created (NULL = national rules only).
    await q.query(`ALTER TABLE inspection ADD COLUMN local_rule_set_version_id uuid REFERENCES rule_set_version(id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE inspection DROP COLUMN local_rule_set_version_id`);
    for (const table of ['inspection', 'hazard', 'grade_assessment', 'subsidy_schedule']) {
      await q.query(`ALTER TABLE ${table} DROP COLUMN product_policy_version_id`);
    }
    await q.query(`DELETE FROM rule_set WHERE kind IN ('product_policy','working_calendar','local_rule_set')`);
    await q.query(`ALTER TABLE rule_set DROP CONSTRAINT rule_set_kind_check`);
    await q.query(`ALTER TABLE rule_set ADD CONSTRAINT rule_set_kind_check CHECK (kind IN ('inspection_checklist','major_hazard_criteria','grading_form','self_inspection','scoring_rules','subsidy_policy'))`);
  }
}
