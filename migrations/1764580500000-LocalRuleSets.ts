import { MigrationInterface, QueryRunner } from 'typeorm';

/** The local rule set (地方规则): anything beyond the inspection pin (already in RulePolicyPins), if needed. */
export class LocalRuleSets1764580500000 implements MigrationInterface {
  name = 'LocalRuleSets1764580500000';

  async up(_q: QueryRunner): Promise<void> {
    // filled in by issue 12 work
  }

  async down(_q: QueryRunner): Promise<void> {
    // filled in by issue 12 work
  }
}
