import { MigrationInterface, QueryRunner } from 'typeorm';

/** Operating periods and the history of bureau-confirmed capacity facts, for subsidies that respect time. */
export class SubsidyTime1764580300000 implements MigrationInterface {
  name = 'SubsidyTime1764580300000';

  async up(_q: QueryRunner): Promise<void> {
    // filled in by issue 12 work
  }

  async down(_q: QueryRunner): Promise<void> {
    // filled in by issue 12 work
  }
}
