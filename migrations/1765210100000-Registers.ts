import { MigrationInterface, QueryRunner } from 'typeorm';

/** 人员与设备台账、安全责任公示牌 (staff, certificates, statutory tests, the safety board) — issue 16. */
export class Registers1765210100000 implements MigrationInterface {
  name = 'Registers1765210100000';

  async up(q: QueryRunner): Promise<void> {
  }

  async down(q: QueryRunner): Promise<void> {
  }
}
