import { Global, Injectable, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { connectedRoleFacts, RoleFacts } from './database-roles.repository';

/**
 * At boot, whether the app's own connection could get round the database's protections (a superuser, or the owner
 * of the tables: it could disable the audit's append-only triggers). The app still runs, as it did before the
 * roles were split, but says so in the log and on /health (docs/adr/0005-database-roles.md).
 */
@Injectable()
export class DatabaseRoleCheck implements OnApplicationBootstrap {
  private readonly logger = new Logger('Database');
  private facts: RoleFacts | null = null;

  constructor(private readonly dataSource: DataSource) {}

  async onApplicationBootstrap(): Promise<void> {
    try {
      this.facts = await connectedRoleFacts(this.dataSource);
    } catch {
      return; // the database is down: /health says so already
    }
    if (this.privileged()) {
      const what = [this.facts.superuser && 'a superuser', this.facts.ownsTables && 'the owner of the tables'].filter(Boolean).join(' and ');
      this.logger.warn(`应用以数据库特权角色连接（${this.facts.role}），可绕过审计表的只追加保护；请以无表所有权的角色连接（DATABASE_URL）并以 DATABASE_OWNER_URL 迁移 / ` +
        `the app connects as ${this.facts.role}, ${what}: it could disable the audit's append-only triggers. Connect as a role that owns nothing (DATABASE_URL) and migrate as the owner (DATABASE_OWNER_URL); see docs/adr/0005-database-roles.md`);
    }
  }

  /** True when the app's connection is a superuser or owns the tables; null before the check ran. */
  privileged(): boolean | null {
    return this.facts ? this.facts.superuser || this.facts.ownsTables : null;
  }
}

@Global()
@Module({ providers: [DatabaseRoleCheck], exports: [DatabaseRoleCheck] })
export class DatabaseModule {}
