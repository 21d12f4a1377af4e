import * as fs from 'node:fs';
import * as path from 'node:path';
import { Browser, Page } from 'playwright-core';
import { NotificationsRepository } from '../../src/notifications/notifications.repository';
import { createAccount, institutionInput, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { launchBrowser, phoneContext, signIn } from '../support/browser';
import { CspWatch, watchCsp } from '../support/csp';
import { formItems, submission, uploadPhoto } from '../support/inspection-fixtures';
import { SHOTS } from '../support/page-checks';
import { createTestApp, TestApp } from '../support/test-app';

/** A 40-character institution name (the longest names in the registry are about this long). */
const LONG_NAME = '常州市天宁区红梅街道社会福利服务中心暨红梅颐康老年公寓医养结合护理院养老服务综合体'.slice(0, 40);
const PHONES = [{ width: 360, height: 740 }, { width: 390, height: 844 }] as const;

/**
 * The phone layout (360 × 740 and 390 × 844, touch): a long institution name wraps in the header without squeezing
 * the brand or the bell, the public 公示 page shows cards (a table on a desktop), every role's inbox shows its
 * items with the unread count in the header, and no page of the frame scrolls sideways.
 */
describe('phone layout (Chromium, 360 and 390 px)', () => {
  let t: TestApp;
  let browser: Browser;
  let csp: CspWatch;
  let officer: TestAccount;
  let institution: TestAccount;
  const team: TestAccount[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    await seedDivisions(t.db);
    officer = await createAccount(t, 'bureau_officer', { divisionCode: '320402' });
    const as = { Authorization: `Bearer ${await tokenFor(t, officer)}` };
    team.push(await createAccount(t, 'inspector', { divisionCode: '320402' }), await createAccount(t, 'inspector', { divisionCode: '320402' }));
    const institutionId = (await t.http().post('/api/institutions').set(as).send(institutionInput({ name: LONG_NAME })).expect(201)).body.id;
    institution = await createAccount(t, 'institution', { institutionId });
    // A random plan drawing the institution (each inspector told), inspected with two findings, a notice served,
    // one finding listed as a major hazard; the plan published (公示).
    const plan = (await t.http().post('/api/inspection-plans').set(as).send({
      name: '2026年12月双随机抽查', kind: 'random', divisionCode: '320402', sampleCount: 1, teamSize: 2, inspectorIds: team.map((m) => m.id), seed: 'phone-layout',
    }).expect(201)).body;
    const inspectionId = (await t.db.query('SELECT id FROM inspection WHERE plan_id = $1', [plan.id]))[0].id;
    const lead = await tokenFor(t, team.find((m) => plan.drawResult.selected[0].inspectorIds[0] === m.id)!);
    const items = await formItems(t, lead, inspectionId);
    const fails: Record<string, string[]> = {};
    for (const item of items.filter((i) => i.severity === 'general').slice(0, 2)) fails[item.code] = item.evidence.photoRequiredWhenFailed ? [await uploadPhoto(t, lead, inspectionId, item.code)] : [];
    const submitted = (await t.http().post(`/api/inspections/${inspectionId}/submit`).set('Authorization', `Bearer ${lead}`).send(submission(items, fails, team)).expect(201)).body;
    await t.http().post(`/api/inspections/${inspectionId}/notice`).set(as).expect(201);
    const [major] = submitted.hazards;
    await t.db.query(`UPDATE hazard SET severity = 'major', major_criterion = 'MZ2023-4.2', listed = true, plan_due_date = due_date WHERE id = $1`, [major.id]);
    await t.http().post(`/api/inspection-plans/${plan.id}/publish`).set(as).send({ version: plan.version }).expect(200);
    const [{ division_path: divisionPath }] = await t.db.query('SELECT division_path FROM institution WHERE id = $1', [institutionId]);
    await t.db.transaction(async (em) => {
      const repo = t.app.get(NotificationsRepository);
      await repo.notify(em, { audience: 'institution', institutionId, divisionPath, kind: 'hazard.reminder', title: `整改期限还有 3 天：${major.itemCode}`, body: '消防通道堆放杂物，期限临近，请尽快整改并在线提交整改情况。', entityType: 'hazard', entityId: major.id, dedupKey: 'phone-reminder' });
      await repo.notify(em, { audience: 'bureau', institutionId: null, divisionPath, kind: 'hazard.overdue', title: `隐患逾期未整改：${major.itemCode}（重大隐患，挂牌督办）`, body: LONG_NAME, entityType: 'hazard', entityId: major.id, dedupKey: 'phone-overdue' });
    });
    fs.mkdirSync(SHOTS, { recursive: true });
    browser = await launchBrowser();
    csp = watchCsp(browser);
  }, 60_000);
  afterEach(() => csp?.expectNone());
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const scrollWidth = (page: Page) => page.evaluate<number>('document.documentElement.scrollWidth');
  const style = (page: Page, selector: string, property: string) =>
    page.evaluate<string>(`getComputedStyle(document.querySelector(${JSON.stringify(selector)})).${property}`);
  const badge = async (page: Page) => ((await page.locator('.bell-count').count()) ? (await page.locator('.bell-count').textContent()) : null);
  /** Visits each page at each phone size: no sideways scroll, a screenshot of each. */
  async function visit(page: Page, who: string, paths: string[]): Promise<void> {
    for (const size of PHONES) {
      await page.setViewportSize(size);
      for (const p of paths) {
        await page.goto(p);
        expect([p, size.width, await scrollWidth(page)]).toEqual([p, size.width, size.width]);
        await page.screenshot({ path: path.join(SHOTS, `phone-${who}-${p.replace(/\W+/g, '_') || 'home'}-${size.width}.png`), fullPage: true });
      }
    }
  }

  it('wraps a long institution name below the brand and the bell, and shows the institution its inbox with the unread count', async () => {
    const page = await signIn(await phoneContext(browser, t.url), institution);
    for (const size of PHONES) {
      await page.setViewportSize(size);
      await page.goto('/');
      expect(await page.locator('.who-place').textContent()).toBe(LONG_NAME);
      const [brand, bell, place, header] = await Promise.all(['.topbar .brand', '.topbar .bell', '.who-place', 'header.topbar'].map((s) => page.locator(s).boundingBox()));
      // the brand keeps its width and the bell its place on the first row, inside the screen; the name wraps beneath them
      expect(brand!.width).toBeGreaterThan(40);
      expect(bell!.x + bell!.width).toBeLessThanOrEqual(size.width);
      expect(bell!.height).toBeGreaterThanOrEqual(44);
      expect(place!.y).toBeGreaterThanOrEqual(brand!.y + brand!.height - 1);
      expect(place!.height).toBeGreaterThan(30); // two lines at least
      expect(place!.x + place!.width).toBeLessThanOrEqual(size.width);
      expect(header!.height).toBeLessThan(200);
    }
    await visit(page, 'institution', ['/', '/hazards', '/notices', '/notifications']);

    await page.goto('/notifications');
    expect(await page.locator('.inbox-item.unread').count()).toBe(3); // the notice served, the reminder and the invitation to rate the visit
    expect(await badge(page)).toBe('3');
    // Following an unread item marks it read and opens its object.
    await page.locator('.inbox-item.unread a.inbox-link', { hasText: '整改期限还有 3 天' }).click();
    await page.waitForURL(/\/hazards\/[0-9a-f-]{36}$/);
    expect(await badge(page)).toBe('2');
    await page.goto('/notifications');
    await page.getByRole('button', { name: '全部标为已读' }).click();
    await page.waitForURL(/ok=all_read/);
    expect(await badge(page)).toBeNull();
    expect(await page.locator('.inbox-item.unread').count()).toBe(0);
    await page.context().close();
  }, 40_000);

  it('shows the inspector its new task and the officer the bureau’s notifications, no page scrolling sideways', async () => {
    const inspectorPage = await signIn(await phoneContext(browser, t.url), team[0]);
    expect(await badge(inspectorPage)).toBe('1');
    await visit(inspectorPage, 'inspector', ['/hazards', '/notifications']);
    expect(await inspectorPage.locator('.inbox-item.unread .inbox-title').allTextContents()).toEqual([`新的检查任务：${LONG_NAME}`]);
    await inspectorPage.context().close();

    const officerPage = await signIn(await phoneContext(browser, t.url), officer);
    expect(await badge(officerPage)).toBe('1');
    await visit(officerPage, 'officer', ['/', '/hazards', '/notices', '/notifications']);
    expect(await officerPage.locator('.inbox-item .inbox-title').allTextContents()).toEqual([expect.stringContaining('隐患逾期未整改')]);
    await officerPage.context().close();
  }, 40_000);

  it('shows the public 公示 as cards on a phone and as a table on a desktop', async () => {
    const ctx = await phoneContext(browser, t.url);
    const page = await ctx.newPage();
    for (const size of PHONES) {
      await page.setViewportSize(size);
      await page.goto('/public');
      expect(await page.locator('table.cards tbody tr').count()).toBe(2); // the listed hazard, the published result
      expect(await style(page, 'table.cards tbody tr', 'display')).toBe('block');
      expect(await style(page, 'table.cards thead', 'position')).toBe('absolute');
      expect(await page.locator('table.cards .card-head').first().textContent()).toBe(LONG_NAME);
      expect(await page.locator('table.cards td[data-label="整改期限"]').count()).toBe(1);
      expect(await scrollWidth(page)).toBe(size.width);
      await page.screenshot({ path: path.join(SHOTS, `phone-public-${size.width}.png`), fullPage: true });
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(await style(page, 'table.cards tbody tr', 'display')).toBe('table-row');
    expect(await style(page, 'table.cards thead', 'position')).toBe('static');
    await page.screenshot({ path: path.join(SHOTS, 'desktop-public-1280.png'), fullPage: true });
    await ctx.close();
  });
});
