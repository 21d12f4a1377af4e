import { MigrationInterface, QueryRunner } from 'typeorm';

/** 投诉举报 (public complaints and their triage) — issue 16. */
export class Complaints1765210000000 implements MigrationInterface {
  name = 'Complaints1765210000000';

  async up(q: QueryRunner): Promise<void> {
  }

  async down(q: QueryRunner): Promise<void> {
  }
}
