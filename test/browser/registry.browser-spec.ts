import { Browser, Page } from 'playwright-core';
import { launchBrowser, signIn } from '../support/browser';
import { CspWatch, watchCsp } from '../support/csp';
import { createAccount, creditCode, institutionInput, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { desktopContext, expectSoundPage } from '../support/page-checks';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * 机构名录 through the pages (issue 13, item 6): an officer registers an institution (a mistyped credit code is
 * named), edits it (and meets a version conflict), the institution files a change request (seeded through the
 * API), and the officer approves it from the institution page; the page shows its history sections.
 */
describe('the registry in the browser', () => {
  let t: TestApp;
  let browser: Browser;
  let csp: CspWatch;
  let officer: TestAccount;
  let officerToken: string;

  beforeAll(async () => {
    t = await createTestApp();
    await seedDivisions(t.db);
    officer = await createAccount(t, 'bureau_officer', { divisionCode: '320402' });
    officerToken = await tokenFor(t, officer);
    await t.http().post('/api/institutions').set('Authorization', `Bearer ${officerToken}`).send(institutionInput({ name: '红梅安康养老院' })).expect(201);
    browser = await launchBrowser();
    csp = watchCsp(browser);
  });
  afterEach(() => csp?.expectNone());
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const text = (page: Page, selector: string) => page.locator(selector).first().textContent();

  it('registers, edits, resolves a version conflict and approves a change request, all on the pages', async () => {
    const ctx = await desktopContext(browser, t.url);
    const page = await signIn(ctx, officer);
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '机构名录' }).click();
    await page.waitForURL(/\/institutions$/);
    expect(await text(page, '.list')).toContain('天宁区 · 红梅街道');
    await expectSoundPage(page, 'registry-list');
    await page.getByRole('link', { name: '登记机构' }).click();
    await page.waitForURL(/\/institutions\/new$/);
    await expectSoundPage(page, 'registry-new');

    // The form, section by section; the credit code with a wrong check character (the browser's pattern lets it through).
    const code = creditCode('320402');
    const wrong = code.slice(0, 17) + (code[17] === '0' ? '1' : '0');
    await page.fill('#i-name', '竹林颐养院');
    await page.selectOption('#i-kind', 'nursing_home');
    await page.selectOption('#i-ownership', 'public_private');
    await page.fill('#i-creditCode', wrong);
    await page.selectOption('#i-divisionCode', '320402004');
    await page.fill('#i-address', '常州市天宁区红梅街道竹林路 18 号');
    await page.fill('#i-contactName', '陈静');
    await page.fill('#i-contactPhone', '13912345678');
    await page.fill('#i-storeys', '3');
    await page.fill('#i-totalAreaM2', '2600');
    await page.fill('#i-fireResistanceGrade', '2');
    await page.fill('#i-approvedBeds', '60');
    await page.fill('#i-occupiedBeds', '45');
    await page.fill('#i-residentsSelfCare', '20');
    await page.fill('#i-residentsMildlyDisabled', '15');
    await page.fill('#i-residentsModeratelyDisabled', '10');
    await page.fill('#i-highestFloorWithDisabled', '2');
    await page.getByLabel('设有火灾自动报警系统').check();
    await page.getByLabel('设有自动喷水灭火系统').check();
    await page.selectOption('#i-gasSupply', 'piped');
    await page.getByRole('button', { name: '登记' }).click();
    await page.waitForLoadState();
    expect(await text(page, '#i-creditCode-error')).toContain('校验位错误');
    expect(await page.locator('#i-creditCode').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#i-name').inputValue()).toBe('竹林颐养院');
    await expectSoundPage(page, 'registry-new-errors');
    await page.fill('#i-creditCode', code.toLowerCase());
    await page.getByRole('button', { name: '登记' }).click();
    await page.waitForURL(/\/institutions\/[0-9a-f-]{36}\?ok=created$/);
    const id = /\/institutions\/([0-9a-f-]{36})/.exec(page.url())![1];
    expect(await page.getByRole('status').first().textContent()).toContain('机构已登记');
    for (const h of ['检查记录', '隐患', '安全得分', '等级评定', '运营补贴', '运营状态']) {
      await expect(page.getByRole('heading', { level: 2, name: new RegExp(`^${h}`) }).count()).resolves.toBe(1);
    }
    expect(await page.locator('dl.profile').nth(1).textContent()).toContain('核定 60，入住 45');
    await expectSoundPage(page, 'registry-institution');

    // Edit: the contact changes; meanwhile someone else changes the beds through the API.
    await page.getByRole('link', { name: '编辑档案' }).click();
    await page.waitForURL(/\/edit$/);
    await expectSoundPage(page, 'registry-edit');
    await page.fill('#i-contactName', '陈静怡');
    await page.fill('#i-approvedBeds', '64');
    await t.http().patch(`/api/institutions/${id}`).set('Authorization', `Bearer ${officerToken}`).send({ version: 1, approvedBeds: 70 }).expect(200);
    await page.getByRole('button', { name: '保存修改' }).click();
    await page.waitForLoadState();
    expect(await page.getByRole('heading', { name: /以当前版本为准重新编辑/ }).count()).toBe(1);
    const conflict = await text(page, '.conflict table');
    expect(conflict).toMatch(/核定床位\s*60\s*64\s*70/);
    expect(await page.locator('#i-approvedBeds').inputValue()).toBe('70');
    expect(await page.locator('#i-contactName').inputValue()).toBe('陈静怡');
    await expectSoundPage(page, 'registry-conflict');
    await page.getByRole('button', { name: '保存修改' }).click();
    await page.waitForURL(/\?ok=updated$/);
    expect(await page.locator('dl.profile').first().textContent()).toContain('陈静怡');

    // The institution files a change request (seeded through the API: the filing form is the change-request pages').
    const account = await createAccount(t, 'institution', { institutionId: id });
    const [{ version }] = await t.db.query(`SELECT version FROM institution WHERE id = $1`, [id]);
    await t.http().post(`/api/institutions/${id}/change-requests`).set('Authorization', `Bearer ${await tokenFor(t, account)}`)
      .send({ version, changes: { approvedBeds: 80, occupiedBeds: 50 }, reason: '三楼改造完成，床位经核定增至 80 张' }).expect(201);

    // The officer finds it on the institution page, reviews before/after and approves.
    await page.reload();
    await page.getByRole('link', { name: '审核变更申请' }).click();
    await page.waitForURL(/\/change-requests\/[0-9a-f-]{36}$/);
    expect(await text(page, 'table.data')).toMatch(/核定床位\s*70\s*80\s*70/);
    await page.getByRole('button', { name: '确认变更' }).click();
    await page.waitForURL(/ok=approved/);
    await page.getByRole('link', { name: '竹林颐养院' }).first().click();
    await page.waitForURL(new RegExp(`/institutions/${id}$`));
    expect(await page.locator('dl.profile').nth(1).textContent()).toContain('核定 80，入住 50');
    expect(await page.getByRole('link', { name: '审核变更申请' }).count()).toBe(0);

    // 档案变更审核 in the navigation lists it as decided.
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '档案变更审核' }).click();
    await page.getByRole('link', { name: '已确认' }).click();
    expect(await text(page, '.list')).toContain('竹林颐养院');

    // Closing asks for a confirmation that states it is final; cancelled here.
    await page.goto(`/institutions/${id}#status`);
    await page.locator('#st-close-reason').fill('举办者申请注销');
    await page.getByRole('button', { name: '注销/关闭…' }).click();
    await page.waitForLoadState();
    expect(await page.getByRole('heading', { name: '确认注销/关闭：此操作不可撤回' }).count()).toBe(1);
    await expectSoundPage(page, 'registry-close-confirm');
    await page.getByRole('link', { name: '取消' }).click();
    expect((await t.db.query(`SELECT status FROM institution WHERE id = $1`, [id]))[0].status).toBe('active');

    // Suspend from today through the page section.
    await page.getByLabel('停业起始日').fill(await page.locator('#st-suspend-date').getAttribute('max') ?? '');
    await page.locator('#st-suspend-reason').fill('消防设施整改，停止收住');
    await page.getByRole('button', { name: '停业整顿' }).click();
    await page.waitForURL(/ok=suspend/);
    expect(await text(page, '.reg-head')).toContain('停业整顿');
    expect(await text(page, '#status table')).toContain('消防设施整改，停止收住');
    await ctx.close();
  }, 90_000);
});
