import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { SYSTEM_SCOPE } from '../common/scope';
import { APP_CONFIG, AppConfig } from '../config/env';
import { DivisionsRepository } from '../divisions/divisions.repository';
import { InstitutionsRepository } from '../institutions/institutions.repository';
import { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { InspectionsService } from '../inspections/inspections.service';
import { ScoringService } from '../scoring/scoring.service';
import { addDays, shanghaiDate } from '../common/calendar';
import { requestContext } from '../common/request-context';
import { DEMO_DIVISIONS, DEMO_INSTITUTIONS } from './demo-data';

export interface DemoAccount {
  username: string;
  password: string;
  role: string;
  displayName: string;
  note: string;
}

/** Loads the 常州市 demo city on first start; every step is keyed by a natural key, so a second run adds nothing. */
@Injectable()
export class DemoSeeder {
  private readonly logger = new Logger(DemoSeeder.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly divisions: DivisionsRepository,
    private readonly institutions: InstitutionsRepository,
    private readonly users: UsersService,
    private readonly audit: AuditService,
    private readonly inspections: InspectionsService,
    private readonly scoring: ScoringService,
  ) {}

  async seed(): Promise<{ created: number; accounts: DemoAccount[] }> {
    let created = 0;
    await this.dataSource.transaction(async (em) => {
      for (const d of DEMO_DIVISIONS) {
        const r = await this.divisions.insertIfMissing(em, d);
        if (r.created) {
          created++;
          await this.audit.record(em, { action: 'division.create', entityType: 'division', entityId: d.code, scopePath: r.division.path, after: r.division });
        }
      }
      for (const demo of DEMO_INSTITUTIONS) {
        const division = (await this.divisions.findByCode(demo.divisionCode, em))!;
        const { profile, ...identity } = demo;
        const r = await this.institutions.insertIfMissing(em, { ...identity, ...profile, divisionPath: division.path, version: 1 });
        if (r.created) {
          created++;
          await this.audit.record(em, { action: 'institution.create', entityType: 'institution', entityId: r.institution.id, scopePath: division.path, after: r.institution });
        }
      }
    });
    const accounts = await this.seedAccounts();
    await this.seedInspections();
    const [{ n }] = await this.dataSource.query(`SELECT count(*)::int AS n FROM institution_score`);
    if (n === 0) await this.scoring.recomputeAll('/');
    return { created, accounts };
  }

  private async seedAccounts(): Promise<DemoAccount[]> {
    const file = this.accountsFile();
    if (await this.dataSource.getRepository(User).countBy({ username: 'admin' })) {
      return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as DemoAccount[]) : [];
    }
    const tianning = await this.institutions.page(SYSTEM_SCOPE, { divisionPath: '/320400/320402/' }, 0, 1);
    const institution = tianning[0][0];
    const plan = [
      { username: 'admin', displayName: '常州市民政局管理员', role: 'bureau_admin' as const, divisionCode: '320400', note: '市局管理员：账号、全市机构 / city bureau admin' },
      { username: 'officer', displayName: '天宁区民政局 张科长', role: 'bureau_officer' as const, divisionCode: '320402', note: '区局工作人员：天宁区 / district officer (天宁区)' },
      { username: 'inspector', displayName: '检查员 王明', role: 'inspector' as const, divisionCode: '320402', note: '检查员：天宁区 / inspector (天宁区)' },
      { username: 'institution', displayName: `${institution.name} 院长`, role: 'institution' as const, institutionId: institution.id, note: `机构账号：${institution.name} / institution account` },
    ];
    const accounts: DemoAccount[] = [];
    for (const p of plan) {
      const password = `Yian-${randomBytes(6).toString('base64url')}1`;
      const { note, ...dto } = p;
      await this.users.createInScope(SYSTEM_SCOPE, { ...dto, password });
      accounts.push({ username: p.username, password, role: p.role, displayName: p.displayName, note });
    }
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(accounts, null, 2), { mode: 0o600 });
    this.logger.log(`demo accounts written to ${file}`);
    return accounts;
  }

  /** A few inspections assigned to the demo inspector and officer, so the on-site form can be tried at once. */
  private async seedInspections(): Promise<void> {
    const [{ n }] = await this.dataSource.query(`SELECT count(*)::int AS n FROM inspection`);
    if (n > 0) return;
    const users: { id: string; username: string }[] = await this.dataSource.query(
      `SELECT id, username FROM app_user WHERE username IN ('officer', 'inspector')`);
    const inspector = users.find((u) => u.username === 'inspector');
    const officer = users.find((u) => u.username === 'officer');
    if (!inspector || !officer) return;
    const officerUser = { id: officer.id, username: 'officer', displayName: '', role: 'bureau_officer' as const, divisionCode: '320402', divisionPath: '/320400/320402/', institutionId: null };
    const [targets] = await this.institutions.page(SYSTEM_SCOPE, { divisionPath: '/320400/320402/', status: 'active' }, 0, 3);
    const today = shanghaiDate(new Date());
    for (const [i, institution] of targets.entries()) {
      await requestContext.withActor({ userId: officer.id, role: 'bureau_officer', username: 'officer' }, () =>
        this.inspections.createAdHoc(officerUser, {
          institutionId: institution.id, kind: i === 0 ? 'random' : 'routine', teamUserIds: [inspector.id, officer.id], scheduledDate: addDays(today, i),
        }));
    }
    this.logger.log(`demo inspections assigned: ${targets.length}`);
  }

  private accountsFile(): string {
    return this.config.DEMO_ACCOUNTS_FILE ?? path.join(this.config.DATA_DIR, 'demo-accounts.json');
  }
}
