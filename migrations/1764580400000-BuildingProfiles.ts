import { MigrationInterface, QueryRunner } from 'typeorm';

/** Building profiles that describe real buildings: facility floors, host building, capacity, new kinds. */
export class BuildingProfiles1764580400000 implements MigrationInterface {
  name = 'BuildingProfiles1764580400000';

  async up(_q: QueryRunner): Promise<void> {
    // filled in by issue 12 work
  }

  async down(_q: QueryRunner): Promise<void> {
    // filled in by issue 12 work
  }
}
