import * as path from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { createAccount, institutionInput, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { launchBrowser, phoneContext, signIn } from '../support/browser';
import { CspWatch, watchCsp } from '../support/csp';
import { createTestApp, TestApp } from '../support/test-app';

const shots = process.env.SCREENSHOT_DIR ?? '/tmp/yian-shots';

/** 团队检查: two inspectors on one inspection, both offline, both answer, both online — no answer lost, a real conflict shown and resolved. */
describe('a team inspection on two phones: per-item merge and a conflict resolved by a person', () => {
  let t: TestApp;
  let browser: Browser;
  let csp: CspWatch;
  let zhang: TestAccount;
  let li: TestAccount;
  let inspectionId: string;

  beforeAll(async () => {
    t = await createTestApp();
    await seedDivisions(t.db);
    const officer = await tokenFor(t, await createAccount(t, 'bureau_officer', { divisionCode: '320402' }));
    zhang = await createAccount(t, 'inspector', { divisionCode: '320402' });
    li = await createAccount(t, 'inspector', { divisionCode: '320402' });
    const institution = await t.http().post('/api/institutions').set('Authorization', `Bearer ${officer}`).send(institutionInput({
      name: '松涛社区日间照料中心', kind: 'day_care', storeys: 1, totalAreaM2: 380, approvedBeds: 0, occupiedBeds: 0, residentsSelfCare: 0,
      residentsMildlyDisabled: 0, residentsModeratelyDisabled: 0, residentsSeverelyDisabled: 0, highestFloorWithDisabled: null,
      hasFireControlRoom: false, hasAutoFireAlarm: false, hasSprinklers: false, gasSupply: 'piped', hasCanteen: true, hasElevator: false,
    })).expect(201);
    inspectionId = (await t.http().post('/api/inspections').set('Authorization', `Bearer ${officer}`)
      .send({ institutionId: institution.body.id, kind: 'random', teamUserIds: [zhang.id, li.id] }).expect(201)).body.id;
    browser = await launchBrowser();
    csp = watchCsp(browser);
  });
  afterEach(() => csp?.expectNone());
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function openForm(account: TestAccount): Promise<{ ctx: BrowserContext; page: Page }> {
    const ctx = await phoneContext(browser, t.url);
    const page = await signIn(ctx, account);
    await page.goto(`/inspections/${inspectionId}/fill`);
    await page.locator('#inspection-form section.item').first().waitFor();
    await page.locator('#sync-status', { hasText: '已全部同步' }).waitFor();
    return { ctx, page };
  }
  const item = (page: Page, code: string) => page.locator(`#item-${code}`);
  const answer = (page: Page, code: string, name: '合格' | '不合格' | '不适用') => item(page, code).getByRole('button', { name, exact: true }).click();
  const pressed = (page: Page, code: string, name: string) => item(page, code).getByRole('button', { name, exact: true }).getAttribute('aria-pressed');
  /** The page coming back into view: the form pulls the team's draft (as it does every 15 s). */
  const lookAgain = (page: Page) => page.evaluate(`document.dispatchEvent(new Event('visibilitychange'))`);
  async function noSideScroll(page: Page) {
    expect(await page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
  }

  it('merges disjoint answers, shows the conflict to both, and one resolves it for both', async () => {
    const z = await openForm(zhang);
    const l = await openForm(li);
    const codes = await z.page.locator('#inspection-form section.item').evaluateAll((els) => els.slice(0, 5).map((e) => e.getAttribute('data-code')!));
    const [a, b, shared, c, d] = codes;

    // 分工: Zhang (the lead) gives the first section to Li; Li sees it as hers.
    await z.page.locator('#team-conflicts summary', { hasText: '分工' }).click();
    await z.page.locator('#team-conflicts select[data-assign]').first().selectOption(li.id);
    await z.page.locator('#team-conflicts', { hasText: '分工已保存' }).waitFor();
    await z.page.locator('#team-conflicts summary', { hasText: '分工' }).click(); // folded away again
    await lookAgain(l.page);
    await l.page.locator('#team-conflicts', { hasText: '分配给我' }).waitFor();
    await expect(l.page.locator('#team-conflicts summary').count()).resolves.toBe(0); // only the lead assigns

    // Both lose signal and answer their share; both answer `shared`, differently.
    await z.ctx.setOffline(true);
    await l.ctx.setOffline(true);
    await answer(z.page, a, '合格');
    await answer(z.page, b, '合格');
    await answer(z.page, shared, '不合格');
    await item(z.page, shared).getByLabel('情况说明').fill('灭火器压力表指针在红区');
    await answer(l.page, c, '合格');
    await answer(l.page, d, '不适用');
    await answer(l.page, shared, '合格');
    await z.page.locator('#sync-status', { hasText: '离线' }).waitFor();

    // Back online, one after the other.
    await z.ctx.setOffline(false);
    await z.page.locator('#sync-status', { hasText: '已全部同步' }).waitFor({ timeout: 10_000 });
    await l.ctx.setOffline(false);
    await l.page.locator('#sync-status', { hasText: '已全部同步' }).waitFor({ timeout: 10_000 });

    // Li's phone: Zhang's answers arrived, the conflict card shows both answers with who and when.
    const liCard = item(l.page, shared).locator('.conflict-card');
    await liCard.waitFor();
    expect(await pressed(l.page, a, '合格')).toBe('true');
    expect(await pressed(l.page, b, '合格')).toBe('true');
    await expect(liCard.textContent()).resolves.toMatch(new RegExp(`${zhang.displayName} \\d\\d:\\d\\d：不合格`));
    await expect(liCard.textContent()).resolves.toMatch(new RegExp(`${li.displayName}（我） \\d\\d:\\d\\d：合格`));
    await expect(liCard.textContent()).resolves.toContain('灭火器压力表指针在红区');
    await liCard.scrollIntoViewIfNeeded();
    await l.page.screenshot({ path: path.join(shots, 'yian-team-conflict-390.png') });
    await noSideScroll(l.page);

    // Zhang's phone: Li's answers and the same conflict, after its next look at the server.
    await lookAgain(z.page);
    const zCard = item(z.page, shared).locator('.conflict-card');
    await zCard.waitFor();
    expect(await pressed(z.page, c, '合格')).toBe('true');
    expect(await pressed(z.page, d, '不适用')).toBe('true');
    expect(await pressed(z.page, shared, '不合格')).toBe('true'); // his own answer stays until a person chooses
    await z.page.setViewportSize({ width: 360, height: 740 });
    await zCard.scrollIntoViewIfNeeded();
    await z.page.screenshot({ path: path.join(shots, 'yian-team-conflict-360.png') });
    await noSideScroll(z.page);
    await expect(z.page.locator('#team-conflicts').textContent()).resolves.toContain('答案冲突 1 项');
    await z.page.locator('#team-conflicts').scrollIntoViewIfNeeded();
    await z.page.screenshot({ path: path.join(shots, 'yian-team-summary-360.png') });

    // Submitting is held while the conflict is open; the panel lists it.
    await z.page.getByRole('button', { name: '提交检查结果' }).click();
    await z.page.locator('#conflict-summary', { hasText: shared }).waitFor();
    await z.page.getByRole('button', { name: '确认提交' }).click();
    await z.page.locator('#submit-errors', { hasText: '答案冲突' }).waitFor();

    // Zhang checks again and takes Li's answer: resolved for him at once, and for Li on her next look.
    await zCard.scrollIntoViewIfNeeded();
    await zCard.getByRole('button', { name: `采用${li.displayName}的答案：合格` }).click();
    await zCard.waitFor({ state: 'detached' });
    expect(await pressed(z.page, shared, '合格')).toBe('true');
    await lookAgain(l.page);
    await liCard.waitFor({ state: 'detached' });
    expect(await pressed(l.page, shared, '合格')).toBe('true');
    await expect(l.page.locator('#team-conflicts').textContent()).resolves.not.toContain('答案冲突');

    // No answer lost on the server; the resolution is on record with both answers.
    const rows: { item_code: string; result: string }[] = await t.db.query(
      `SELECT item_code, answer->>'result' AS result FROM inspection_draft_item WHERE inspection_id = $1 ORDER BY item_code`, [inspectionId]);
    expect(Object.fromEntries(rows.map((r) => [r.item_code, r.result]))).toEqual({ [a]: 'pass', [b]: 'pass', [shared]: 'pass', [c]: 'pass', [d]: 'na' });
    const [conflict] = await t.db.query(`SELECT status, resolved_by, sides FROM inspection_draft_conflict WHERE inspection_id = $1`, [inspectionId]);
    expect(conflict.status).toBe('resolved');
    expect(conflict.resolved_by).toBe(zhang.id);
    expect(conflict.sides.map((s: { answer: { result: string } }) => s.answer.result)).toEqual(['fail', 'pass']);
    await z.ctx.close();
    await l.ctx.close();
  });
});
