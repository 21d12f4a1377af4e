import * as os from 'node:os';
import * as path from 'node:path';
import { Browser, Page } from 'playwright-core';
import { collectErrors, launchBrowser, phoneContext, signIn } from '../support/browser';
import { CspWatch, watchCsp } from '../support/csp';
import { createAccount, institutionInput, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { formItems, submission } from '../support/inspection-fixtures';
import { createTestApp, TestApp } from '../support/test-app';

const shots = process.env.SCREENSHOT_DIR ?? os.tmpdir();
const pageWidth = (page: Page) => page.evaluate<number>('document.documentElement.scrollWidth');

/**
 * 检查码 on phones (issue 17, item 4): the team shows its code and QR on the task page; the institution opens the QR's
 * address, sees the code filled in, is refused a wrong one, sees the team with their 执法证号, confirms; after the
 * submission it rates the visit, and the bureau reads the rating.
 */
describe('inspection codes: an institution confirms an inspection code and rates the visit', () => {
  let t: TestApp;
  let browser: Browser;
  let csp: CspWatch;
  let officer: TestAccount;
  let officerToken: string;
  const inspectors: TestAccount[] = [];
  let institution: TestAccount;
  let inspectionId: string;
  let code: string;

  beforeAll(async () => {
    t = await createTestApp();
    await seedDivisions(t.db);
    officer = await createAccount(t, 'bureau_officer', { divisionCode: '320402' });
    officerToken = await tokenFor(t, officer);
    for (let i = 0; i < 2; i++) inspectors.push(await createAccount(t, 'inspector', { divisionCode: '320402' }));
    await t.db.query(`UPDATE app_user SET warrant_no = '苏32040200017' WHERE id = $1`, [inspectors[0].id]);
    const institutionId = (await t.http().post('/api/institutions').set('Authorization', `Bearer ${officerToken}`)
      .send(institutionInput({ name: '红梅颐养院' })).expect(201)).body.id;
    institution = await createAccount(t, 'institution', { institutionId });
    inspectionId = (await t.http().post('/api/inspections').set('Authorization', `Bearer ${officerToken}`)
      .send({ institutionId, kind: 'random', teamUserIds: inspectors.map((i) => i.id), scheduledDate: '2026-12-10' }).expect(201)).body.id;
    browser = await launchBrowser();
    csp = watchCsp(browser);
  });
  afterEach(() => csp?.expectNone());
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('the team shows its code and QR on the task page', async () => {
    const page = await signIn(await phoneContext(browser, t.url), inspectors[0]);
    const errors = collectErrors(page);
    await page.goto(`/inspections/${inspectionId}`);
    code = (await page.locator('[data-role="inspection-code"]').textContent())!.trim();
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    await expect(page.locator('.team-code svg.qr').count()).resolves.toBe(1);
    await expect(page.locator('.team-code').textContent()).resolves.toContain('被检查机构尚未核验');
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: path.join(shots, 'yian-code-team.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('the institution opens the QR address, is refused a wrong code, sees the team and confirms; then rates the visit after the submission', async () => {
    const ctx = await phoneContext(browser, t.url);
    const page = await signIn(ctx, institution);
    const errors = collectErrors(page, { allowStatuses: [400] });
    // the navigation has the page
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '核验检查码' }).click();
    await page.waitForURL(/\/inspection-codes$/);
    await expect(page.locator('h1').textContent()).resolves.toBe('核验检查码');

    // a wrong code (one character off) is refused, naming the field, and what was typed stays
    const wrong = `${code.slice(0, 8)}${code.endsWith('Z') ? 'Y' : 'Z'}`;
    await page.getByLabel('检查码').fill(wrong);
    await page.getByRole('button', { name: '核验' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('检查码：检查码不正确');
    await expect(page.getByLabel('检查码').inputValue()).resolves.toBe(wrong);

    // the QR's address fills the code in (as the phone camera opens it); lower case is fine
    await page.goto(`/inspection-codes?code=${code.toLowerCase()}`);
    await expect(page.getByLabel('检查码').inputValue()).resolves.toBe(code.toLowerCase());
    await page.screenshot({ path: path.join(shots, 'yian-code-entry.png'), fullPage: true });
    await page.getByRole('button', { name: '核验' }).click();
    const card = page.locator('.visit-card');
    await expect(card.locator('.code-big').textContent()).resolves.toBe(code);
    const team = await card.locator('.team-cards').textContent();
    expect(team).toContain(inspectors[0].displayName);
    expect(team).toContain('苏32040200017');
    expect(team).toContain(inspectors[1].displayName);
    expect(team).toContain('未登记');
    expect(team).toContain('天宁区');
    await expect(card.textContent()).resolves.toContain('双随机抽查');
    await expect(card.textContent()).resolves.toContain('常州市天宁区民政局');
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: path.join(shots, 'yian-code-verify.png'), fullPage: true });

    await page.getByRole('button', { name: '确认检查人员身份无误' }).click();
    await page.waitForURL(/\/inspection-codes\/visits\/[0-9a-f-]+\?ok=confirmed$/);
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('已确认');
    await expect(page.locator('.visit-card').textContent()).resolves.toContain(`由 ${institution.displayName} 核验`);
    await expect(page.locator('#rating-h + p').textContent()).resolves.toContain('检查组提交检查记录后');
    await expect(page.locator('.rating-form').count()).resolves.toBe(0);
    await page.screenshot({ path: path.join(shots, 'yian-code-confirmed.png'), fullPage: true });

    // the team files the record (from its phone: here through the API)
    const token = await tokenFor(t, inspectors[0]);
    const items = await formItems(t, token, inspectionId);
    await t.http().post(`/api/inspections/${inspectionId}/start`).set('Authorization', `Bearer ${token}`).expect(200);
    await t.http().post(`/api/inspections/${inspectionId}/submit`).set('Authorization', `Bearer ${token}`).send(submission(items, {}, inspectors)).expect(201);

    // the institution is told, and rates from the notification
    await page.goto('/notifications');
    await page.getByRole('link', { name: /请评价本次检查/ }).first().click();
    await page.waitForURL(new RegExp(`/inspection-codes/visits/${inspectionId}`));
    const form = page.locator('.rating-form');
    // a missing score is refused, and the comment typed stays
    await form.getByLabel('评价意见（选填）').fill('检查人员出示了执法证件，问题讲得很清楚。');
    await form.locator('label[for="conduct-4"]').click();
    await form.getByRole('button', { name: '提交评价' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('问题指出清楚：请选择评分');
    await expect(page.locator('.rating-form').getByLabel('评价意见（选填）').inputValue()).resolves.toContain('问题讲得很清楚');
    await expect(page.locator('#conduct-4').isChecked()).resolves.toBe(true);
    await page.locator('.rating-form label[for="clarity-5"]').click();
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: path.join(shots, 'yian-code-rating-form.png'), fullPage: true });
    await page.locator('.rating-form').getByRole('button', { name: '提交评价' }).click();
    await page.waitForURL(/ok=rated$/);
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('评价已提交');
    const shown = await page.locator('.rating-shown').textContent();
    expect(shown).toContain('4 分');
    expect(shown).toContain('5 分');
    expect(shown).toContain('问题讲得很清楚');
    await expect(page.locator('.rating-form').count()).resolves.toBe(0);
    await page.screenshot({ path: path.join(shots, 'yian-code-rated.png'), fullPage: true });
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('the bureau reads the rating on its 检查评价 page and the inspection record', async () => {
    const ctx = await browser.newContext({ baseURL: t.url, viewport: { width: 1280, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const page = await signIn(ctx, officer);
    const errors = collectErrors(page);
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '检查评价' }).click();
    await page.waitForURL(/\/inspection-ratings$/);
    const row = page.locator('.ratings-table tbody tr').first();
    await expect(row.textContent()).resolves.toContain('红梅颐养院');
    await expect(row.textContent()).resolves.toContain('问题讲得很清楚');
    await expect(row.textContent()).resolves.toContain('已核验');
    await expect(page.locator('.kpis').textContent()).resolves.toContain('4.0');
    await page.screenshot({ path: path.join(shots, 'yian-code-ratings.png'), fullPage: true });
    await row.getByRole('link', { name: '红梅颐养院' }).click();
    await page.waitForURL(new RegExp(`/inspections/${inspectionId}$`));
    await expect(page.locator('[data-role="code-verification"]').textContent()).resolves.toContain(`由 ${institution.displayName}（红梅颐养院） 核验`);
    await expect(page.locator('#review-rating').locator('..').textContent()).resolves.toContain('问题讲得很清楚');
    expect(errors).toEqual([]);
    await ctx.close();
  });
});
