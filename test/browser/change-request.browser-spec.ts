import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Browser } from 'playwright-core';
import { collectErrors, launchBrowser, phoneContext, signIn } from '../support/browser';
import { CspWatch, watchCsp } from '../support/csp';
import { createAccount, institutionInput, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { tinyPng } from '../support/images';
import { createTestApp, TestApp } from '../support/test-app';

const shots = process.env.SCREENSHOT_DIR ?? os.tmpdir();

describe('institution facts confirmed by the bureau: the institution files a change, an officer approves it', () => {
  let t: TestApp;
  let browser: Browser;
  let csp: CspWatch;
  let officer: TestAccount;
  let institutionAccount: TestAccount;
  let institutionId: string;
  const beds = async () => (await t.db.query('SELECT approved_beds, occupied_beds, version FROM institution WHERE id = $1', [institutionId]))[0];

  beforeAll(async () => {
    t = await createTestApp();
    await seedDivisions(t.db);
    officer = await createAccount(t, 'bureau_officer', { divisionCode: '320402' });
    const officerToken = await tokenFor(t, officer);
    institutionId = (await t.http().post('/api/institutions').set('Authorization', `Bearer ${officerToken}`).send(institutionInput({
      name: '天宁安康养老院', approvedBeds: 45, occupiedBeds: 38, residentsSelfCare: 10, residentsMildlyDisabled: 10, residentsModeratelyDisabled: 10, residentsSeverelyDisabled: 8,
    })).expect(201)).body.id;
    institutionAccount = await createAccount(t, 'institution', { institutionId });
    browser = await launchBrowser();
    csp = watchCsp(browser);
  });
  // Nothing on any page is blocked by the Content-Security-Policy (inline script/style, foreign hosts…).
  afterEach(() => csp?.expectNone());
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('files with a reason and a document, stays unconfirmed until the officer approves, then the profile changes', async () => {
    // The institution, on its phone: profile → 档案变更申请 → new bed numbers, a reason, a photo of the approval.
    const ctx = await phoneContext(browser, t.url);
    const page = await signIn(ctx, institutionAccount);
    const errors = collectErrors(page);
    await page.getByRole('link', { name: '查看本机构档案' }).click();
    await page.getByRole('main').getByRole('link', { name: '档案变更申请' }).click();
    await page.waitForURL(/\/change-requests$/);
    await page.getByLabel('核定床位').fill('60');
    await page.getByLabel('在住床位').fill('50');
    await page.getByLabel('变更理由').fill('二期楼启用，床位经区民政局核定增加至 60 张');
    const doc = path.join(os.tmpdir(), 'yian-bed-approval.png');
    fs.writeFileSync(doc, tinyPng(64, 48, [230, 230, 220]));
    await page.getByLabel('佐证材料').setInputFiles(doc);
    await page.getByRole('button', { name: '提交变更申请' }).click();
    await page.waitForURL(/ok=filed/);
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('等待主管部门审核');
    const pending = page.locator('section', { has: page.getByRole('heading', { name: '待审核的变更申请' }) });
    await expect(pending.locator('table').textContent()).resolves.toMatch(/核定床位\s*45\s*60/);
    await expect(pending.getByRole('link', { name: '查看佐证材料' }).count()).resolves.toBe(1);
    await page.screenshot({ path: path.join(shots, 'yian-change-request-filed.png'), fullPage: true });
    // Nothing confirmed yet: the row (which subsidies and applicability read) is unchanged, and no second form is offered.
    expect(await beds()).toMatchObject({ approved_beds: 45, occupied_beds: 38 });
    await expect(page.getByRole('button', { name: '提交变更申请' }).count()).resolves.toBe(0);
    expect(errors).toEqual([]);
    await ctx.close();

    // The officer: home → 档案变更审核 → the request, before and after side by side → 确认变更.
    const officerCtx = await phoneContext(browser, t.url);
    const officerPage = await signIn(officerCtx, officer);
    const officerErrors = collectErrors(officerPage);
    await officerPage.getByRole('main').getByRole('link', { name: '档案变更审核' }).click();
    await officerPage.waitForURL(/\/change-requests/);
    await officerPage.locator('.list a', { hasText: '天宁安康养老院' }).click();
    await officerPage.waitForURL(/\/change-requests\/[0-9a-f-]{36}$/);
    const table = await officerPage.locator('table.data').textContent();
    expect(table).toMatch(/核定床位\s*45\s*60\s*45/);
    expect(table).toMatch(/在住床位\s*38\s*50\s*38/);
    await officerPage.getByLabel('审核意见（可选）').fill('与核定批复一致');
    await officerPage.getByRole('button', { name: '确认变更' }).click();
    await officerPage.waitForURL(/ok=approved/);
    await expect(officerPage.getByRole('status').first().textContent()).resolves.toContain('机构档案已更新');
    await expect(officerPage.locator('dl.profile').textContent()).resolves.toContain('已确认');
    await officerPage.screenshot({ path: path.join(shots, 'yian-change-request-approved.png'), fullPage: true });

    expect(await beds()).toMatchObject({ approved_beds: 60, occupied_beds: 50, version: 2 });
    await officerPage.goto(`/institutions/${institutionId}`);
    await expect(officerPage.locator('dl.profile').nth(1).textContent()).resolves.toContain('核定 60，入住 50');
    expect(officerErrors).toEqual([]);
    await officerCtx.close();
  });
});
