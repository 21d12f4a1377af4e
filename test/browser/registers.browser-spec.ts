import * as os from 'node:os';
import * as path from 'node:path';
import { Browser } from 'playwright-core';
import { addDays, shanghaiDate } from '../../src/common/calendar';
import { RegistersService } from '../../src/registers/registers.service';
import { collectErrors, launchBrowser, phoneContext, signIn } from '../support/browser';
import { CspWatch, watchCsp } from '../support/csp';
import { createAccount, institutionInput, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';

const shots = process.env.SCREENSHOT_DIR ?? os.tmpdir();

describe('人员与设备台账: a certificate expiring in 7 days raises a notification in the inbox', () => {
  let t: TestApp;
  let browser: Browser;
  let csp: CspWatch;
  let institutionAccount: TestAccount;
  let institutionId: string;

  beforeAll(async () => {
    t = await createTestApp();
    await seedDivisions(t.db);
    const officerToken = await tokenFor(t, await createAccount(t, 'bureau_officer', { divisionCode: '320402' }));
    institutionId = (await t.http().post('/api/institutions').set('Authorization', `Bearer ${officerToken}`).send(institutionInput({ name: '天宁台账养老院' })).expect(201)).body.id;
    institutionAccount = await createAccount(t, 'institution', { institutionId });
    browser = await launchBrowser();
    csp = watchCsp(browser);
  });
  afterEach(() => csp?.expectNone());
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('records an operator and their certificate on the phone, then the daily job tells the institution', async () => {
    const ctx = await phoneContext(browser, t.url);
    const page = await signIn(ctx, institutionAccount);
    const errors = collectErrors(page);
    await page.goto(`/institutions/${institutionId}/registers`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('人员与设备台账');
    await expect(page.locator('.empty').first().textContent()).resolves.toContain('尚未登记人员');

    // 登记人员: a control-room operator (no phone needed for that post)
    const addStaff = page.locator('details', { has: page.locator('summary', { hasText: '登记人员' }) });
    await addStaff.locator('summary').click();
    await addStaff.getByLabel('姓名').fill('钱值班');
    await addStaff.getByLabel('消控室值班人员').check();
    await addStaff.getByRole('button', { name: '登记' }).click();
    await page.waitForURL(/ok=staff/);
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('人员已保存');

    // 登记证书: 消防设施操作员证书 expiring in 7 days
    const expires = addDays(shanghaiDate(new Date()), 7);
    const addCert = page.locator('details', { has: page.locator('summary', { hasText: '登记证书' }) });
    await addCert.locator('summary').click();
    await addCert.getByLabel('持证人').selectOption({ label: '钱值班' });
    await addCert.getByLabel('证书类型').selectOption('fire_facility_operator');
    await addCert.getByLabel('证书编号').fill('XF-2021-0009');
    await addCert.getByLabel('发证日期').fill('2021-03-01');
    await addCert.getByLabel('有效期至').fill(expires);
    await addCert.getByRole('button', { name: '登记证书' }).click();
    await page.waitForURL(/ok=certificate/);
    const row = page.locator('table.data tbody tr', { hasText: 'XF-2021-0009' });
    await expect(row.textContent()).resolves.toContain('7天内到期');
    await page.screenshot({ path: path.join(shots, 'yian-registers.png'), fullPage: true });

    // the daily job runs (called directly: the schedule is the lead's to register)
    expect(await t.app.get(RegistersService).sendExpiryAlerts(new Date())).toBe(1);

    await page.goto('/notifications');
    const item = page.locator('main li', { hasText: '消防设施操作员证书将于' });
    await expect(item.count()).resolves.toBe(1);
    await expect(item.textContent()).resolves.toContain('钱值班');
    await page.screenshot({ path: path.join(shots, 'yian-registers-inbox.png'), fullPage: true });
    expect(errors).toEqual([]);
    await ctx.close();
  });
});
