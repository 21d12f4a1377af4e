import { Browser, Page } from 'playwright-core';
import { createAccount, institutionInput, seedDivisions, TestAccount } from '../support/factories';
import { launchBrowser, phoneContext, signIn } from '../support/browser';
import { CspWatch, watchCsp } from '../support/csp';
import { createTestApp, TestApp } from '../support/test-app';

describe('web shell in a phone browser (Chromium, zh-CN)', () => {
  let t: TestApp;
  let browser: Browser;
  let csp: CspWatch;
  const accounts: Record<string, TestAccount> = {};
  let institutionName: string;

  beforeAll(async () => {
    t = await createTestApp();
    await seedDivisions(t.db);
    accounts.bureau_admin = await createAccount(t, 'bureau_admin', { divisionCode: '320400' });
    accounts.bureau_officer = await createAccount(t, 'bureau_officer', { divisionCode: '320402' });
    accounts.inspector = await createAccount(t, 'inspector', { divisionCode: '320402' });
    const admin = (await t.http().post('/api/auth/tokens').send({ username: accounts.bureau_admin.username, password: accounts.bureau_admin.password })).body.token;
    const names = ['红梅颐养院', '五星日间照料中心', '天宁护理院'];
    const ids: string[] = [];
    for (const [i, name] of names.entries()) {
      const body = institutionInput({ name, divisionCode: i === 1 ? '320404001' : '320402004', kind: i === 1 ? 'day_care' : 'nursing_home' });
      ids.push((await t.http().post('/api/institutions').set('Authorization', `Bearer ${admin}`).send(body).expect(201)).body.id);
    }
    institutionName = names[0];
    accounts.institution = await createAccount(t, 'institution', { institutionId: ids[0] });
    browser = await launchBrowser();
    csp = watchCsp(browser);
  });
  // Nothing on any page is blocked by the Content-Security-Policy (inline script/style, foreign hosts…).
  afterEach(() => csp?.expectNone());
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const signInPhone = async (account: TestAccount): Promise<Page> => signIn(await phoneContext(browser, t.url), account);

  it('shows a Chinese error for a wrong password and keeps the username', async () => {
    const ctx = await phoneContext(browser, t.url);
    const page = await ctx.newPage();
    await page.goto('/login');
    expect(await page.title()).toBe('登录 · 颐安');
    await page.getByLabel('用户名').fill(accounts.inspector.username);
    await page.getByLabel('密码').fill('wrong-password-0');
    await page.getByRole('button', { name: '登录' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('用户名或密码错误');
    expect(await page.getByLabel('用户名').inputValue()).toBe(accounts.inspector.username);
    await ctx.close();
  });

  it('the city bureau admin sees the whole city and filters the institution list', async () => {
    const page = await signInPhone(accounts.bureau_admin);
    await expect(page.locator('h1').textContent()).resolves.toContain('您好');
    expect(await page.locator('.who-role').textContent()).toBe('民政局管理员');
    expect(await page.locator('.stat').first().textContent()).toContain('3');
    await page.getByRole('main').getByRole('link', { name: '机构名录' }).click();
    await page.waitForURL(/\/institutions/);
    expect(await page.locator('.list .name').allTextContents()).toHaveLength(3);
    await page.getByLabel('类型').selectOption('day_care');
    await page.getByRole('button', { name: '筛选' }).click();
    await page.waitForURL(/kind=day_care/);
    expect(await page.locator('.list .name').allTextContents()).toEqual(['五星日间照料中心']);
    // The touch targets are large enough for a thumb.
    const box = await page.getByRole('button', { name: '筛选' }).boundingBox();
    expect(box!.height).toBeGreaterThanOrEqual(44);
  });

  it('a district officer sees only its district, opens an institution profile and signs out', async () => {
    const page = await signInPhone(accounts.bureau_officer);
    await page.goto('/institutions');
    const names = await page.locator('.list .name').allTextContents();
    expect(names.sort()).toEqual(['天宁护理院', '红梅颐养院']);
    await page.getByText('红梅颐养院').click();
    await page.waitForURL(/\/institutions\/[0-9a-f-]{36}$/);
    expect(await page.locator('h1').textContent()).toBe('红梅颐养院');
    await expect(page.getByRole('main').textContent()).resolves.toContain('5,000 m²');
    await page.getByRole('link', { name: '查看适用检查项' }).click();
    await page.waitForURL(/\/checklist$/);
    await expect(page.locator('h2#cat-REF').textContent()).resolves.toMatch(/避难间 \d+ 项适用/);
    await page.screenshot({ path: `${process.env.SCREENSHOT_DIR ?? require('node:os').tmpdir()}/yian-applicable-items.png`, fullPage: false });
    await page.goBack();
    await page.getByRole('button', { name: '退出' }).click();
    await page.waitForURL(/\/login/);
    await page.goto('/institutions');
    await page.waitForURL(/\/login\?next=%2Finstitutions/);
  });

  it('an inspector gets a helpful empty state for tasks', async () => {
    const page = await signInPhone(accounts.inspector);
    expect(await page.locator('.who-role').textContent()).toBe('检查员');
    await expect(page.locator('.empty').textContent()).resolves.toContain('暂无分配给您的检查任务');
  });

  it('an institution user sees its own institution and cannot open the bureau list', async () => {
    const page = await signInPhone(accounts.institution);
    // its workspace, under its own name (issue 14)
    expect(await page.locator('h1').first().textContent()).toBe(institutionName);
    const res = await page.goto('/institutions');
    expect(res!.status()).toBe(403);
    await expect(page.getByRole('alert').textContent()).resolves.toContain('无权执行此操作');
    await page.screenshot({ path: `${process.env.SCREENSHOT_DIR ?? require('node:os').tmpdir()}/yian-institution-403.png` });
  });

  it('the CSP watch sees a blocked inline script (so a clean run means something)', async () => {
    const ctx = await phoneContext(browser, t.url);
    const page = await ctx.newPage();
    await page.goto('/login');
    await page.evaluate(() => {
      const s = (globalThis as unknown as { document: { createElement(n: string): { textContent: string }; body: { appendChild(n: unknown): void } } }).document;
      const el = s.createElement('script');
      el.textContent = 'window.__inlineRan = true';
      s.body.appendChild(el);
    });
    for (let i = 0; i < 50 && !csp.violations.length; i++) await page.waitForTimeout(100);
    expect(csp.violations.map((v) => v.text).join('\n')).toMatch(/script-src|Refused to execute inline script/);
    expect(await page.evaluate(() => (globalThis as unknown as { __inlineRan?: boolean }).__inlineRan)).toBeUndefined();
    csp.violations.splice(0);
    await ctx.close();
  });

  it('the API docs (Swagger UI) render under their CSP', async () => {
    const ctx = await browser.newContext({ baseURL: t.url, viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    await page.goto('/api/docs');
    await page.locator('.swagger-ui .opblock').first().waitFor();
    expect(await page.locator('.swagger-ui .info .title').textContent()).toContain('颐安');
    expect(await page.locator('.opblock-summary-path').count()).toBeGreaterThan(10);
    await ctx.close();
  });
});
