import { MigrationInterface, QueryRunner } from 'typeorm';

const KINDS_BEFORE = ['inspection_checklist', 'major_hazard_criteria', 'grading_form', 'self_inspection', 'scoring_rules', 'subsidy_policy', 'product_policy', 'working_calendar', 'local_rule_set'];
const KINDS_AFTER = [...KINDS_BEFORE, 'safety_work_policy'];
const list = (kinds: string[]) => kinds.map((k) => `'${k}'`).join(',');

/** A new rule-file kind: 机构日常安全工作与投诉举报策略 (checklists/safety-work-policy.yaml, issue 16). */
export class SafetyWorkPolicy1765200700000 implements MigrationInterface {
  name = 'SafetyWorkPolicy1765200700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE rule_set DROP CONSTRAINT rule_set_kind_check`);
    await q.query(`ALTER TABLE rule_set ADD CONSTRAINT rule_set_kind_check CHECK (kind IN (${list(KINDS_AFTER)}))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM rule_set WHERE kind = 'safety_work_policy'`);
    await q.query(`ALTER TABLE rule_set DROP CONSTRAINT rule_set_kind_check`);
    await q.query(`ALTER TABLE rule_set ADD CONSTRAINT rule_set_kind_check CHECK (kind IN (${list(KINDS_BEFORE)}))`);
  }
}
