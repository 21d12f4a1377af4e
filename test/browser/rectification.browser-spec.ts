import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Browser } from 'playwright-core';
import { createAccount, institutionInput, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { launchBrowser, phoneContext, signIn } from '../support/browser';
import { CspWatch, watchCsp } from '../support/csp';
import { tinyPng } from '../support/images';
import { formItems, submission, uploadPhoto } from '../support/inspection-fixtures';
import { createTestApp, TestApp } from '../support/test-app';

const shots = process.env.SCREENSHOT_DIR ?? os.tmpdir();

describe('rectification from a phone: the institution answers with a photo, an officer closes the hazard', () => {
  let t: TestApp;
  let browser: Browser;
  let csp: CspWatch;
  let officer: TestAccount;
  let institutionAccount: TestAccount;
  let hazard: { id: string; itemCode: string };
  let inspectionId: string;

  beforeAll(async () => {
    t = await createTestApp();
    await seedDivisions(t.db);
    officer = await createAccount(t, 'bureau_officer', { divisionCode: '320402' });
    const officerToken = await tokenFor(t, officer);
    const team = [await createAccount(t, 'inspector', { divisionCode: '320402' }), await createAccount(t, 'inspector', { divisionCode: '320402' })];
    const lead = await tokenFor(t, team[0]);
    const institutionId = (await t.http().post('/api/institutions').set('Authorization', `Bearer ${officerToken}`).send(institutionInput({ name: '天宁康乐养老院' })).expect(201)).body.id;
    institutionAccount = await createAccount(t, 'institution', { institutionId });
    inspectionId = (await t.http().post('/api/inspections').set('Authorization', `Bearer ${officerToken}`)
      .send({ institutionId, kind: 'routine', teamUserIds: team.map((m) => m.id) }).expect(201)).body.id;
    const items = await formItems(t, lead, inspectionId);
    const item = items.find((i) => i.severity === 'general')!;
    const res = await t.http().post(`/api/inspections/${inspectionId}/submit`).set('Authorization', `Bearer ${lead}`)
      .send(submission(items, { [item.code]: item.evidence.photoRequiredWhenFailed ? [await uploadPhoto(t, lead, inspectionId, item.code)] : [] }, team)).expect(201);
    hazard = res.body.hazards[0];
    browser = await launchBrowser();
    csp = watchCsp(browser);
  });
  // Nothing on any page is blocked by the Content-Security-Policy (inline script/style, foreign hosts…).
  afterEach(() => csp?.expectNone());
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('notice, acknowledgement, response with an after-photo, verification', async () => {
    // The officer issues the notice from the inspection page.
    const officerCtx = await phoneContext(browser, t.url);
    const officerPage = await signIn(officerCtx, officer);
    await officerPage.goto(`/inspections/${inspectionId}`);
    await officerPage.getByRole('link', { name: '下达整改通知书' }).click();
    await officerPage.getByLabel(/我已核对/).check();
    await officerPage.getByRole('button', { name: '确认下达' }).click();
    await officerPage.waitForURL(/\/notices\//);
    await expect(officerPage.locator('dl.profile').textContent()).resolves.toMatch(/常天民安整〔\d{4}〕第0001号/);

    // The institution signs for the notice and answers the hazard on its phone.
    const ctx = await phoneContext(browser, t.url);
    const page = await signIn(ctx, institutionAccount);
    await page.getByRole('link', { name: '整改通知书' }).first().click();
    await page.locator('.list a').first().click();
    await page.getByRole('button', { name: '签收通知书' }).click();
    await expect(page.locator('dl.profile').textContent()).resolves.not.toContain('未签收');
    await page.getByRole('link', { name: new RegExp(hazard.itemCode) }).click();
    await page.waitForURL(/\/hazards\//);
    await page.getByLabel('整改了什么').fill('已清理走道杂物，恢复通行宽度');
    await page.getByLabel('举一反三：还检查了哪些地方').fill('排查各楼层走道和楼梯间');
    await page.getByLabel('长效措施').fill('每日巡查加入走道检查，专人负责');
    await page.getByLabel('整改责任人').fill('王主任');
    const photo = path.join(os.tmpdir(), 'yian-after-photo.png');
    fs.writeFileSync(photo, tinyPng(48, 48, [40, 150, 60]));
    await page.getByLabel('整改后照片').setInputFiles(photo);
    await page.getByRole('button', { name: '提交整改情况' }).click();
    await page.waitForURL(/ok=responded/);
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('整改情况已提交，等待复核');
    await page.locator('img.thumb').first().waitFor();
    // The stored photo really loads (served from the data folder, which has a dot-folder in its path like `.data`).
    const loadedWidth = await page.locator('img.thumb').first().evaluate((el) => new Promise<number>((resolve) => {
      const img = el as unknown as { complete: boolean; naturalWidth: number; addEventListener(type: string, fn: () => void): void };
      if (img.complete) resolve(img.naturalWidth);
      img.addEventListener('load', () => resolve(img.naturalWidth));
      img.addEventListener('error', () => resolve(0));
    }));
    expect(loadedWidth).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(shots, 'yian-hazard-responded.png'), fullPage: true });
    await ctx.close();

    // The officer (not the responder) closes it.
    await officerPage.goto(`/hazards/${hazard.id}`);
    await officerPage.getByLabel('已现场核查').check();
    await officerPage.getByRole('button', { name: '复核通过，销号' }).click();
    await officerPage.waitForURL(/ok=closed/);
    await expect(officerPage.locator('dl.profile').first().textContent()).resolves.toContain('已销号');
    await officerCtx.close();

    const [row] = await t.db.query('SELECT status, closure_reason FROM hazard WHERE id = $1', [hazard.id]);
    expect(row).toEqual({ status: 'closed', closure_reason: 'verified' });
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM hazard_response_evidence e JOIN hazard_response r ON r.id = e.response_id WHERE r.hazard_id = $1`, [hazard.id]);
    expect(n).toBe(1);
  });
});
