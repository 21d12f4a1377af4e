import * as os from 'node:os';
import * as path from 'node:path';
import { Browser } from 'playwright-core';
import { collectErrors, launchBrowser, phoneContext, signIn } from '../support/browser';
import { CspWatch, watchCsp } from '../support/csp';
import { tinyPng } from '../support/images';
import { createAccount, institutionInput, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';

const shots = process.env.SCREENSHOT_DIR ?? os.tmpdir();

/** Shanghai wall time `hours` ago, as a datetime-local input takes it. */
const shanghaiLocal = (hoursAgo: number) => new Date(Date.now() - hoursAgo * 3_600_000 + 8 * 3_600_000).toISOString().slice(0, 16);

describe('drills and incidents: the institution records a drill on its phone, reports an incident, the bureau acknowledges', () => {
  let t: TestApp;
  let browser: Browser;
  let csp: CspWatch;
  let officer: TestAccount;
  let institutionAccount: TestAccount;
  let institutionId: string;

  beforeAll(async () => {
    t = await createTestApp();
    await seedDivisions(t.db);
    officer = await createAccount(t, 'bureau_officer', { divisionCode: '320402' });
    const token = await tokenFor(t, officer);
    institutionId = (await t.http().post('/api/institutions').set('Authorization', `Bearer ${token}`).send(institutionInput({
      name: '天宁福寿养老院', approvedBeds: 45, occupiedBeds: 38, residentsSelfCare: 10, residentsMildlyDisabled: 10, residentsModeratelyDisabled: 10, residentsSeverelyDisabled: 8,
    })).expect(201)).body.id;
    // operating for two years, no live drill yet: the half-year flag is up
    await t.db.query(`UPDATE institution SET opened_on = (now() - interval '2 years')::date WHERE id = $1`, [institutionId]);
    institutionAccount = await createAccount(t, 'institution', { institutionId });
    browser = await launchBrowser();
    csp = watchCsp(browser);
  });
  afterEach(() => csp?.expectNone());
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('records a live night drill with residents evacuated by care level; the missed flag clears', async () => {
    const ctx = await phoneContext(browser, t.url);
    const page = await signIn(ctx, institutionAccount);
    const errors = collectErrors(page, { allowStatuses: [400] });
    await page.goto(`/institutions/${institutionId}/drills`);
    await expect(page.locator('.drill-flag').textContent()).resolves.toContain('逾期未演练');
    await expect(page.getByText('还没有演练记录').count()).resolves.toBe(1);

    // a refused form names the field and keeps what was typed
    await page.getByLabel('演练类型').selectOption('night_drill');
    await page.getByLabel('实战演练', { exact: true }).check();
    await page.getByLabel('参加演练的工作人员数').fill('9');
    await page.getByLabel('疏散重度失能老人').fill('9');
    await page.getByLabel('存在问题与改进措施').fill('夜班人手少，重度失能老人转移慢，需增加夜班人员并配置疏散担架');
    await page.getByRole('button', { name: '登记演练' }).click();
    await expect(page.getByRole('alert').first().textContent()).resolves.toMatch(/疏散重度失能老人：疏散人数（9）不能超过该照护等级在住老人数（8）|疏散用时/);
    await expect(page.getByLabel('存在问题与改进措施').inputValue()).resolves.toContain('夜班人手少');

    await page.getByLabel('疏散重度失能老人').fill('8');
    await page.getByLabel('疏散中度失能老人').fill('10');
    await page.getByLabel('分钟', { exact: true }).fill('6');
    await page.getByLabel('秒', { exact: true }).fill('30');
    await page.getByRole('button', { name: '登记演练' }).click();
    await page.waitForURL(/ok=drill/);
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('演练已登记');
    await expect(page.locator('.drill-flag').textContent()).resolves.toContain('按期');
    const item = await page.locator('.list li').first().textContent();
    expect(item).toContain('夜间疏散演练');
    expect(item).toContain('重度失能老人 8 人');
    expect(item).toContain('6 分 30 秒');
    // a phone: the form fits the width
    const width = await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    // a photo of the drill from the phone
    await page.locator('.list li').first().getByLabel('添加现场照片').setInputFiles({ name: 'drill.png', mimeType: 'image/png', buffer: tinyPng(64, 48) });
    await page.locator('.list li').first().getByRole('button', { name: '上传照片' }).click();
    await page.waitForURL(/ok=photo/);
    await expect(page.locator('.list li').first().locator('img').count()).resolves.toBe(1);
    await expect(page.locator('.list li').first().locator('img').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).resolves.toBeGreaterThan(0);
    await page.screenshot({ path: path.join(shots, 'yian-drill-recorded.png'), fullPage: true });
    const [row] = await t.db.query(`SELECT form, evacuated_severely_disabled, evacuation_seconds FROM drill WHERE institution_id = $1`, [institutionId]);
    expect(row).toEqual({ form: 'live', evacuated_severely_disabled: 8, evacuation_seconds: 390 });
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('the institution reports a 较大 incident late; the officer acknowledges it after a confirmation step', async () => {
    const ctx = await phoneContext(browser, t.url);
    const page = await signIn(ctx, institutionAccount);
    const errors = collectErrors(page, { allowStatuses: [400] });
    await page.goto(`/institutions/${institutionId}/incidents`);
    await page.getByLabel('事件类型').selectOption('public_health');
    await page.getByLabel('较大', { exact: true }).check();
    await page.getByLabel('发生时间').fill(shanghaiLocal(3));
    await page.getByLabel('涉及老人数').fill('6');
    await page.getByLabel('事件经过').fill('6 名老人午餐后出现腹泻、呕吐');
    await page.getByLabel('先期处置措施').fill('留样封存，送医观察，已报告属地卫生监督所');
    await page.getByRole('button', { name: '提交报告' }).click();
    await page.waitForURL(/\/incidents\/[0-9a-f-]{36}\?ok=reported$/);
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('主管部门已收到通知');
    await expect(page.locator('dl.profile').textContent()).resolves.toContain('迟报');
    expect(errors).toEqual([]);
    await ctx.close();

    const officerCtx = await phoneContext(browser, t.url);
    const officerPage = await signIn(officerCtx, officer);
    const officerErrors = collectErrors(officerPage, { allowStatuses: [400] });
    await officerPage.goto('/incidents?status=reported');
    await officerPage.locator('.list a', { hasText: '天宁福寿养老院' }).click();
    await officerPage.waitForURL(/\/incidents\/[0-9a-f-]{36}$/);
    await expect(officerPage.getByText('没有现行有效的等级评定').count()).resolves.toBe(1);
    await officerPage.getByLabel('确认意见').fill('已电话核实，督促做好留样和病员观察');
    await officerPage.getByRole('button', { name: '下一步：核对并确认' }).click();
    await expect(officerPage.getByRole('heading', { name: '确认收到：请核对' }).count()).resolves.toBe(1);
    await officerPage.getByLabel('我已核对报告内容，确认收到').check();
    await officerPage.getByRole('button', { name: '确认收到', exact: true }).click();
    await officerPage.waitForURL(/ok=acknowledged/);
    await expect(officerPage.locator('dl.profile').textContent()).resolves.toContain('已确认收到');
    await expect(officerPage.getByRole('heading', { name: '安排跟进检查' }).count()).resolves.toBe(1);
    await officerPage.screenshot({ path: path.join(shots, 'yian-incident-acknowledged.png'), fullPage: true });
    const [row] = await t.db.query(`SELECT status, late, acknowledgement_note FROM incident WHERE institution_id = $1`, [institutionId]);
    expect(row).toEqual({ status: 'acknowledged', late: true, acknowledgement_note: '已电话核实，督促做好留样和病员观察' });
    expect(officerErrors).toEqual([]);
    await officerCtx.close();
  });
});
