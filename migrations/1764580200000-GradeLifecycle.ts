import { MigrationInterface, QueryRunner } from 'typeorm';

/** Grades with a validity interval, superseded by later outcomes, revoked or lowered by a decision. */
export class GradeLifecycle1764580200000 implements MigrationInterface {
  name = 'GradeLifecycle1764580200000';

  async up(_q: QueryRunner): Promise<void> {
    // filled in by issue 12 work
  }

  async down(_q: QueryRunner): Promise<void> {
    // filled in by issue 12 work
  }
}
