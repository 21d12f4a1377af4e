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
import { UsersService } from '../users/users.service';
import type { CreateUserDto } from '../users/dto/user.dto';
import { InspectionFormService } from '../inspections/inspection-form.service';
import { InspectionsService } from '../inspections/inspections.service';
import { PlansService } from '../inspections/plans.service';
import { SubmitInspectionDto } from '../inspections/dto/inspection.dto';
import { ScoringService } from '../scoring/scoring.service';
import { addDays, shanghaiDate } from '../common/calendar';
import { requestContext } from '../common/request-context';
import { randomUUID } from 'node:crypto';
import { pngDataUrl, solidPng } from '../common/png';
import { AuthUser } from '../common/scope';
import { RectificationService } from '../rectification/rectification.service';
import { DevicesService } from '../devices/devices.service';
import { DEMO_DIVISIONS, DEMO_INSTITUTIONS, DEMO_POOL_INSPECTORS, demoProfile } from './demo-data';
import { DemoRepository } from './demo.repository';

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
    private readonly plans: PlansService,
    private readonly forms: InspectionFormService,
    private readonly scoring: ScoringService,
    private readonly rectification: RectificationService,
    private readonly demo: DemoRepository,
    private readonly devices: DevicesService,
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
        const r = await this.institutions.insertIfMissing(em, {
          ...identity, profitStatus: identity.profitStatus ?? null, ...demoProfile(profile), divisionPath: division.path, version: 1,
        });
        if (r.created) {
          created++;
          await this.audit.record(em, { action: 'institution.create', entityType: 'institution', entityId: r.institution.id, scopePath: division.path, after: r.institution });
        }
      }
    });
    const accounts = await this.seedAccounts();
    await this.seedInspections();
    await this.seedHistory();
    await this.seedDevices();
    if ((await this.demo.institutionsWithoutScore()) > 0) await this.scoring.recomputeAll('/');
    return { created, accounts };
  }

  private async seedAccounts(): Promise<DemoAccount[]> {
    const file = this.accountsFile();
    if (await this.demo.accountExists('admin')) {
      const known = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as DemoAccount[]) : [];
      // An install from before the inspector pool: the pool's accounts are added once, the others kept as they are.
      const added = await this.createAccounts(DEMO_POOL_INSPECTORS.filter((p) => !known.some((k) => k.username === p.username)), true);
      if (added.length) this.writeAccounts([...known, ...added]);
      return [...known, ...added];
    }
    const tianning = await this.institutions.page(SYSTEM_SCOPE, { divisionPath: '/320400/320402/' }, 0, 1);
    const institution = tianning[0][0];
    const plan = [
      { username: 'admin', displayName: '常州市民政局管理员', role: 'bureau_admin' as const, divisionCode: '320400', note: '市局管理员：账号、全市机构 / city bureau admin' },
      { username: 'officer', displayName: '天宁区民政局 张科长', role: 'bureau_officer' as const, divisionCode: '320402', note: '区局工作人员：天宁区 / district officer (天宁区)' },
      // 执法证号 (检查码): a made-up number marked 演示; inspector2 has none, so the 核验 page shows 未登记 too
      { username: 'inspector', displayName: '检查员 王明', role: 'inspector' as const, divisionCode: '320402', warrantNo: '演示3204020001', note: '检查员：天宁区 / inspector (天宁区)' },
      // The second member of every demo team: the officer stays outside the teams, so the tour's verification is independent.
      { username: 'inspector2', displayName: '检查员 李强', role: 'inspector' as const, divisionCode: '320402', note: '检查员（检查组第二人）：天宁区 / second inspector (天宁区)' },
      ...DEMO_POOL_INSPECTORS,
      { username: 'institution', displayName: `${institution.name} 院长`, role: 'institution' as const, institutionId: institution.id, note: `机构账号：${institution.name} / institution account` },
    ];
    const accounts = await this.createAccounts(plan, false);
    this.writeAccounts(accounts);
    return accounts;
  }

  private async createAccounts(plan: (Omit<CreateUserDto, 'password'> & { note: string })[], skipExisting: boolean): Promise<DemoAccount[]> {
    const accounts: DemoAccount[] = [];
    for (const p of plan) {
      if (skipExisting && (await this.demo.accountExists(p.username))) continue;
      const password = `Yian-${randomBytes(9).toString('base64url')}1`;
      const { note, ...dto } = p;
      await this.users.createInScope(SYSTEM_SCOPE, { ...dto, password });
      accounts.push({ username: p.username, password, role: p.role, displayName: p.displayName, note });
    }
    return accounts;
  }

  private writeAccounts(accounts: DemoAccount[]): void {
    const file = this.accountsFile();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(accounts, null, 2), { mode: 0o600 });
    this.logger.log(`demo accounts written to ${file}`);
  }

  /** A few inspections assigned to the two demo inspectors (the officer stays outside the teams, so he may verify and decide), so the on-site form can be tried at once. */
  private async seedInspections(): Promise<void> {
    if ((await this.demo.inspectionCount()) > 0) return;
    const users = await this.demo.accounts(['officer', 'inspector', 'inspector2']);
    const inspector = users.find((u) => u.username === 'inspector');
    const officer = users.find((u) => u.username === 'officer');
    const second = users.find((u) => u.username === 'inspector2');
    if (!inspector || !officer || !second) return;
    const officerUser = { id: officer.id, username: 'officer', displayName: '', role: 'bureau_officer' as const, divisionCode: '320402', divisionPath: '/320400/320402/', institutionId: null };
    const [targets] = await this.institutions.page(SYSTEM_SCOPE, { divisionPath: '/320400/320402/', status: 'active' }, 0, 3);
    const today = shanghaiDate(new Date());
    for (const [i, institution] of targets.entries()) {
      await requestContext.withActor({ userId: officer.id, role: 'bureau_officer', username: 'officer' }, () =>
        this.plans.createAdHoc(officerUser, {
          institutionId: institution.id, kind: i === 0 ? 'random' : 'routine', teamUserIds: [inspector.id, second.id], scheduledDate: addDays(today, i),
        }));
    }
    this.logger.log(`demo inspections assigned: ${targets.length}`);
  }

  /**
   * A little history through the real services, so the dashboard, the ledger and the public page are not empty on
   * the first start: a published random plan in 钟楼区, and inspections with findings, a notice and one closed hazard
   * in 天宁区. Photos and signatures are placeholders (solid-colour images).
   */
  private async seedHistory(): Promise<void> {
    if ((await this.demo.inspectionCount('submitted')) > 0) return;
    const users = await this.demo.accounts(['admin', 'officer', 'inspector', 'inspector2', 'institution']);
    const as = (name: string): AuthUser => users.find((x) => x.username === name)!;
    if (users.length < 5) return;
    const [admin, officer, inspector, second, institution] = ['admin', 'officer', 'inspector', 'inspector2', 'institution'].map(as);
    const run = <T>(user: AuthUser, fn: () => Promise<T>) => requestContext.withActor({ userId: user.id, role: user.role, username: user.username }, fn);

    /** Fills an inspection: everything passes except `failCount` items, each with a placeholder photo. */
    const inspect = async (inspectionId: string, failCount: number, preferMajor = false) => {
      const form = await this.forms.form(inspector, inspectionId);
      const items = form.categories.flatMap((c) => c.items);
      const candidates = preferMajor ? [...items.filter((i) => i.severity === 'major'), ...items] : items.filter((i) => i.severity === 'general');
      const fails = [...new Map(candidates.map((i) => [i.code, i])).values()].slice(0, failCount);
      const responses: SubmitInspectionDto['responses'] = [];
      let shade = 0;
      for (const item of items) {
        const failed = fails.find((f) => f.code === item.code);
        if (!failed) { responses.push({ itemCode: item.code, result: 'pass' as const }); continue; }
        const evidenceIds: string[] = [];
        for (let k = 0; k < Math.max(1, item.evidence.minPhotos); k++) {
          const photo = solidPng(64, 48, [170, 90 + (shade++ % 100), 60]);
          evidenceIds.push((await run(inspector, () => this.inspections.uploadPhoto(inspector, inspectionId, item.code, photo, { takenAt: new Date() }))).id);
        }
        responses.push({
          itemCode: item.code, result: 'fail' as const, note: `现场检查发现：${item.title.zh}不符合要求`, location: '1号楼2层', scope: 'single' as const,
          severity: item.severity, majorCriterion: item.severity === 'major' ? item.majorCriterion ?? undefined : undefined, evidenceIds,
        });
      }
      const signature = pngDataUrl(solidPng(120, 40, [30, 30, 30]));
      const team = form.team;
      return run(inspector, () => this.inspections.submit(inspector, inspectionId, {
        submissionId: randomUUID(), responses,
        signatures: [...team.map((m) => ({ role: 'inspector' as const, userId: m.userId, signerName: m.displayName, image: signature })),
          { role: 'institution_representative' as const, signerName: '机构负责人', image: signature }],
      }));
    };

    // 钟楼区: a published 双随机 plan of two institutions.
    const plan = await run(admin, () => this.plans.createPlan(admin, {
      name: '2026年第四季度双随机抽查（钟楼区）', kind: 'random', divisionCode: '320404', sampleCount: 2, teamSize: 2,
      inspectorIds: [inspector.id, second.id], conflictMonths: 12, seed: 'demo-2026-q4-zhonglou', jointAgencies: ['fire'],
    }));
    const planned = await this.demo.inspectionIdsOfPlan(plan.id);
    for (const [i, id] of planned.entries()) await inspect(id, i + 1);
    await run(admin, () => this.plans.publishPlan(admin, plan.id, plan.version));

    // 天宁区: the demo institution's inspection (with a notice and one closed hazard) and one with a major hazard.
    const [tianning] = await this.institutions.page(SYSTEM_SCOPE, { divisionPath: '/320400/320402/', status: 'active' }, 3, 1);
    for (const [institutionId, fails, major] of [[institution.institutionId!, 2, false], [tianning[0]?.id, 1, true]] as const) {
      if (!institutionId) continue;
      const created = await run(officer, () => this.plans.createAdHoc(officer, { institutionId, kind: 'joint', teamUserIds: [inspector.id, second.id] }));
      const { result } = await inspect(created.id, fails, major);
      if (institutionId !== institution.institutionId) continue;
      const { notice } = await run(officer, () => this.rectification.issueNotice(officer, created.id));
      await run(institution, () => this.rectification.acknowledge(institution, notice.id));
      const first = result.hazards[0];
      const after = await run(institution, () => this.rectification.uploadRectificationPhoto(institution, first.id, solidPng(64, 48, [60, 150, 80]), {}));
      await run(institution, () => this.rectification.respond(institution, first.id, {
        whatWasFixed: '已清理并恢复通道畅通', otherPlacesChecked: '排查各楼层同类部位，未发现同类问题', lastingChange: '纳入每日防火巡查，专人负责',
        responsiblePerson: '后勤主管', completedOn: shanghaiDate(new Date()), evidenceIds: [after.id],
      }));
      // Verified by the district officer, who was not on the finding team (policy: verification independent of the team).
      await run(officer, () => this.rectification.verify(officer, first.id, { accept: true, onSite: false }));
    }
    this.logger.log('demo history loaded (a published plan, inspections with findings, a notice)');
  }

  /**
   * 消防物联网: the demo institution's gateway credential and four devices, once (also on an installation from before
   * devices). The credential and its secret go to DATA_DIR/demo-devices.json (0600) for the simulator,
   * `npm run simulate:device` (scripts/simulate-device.mjs); the secret is never printed.
   */
  private async seedDevices(): Promise<void> {
    const [institution] = await this.demo.accounts(['institution']);
    if (!institution?.institutionId || (await this.demo.deviceCredentialCount(institution.institutionId)) > 0) return;
    const run = <T>(fn: () => Promise<T>) => requestContext.withActor({ userId: institution.id, role: institution.role, username: institution.username }, fn);
    const cred = await run(() => this.devices.issueCredential(institution, institution.institutionId!, { name: '1号楼火灾报警控制器网关（演示）' }));
    const devices = [
      { vendorDeviceId: 'SD-301', type: 'smoke_detector' as const, location: '1号楼3层东侧走廊' },
      { vendorDeviceId: 'SD-302', type: 'smoke_detector' as const, location: '1号楼3层302室' },
      { vendorDeviceId: 'GAS-01', type: 'gas_detector' as const, location: '厨房燃气表旁' },
      { vendorDeviceId: 'EF-01', type: 'electrical_fire_monitor' as const, location: '1号楼配电间' },
      { vendorDeviceId: 'GW-01', type: 'alarm_panel_gateway' as const, location: '消防控制室' },
    ];
    for (const d of devices) await run(() => this.devices.registerDevice(institution, institution.institutionId!, { credentialId: cred.id, ...d }));
    const file = this.devicesFile();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ url: `${this.config.PUBLIC_URL.replace(/\/+$/, '')}/api/devices/events`, keyId: cred.keyId, secret: cred.secret, devices }, null, 2), { mode: 0o600 });
    this.logger.log(`demo devices registered; the simulator's credential is in ${file}`);
  }

  private devicesFile(): string {
    return path.join(path.dirname(this.accountsFile()), 'demo-devices.json');
  }

  private accountsFile(): string {
    return this.config.DEMO_ACCOUNTS_FILE ?? path.join(this.config.DATA_DIR, 'demo-accounts.json');
  }
}
