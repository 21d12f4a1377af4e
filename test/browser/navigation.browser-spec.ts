import { Browser, Page } from 'playwright-core';
import { createAccount, institutionInput, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { launchBrowser, phoneContext, signIn } from '../support/browser';
import { CspWatch, watchCsp } from '../support/csp';
import { createTestApp, TestApp } from '../support/test-app';

/** The persistent navigation and the frame around every signed-in page, error pages included. */
describe('navigation and frame (Chromium, zh-CN)', () => {
  let t: TestApp;
  let browser: Browser;
  let csp: CspWatch;
  let officer: TestAccount;
  let inspector: TestAccount;
  let institution: TestAccount;
  let institutionId: string;

  beforeAll(async () => {
    t = await createTestApp();
    await seedDivisions(t.db);
    officer = await createAccount(t, 'bureau_officer', { divisionCode: '320402' });
    inspector = await createAccount(t, 'inspector', { divisionCode: '320402' });
    const token = await tokenFor(t, officer);
    institutionId = (await t.http().post('/api/institutions').set('Authorization', `Bearer ${token}`)
      .send(institutionInput({ name: '红梅导航测试养老院' })).expect(201)).body.id;
    institution = await createAccount(t, 'institution', { institutionId });
    browser = await launchBrowser();
    csp = watchCsp(browser);
  });
  // Nothing on any page is blocked by the Content-Security-Policy (inline script/style, foreign hosts…).
  afterEach(() => csp?.expectNone());
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const nav = (page: Page) => page.getByRole('navigation', { name: '主导航' });
  const navLabels = (page: Page) => nav(page).getByRole('link').allTextContents();
  const current = (page: Page) => nav(page).locator('a[aria-current="page"]').allTextContents();
  /** No horizontal page scroll: the page is no wider than the viewport (the nav strip scrolls inside itself). */
  const pageWidth = (page: Page) => page.evaluate<number>('document.documentElement.scrollWidth');

  it('gives the officer the bureau’s pages, marks the current one and frames a 404 with a way back', async () => {
    const ctx = await browser.newContext({ baseURL: t.url, viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const page = await signIn(ctx, officer);
    expect(await navLabels(page)).toEqual(['看板', '检查计划', '检查', '检查评价', '隐患台账', '整改通知书', '机构名录', '档案变更审核', '机构安全工作', '投诉举报', '突发事件', '物联网值班', '信用评价', '等级评定', '运营补贴']);
    expect(await page.locator('.who-place').textContent()).toBe('天宁区');
    expect(await current(page)).toEqual([]);

    await nav(page).getByRole('link', { name: '隐患台账' }).click();
    await page.waitForURL(/\/hazards$/);
    expect(await current(page)).toEqual(['隐患台账']);
    await nav(page).getByRole('link', { name: '机构名录' }).click();
    await page.waitForURL(/\/institutions$/);
    expect(await current(page)).toEqual(['机构名录']);
    await page.screenshot({ path: '/tmp/nav-officer-1440.png', fullPage: true });

    // A page beneath a section marks the section, not as the page itself.
    await page.getByRole('link', { name: /红梅导航测试养老院/ }).click();
    await page.waitForURL(/\/institutions\/[0-9a-f-]+$/);
    expect(await current(page)).toEqual([]);
    expect(await nav(page).locator('a[aria-current="true"]').allTextContents()).toEqual(['机构名录']);

    // A page that does not exist: the 404 inside the frame, back to the page it came from, or home.
    const from = page.url();
    const res = await page.goto('/no-such-page', { referer: from });
    expect(res?.status()).toBe(404);
    expect(await page.locator('h1').textContent()).toBe('出错了（404）');
    expect(await page.getByRole('alert').textContent()).toBe('请求的地址不存在');
    expect(await navLabels(page)).toContain('隐患台账');
    expect(await page.locator('.who-name').textContent()).toBe(officer.displayName);
    expect(await page.getByRole('link', { name: '返回上一页' }).getAttribute('href')).toBe(new URL(from).pathname);
    expect(await page.getByRole('link', { name: '返回首页' }).getAttribute('href')).toBe('/');
    await page.screenshot({ path: '/tmp/nav-404-1440.png', fullPage: true });
    await page.getByRole('link', { name: '返回上一页' }).click();
    await page.waitForURL(from);

    // A referrer from another site is not followed: the way back is home.
    await page.goto('/no-such-page', { referer: 'https://example.org/x' });
    expect(await page.getByRole('link', { name: '返回上一页' }).getAttribute('href')).toBe('/');
    await ctx.close();
  });

  it('gives the inspector their tasks and the ledger, usable on a phone, and frames a 403', async () => {
    const page = await signIn(await phoneContext(browser, t.url), inspector);
    expect(await navLabels(page)).toEqual(['我的检查任务', '隐患台账', '机构名录']);
    await nav(page).getByRole('link', { name: '我的检查任务' }).click();
    await page.waitForURL(/\/inspections$/);
    expect(await current(page)).toEqual(['我的检查任务']);
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    const box = await nav(page).getByRole('link', { name: '隐患台账' }).boundingBox();
    expect(box!.height).toBeGreaterThanOrEqual(44);
    await page.screenshot({ path: '/tmp/nav-inspector-390.png', fullPage: true });

    const res = await page.goto('/dashboard');
    expect(res?.status()).toBe(403);
    expect(await page.locator('h1').textContent()).toBe('出错了（403）');
    expect(await navLabels(page)).toEqual(['我的检查任务', '隐患台账', '机构名录']);
    await page.context().close();
  });

  it('gives the institution its own pages and the notifications behind the bell', async () => {
    const page = await signIn(await phoneContext(browser, t.url), institution);
    expect(await navLabels(page)).toEqual(['首页', '核验检查码', '本机构', '隐患', '整改通知书', '安全评分', '历史', '档案变更申请', '人员与设备台账', '巡查', '演练与培训', '突发事件', '报警确认', '信用等级']);
    expect(await page.locator('.who-place').textContent()).toBe('红梅导航测试养老院');
    await nav(page).getByRole('link', { name: '档案变更申请' }).click();
    await page.waitForURL(/\/change-requests$/);
    expect(await current(page)).toEqual(['档案变更申请']);
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: '/tmp/nav-institution-390.png', fullPage: true });
    await nav(page).getByRole('link', { name: '本机构' }).click();
    await page.waitForURL(new RegExp(`/institutions/${institutionId}$`));
    expect(await current(page)).toEqual(['本机构']);

    await page.getByRole('link', { name: '通知', exact: true }).click();
    await page.waitForURL(/\/notifications$/);
    expect(await page.locator('h1').textContent()).toBe('站内通知');
    expect(await page.getByRole('link', { name: '通知', exact: true }).getAttribute('aria-current')).toBe('page');

    const res = await page.goto('/no-such-page');
    expect(res?.status()).toBe(404);
    expect(await navLabels(page)).toEqual(['首页', '核验检查码', '本机构', '隐患', '整改通知书', '安全评分', '历史', '档案变更申请', '人员与设备台账', '巡查', '演练与培训', '突发事件', '报警确认', '信用等级']);
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: '/tmp/nav-404-390.png', fullPage: true });
    await page.context().close();
  });

  it('frames an anonymous visitor’s 404 without navigation', async () => {
    const ctx = await phoneContext(browser, t.url);
    const page = await ctx.newPage();
    const res = await page.goto('/no-such-page');
    expect(res?.status()).toBe(404);
    expect(await page.locator('.topbar .brand').count()).toBe(1);
    expect(await nav(page).count()).toBe(0);
    expect(await page.getByRole('link', { name: '返回首页' }).getAttribute('href')).toBe('/');
    await ctx.close();
  });
});
