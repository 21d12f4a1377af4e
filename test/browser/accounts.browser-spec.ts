import { Browser } from 'playwright-core';
import { launchBrowser, signIn } from '../support/browser';
import { CspWatch, watchCsp } from '../support/csp';
import { createAccount, institutionInput, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { desktopContext, expectSoundPage } from '../support/page-checks';
import { createTestApp, TestApp } from '../support/test-app';

/** 账号 and 审计日志 through the pages only: the admin creates an account, hands over its password, disables it, verifies the chain. */
describe('the admin manages accounts and checks the audit log', () => {
  let t: TestApp;
  let browser: Browser;
  let csp: CspWatch;
  let admin: TestAccount;

  beforeAll(async () => {
    t = await createTestApp();
    await seedDivisions(t.db);
    admin = await createAccount(t, 'bureau_admin', { divisionCode: '320402' });
    // Seeded through the API (another area's data): an officer and an institution, so the home has something to count.
    const officer = await createAccount(t, 'bureau_officer', { divisionCode: '320402' });
    await t.http().post('/api/institutions').set('Authorization', `Bearer ${await tokenFor(t, officer)}`).send(institutionInput({ name: '浏览器测试颐养院' })).expect(201);
    browser = await launchBrowser();
    csp = watchCsp(browser);
  });
  afterEach(() => csp?.expectNone());
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('creates an account, shows the one-time password once, disables the account, verifies the audit chain', async () => {
    const ctx = await desktopContext(browser, t.url);
    await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: t.url });
    const page = await signIn(ctx, admin);

    // The admin's home: accounts and audit status.
    expect(await page.getByRole('heading', { name: '账号', exact: true }).count()).toBe(1);
    expect(await page.locator('a.stat', { hasText: '账号总数' }).innerText()).toMatch(/\d+/);
    expect(await page.locator('#s-audit').count()).toBe(1);
    expect(await page.getByText('本辖区还没有校验过审计链').count()).toBe(1);
    await expectSoundPage(page, 'accounts-admin-home');

    await page.locator('nav.mainnav').getByRole('link', { name: '账号' }).click();
    await page.waitForURL('**/accounts');
    await expectSoundPage(page, 'accounts-list');
    await page.getByRole('link', { name: '新建账号' }).first().click();
    await page.waitForURL('**/accounts/new');
    await page.getByLabel('用户名').fill('tn.inspector7');
    await page.getByLabel('姓名').fill('天宁检查员七');
    await page.getByLabel('角色').selectOption('institution');
    expect(await page.getByLabel('行政区划（监管人员、检查员、管理员）').isVisible()).toBe(false);
    await page.getByLabel('角色').selectOption('inspector');
    expect(await page.getByLabel('机构（机构用户）').isVisible()).toBe(false);
    await page.getByLabel('行政区划（监管人员、检查员、管理员）').selectOption('320402004');
    await expectSoundPage(page, 'accounts-new');
    await page.getByRole('button', { name: '创建账号' }).click();
    await page.waitForURL(/\/accounts\/[0-9a-f-]{36}\/issued/);

    const password = await page.getByRole('textbox', { name: '密码', exact: true }).inputValue();
    expect(password).toMatch(/^[A-Za-z2-9]{4}(-[A-Za-z2-9]{4}){3}$/);
    expect(await page.getByText('此密码只显示这一次').count()).toBe(1);
    await page.getByRole('button', { name: '复制' }).click();
    await page.getByText('已复制到剪贴板').waitFor();
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(password);
    await expectSoundPage(page, 'accounts-issued');
    const issuedUrl = page.url();
    await page.reload();
    expect(await page.getByText('不会再次显示').count()).toBe(1);
    expect(await page.content()).not.toContain(password);
    await page.getByRole('link', { name: '查看账号' }).click();
    await page.waitForURL(issuedUrl.replace('/issued?reason=created', ''));
    await expectSoundPage(page, 'accounts-detail');

    // The new account signs in with it, in its own browser.
    const other = await desktopContext(browser, t.url);
    const own = await signIn(other, { username: 'tn.inspector7', password });
    expect(await own.getByRole('heading', { name: /您好/ }).count()).toBe(1);

    // Disable, with the confirmation step; the inspector's open session ends.
    await page.getByRole('link', { name: '停用账号…' }).click();
    await page.waitForURL('**/disable');
    await expectSoundPage(page, 'accounts-disable-confirm');
    await page.getByRole('button', { name: '确认停用' }).click();
    // The checkbox is required: the browser does not send the form without it.
    expect(page.url()).toMatch(/\/disable$/);
    await page.getByLabel(/我确认停用账号 tn\.inspector7/).check();
    await page.getByRole('button', { name: '确认停用' }).click();
    await page.getByText('账号已停用，它的所有会话已结束').waitFor();
    await own.reload();
    await own.waitForURL((u) => u.pathname === '/login');
    await own.getByLabel('用户名').fill('tn.inspector7');
    await own.getByLabel('密码').fill(password);
    await own.getByRole('button', { name: '登录' }).click();
    await own.getByText('账号已停用').waitFor();

    // The audit log: filter to this admin's actions, open a before/after, verify the chain.
    await page.locator('nav.mainnav').getByRole('link', { name: '审计日志' }).click();
    await page.waitForURL('**/audit');
    await page.getByLabel('操作人（用户名）').fill(admin.username);
    await page.getByRole('button', { name: '筛选' }).click();
    await page.waitForURL(/actor=/);
    const disabled = page.locator('li.audit-event', { hasText: '停用账号' }).first();
    await disabled.locator('summary').click();
    expect(await disabled.locator('tr.audit-changed', { hasText: 'status' }).innerText()).toMatch(/active\s+disabled/);
    await page.getByRole('button', { name: '校验审计链' }).click();
    await page.waitForURL(/verified=1/);
    expect(await page.locator('[data-verification="ok"]').innerText()).toContain('审计链完整');
    await expectSoundPage(page, 'accounts-audit');

    // Back home: the audit status shows the verification, the accounts count the disabled one.
    await page.locator('a.brand').click();
    await page.waitForURL((u) => u.pathname === '/');
    expect(await page.locator('[data-verification="ok"]').count()).toBe(1);
    expect(await page.locator('a.stat', { hasText: '已停用' }).innerText()).toMatch(/^1/);
    await expectSoundPage(page, 'accounts-admin-home-after');
    await other.close();
    await ctx.close();
  }, 90_000);
});
