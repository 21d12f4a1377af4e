import type { Browser, BrowserContext } from 'playwright-core';
import { launchBrowser, signIn } from '../support/browser';
import { CspWatch, watchCsp } from '../support/csp';
import { createAccount, institutionInput, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { formItems, submission } from '../support/inspection-fixtures';
import { desktopContext, expectSoundPage } from '../support/page-checks';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * A bureau officer plans a 双随机 inspection through the pages only: creates it, sees the draw (seed, algorithm,
 * result), verifies it, edits it before publication (drawn again), and — once the drawn inspection is submitted
 * (the inspector's work, seeded through the API) — publishes it after the confirmation step and finds it on /public.
 */
describe('检查计划 and 双随机 in the browser', () => {
  let t: TestApp;
  let browser: Browser;
  let csp: CspWatch;
  let ctx: BrowserContext;
  let officer: TestAccount;
  const team: TestAccount[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    await seedDivisions(t.db);
    officer = await createAccount(t, 'bureau_officer', { divisionCode: '320402' });
    const token = await tokenFor(t, officer);
    for (let i = 0; i < 3; i++) team.push(await createAccount(t, 'inspector', { divisionCode: '320402' }));
    for (const name of ['红梅颐养院', '天宁康乐养老院', '青龙日间照料中心']) {
      await t.http().post('/api/institutions').set('Authorization', `Bearer ${token}`).send(institutionInput({ name })).expect(201);
    }
    browser = await launchBrowser();
    csp = watchCsp(browser);
    ctx = await desktopContext(browser, t.url);
  });
  afterEach(() => csp?.expectNone());
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('creates, draws, verifies, edits and publishes a 双随机 plan', async () => {
    const page = await signIn(ctx, officer);
    await page.getByRole('link', { name: '检查计划' }).first().click();
    await page.waitForURL((u) => u.pathname === '/plans');
    expect(await page.locator('.empty').textContent()).toContain('制定检查计划');
    await expectSoundPage(page, 'plans-list-empty');

    // Create: the form with its defaults (team of 2, 12 months' rotation from the policy).
    await page.getByRole('link', { name: '制定检查计划' }).first().click();
    await page.waitForURL((u) => u.pathname === '/plans/new');
    expect(await page.getByLabel('每组人数').inputValue()).toBe('2');
    expect(await page.getByLabel('回避期限（月）').inputValue()).toBe('12');
    await expectSoundPage(page, 'plans-new');
    // A first try without a count: refused, naming the field, the typed values kept.
    await page.getByLabel('计划名称').fill('2026年12月双随机抽查（天宁区）');
    for (const m of team) await page.getByLabel(m.displayName).check();
    await page.getByRole('button', { name: '保存并抽取' }).click();
    await page.waitForURL((u) => u.pathname === '/plans');
    expect(await page.getByRole('alert').textContent()).toContain('抽取机构数：');
    expect(await page.getByLabel('计划名称').inputValue()).toBe('2026年12月双随机抽查（天宁区）');
    await page.getByLabel('抽取机构数').fill('2');
    await page.getByLabel('随机种子').fill('browser-2026-12');
    await page.getByRole('button', { name: '保存并抽取' }).click();
    await page.waitForURL(/\/plans\/[0-9a-f-]{36}\?ok=created/);
    const planPath = new URL(page.url()).pathname;

    // The draw: seed, algorithm with its explanation, the result (institution → team).
    expect(await page.locator('#plan-seed').textContent()).toBe('browser-2026-12');
    const draw = await page.locator('section[aria-labelledby="draw-title"]').textContent();
    expect(draw).toContain('yian-draw-v1');
    expect(draw).toContain('Fisher–Yates');
    expect(await page.locator('.plan-result tbody tr').count()).toBe(2);
    expect(await page.locator('.plan-result tbody tr').first().locator('.tag', { hasText: '组长' }).count()).toBe(1);
    await expectSoundPage(page, 'plans-detail');

    await page.getByRole('button', { name: '重新核验抽取' }).click();
    await page.waitForURL((u) => u.pathname === `${planPath}/verify`);
    expect(await page.locator('#verify-result').textContent()).toContain('核验通过');

    // Edit before publishing: one institution instead of two, drawn again with the same seed.
    await page.getByRole('link', { name: '编辑', exact: true }).click();
    await page.waitForURL((u) => u.pathname === `${planPath}/edit`);
    await page.getByLabel('抽取机构数').fill('1');
    await page.getByLabel('计划名称').fill('2026年12月双随机抽查（天宁区，调整后）');
    await expectSoundPage(page, 'plans-edit');
    await page.getByRole('button', { name: '保存修改' }).click();
    await page.waitForURL((u) => u.pathname === planPath && u.search === '?ok=redrawn');
    expect(await page.locator('.plan-result tbody tr').count()).toBe(1);
    expect(await page.locator('#plan-seed').textContent()).toBe('browser-2026-12');
    expect(await page.locator('.plan-why').textContent()).toContain('暂不能公示');

    // The inspector's work (another area): the drawn team submits its inspection.
    const planId = planPath.split('/').pop()!;
    const [{ id: inspectionId }] = await t.db.query('SELECT id FROM inspection WHERE plan_id = $1', [planId]);
    const members = await t.db.query(`SELECT user_id FROM inspection_team_member WHERE inspection_id = $1 ORDER BY role`, [inspectionId]);
    const signers = members.map((m: { user_id: string }) => team.find((a) => a.id === m.user_id)!);
    const lead = await tokenFor(t, signers[0]);
    const items = await formItems(t, lead, inspectionId);
    await t.http().post(`/api/inspections/${inspectionId}/submit`).set('Authorization', `Bearer ${lead}`).send(submission(items, {}, signers)).expect(201);

    // Publish with the confirmation step.
    await page.reload();
    expect(await page.locator('.plan-progress tbody td').nth(3).textContent()).toBe('1');
    await page.getByRole('link', { name: '发布（公示）' }).click();
    await page.waitForURL((u) => u.pathname === `${planPath}/publish`);
    expect(await page.locator('section.confirm').textContent()).toContain('此操作不可撤销');
    await expectSoundPage(page, 'plans-publish-confirm');
    await page.getByRole('button', { name: '确认公示' }).click();
    await page.locator('section.confirm [role=alert]').waitFor();
    expect(await page.locator('section.confirm [role=alert]').textContent()).toContain('请勾选');
    await page.getByLabel('我已核对抽取结果和检查结果，确认公示').check();
    await page.getByRole('button', { name: '确认公示' }).click();
    await page.waitForURL((u) => u.pathname === planPath && u.search === '?ok=published');
    expect(await page.locator('.plan-head .tag').textContent()).toBe('已公示');
    expect(await page.getByRole('link', { name: '编辑', exact: true }).count()).toBe(0);

    await page.goto('/plans');
    expect(await page.locator('.plan-table tbody tr').count()).toBe(1);
    await expectSoundPage(page, 'plans-list');

    await page.goto('/public');
    expect(await page.locator('main').textContent()).toContain('2026年12月双随机抽查（天宁区，调整后）');
  }, 90_000);
});

