import * as fs from 'node:fs';
import { Browser, Page } from 'playwright-core';
import { launchBrowser, signIn } from '../support/browser';
import { CspWatch, watchCsp } from '../support/csp';
import { createAccount, institutionInput, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { desktopContext, expectSoundPage } from '../support/page-checks';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * 运营补贴 through the pages only (the registry is seeded through its API): an officer computes October and
 * November for 天宁区, opens a line's working, downloads the XLSX and compares with October; the admin approves
 * November after the confirmation step, the page shows it frozen, and a forced recompute is refused.
 */
describe('subsidy schedules in the browser: computed, explained, approved, frozen', () => {
  let t: TestApp;
  let browser: Browser;
  let csp: CspWatch;
  let officer: TestAccount;
  let admin: TestAccount;
  let novemberPath = '';

  beforeAll(async () => {
    t = await createTestApp();
    await seedDivisions(t.db);
    officer = await createAccount(t, 'bureau_officer', { divisionCode: '320402' });
    admin = await createAccount(t, 'bureau_admin', { divisionCode: '320402' });
    const token = await tokenFor(t, admin);
    const register = async (name: string, openedOn: string) => {
      const body = institutionInput({ name, occupiedBeds: 30, residentsSelfCare: 20, residentsMildlyDisabled: 10, residentsModeratelyDisabled: 0, residentsSeverelyDisabled: 0, highestFloorWithDisabled: null } as never);
      const id = (await t.http().post('/api/institutions').set('Authorization', `Bearer ${token}`).send(body).expect(201)).body.id;
      await t.http().put(`/api/institutions/${id}/operating-period`).set('Authorization', `Bearer ${token}`).send({ openedOn, reason: '设立备案回执所载日期' }).expect(200);
    };
    await register('天宁康乐颐养院', '2026-01-01');
    await register('红梅新开护理院', '2026-11-16');
    browser = await launchBrowser();
    csp = watchCsp(browser);
  });
  afterEach(() => csp?.expectNone());
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function compute(page: Page, start: string, end: string) {
    const form = page.getByRole('region', { name: '生成发放表' });
    await form.getByLabel('区划').selectOption({ label: '　天宁区' });
    await form.getByLabel('期间起').fill(start);
    await form.getByLabel('期间止（含）').fill(end);
    await form.getByRole('button', { name: '生成发放表' }).click();
    await page.waitForURL(/\/subsidies\/[0-9a-f-]{36}\?ok=computed$/);
  }

  it('an officer computes two months, reads a line\'s working, downloads the XLSX and compares', async () => {
    const ctx = await desktopContext(browser, t.url);
    const page = await signIn(ctx, officer);
    await page.getByRole('navigation').getByRole('link', { name: '运营补贴' }).click();
    await page.waitForURL(/\/subsidies$/);
    await expect(page.locator('.empty').textContent()).resolves.toContain('尚未生成运营补贴发放表');
    await expectSoundPage(page, 'subsidies-list-empty');

    await compute(page, '2026-10-01', '2026-10-31');
    await page.getByRole('link', { name: '← 运营补贴发放表' }).click();
    await compute(page, '2026-11-01', '2026-11-30');
    novemberPath = new URL(page.url()).pathname;
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('发放表已生成（草稿）');

    // the working of the institution that opened mid-month, expanded on click
    const working = page.locator('details.sub-working', { hasText: '红梅新开护理院' });
    await expect(working.getByText('未运营（开业前），不计补贴').isVisible()).resolves.toBe(false);
    await working.locator('summary').click();
    await expect(working.getByText('2026-11-01 至 2026-11-15（15 天）：未运营（开业前），不计补贴').isVisible()).resolves.toBe(true);
    await expect(working.textContent()).resolves.toContain('依据补贴政策 subsidy-320400-2026 第 1 版');
    await expect(working.textContent()).resolves.toContain('10 人 × 200 元 × 50% × 15/30 个月（2026-11-16 至 2026-11-30，15 天）');
    await expectSoundPage(page, 'subsidies-schedule');

    // the XLSX download
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '下载 Excel（XLSX）' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^运营补贴_天宁区_2026-11-01_2026-11-30_v1\.xlsx$/);
    const file = await download.path();
    expect(fs.readFileSync(file!).subarray(0, 2).toString()).toBe('PK');

    // compared with October: the new institution is added, the other unchanged
    await page.getByRole('link', { name: '与上一期对比' }).click();
    await page.waitForURL(/\/compare$/);
    const diff = page.getByRole('table', { name: '逐机构差异' });
    await expect(diff.getByRole('row', { name: /红梅新开护理院/ }).textContent()).resolves.toMatch(/新增\s*—\s*2,975\.00/);
    await expect(page.getByText('金额未变的机构（1 家）').isVisible()).resolves.toBe(true);
    await expectSoundPage(page, 'subsidies-compare');

    await page.goto('/subsidies');
    await expect(page.getByRole('table', { name: '运营补贴发放表' }).getByRole('row').count()).resolves.toBe(3);
    await expectSoundPage(page, 'subsidies-list');
    // no approval for an officer
    await page.goto(novemberPath);
    await expect(page.getByRole('link', { name: '审批…' }).count()).resolves.toBe(0);
    await ctx.close();
  });

  it('the admin approves after confirming; the page shows it frozen and a forced recompute is refused', async () => {
    const ctx = await desktopContext(browser, t.url);
    const page = await signIn(ctx, admin);
    await page.goto('/subsidies');
    await page.getByRole('link', { name: '2026-11-01 至 2026-11-30' }).click();
    await page.getByRole('link', { name: '审批…' }).click();
    const confirm = page.getByRole('region', { name: '确认审批' });
    await expect(confirm.textContent()).resolves.toContain('批准后不可修改');
    await expectSoundPage(page, 'subsidies-approve-confirm');
    // without the box ticked: refused, nothing approved
    await confirm.getByRole('button', { name: '确认批准' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('请勾选确认');
    await page.getByRole('region', { name: '确认审批' }).getByLabel('我已逐项核对发放表，确认批准（批准后不可修改）').check();
    await page.getByRole('region', { name: '确认审批' }).getByRole('button', { name: '确认批准' }).click();
    await page.waitForURL(/\?ok=approved$/);
    await expect(page.locator('.sub-frozen').textContent()).resolves.toContain('已审批 · 已冻结');
    await expect(page.getByRole('button', { name: '重新计算' }).count()).resolves.toBe(0);
    await expect(page.getByRole('link', { name: '审批…' }).count()).resolves.toBe(0);
    await expectSoundPage(page, 'subsidies-schedule-approved');

    // a forced POST (the form is no longer offered): refused with 409, the page says why
    const csrf = await page.locator('input[name="_csrf"]').first().getAttribute('value');
    const forced = await page.request.post(`${novemberPath}/recompute`, { form: { _csrf: csrf ?? '' }, headers: { Origin: t.url } });
    expect(forced.status()).toBe(409);
    expect(await forced.text()).toContain('该补贴发放表已审批，不能修改');
    await ctx.close();
  });
});
