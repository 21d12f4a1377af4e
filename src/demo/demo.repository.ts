import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../common/scope';

/** What the demo seeder asks of the database to know which steps are done (system work: no scope). */
@Injectable()
export class DemoRepository {
  constructor(private readonly dataSource: DataSource) {}

  async institutionsWithoutScore(): Promise<number> {
    const [{ n }] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM institution i WHERE NOT EXISTS (SELECT 1 FROM institution_score s WHERE s.institution_id = i.id)`);
    return n;
  }

  async accountExists(username: string): Promise<boolean> {
    const [{ b }] = await this.dataSource.query(`SELECT EXISTS (SELECT 1 FROM app_user WHERE username = $1) AS b`, [username]);
    return b;
  }

  async inspectionCount(status?: 'submitted'): Promise<number> {
    const [{ n }] = status
      ? await this.dataSource.query(`SELECT count(*)::int AS n FROM inspection WHERE status = $1`, [status])
      : await this.dataSource.query(`SELECT count(*)::int AS n FROM inspection`);
    return n;
  }

  /** The demo accounts that exist, as the services see a signed-in user. */
  accounts(usernames: string[]): Promise<AuthUser[]> {
    return this.dataSource.query(
      `SELECT id, username, role, display_name AS "displayName", division_code AS "divisionCode", division_path AS "divisionPath",
              institution_id AS "institutionId"
         FROM app_user WHERE username = ANY($1)`, [usernames]);
  }

  async inspectionIdsOfPlan(planId: string): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(`SELECT id FROM inspection WHERE plan_id = $1 ORDER BY id`, [planId]);
    return rows.map((r) => r.id);
  }

  async deviceCredentialCount(institutionId: string): Promise<number> {
    const [{ n }] = await this.dataSource.query(`SELECT count(*)::int AS n FROM device_credential WHERE institution_id = $1`, [institutionId]);
    return n;
  }
}
