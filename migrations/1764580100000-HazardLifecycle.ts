import { MigrationInterface, QueryRunner } from 'typeorm';

/** Suspected major hazards (疑似重大隐患), their confirmation, and the hazard trigger's new transitions. */
export class HazardLifecycle1764580100000 implements MigrationInterface {
  name = 'HazardLifecycle1764580100000';

  async up(_q: QueryRunner): Promise<void> {
    // filled in by issue 12 work
  }

  async down(_q: QueryRunner): Promise<void> {
    // filled in by issue 12 work
  }
}
