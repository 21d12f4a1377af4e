import { MigrationInterface, QueryRunner } from 'typeorm';

/** Issue 15 — reserved (H4); a no-op until its owner fills it in. */
export class SubmissionPath1765200200000 implements MigrationInterface {
  name = 'SubmissionPath1765200200000';

  async up(_q: QueryRunner): Promise<void> {}

  async down(_q: QueryRunner): Promise<void> {}
}
