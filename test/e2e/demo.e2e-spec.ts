import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AuditService } from '../../src/audit/audit.service';
import { seedDemo } from '../../src/bootstrap';
import { DEMO_DIVISIONS, DEMO_INSTITUTIONS, demoProfile } from '../../src/demo/demo-data';
import { isValidCreditCode } from '../../src/common/credit-code';
import { profileIssues } from '../../src/institutions/profile-rules';
import { rowCount } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';

describe('demo city (常州市)', () => {
  let t: TestApp;
  const accountsFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'yian-demo-')), 'demo-accounts.json');

  beforeAll(async () => {
    t = await createTestApp({ DEMO_ACCOUNTS_FILE: accountsFile });
  });
  afterAll(() => t.close());

  it('is internally valid data: real check characters and consistent profiles', () => {
    expect(DEMO_INSTITUTIONS.length).toBeGreaterThanOrEqual(20);
    for (const i of DEMO_INSTITUTIONS) {
      expect([i.name, isValidCreditCode(i.creditCode)]).toEqual([i.name, true]);
      expect([i.name, profileIssues(demoProfile(i.profile))]).toEqual([i.name, []]);
    }
    const kinds = new Set(DEMO_INSTITUTIONS.map((i) => i.kind));
    expect([...kinds].sort()).toEqual(['community_complex', 'day_care', 'meal_point', 'neighbourhood_point', 'nursing_care', 'nursing_home', 'rural_home']);
  });

  it('loads once and a second start adds nothing, giving one account per role that can sign in', async () => {
    const first = await seedDemo(t.app);
    expect(first.map((a) => a.role).sort()).toEqual(['bureau_admin', 'bureau_officer', ...Array(6).fill('inspector'), 'institution']);
    expect(first.map((a) => a.username)).toEqual(['admin', 'officer', 'inspector', 'inspector2', 'inspector3', 'inspector4', 'inspector5', 'inspector6', 'institution']);
    const counts = async () => ({
      divisions: await rowCount(t.db, 'division'), institutions: await rowCount(t.db, 'institution'),
      users: await rowCount(t.db, 'app_user'), audit: await rowCount(t.db, 'audit_event'), inspections: await rowCount(t.db, 'inspection'),
    });
    const after1 = await counts();
    expect(after1).toMatchObject({ divisions: DEMO_DIVISIONS.length, institutions: DEMO_INSTITUTIONS.length, users: 9, inspections: 3 + 2 + 2 });
    // The history: a published random plan, findings, a notice, one hazard closed after a verified response.
    const [history] = await t.db.query(`SELECT (SELECT count(*)::int FROM inspection WHERE status = 'submitted') AS submitted,
      (SELECT count(*)::int FROM inspection_plan WHERE status = 'published') AS published, (SELECT count(*)::int FROM rectification_notice) AS notices,
      (SELECT count(*)::int FROM hazard WHERE status = 'closed') AS closed, (SELECT count(*)::int FROM hazard WHERE listed) AS listed,
      (SELECT count(*)::int FROM institution_score) AS scores`);
    expect(history).toEqual({ submitted: 4, published: 1, notices: 1, closed: 1, listed: history.listed, scores: DEMO_INSTITUTIONS.length });
    expect((await t.app.get(AuditService).verifyChain()).ok).toBe(true);
    const second = await seedDemo(t.app);
    expect(await counts()).toEqual(after1);
    expect(second).toEqual(first);
    for (const a of first) {
      await t.http().post('/api/auth/tokens').send({ username: a.username, password: a.password }).expect(201);
    }
  });

  it('staffs the README tour’s random draw in 天宁区 with the policy defaults (team of 2, 12 months’ rotation)', async () => {
    const accounts = await seedDemo(t.app);
    const officer = accounts.find((a) => a.username === 'officer')!;
    const token = (await t.http().post('/api/auth/tokens').send({ username: officer.username, password: officer.password }).expect(201)).body.token;
    const auth = { Authorization: `Bearer ${token}` };
    const options = (await t.http().get('/api/inspection-plans/form-options').set(auth).expect(200)).body;
    const inspectors = options.inspectors.filter((u: { role: string; divisionCode: string }) => u.role === 'inspector' && u.divisionCode === '320402');
    expect(inspectors.map((u: { displayName: string }) => u.displayName)).toEqual(expect.arrayContaining(['检查员 王明', '检查员 李强', '检查员 赵敏', '检查员 陈静', '检查员 刘洋', '检查员 周婷']));
    expect(options.defaults).toEqual({ teamSize: 2, conflictMonths: 12 });
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM institution WHERE division_path LIKE '/320400/320402/%' AND status = 'active'`);
    // Every institution drawn (the worst case: those the demo teams inspected are drawn too).
    const plan = (await t.http().post('/api/inspection-plans').set(auth).send({
      name: '2026年第四季度双随机抽查（天宁区）', kind: 'random', divisionCode: '320402', sampleCount: n, inspectorIds: inspectors.map((u: { id: string }) => u.id), seed: 'readme-tour',
    }).expect(201)).body;
    expect(plan.drawResult.unstaffed).toEqual([]);
    expect(plan.drawResult.selected).toHaveLength(n);
  });
});
