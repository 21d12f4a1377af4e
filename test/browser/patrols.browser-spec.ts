import * as os from 'node:os';
import * as path from 'node:path';
import { Browser } from 'playwright-core';
import { addDays, shanghaiDate } from '../../src/common/calendar';
import { PatrolsService } from '../../src/patrols/patrols.service';
import { collectErrors, launchBrowser, phoneContext, signIn } from '../support/browser';
import { CspWatch, watchCsp } from '../support/csp';
import { createAccount, institutionInput, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';

const shots = process.env.SCREENSHOT_DIR ?? os.tmpdir();

describe('巡查: a night patrol on a phone scanning QR points, one point missed, a failed item closed by the institution', () => {
  let t: TestApp;
  let browser: Browser;
  let csp: CspWatch;
  let officer: TestAccount;
  let institutionAccount: TestAccount;
  let institutionId: string;
  let clock: Date;
  const tomorrow = addDays(shanghaiDate(new Date()), 1);
  const at = (hhmm: string) => new Date(`${tomorrow}T${hhmm}:00+08:00`);

  beforeAll(async () => {
    t = await createTestApp();
    await seedDivisions(t.db);
    officer = await createAccount(t, 'bureau_officer', { divisionCode: '320402' });
    const token = await tokenFor(t, officer);
    institutionId = (await t.http().post('/api/institutions').set('Authorization', `Bearer ${token}`).send(institutionInput({ name: '天宁夜巡颐养院' })).expect(201)).body.id;
    institutionAccount = await createAccount(t, 'institution', { institutionId });
    // the server's clock for patrols: 02:05 tomorrow night (the 02:00 night slot is open)
    clock = at('02:05');
    t.app.get(PatrolsService).now = () => clock;
    browser = await launchBrowser();
    csp = watchCsp(browser);
  });
  afterEach(() => csp?.expectNone());
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('runs the night patrol: points registered, one scanned by its QR payload, one missed and flagged; the failed item is closed by the institution', async () => {
    const ctx = await phoneContext(browser, t.url);
    const page = await signIn(ctx, institutionAccount);
    const errors = collectErrors(page, { allowStatuses: [400] });
    await page.goto('/');
    await page.getByRole('link', { name: '巡查', exact: true }).first().click();
    await page.waitForURL(new RegExp(`/institutions/${institutionId}/patrols`));
    await expect(page.getByText('还没有巡查点位').count()).resolves.toBeGreaterThan(0);

    // a refused point names the field; then two points
    await page.getByRole('button', { name: '登记点位' }).click();
    await expect(page.getByRole('alert').first().textContent()).resolves.toContain('点位名称');
    for (const [name, area] of [['消防控制室', 'control_room'], ['三楼东侧安全出口', 'floor_exit']]) {
      await page.getByLabel('点位名称').fill(name);
      await page.getByLabel('区域').selectOption(area);
      // the address says ok=point already after the first: wait for this registration's own page load
      await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: '登记点位' }).click()]);
      expect(page.url()).toMatch(/ok=point/);
    }
    const labels = await page.request.get(`/institutions/${institutionId}/patrol-points/labels.pdf`);
    expect(labels.status()).toBe(200);
    expect(labels.headers()['content-type']).toContain('application/pdf');

    // 开始夜间巡查 (02:00 时段)
    const night = page.locator('#now-h ~ ul li', { hasText: '夜间巡查' });
    await expect(night.textContent()).resolves.toContain('02:00 时段');
    await night.getByRole('button', { name: '开始巡查' }).click();
    await page.waitForURL(/\/patrols\/[0-9a-f-]{36}$/);
    const patrolUrl = page.url();

    // the phone's camera reads the control room's QR label: its payload is the point's scan page
    const [{ token }] = await t.db.query(`SELECT token FROM patrol_point WHERE institution_id = $1 AND name = '消防控制室'`, [institutionId]);
    const payload = t.app.get(PatrolsService).scanUrl(token);
    expect(payload).toMatch(/\/patrol-points\/[A-Za-z0-9_-]{22}$/);
    clock = at('02:12');
    await page.goto(new URL(payload).pathname);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('消防控制室');
    await page.getByRole('button', { name: '确认到位' }).click();
    await page.waitForURL(/scanned=ok/);
    expect(page.url().startsWith(patrolUrl)).toBe(true);
    await expect(page.locator('li[data-point]', { hasText: '消防控制室' }).textContent()).resolves.toContain('已到位');
    // a mistyped code is refused and names the field
    await page.getByLabel('点位码').fill('ABC');
    await page.getByRole('button', { name: '记录到位' }).click();
    await expect(page.getByRole('alert').first().textContent()).resolves.toContain('点位码');

    // the items: 安全出口 fails, with what is wrong; the exit point is never scanned
    await page.locator('fieldset', { hasText: 'DAY-002' }).getByLabel('异常', { exact: true }).check();
    await page.getByRole('button', { name: '提交巡查' }).click();
    await expect(page.getByRole('alert').first().textContent()).resolves.toContain('须说明情况');
    await expect(page.locator('fieldset', { hasText: 'DAY-002' }).getByLabel('异常', { exact: true }).isChecked()).resolves.toBe(true);
    await page.locator('fieldset', { hasText: 'DAY-002' }).getByLabel('异常情况说明（异常时必填）').fill('二楼楼梯间堆放纸箱');
    await expect(page.getByText('尚有 1 个点位未扫码').count()).resolves.toBe(1);
    await page.screenshot({ path: path.join(shots, 'yian-patrol-form.png'), fullPage: true });
    clock = at('02:25');
    await page.getByRole('button', { name: '提交巡查' }).click();
    await page.waitForURL(/ok=submitted/);
    const recent = await page.locator('#recent-h ~ ul li').first().textContent();
    expect(recent).toContain('夜间巡查');
    expect(recent).toContain('漏扫 1 个点位');
    expect(recent).toContain('异常 1 项');
    expect(recent).toContain('已完成');

    // the self-reported hazard, closed by the institution itself
    const hazard = page.locator('#sh-h ~ ul li').first();
    await expect(hazard.textContent()).resolves.toContain('二楼楼梯间堆放纸箱');
    await hazard.getByLabel('整改情况').fill('纸箱已清理，张贴禁止堆物标识');
    await hazard.getByRole('button', { name: '整改完成，销号' }).click();
    await page.waitForURL(/ok=closed/);
    await expect(page.locator('#sh-h ~ ul li').first().textContent()).resolves.toContain('已整改');
    const width = await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    await page.screenshot({ path: path.join(shots, 'yian-patrol-overview.png'), fullPage: true });
    expect(errors).toEqual([]);
    await ctx.close();

    // the bureau sees the patrol, the missed point and the closed self-reported hazard; no forms
    clock = at('09:00');
    const octx = await phoneContext(browser, t.url);
    const opage = await signIn(octx, officer);
    const oerrors = collectErrors(opage);
    await opage.goto(`/institutions/${institutionId}`);
    await opage.getByRole('link', { name: '巡查', exact: true }).last().click();
    await opage.waitForURL(new RegExp(`/institutions/${institutionId}/patrols`));
    const summary = await opage.locator('#sum-h').locator('..').textContent();
    expect(summary).toMatch(/漏巡 [1-9]/);
    await expect(opage.locator('#recent-h ~ ul li').first().textContent()).resolves.toContain('漏扫 1 个点位');
    await expect(opage.getByRole('button', { name: '开始巡查' }).count()).resolves.toBe(0);
    await expect(opage.getByRole('button', { name: '整改完成，销号' }).count()).resolves.toBe(0);
    await opage.screenshot({ path: path.join(shots, 'yian-patrol-bureau.png'), fullPage: true });
    // 机构安全工作: every institution's figures, from the navigation, and the export
    await opage.getByRole('link', { name: '机构安全工作' }).first().click();
    await opage.waitForURL(/\/safety-work$/);
    const row = await opage.locator('tr', { hasText: '天宁夜巡颐养院' }).textContent();
    expect(row).toMatch(/%/);
    await expect(opage.locator('#sw-total-h').locator('..').textContent()).resolves.toContain('漏巡或未完成');
    const csv = await opage.request.get('/safety-work.csv');
    expect(csv.status()).toBe(200);
    expect(await csv.text()).toContain('天宁夜巡颐养院');
    await opage.screenshot({ path: path.join(shots, 'yian-safety-work.png'), fullPage: true });
    expect(oerrors).toEqual([]);
    await octx.close();
  });
});
