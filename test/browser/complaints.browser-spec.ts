import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Browser } from 'playwright-core';
import { collectErrors, launchBrowser, phoneContext, signIn } from '../support/browser';
import { CspWatch, watchCsp } from '../support/csp';
import { createAccount, institutionInput, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { jpegWithGps } from '../support/jpeg-with-gps';
import { createTestApp, TestApp } from '../support/test-app';

const shots = process.env.SCREENSHOT_DIR ?? os.tmpdir();

describe('投诉举报: filed anonymously on a phone, triaged into a complaint inspection, answered by tracking code', () => {
  let t: TestApp;
  let browser: Browser;
  let csp: CspWatch;
  let officer: TestAccount;
  let inspectors: TestAccount[];
  let institutionId: string;

  beforeAll(async () => {
    t = await createTestApp();
    await seedDivisions(t.db);
    officer = await createAccount(t, 'bureau_officer', { divisionCode: '320402' });
    inspectors = [await createAccount(t, 'inspector', { divisionCode: '320402' }), await createAccount(t, 'inspector', { divisionCode: '320402' })];
    const token = await tokenFor(t, officer);
    institutionId = (await t.http().post('/api/institutions').set('Authorization', `Bearer ${token}`).send(institutionInput({ name: '天宁福寿养老院' })).expect(201)).body.id;
    browser = await launchBrowser();
    csp = watchCsp(browser);
  });
  afterEach(() => csp?.expectNone());
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('the public files without an account, the officer opens a complaint inspection and replies, the complainant reads the reply', async () => {
    // The public, on a phone, no account: the form, a refusal that keeps what was typed, then the complaint with a photo.
    const pub = await phoneContext(browser, t.url);
    const page = await pub.newPage();
    const errors = collectErrors(page, { allowStatuses: [400] });
    await page.goto('/public/complaints/new');
    await page.getByLabel('被投诉机构').selectOption({ label: '天宁福寿养老院' });
    await page.getByRole('button', { name: '提交投诉' }).click();
    await expect(page.locator('#error-summary').textContent()).resolves.toContain('问题类别');
    await page.getByLabel('消防安全').check();
    await page.getByLabel('问题描述').fill('夜间只有一名护理员值班，三楼安全出口上锁。');
    const photo = path.join(os.tmpdir(), 'yian-complaint-photo.jpg');
    fs.writeFileSync(photo, jpegWithGps());
    await page.getByLabel('照片（可选）').setInputFiles(photo);
    await page.getByRole('button', { name: '提交投诉' }).click();
    await page.getByRole('heading', { name: '请保存您的查询码' }).waitFor();
    const code = (await page.locator('#tracking-code').textContent())!.trim();
    expect(code).toMatch(/^([0-9A-Z]{4}-){4}[0-9A-Z]{4}$/);
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('只显示这一次');
    await page.screenshot({ path: path.join(shots, 'yian-complaint-filed.png'), fullPage: true });
    expect(errors).toEqual([]);
    const [filed] = await t.db.query(`SELECT id, status FROM complaint WHERE institution_id = $1`, [institutionId]);
    expect(filed.status).toBe('received');
    expect(await t.db.query(`SELECT 1 FROM complaint_contact`)).toEqual([]);

    // The officer: 投诉举报 list → the complaint → 发起投诉核查 with a team of two (confirmed) → 答复投诉人.
    const officerCtx = await phoneContext(browser, t.url);
    const officerPage = await signIn(officerCtx, officer);
    const officerErrors = collectErrors(officerPage, { allowStatuses: [400] });
    await officerPage.goto('/complaints?status=open');
    await officerPage.locator('.list a', { hasText: '天宁福寿养老院' }).click();
    await officerPage.waitForURL(/\/complaints\/[0-9a-f-]{36}/);
    await expect(officerPage.getByRole('main').textContent()).resolves.toContain('匿名投诉');
    await officerPage.getByText('发起投诉核查', { exact: true }).click();
    for (const i of inspectors) await officerPage.getByLabel(i.displayName).check();
    await officerPage.getByLabel('确认发起投诉核查（将通知核查组，不能撤销）').check();
    await officerPage.getByRole('button', { name: '发起核查' }).click();
    await officerPage.waitForURL(/ok=open_inspection/);
    await expect(officerPage.getByRole('status').first().textContent()).resolves.toContain('已发起投诉核查');
    const [linked] = await t.db.query(`SELECT c.status, i.kind, i.institution_id AS "institutionId" FROM complaint c JOIN inspection i ON i.id = c.inspection_id WHERE c.id = $1`, [filed.id]);
    expect(linked).toEqual({ status: 'accepted', kind: 'complaint', institutionId });
    await expect(officerPage.getByRole('link', { name: '查看核查任务' }).count()).resolves.toBe(1);

    await officerPage.getByText('答复投诉人', { exact: true }).click();
    await officerPage.getByLabel('答复内容').fill('经投诉核查，已责令该院增配夜班人员并打开安全出口，限期整改。');
    await officerPage.getByLabel('确认答复（本件办结，不能修改）').check();
    await officerPage.getByRole('button', { name: '提交答复' }).click();
    await officerPage.waitForURL(/ok=reply/);
    await officerPage.screenshot({ path: path.join(shots, 'yian-complaint-replied.png'), fullPage: true });
    expect(officerErrors).toEqual([]);
    await officerCtx.close();

    // The complainant, later, with the code only.
    await page.goto('/public/complaints/track');
    await page.getByLabel('查询码').fill(code.toLowerCase());
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByRole('heading', { name: /处理情况/ }).waitFor();
    const answer = await page.getByRole('main').textContent();
    expect(answer).toContain('已答复');
    expect(answer).toContain('已责令该院增配夜班人员');
    expect(answer).toContain('投诉核查');
    expect(answer).not.toContain(officer.displayName);
    await page.screenshot({ path: path.join(shots, 'yian-complaint-tracked.png'), fullPage: true });
    expect(errors).toEqual([]);
    await pub.close();
  });
});
