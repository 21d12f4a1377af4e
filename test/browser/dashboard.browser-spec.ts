import * as os from 'node:os';
import * as path from 'node:path';
import { Browser } from 'playwright-core';
import { ScoringService } from '../../src/scoring/scoring.service';
import { createAccount, institutionInput, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { launchBrowser, phoneContext } from '../support/browser';
import { CspWatch, watchCsp } from '../support/csp';
import { formItems, submission, uploadPhoto } from '../support/inspection-fixtures';
import { createTestApp, TestApp } from '../support/test-app';

const shots = process.env.SCREENSHOT_DIR ?? os.tmpdir();

describe('the bureau dashboard and the public disclosure page', () => {
  let t: TestApp;
  let browser: Browser;
  let csp: CspWatch;
  let officer: TestAccount;
  let team: TestAccount[];

  beforeAll(async () => {
    t = await createTestApp();
    await seedDivisions(t.db);
    officer = await createAccount(t, 'bureau_officer', { divisionCode: '320402' });
    const token = await tokenFor(t, officer);
    team = [await createAccount(t, 'inspector', { divisionCode: '320402' }), await createAccount(t, 'inspector', { divisionCode: '320402' })];
    await (t.http().post('/api/institutions').set('Authorization', `Bearer ${token}`).send(institutionInput({ name: '天宁公示测试养老院' })).expect(201));
    // A random plan of one institution, inspected and published; one finding made major and listed.
    const plan = (await t.http().post('/api/inspection-plans').set('Authorization', `Bearer ${token}`).send({
      name: '2026年11月双随机抽查', kind: 'random', divisionCode: '320402', sampleCount: 1, teamSize: 2, inspectorIds: team.map((m) => m.id), seed: 'public-page',
    }).expect(201)).body;
    const inspectionId = (await t.db.query('SELECT id FROM inspection WHERE plan_id = $1', [plan.id]))[0].id;
    const lead = await tokenFor(t, team.find((m) => plan.drawResult.selected[0].inspectorIds[0] === m.id)!);
    const items = await formItems(t, lead, inspectionId);
    const fails: Record<string, string[]> = {};
    for (const item of items.filter((i) => i.severity === 'general').slice(0, 2)) fails[item.code] = item.evidence.photoRequiredWhenFailed ? [await uploadPhoto(t, lead, inspectionId, item.code)] : [];
    const submitted = await t.http().post(`/api/inspections/${inspectionId}/submit`).set('Authorization', `Bearer ${lead}`).send(submission(items, fails, team)).expect(201);
    await t.db.query(`UPDATE hazard SET severity = 'major', major_criterion = 'MZ2023-4.2', listed = true, plan_due_date = due_date, due_date = current_date - 2 WHERE id = $1`, [submitted.body.hazards[0].id]);
    await t.http().post(`/api/inspection-plans/${plan.id}/publish`).set('Authorization', `Bearer ${token}`).send({ version: plan.version }).expect(200);
    await t.app.get(ScoringService).recomputeAll('/');
    browser = await launchBrowser();
    csp = watchCsp(browser);
  });
  // Nothing on any page is blocked by the Content-Security-Policy (inline script/style, foreign hosts…).
  afterEach(() => csp?.expectNone());
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows the officer’s district at a glance, with charts and the listed major hazard', async () => {
    const ctx = await browser.newContext({ baseURL: t.url, viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    const page = await ctx.newPage();
    await page.goto('/login');
    await page.getByLabel('用户名').fill(officer.username);
    await page.getByLabel('密码').fill(officer.password);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL((u) => u.pathname === '/');
    await page.getByRole('link', { name: '监管看板' }).click();
    await page.waitForURL(/\/dashboard/);
    const kpis = await page.locator('.kpis .stat').allTextContents();
    expect(kpis.find((k) => k.includes('未销号隐患'))).toMatch(/^2/);
    expect(kpis.find((k) => k.includes('挂牌督办'))).toMatch(/^1/);
    expect(kpis.find((k) => k.includes('逾期未整改'))).toMatch(/^1/);
    expect(await page.getByRole('img', { name: '安全得分分布' }).count()).toBe(1);
    expect(await page.getByRole('img', { name: '逾期隐患账龄' }).count()).toBe(1);
    await expect(page.locator('#listed-h + .table-wrap').textContent()).resolves.toContain('天宁公示测试养老院');
    await page.screenshot({ path: path.join(shots, 'yian-dashboard.png'), fullPage: true });
    // Another district, by the filter: nothing there.
    await page.getByLabel('区域').selectOption('320402004');
    await page.getByRole('button', { name: '查看' }).click();
    await page.waitForURL(/divisionCode=320402004/);
    expect((await page.locator('.kpis .stat').first().textContent())!.trim()).toMatch(/^1/);
    await ctx.close();
  });

  it('the public page lists published results and listed major hazards, without personal data, and needs no sign-in', async () => {
    const ctx = await phoneContext(browser, t.url);
    const page = await ctx.newPage();
    const res = await page.goto('/public');
    expect(res!.status()).toBe(200);
    const text = (await page.locator('main').textContent())!;
    expect(text).toContain('2026年11月双随机抽查');
    expect(text).toContain('天宁公示测试养老院');
    expect(text).toContain('重大事故隐患挂牌督办');
    for (const m of team) expect(text).not.toContain(m.displayName);
    expect(text).not.toContain('李四'); // the institution's contact person
    await page.screenshot({ path: path.join(shots, 'yian-public.png'), fullPage: true });
    const feed = await (await page.request.get('/public/feed.json')).json();
    expect(feed.results[0]).toMatchObject({ institutionName: '天宁公示测试养老院', hazards: 2 });
    expect(JSON.stringify(feed)).not.toMatch(/contact|inspector|检查员/);
    await ctx.close();
  });
});
