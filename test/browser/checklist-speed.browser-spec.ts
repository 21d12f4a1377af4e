import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Browser, Locator } from 'playwright-core';
import { DEMO_INSTITUTIONS, demoProfile } from '../../src/demo/demo-data';
import { createAccount, institutionInput, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { launchBrowser, phoneContext, signIn } from '../support/browser';
import { CspWatch, watchCsp } from '../support/csp';
import { tinyPng } from '../support/images';
import { FormItem, formItems, submission, uploadPhoto } from '../support/inspection-fixtures';
import { createTestApp, TestApp } from '../support/test-app';

const shots = process.env.SCREENSHOT_DIR ?? path.join(os.tmpdir(), 'yian-shots');

/**
 * 百项检查表几分钟填完: the demo institution's full checklist (all pass but three failures with photos), filled on a
 * phone by touch the old way (one tap per item) and the new way (本节其余合格), counting every tap on the page.
 * Typing is not counted (the same text either way); a select counts two taps (open, choose).
 */
describe('a full checklist in few taps: sections, bulk actions, previous findings', () => {
  let t: TestApp;
  let browser: Browser;
  let csp: CspWatch;
  let inspector: TestAccount;
  let oldWay: string;
  let newWay: string;
  let fails: FormItem[];
  let total: number;

  beforeAll(async () => {
    t = await createTestApp();
    await seedDivisions(t.db);
    const officer = await tokenFor(t, await createAccount(t, 'bureau_officer', { divisionCode: '320402' }));
    inspector = await createAccount(t, 'inspector', { divisionCode: '320402' });
    const colleague = await createAccount(t, 'inspector', { divisionCode: '320402' });
    const token = await tokenFor(t, inspector);
    // The demo's own institution (常州市天宁区红梅颐养院): the demo's fullest checklist.
    const demo = DEMO_INSTITUTIONS[0];
    const institutionId = (await t.http().post('/api/institutions').set('Authorization', `Bearer ${officer}`)
      .send(institutionInput({ name: demo.name, kind: demo.kind, divisionCode: demo.divisionCode, ...demoProfile(demo.profile) })).expect(201)).body.id;
    const assign = async () => (await t.http().post('/api/inspections').set('Authorization', `Bearer ${officer}`)
      .send({ institutionId, kind: 'routine', teamUserIds: [inspector.id, colleague.id] }).expect(201)).body.id as string;
    // A previous inspection found the same three problems: the form shows them (上次不合格), and again as 重复出现.
    const previous = await assign();
    const items = await formItems(t, token, previous);
    total = items.length;
    const byCategory = new Map<string, FormItem>();
    for (const i of items) {
      const cat = i.code.split('-')[0];
      if (i.severity === 'general' && i.evidence.photoRequiredWhenFailed && !byCategory.has(cat)) byCategory.set(cat, i);
    }
    fails = [byCategory.get('ESC')!, byCategory.get('ELE')!, byCategory.get('FOOD')!];
    const photos: Record<string, string[]> = {};
    for (const f of fails) photos[f.code] = [await uploadPhoto(t, token, previous, f.code)];
    await t.http().post(`/api/inspections/${previous}/submit`).set('Authorization', `Bearer ${token}`)
      .send(submission(items, photos, [inspector, colleague])).expect(201);
    oldWay = await assign();
    newWay = await assign();
    fs.mkdirSync(shots, { recursive: true });
    fs.writeFileSync(path.join(os.tmpdir(), 'yian-speed-photo.png'), tinyPng(64, 48, [180, 60, 60]));
    browser = await launchBrowser();
    csp = watchCsp(browser);
  });
  afterEach(() => csp?.expectNone());
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('the old way takes one tap per item; section bulk actions take at most a third of the taps', async () => {
    const ctx = await phoneContext(browser, t.url);
    const page = await signIn(ctx, inspector);
    let taps = 0;
    /** One touch at the middle of the element, scrolled to the middle of the screen (a real tap, hit-tested by the page). */
    const tap = async (l: Locator) => {
      taps++;
      const at = await l.evaluate((e) => {
        e.scrollIntoView({ block: 'center' });
        const r = e.getBoundingClientRect();
        return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
      });
      await page.touchscreen.tap(at.x, at.y);
    };
    const photo = path.join(os.tmpdir(), 'yian-speed-photo.png');

    /** A 不合格 with its finding and one photo: the same taps either way. */
    const failItem = async (code: string) => {
      const item = page.locator(`#item-${code}`);
      await tap(item.getByRole('button', { name: '不合格', exact: true }));
      await tap(item.getByLabel('情况说明'));
      await item.getByLabel('情况说明').fill('再次发现：通道堆放杂物');
      await tap(item.getByLabel('位置'));
      await item.getByLabel('位置').fill('1号楼2层');
      await tap(item.getByLabel('范围'));
      taps++; // choosing the option
      await item.getByLabel('范围').selectOption({ label: '单处' });
      const chooser = page.waitForEvent('filechooser');
      await tap(item.locator('.photo-btn'));
      await (await chooser).setFiles(photo);
      await item.locator('img.thumb').first().waitFor();
    };
    const open = async (id: string) => {
      await page.goto(`/inspections/${id}/fill`);
      await page.locator('#inspection-form section.item').first().waitFor();
      taps = 0;
    };
    const expectComplete = async () => {
      await expect(page.locator('#progress').textContent()).resolves.toContain(`已作答 ${total} / ${total}`);
      await page.locator('#open-submit').click();
      await expect(page.locator('#missing-summary').textContent()).resolves.toContain(`全部 ${total} 项均已作答`);
    };
    const failCodes = fails.map((f) => f.code);

    // ---- the old way: one item at a time.
    await open(oldWay);
    const codes = await page.locator('#inspection-form section.item').evaluateAll((els) => els.map((e) => e.getAttribute('data-code')!));
    expect(codes).toHaveLength(total);
    // The previous inspection's findings are on their items.
    await expect(page.locator('#form-notice').textContent()).resolves.toContain('3 项不合格');
    for (const c of failCodes) await expect(page.locator(`#item-${c} [data-role=previous]`).textContent()).resolves.toContain('上次不合格');
    for (const code of codes) {
      if (failCodes.includes(code)) await failItem(code);
      else await tap(page.locator(`#item-${code}`).getByRole('button', { name: '合格', exact: true }));
    }
    const oldTaps = taps;
    await expectComplete();
    // Failed again where it failed last time: the repeat stands out.
    expect(await page.locator(`#item-${failCodes[0]}`).getAttribute('class')).toContain('repeat');

    // ---- the new way: each section's failures, then 本节其余合格 (confirmed inline once, with 不再询问).
    await open(newWay);
    const sections = await page.locator('#form-items section.category').evaluateAll((els) => els.map((e) => e.id.replace(/^cat-/, '')));
    let first = true;
    for (const sec of sections) {
      for (const c of failCodes) if (c.startsWith(`${sec}-`)) await failItem(c);
      const bar = page.locator(`#bulk-${sec}`);
      await tap(bar.getByRole('button', { name: /^本节其余合格/ }));
      if (first) {
        await bar.getByRole('group', { name: '确认批量操作' }).waitFor();
        await expect(bar.locator('[data-role=bulk-question]').textContent()).resolves.toMatch(/^将本节 \d+ 项未作答的检查项记为“合格”？/);
        await page.screenshot({ path: path.join(shots, 'yian-speed-confirm-390.png') });
        await page.setViewportSize({ width: 360, height: 740 });
        await page.screenshot({ path: path.join(shots, 'yian-speed-confirm-360.png') });
        expect(await page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
        await page.setViewportSize({ width: 390, height: 844 });
        await tap(bar.getByLabel('本页不再询问（仍可撤销）'));
        await tap(bar.getByRole('button', { name: '确认', exact: true }));
        first = false;
      }
      await bar.locator('[data-role=bulk-done]').waitFor();
    }
    const newTaps = taps;
    await expectComplete();
    console.log(`taps for the demo's full checklist (${total} items, ${sections.length} sections, 3 failures with photos): old way ${oldTaps}, new way ${newTaps}`);
    expect(newTaps).toBeLessThanOrEqual(oldTaps / 3);

    // The failed items were never touched by the bulk action; the one undo brings a section back exactly.
    for (const c of failCodes) expect(await page.locator(`#item-${c}`).getAttribute('data-result')).toBe('fail');
    const last = sections[sections.length - 1];
    await page.locator(`#bulk-${last} [data-bulk-undo]`).tap();
    await expect(page.locator(`#cat-count-${last}`).textContent()).resolves.toMatch(/^0\//);
    // 不再询问 covers 本节其余合格 only: 本节不适用 changes answers given, so it always asks (and offers no opt-out).
    await page.locator(`#bulk-${last}`).getByRole('button', { name: '本节不适用' }).tap();
    await page.locator(`#bulk-${last}`).getByRole('group', { name: '确认批量操作' }).waitFor();
    await expect(page.locator(`#bulk-${last} [data-role=bulk-noask]`).isHidden()).resolves.toBe(true);
    await page.locator(`#bulk-${last}`).getByRole('button', { name: '确认', exact: true }).tap();
    await expect(page.locator(`#cat-${last} section.item[data-result=na]`).count()).resolves.toBeGreaterThan(0);

    // Section navigation and search.
    await page.locator('#section-toggle').tap();
    await page.locator('#section-list').waitFor();
    await expect(page.locator('#section-list .section-link').count()).resolves.toBe(sections.length);
    await page.screenshot({ path: path.join(shots, 'yian-speed-sections-390.png') });
    await page.setViewportSize({ width: 360, height: 740 });
    await page.screenshot({ path: path.join(shots, 'yian-speed-sections-360.png') });
    expect(await page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await page.locator(`#nav-${sections[2]}`).tap();
    const title = await page.locator(`#nav-${sections[2]} .section-name`).textContent();
    await page.locator('#section-now', { hasText: title!.replace(/^\d+\. /, '') }).waitFor();
    // 下一不合格 lands on the next failed item, not under the sticky header.
    await page.locator('#next-failed').tap();
    await expect(page.evaluate<string>(`document.activeElement.closest('.item').getAttribute('data-code')`)).resolves.toBe(failCodes[1]);
    expect(await page.evaluate<boolean>(`document.activeElement.closest('.item').getBoundingClientRect().top >= document.querySelector('.insp-sticky').getBoundingClientRect().bottom - 1`)).toBe(true);
    await page.locator('#search-toggle').tap();
    await page.locator('#item-search').fill(failCodes[1]);
    await expect(page.locator('#form-items section.item:visible').count()).resolves.toBe(1);
    await page.locator(`#item-${failCodes[1]} details.guidance summary`).tap();
    await expect(page.locator(`#item-${failCodes[1]} details.guidance`).textContent()).resolves.toContain('怎么查');
    await page.screenshot({ path: path.join(shots, 'yian-speed-search-360.png') });
    await ctx.close();
  });
});
