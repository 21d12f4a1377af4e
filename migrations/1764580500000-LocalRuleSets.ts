import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The local rule set (地方规则). Nothing to change in the schema: a local rule set is a rule file like the others
 * (rule_set kind 'local_rule_set', allowed by RulePolicyPins1764580000000), its items are merged in code from the
 * published content (src/checklists/domain/local-rules.ts), and the inspection's pin `local_rule_set_version_id`
 * was added by RulePolicyPins. Inspections made before this release keep NULL: national rules only, as they were
 * filled. Kept so the migration list matches the release plan.
 */
export class LocalRuleSets1764580500000 implements MigrationInterface {
  name = 'LocalRuleSets1764580500000';

  async up(_q: QueryRunner): Promise<void> {
    // no schema change (see above)
  }

  async down(_q: QueryRunner): Promise<void> {
    // no schema change (see above)
  }
}
