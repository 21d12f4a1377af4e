import { MigrationInterface, QueryRunner } from 'typeorm';

/** Issue 15 — reserved (H5); a no-op until its owner fills it in. */
export class MonthlyPartitions1765200500000 implements MigrationInterface {
  name = 'MonthlyPartitions1765200500000';

  async up(_q: QueryRunner): Promise<void> {}

  async down(_q: QueryRunner): Promise<void> {}
}
