import * as fs from 'node:fs';
import * as path from 'node:path';
import { Browser, Page } from 'playwright-core';
import { createAccount, institutionInput, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { launchBrowser, phoneContext, signIn } from '../support/browser';
import { CspWatch, watchCsp } from '../support/csp';
import { tinyPng } from '../support/images';
import { formItems, submission, uploadPhoto } from '../support/inspection-fixtures';
import { createTestApp, TestApp } from '../support/test-app';

const SHOTS = process.env.SCREENSHOT_DIR ?? '/tmp/yian-shots';
const NAME = '常州市天宁区红梅街道社会福利中心暨红梅颐养院（公建民营）康复护理楼';

/**
 * 机构工作台 on a phone (Chromium, touch, zh-CN): the institution signs in, sees its overdue hazard first, its score
 * and why it lost the points, its grade and its history; files the 五到位 plan of its major hazard (once refused,
 * naming the field; then accepted and shown read-only); and 签收 a notice from the home. Every page it passes is
 * checked for horizontal scrolling and photographed at 390×844 and 360×740.
 */
describe('the institution workspace on a phone', () => {
  let t: TestApp;
  let browser: Browser;
  let csp: CspWatch;
  let inst: TestAccount;
  let majorHazardId: string;
  let generalHazardId: string;

  beforeAll(async () => {
    t = await createTestApp({ OUTBOX_INTERVAL_MS: '200' });
    await seedDivisions(t.db);
    const officerToken = await tokenFor(t, await createAccount(t, 'bureau_officer', { divisionCode: '320402' }));
    const as = (token: string) => ({ Authorization: `Bearer ${token}` });
    const team = [await createAccount(t, 'inspector', { divisionCode: '320402' }), await createAccount(t, 'inspector', { divisionCode: '320402' })];
    const institutionId = (await t.http().post('/api/institutions').set(as(officerToken)).send(institutionInput({ name: NAME })).expect(201)).body.id;
    inst = await createAccount(t, 'institution', { institutionId });
    const inspectionId = (await t.http().post('/api/inspections').set(as(officerToken))
      .send({ institutionId, kind: 'routine', teamUserIds: team.map((m) => m.id) }).expect(201)).body.id;
    const lead = await tokenFor(t, team[0]);
    const items = await formItems(t, lead, inspectionId);
    const major = items.find((i) => i.severity === 'major' && i.majorCriterion && !/\.X$/.test(i.majorCriterion))!;
    const general = items.find((i) => i.severity === 'general')!;
    const photos = async (code: string, n: number) => {
      const ids: string[] = [];
      for (let k = 0; k < n; k++) ids.push(await uploadPhoto(t, lead, inspectionId, code, tinyPng(16 + k, 16, [200, 40 * k, 40])));
      return ids;
    };
    const fails = { [major.code]: await photos(major.code, Math.max(2, major.evidence.minPhotos)), [general.code]: await photos(general.code, Math.max(1, general.evidence.minPhotos)) };
    const res = await t.http().post(`/api/inspections/${inspectionId}/submit`).set(as(lead)).send(submission(items, fails, team)).expect(201);
    const hazards = res.body.hazards as { id: string; itemCode: string }[];
    majorHazardId = hazards.find((h) => h.itemCode === major.code)!.id;
    await t.http().post(`/api/inspections/${inspectionId}/notice`).set(as(officerToken)).send({}).expect(201);
    generalHazardId = hazards.find((h) => h.itemCode === general.code)!.id;
    await t.db.query(`UPDATE hazard SET due_date = (now() AT TIME ZONE 'Asia/Shanghai')::date - 2 WHERE id = $1`, [generalHazardId]);
    fs.mkdirSync(SHOTS, { recursive: true });
    browser = await launchBrowser();
    csp = watchCsp(browser);
  });
  afterEach(() => csp.expectNone());
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** No horizontal scroll at 390 and at 360, a screenshot at each (back to 390 after). */
  async function shots(page: Page, name: string) {
    for (const size of [{ width: 390, height: 844 }, { width: 360, height: 740 }]) {
      await page.setViewportSize(size);
      const { scroll, inner } = await page.evaluate(() => {
        const d = (globalThis as unknown as { document: { documentElement: { scrollWidth: number } }; innerWidth: number });
        return { scroll: d.document.documentElement.scrollWidth, inner: d.innerWidth };
      });
      expect({ name, size: size.width, scroll }).toEqual({ name, size: size.width, scroll: Math.min(scroll, inner) });
      await page.screenshot({ path: path.join(SHOTS, `workspace-${name}-${size.width}.png`), fullPage: true });
    }
    await page.setViewportSize({ width: 390, height: 844 });
  }

  it('sees its score ledger, grade and history, files a 五到位 plan (refused once, naming the field) and 签收 a notice', async () => {
    const page = await signIn(await phoneContext(browser, t.url), inst);
    const nav = page.getByRole('navigation', { name: /主导航|导航/ }).first();
    await page.locator('h1.ws-name').waitFor();
    expect(await page.locator('h1.ws-name').textContent()).toBe(NAME);
    // Overdue first, with the days.
    const firstHazard = page.locator('#s-hazards .ws-cards > li').first();
    expect(await firstHazard.textContent()).toContain('已逾期 2 天');
    await page.getByText(/为什么扣分（\d+ 项）/).tap();
    expect(await page.locator('.ws-ledger li').count()).toBeGreaterThan(0);
    expect(await page.getByRole('heading', { name: '等级评定' }).isVisible()).toBe(true);
    await shots(page, 'home');

    // 安全评分: the whole ledger, the grade.
    await page.getByRole('link', { name: '评分明细、等级与补贴' }).tap();
    await page.waitForURL(/\/workspace\/score$/);
    expect(await page.getByRole('heading', { name: /为什么扣分/ }).isVisible()).toBe(true);
    expect(await page.locator('.ws-ledger li .ws-points').first().textContent()).toMatch(/^−/);
    expect(await page.locator('.ws-grade').textContent()).toContain('未评级');
    await shots(page, 'score');

    // 历史 from the navigation.
    expect(await nav.getByRole('link', { name: '历史' }).count()).toBe(1);
    await page.goto('/workspace/history');
    expect(await page.locator('#h-hazards .ws-cards > li').count()).toBe(2);
    expect(await page.locator('#h-inspections .ws-cards > li').count()).toBe(1);
    await shots(page, 'history');

    // 五到位: the major hazard's page; the first try misses 完成时限.
    await page.goto(`/hazards/${majorHazardId}`);
    const plan = page.locator('section.ws-plan');
    await plan.getByLabel('整改措施', { exact: true }).fill('拆除堵塞物，增设第二疏散楼梯');
    await plan.getByLabel('整改资金', { exact: true }).fill('3.5 万元，机构自筹');
    await plan.getByLabel('责任人', { exact: true }).fill('王主任（院长）');
    await plan.getByLabel('应急预案', { exact: true }).fill('夜间专人值守，险情时按疏散预案转移');
    await plan.getByLabel('临时管控措施', { exact: true }).fill('每日巡查两次');
    await shots(page, 'plan-form');
    await page.getByRole('button', { name: '提交整改方案' }).tap();
    await page.locator('#plan-deadline-error').waitFor();
    expect(await page.locator('#plan-deadline-error').textContent()).toContain('完成时限');
    expect(await plan.getByLabel('整改措施', { exact: true }).inputValue()).toBe('拆除堵塞物，增设第二疏散楼梯');
    await shots(page, 'plan-refused');
    await plan.getByLabel('完成时限', { exact: true }).fill('2026-12-20');
    await page.getByRole('button', { name: '提交整改方案' }).tap();
    await page.waitForURL(/\?ok=plan$/);
    expect(await page.getByRole('status').textContent()).toContain('五到位');
    expect(await page.locator('.ws-plan dl').textContent()).toContain('2026年12月20日');
    expect(await page.getByRole('button', { name: '提交整改方案' }).count()).toBe(0);
    await shots(page, 'plan-filed');

    // A response with an after photo: shown beside the inspector's before photos.
    await page.goto(`/hazards/${generalHazardId}`);
    await page.getByLabel('整改了什么').fill('清理走道堆放物');
    await page.getByLabel('举一反三：还检查了哪些地方').fill('全楼各层走道');
    await page.getByLabel('长效措施').fill('每周巡查并记录');
    await page.getByLabel('整改责任人').fill('王主任');
    await page.getByLabel('整改后照片').setInputFiles({ name: 'after.png', mimeType: 'image/png', buffer: tinyPng(24, 24, [20, 160, 60]) });
    await page.getByRole('button', { name: '提交整改情况' }).tap();
    await page.waitForURL(/\?ok=responded$/);
    const pair = page.locator('[data-compare="response"]');
    expect(await pair.getByRole('img', { name: /检查取证照片/ }).count()).toBeGreaterThan(0);
    expect(await pair.getByRole('img', { name: /本次整改后照片/ }).count()).toBe(1);
    await shots(page, 'response-photos');

    // 签收 from the home.
    await nav.getByRole('link', { name: '首页' }).tap();
    await page.waitForURL((u) => u.pathname === '/');
    await page.getByRole('button', { name: /^签收/ }).tap();
    await page.waitForURL(/\/notices\/[0-9a-f-]+$/);
    await page.goto('/');
    expect(await page.locator('#ws-notices-h').textContent()).toContain('（0）');
    await page.context().close();
  });
});
