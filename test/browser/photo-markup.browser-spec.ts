import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { createAccount, institutionInput, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { launchBrowser, signIn } from '../support/browser';
import { CspWatch, watchCsp } from '../support/csp';
import { tinyPng } from '../support/images';
import { createTestApp, TestApp } from '../support/test-app';

const shots = process.env.SCREENSHOT_DIR ?? '/tmp/yian-shots';
const SITE = { latitude: 31.78, longitude: 119.95 };

/** 全屏照片查看 + 照片标注 + 作答轨迹 on a phone (issue 14, item 4). */
describe('evidence worth having on a phone: viewer, swipe, markup, answer trail', () => {
  let t: TestApp;
  let browser: Browser;
  let csp: CspWatch;
  let inspector: TestAccount;
  let colleague: TestAccount;
  let officer: TestAccount;
  let inspectionId: string;

  beforeAll(async () => {
    fs.mkdirSync(shots, { recursive: true });
    t = await createTestApp();
    await seedDivisions(t.db);
    officer = await createAccount(t, 'bureau_officer', { divisionCode: '320402' });
    const officerToken = await tokenFor(t, officer);
    inspector = await createAccount(t, 'inspector', { divisionCode: '320402' });
    colleague = await createAccount(t, 'inspector', { divisionCode: '320402' });
    const institution = await t.http().post('/api/institutions').set('Authorization', `Bearer ${officerToken}`).send(institutionInput({
      name: '青梅街道日间照料中心', kind: 'day_care', storeys: 1, totalAreaM2: 420, approvedBeds: 0, occupiedBeds: 0, residentsSelfCare: 0,
      residentsMildlyDisabled: 0, residentsModeratelyDisabled: 0, residentsSeverelyDisabled: 0, highestFloorWithDisabled: null,
      hasFireControlRoom: false, hasAutoFireAlarm: false, hasSprinklers: false, gasSupply: 'piped', hasCanteen: true, hasElevator: false,
    })).expect(201);
    inspectionId = (await t.http().post('/api/inspections').set('Authorization', `Bearer ${officerToken}`)
      .send({ institutionId: institution.body.id, kind: 'random', teamUserIds: [inspector.id, colleague.id] }).expect(201)).body.id;
    browser = await launchBrowser();
    csp = watchCsp(browser);
  });
  afterEach(() => csp?.expectNone());
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** A phone (as phoneContext) that knows where it is. */
  const phone = (): Promise<BrowserContext> => browser.newContext({
    baseURL: t.url, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai',
    geolocation: SITE, permissions: ['geolocation'],
  });

  async function drag(page: Page, from: [number, number], to: [number, number]) {
    await page.mouse.move(from[0], from[1]);
    await page.mouse.down();
    for (let i = 1; i <= 6; i++) await page.mouse.move(from[0] + ((to[0] - from[0]) * i) / 6, from[1] + ((to[1] - from[1]) * i) / 6);
    await page.mouse.up();
  }

  async function sign(page: Page, canvas: ReturnType<Page['locator']>) {
    await canvas.scrollIntoViewIfNeeded();
    const box = (await canvas.boundingBox())!;
    await drag(page, [box.x + 20, box.y + box.height / 2], [box.x + 180, box.y + box.height / 2 + 10]);
  }

  const noHorizontalScroll = (page: Page) => page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth');

  it('views photos full screen, swipes, marks one up (original untouched), submits; the officer sees the markup and the trail', async () => {
    const ctx = await phone();
    const page = await signIn(ctx, inspector);
    await page.goto(`/inspections/${inspectionId}/fill`);
    const items = page.locator('#inspection-form section.item');
    await items.first().waitFor();
    const count = await items.count();
    const failed = items.first();
    const code = (await failed.getAttribute('data-code'))!;
    await failed.getByRole('button', { name: '不合格', exact: true }).click();
    await failed.getByLabel('情况说明').fill('灭火器压力表指针在红区');
    await failed.getByLabel('位置').fill('一层活动室');
    await failed.getByLabel('范围').selectOption({ label: '单处' });
    for (let i = 1; i < count; i++) await items.nth(i).getByRole('button', { name: '合格', exact: true }).click();

    // The photo button carries an SVG icon, not an emoji.
    const photoButton = failed.locator('label.photo-btn');
    await expect(photoButton.locator('svg.icon').count()).resolves.toBe(1);
    await expect(photoButton.textContent()).resolves.not.toContain('📷');
    const files = [[200, 70, 60], [60, 120, 200]].map((rgb, i) => {
      const f = path.join(os.tmpdir(), `yian-markup-${i}.png`);
      fs.writeFileSync(f, tinyPng(800, 600, rgb as [number, number, number]));
      return f;
    });
    await failed.getByLabel('拍照/添加照片').setInputFiles(files);
    await failed.locator('.thumb-state.ok').nth(1).waitFor({ timeout: 15_000 });
    const uploaded: { id: string; sha256: string }[] = (await t.db.query(
      `SELECT id, sha256 FROM evidence WHERE inspection_id = $1 AND purpose = 'finding' ORDER BY received_at`, [inspectionId])).map((r: { id: string; sha256: string }) => ({ id: r.id, sha256: r.sha256.trim() }));
    expect(uploaded).toHaveLength(2);

    // Tap a thumbnail: full screen, focus inside, labelled.
    await failed.locator('button.thumb-open').first().tap();
    const viewer = page.getByRole('dialog', { name: `${code} 照片 1 / 2` });
    await viewer.waitFor();
    await expect(page.evaluate<string | null>("document.activeElement && document.activeElement.getAttribute('aria-label')")).resolves.toBe('关闭照片查看');
    await expect(viewer.locator('.pv-meta').textContent()).resolves.toMatch(/拍摄 .*GPS 31\.78000, 119\.95000（本机定位） · 已上传/);

    // A real touch swipe to the left: the next photo; the arrow key goes back.
    const cdp = await ctx.newCDPSession(page);
    const touch = async (type: 'touchStart' | 'touchMove' | 'touchEnd', x: number) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints: type === 'touchEnd' ? [] : [{ x, y: 380 }] });
    await touch('touchStart', 320); await touch('touchMove', 200); await touch('touchMove', 80); await touch('touchEnd', 80);
    await page.getByRole('dialog', { name: `${code} 照片 2 / 2` }).waitFor();
    await page.keyboard.press('ArrowLeft');
    await viewer.waitFor();
    // Tab stays inside the dialog.
    for (let i = 0; i < 6; i++) await page.keyboard.press('Tab');
    await expect(page.evaluate<boolean>("!!(document.activeElement && document.activeElement.closest('#photo-viewer'))")).resolves.toBe(true);

    // 标注: an arrow (dragged) and a text (typed, then placed by tapping the photo); saved beside the photo.
    await viewer.getByRole('button', { name: '标注这张照片（原图不变）' }).click();
    const box = (await viewer.locator('svg.pv-overlay').boundingBox())!;
    await drag(page, [box.x + box.width * 0.2, box.y + box.height * 0.25], [box.x + box.width * 0.55, box.y + box.height * 0.6]);
    await viewer.getByRole('button', { name: '文字' }).click();
    await viewer.getByLabel('标注文字').fill('压力不足');
    await page.mouse.click(box.x + box.width * 0.1, box.y + box.height * 0.15);
    await expect(viewer.locator('svg.pv-overlay .mk-shape').count()).resolves.toBe(1);
    await expect(viewer.locator('svg.pv-overlay text').textContent()).resolves.toBe('压力不足');
    await page.setViewportSize({ width: 360, height: 740 });
    await expect(noHorizontalScroll(page)).resolves.toBe(true);
    await page.screenshot({ path: path.join(shots, 'yian-photo-markup-tools-360x740.png') });
    await page.setViewportSize({ width: 390, height: 844 });
    await viewer.getByRole('button', { name: '保存标注' }).click();
    await viewer.locator('.pv-meta', { hasText: '标注：箭头 1、文字 1' }).waitFor();
    let saved: unknown = null;
    for (let i = 0; i < 50 && !saved; i++) {
      saved = (await t.db.query('SELECT markup FROM evidence WHERE id = $1', [uploaded[0].id]))[0].markup;
      if (!saved) await page.waitForTimeout(200);
    }
    expect(saved).toMatchObject({ v: 1, w: 800, h: 600, shapes: [{ t: 'arrow' }, { t: 'text', s: '压力不足' }] });
    await page.waitForFunction("!document.querySelector('.pv-meta').textContent.includes('待同步')");

    for (const [w, h] of [[390, 844], [360, 740]]) {
      await page.setViewportSize({ width: w, height: h });
      await expect(noHorizontalScroll(page)).resolves.toBe(true);
      await page.screenshot({ path: path.join(shots, `yian-photo-viewer-markup-${w}x${h}.png`) });
    }
    await page.setViewportSize({ width: 390, height: 844 });
    await page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'hidden' });
    await expect(page.evaluate<string | null>("document.activeElement && document.activeElement.getAttribute('aria-label')")).resolves.toBe('全屏查看照片 1（已标注）');
    await failed.locator('.thumb-badge', { hasText: '已标注' }).waitFor();

    // Submit.
    await page.getByRole('button', { name: '提交检查结果' }).click();
    const panel = page.locator('#submit-panel');
    await panel.waitFor();
    const signerSelects = panel.getByLabel('签名人');
    const canvases = panel.locator('canvas.signature');
    const teamBlocks = await signerSelects.count();
    for (const [i, member] of [inspector, colleague].entries()) {
      await signerSelects.nth(i).selectOption(member.id);
      await sign(page, canvases.nth(i));
    }
    await panel.getByLabel('机构签收人').fill('王主任');
    await sign(page, canvases.nth(teamBlocks));
    await panel.getByRole('button', { name: '确认提交' }).click();
    await page.locator('#submit-result', { hasText: '已生成 1 条隐患' }).waitFor({ timeout: 20_000 });
    await ctx.close();

    // The originals are the bytes uploaded: hash unchanged, on the row and on disk.
    for (const u of uploaded) {
      const [row] = await t.db.query('SELECT sha256 FROM evidence WHERE id = $1', [u.id]);
      expect(row.sha256.trim()).toBe(u.sha256);
      const file = path.join(t.config.DATA_DIR, 'evidence', u.sha256.slice(0, 2), u.sha256.slice(2, 4), u.sha256);
      expect(createHash('sha256').update(fs.readFileSync(file)).digest('hex')).toBe(u.sha256);
    }
    const [resp] = await t.db.query('SELECT answer_trail FROM inspection_response WHERE inspection_id = $1 AND item_code = $2', [inspectionId, code]);
    expect(resp.answer_trail[0]).toMatchObject({ f: 'result', lat: SITE.latitude, lng: SITE.longitude });

    // The officer's review page: the markup over the original, the trail.
    const octx = await phone();
    const opage = await signIn(octx, officer);
    await opage.goto(`/inspections/${inspectionId}`);
    const row = opage.locator(`#item-${code}`);
    await expect(row.locator('svg.markup-overlay .mk-shape').count()).resolves.toBe(1);
    await expect(row.locator('svg.markup-overlay text').textContent()).resolves.toBe('压力不足');
    await expect(row.locator('.trail-item').textContent()).resolves.toMatch(/^作答 \d\d:\d\d/);
    await expect(opage.locator('[data-role="trail-summary"]').textContent()).resolves.toMatch(/作答时间 .*共 \d+\/\d+ 项记录了轨迹；\d+ 项有定位/);
    for (const [w, h] of [[390, 844], [360, 740]]) {
      await opage.setViewportSize({ width: w, height: h });
      await row.scrollIntoViewIfNeeded();
      await opage.screenshot({ path: path.join(shots, `yian-review-markup-trail-${w}x${h}.png`) });
    }
    await octx.close();
  }, 60_000);
});
