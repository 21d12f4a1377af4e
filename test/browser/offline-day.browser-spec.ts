import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { createAccount, institutionInput, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { launchBrowser, phoneContext, signIn, signInOn } from '../support/browser';
import { CspWatch, watchCsp } from '../support/csp';
import { tinyPng } from '../support/images';
import { SHOTS } from '../support/page-checks';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * The inspector's offline day on a phone: sign in with signal, 下载今日任务, lose signal, open a task never opened
 * before from the task list, fill it, submit into the outbox (待发送), signal back: a refused submission stays
 * editable, is corrected and resent (same submissionId), and the server has it. A photo marked up offline reaches
 * the server with its layer. Shared phone: after the session ends and a colleague signs in on the same phone, the
 * first inspector's queued submission is not sent (only counted) and the cached pages are the colleague's own.
 */
describe('the inspector’s offline day: task download, the task list and forms offline, the outbox', () => {
  let t: TestApp;
  let browser: Browser;
  let csp: CspWatch;
  let inspector: TestAccount;
  let colleague: TestAccount;
  const small = { kind: 'day_care', storeys: 1, totalAreaM2: 420, approvedBeds: 0, occupiedBeds: 0, residentsSelfCare: 0,
    residentsMildlyDisabled: 0, residentsModeratelyDisabled: 0, residentsSeverelyDisabled: 0, highestFloorWithDisabled: null,
    hasFireControlRoom: false, hasAutoFireAlarm: false, hasSprinklers: false, gasSupply: 'piped', hasCanteen: true, hasElevator: false } as const;

  beforeAll(async () => {
    t = await createTestApp();
    await seedDivisions(t.db);
    const officer = await tokenFor(t, await createAccount(t, 'bureau_officer', { divisionCode: '320402' }));
    inspector = await createAccount(t, 'inspector', { divisionCode: '320402' });
    colleague = await createAccount(t, 'inspector', { divisionCode: '320402' });
    for (const name of ['东坡社区日间照料中心', '西林街道老年日间照料站']) {
      const inst = await t.http().post('/api/institutions').set('Authorization', `Bearer ${officer}`).send(institutionInput({ name, ...small })).expect(201);
      await t.http().post('/api/inspections').set('Authorization', `Bearer ${officer}`)
        .send({ institutionId: inst.body.id, kind: 'random', teamUserIds: [inspector.id, colleague.id] }).expect(201);
    }
    fs.mkdirSync(SHOTS, { recursive: true });
    browser = await launchBrowser();
    csp = watchCsp(browser);
  });
  afterEach(() => csp?.expectNone());
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function sign(page: Page, canvas: ReturnType<Page['locator']>) {
    await canvas.scrollIntoViewIfNeeded();
    const box = (await canvas.boundingBox())!;
    await page.mouse.move(box.x + 20, box.y + box.height / 2);
    await page.mouse.down();
    for (let i = 1; i <= 6; i++) await page.mouse.move(box.x + 20 + i * 20, box.y + box.height / 2 + (i % 2 ? 12 : -12));
    await page.mouse.up();
  }

  /** Screenshots at 390 × 844 and 360 × 740; no horizontal scroll at either. */
  async function phoneShots(ctx: BrowserContext, page: Page, name: string) {
    for (const [w, h] of [[390, 844], [360, 740]]) {
      await page.setViewportSize({ width: w, height: h });
      expect(await page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
      await page.screenshot({ path: path.join(SHOTS, `offline-day-${name}-${w}.png`), fullPage: true });
    }
    await page.setViewportSize({ width: 390, height: 844 });
    void ctx;
  }

  it('downloads, works offline from the task list, queues, resends after a refusal and files the inspection', async () => {
    const ctx = await phoneContext(browser, t.url);
    const page = await signIn(ctx, inspector);
    await page.goto('/inspections');
    // With signal and nothing on the device yet, the list downloads the day's tasks by itself; the button does it again.
    await page.locator('#download-status', { hasText: '已下载 2 项任务' }).waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: '下载今日任务' }).click();
    await page.locator('#download-status', { hasText: '已下载 2 项任务' }).waitFor({ timeout: 20_000 });
    await expect(page.locator('#storage-used').textContent()).resolves.toMatch(/本机已用 [\d.]+ (B|KB|MB)/);
    await phoneShots(ctx, page, 'tasks-online');

    // No signal: the task list comes from the device, each task says it is downloaded.
    await ctx.setOffline(true);
    await page.reload();
    await page.locator('#offline-line', { hasText: '当前离线' }).waitFor();
    const second = page.locator('#task-list > li').nth(1);
    const name = (await second.locator('.name').textContent())!.trim();
    await second.locator('.task-offline', { hasText: '已下载' }).waitFor();
    await second.getByText(/机构概况 · 上次检查发现/).click(); // the previous-findings view, from the device
    await second.getByText('该机构此前没有已提交的检查。').waitFor();

    // The second task, never opened before, opens offline and is filled item by item.
    await second.getByRole('link', { name: '开始检查' }).click();
    await page.waitForURL(/\/fill$/);
    const inspectionId = page.url().split('/').slice(-2)[0];
    const items = page.locator('#inspection-form section.item');
    await items.first().waitFor();
    const count = await items.count();
    expect(count).toBeGreaterThan(10);
    // One failure with a photo, marked up offline (an arrow over the photo, kept as a layer on the device).
    const failed = items.first();
    await failed.getByRole('button', { name: '不合格', exact: true }).click();
    await failed.getByLabel('情况说明').fill('灭火器压力表指针在红区');
    await failed.getByLabel('位置').fill('一层活动室');
    await failed.getByLabel('范围').selectOption({ label: '单处' });
    const photo = path.join(os.tmpdir(), 'yian-offline-day.png');
    fs.writeFileSync(photo, tinyPng(400, 300, [200, 70, 60]));
    await failed.getByLabel('拍照/添加照片').setInputFiles(photo);
    await failed.locator('button.thumb-open').first().tap();
    const viewer = page.locator('#photo-viewer');
    await viewer.getByRole('button', { name: '标注这张照片（原图不变）' }).click();
    const box = (await viewer.locator('svg.pv-overlay').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.25);
    await page.mouse.down();
    for (let i = 1; i <= 6; i++) await page.mouse.move(box.x + box.width * (0.2 + i * 0.06), box.y + box.height * (0.25 + i * 0.05));
    await page.mouse.up();
    await viewer.getByRole('button', { name: '保存标注' }).click();
    await page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'hidden' });
    // the rest with the bulk action, section by section (confirmed once, then 本页不再询问), offline like the rest
    const sections = await page.locator('#form-items section.category').evaluateAll((els) => els.map((e) => e.id.replace(/^cat-/, '')));
    let confirmed = false;
    for (const sec of sections) {
      const pass = page.locator(`#bulk-${sec}`).getByRole('button', { name: /^本节其余合格/ });
      if (!(await pass.isVisible()) || !(await pass.isEnabled())) continue;
      await pass.click();
      if (!confirmed) {
        await page.locator(`#bulk-${sec}`).getByLabel('本页不再询问（仍可撤销）').check();
        await page.locator(`#bulk-${sec}`).getByRole('button', { name: '确认', exact: true }).click();
        confirmed = true;
      }
      await page.locator(`#bulk-${sec} [data-role=bulk-done]`).waitFor();
    }
    expect(await page.locator('.item[data-result=""]').count()).toBe(0);
    expect(count).toBeGreaterThan(1);
    await page.getByRole('button', { name: '提交检查结果' }).click();
    const panel = page.locator('#submit-panel');
    const selects = panel.getByLabel('签名人');
    const canvases = panel.locator('canvas.signature');
    const team = await selects.count();
    for (const [i, member] of [inspector, colleague].entries()) {
      await selects.nth(i).selectOption(member.id);
      await sign(page, canvases.nth(i));
    }
    // A name longer than the server takes (64): refused later, when signal returns.
    await panel.getByLabel('机构签收人').fill('李'.repeat(70));
    await sign(page, canvases.nth(team));
    await panel.getByRole('button', { name: '确认提交' }).click();
    await page.locator('#outbox .outbox-item[data-state="queued"]', { hasText: name }).waitFor();
    await expect(page.locator('#submit-state').textContent()).resolves.toContain('待发送');
    for (const [w, h] of [[390, 844], [360, 740]]) {
      await page.setViewportSize({ width: w, height: h });
      await page.locator('#outbox').scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(SHOTS, `offline-day-form-outbox-${w}.png`) });
    }
    await page.setViewportSize({ width: 390, height: 844 });

    // Back on the task list, still offline: the outbox shows it.
    await page.goto('/inspections');
    await page.locator('#outbox .outbox-item[data-state="queued"]', { hasText: name }).waitFor();
    await phoneShots(ctx, page, 'tasks-offline-outbox');

    // Signal again: the list sends it; the server refuses the name; the entry says why and stays editable.
    await ctx.setOffline(false);
    const refused = page.locator('#outbox .outbox-item[data-state="refused"]');
    await refused.waitFor({ timeout: 20_000 });
    await expect(refused.textContent()).resolves.toContain('签名人姓名');
    await expect(refused.locator('.outbox-state').textContent()).resolves.toBe('未被接受');
    // The task list sent the photo and, before the submit, its markup layer drawn offline.
    const [ev] = await t.db.query(`SELECT markup FROM evidence WHERE inspection_id = $1 AND purpose = 'finding'`, [inspectionId]);
    expect(ev.markup).toMatchObject({ v: 1, shapes: [{ t: 'arrow' }] });
    // …and, before the submit, the draft's answers (PUT /draft), so a teammate's different answer would be a conflict.
    const [drafted] = await t.db.query(`SELECT count(*)::int AS n FROM inspection_draft_item WHERE inspection_id = $1 AND answered_by = $2`, [inspectionId, inspector.id]);
    expect(drafted.n).toBe(count);
    await phoneShots(ctx, page, 'tasks-refused');
    expect((await t.db.query(`SELECT status FROM inspection WHERE id = $1`, [inspectionId]))[0].status).not.toBe('submitted');

    await refused.getByRole('link', { name: '修改后重新提交' }).click();
    await page.waitForURL(/\/fill$/);
    await items.first().waitFor();
    await expect(page.locator('#progress').textContent()).resolves.toContain(`已作答 ${count} / ${count}`);
    await page.getByRole('button', { name: '提交检查结果' }).click();
    await panel.getByLabel('机构签收人').fill('李院长');
    await panel.getByRole('button', { name: '确认提交' }).click();
    await page.locator('#submit-result').waitFor({ state: 'visible', timeout: 20_000 });
    const [row] = await t.db.query(`SELECT status, submission_id FROM inspection WHERE id = $1`, [inspectionId]);
    expect(row.status).toBe('submitted');
    const [sig] = await t.db.query(`SELECT signer_name FROM inspection_signature WHERE inspection_id = $1 AND role = 'institution_representative'`, [inspectionId]);
    expect(sig.signer_name).toBe('李院长');

    await page.goto('/inspections');
    await page.locator('#outbox .outbox-item[data-state="sent"]', { hasText: name }).waitFor();

    // Signing out drops the downloaded tasks; signing in again with signal downloads them by itself (no task list opened).
    const bundleSize = `new Promise((done) => { const r = indexedDB.open('yian-offline', 1);
      r.onupgradeneeded = () => r.result.createObjectStore('kv');
      r.onsuccess = () => { const q = r.result.transaction('kv').objectStore('kv').get('bundle'); q.onsuccess = () => { r.result.close(); done(q.result ? q.result.bundle.inspections.length : -1); }; }; })`;
    await page.getByRole('button', { name: '退出' }).click();
    await page.waitForURL(/\/login/);
    expect(await page.evaluate<number>(bundleSize)).toBe(-1);
    await signInOn(page, inspector);
    await page.waitForFunction(`${bundleSize}.then((n) => n === 1)`, undefined, { timeout: 15_000 }); // the one task still open

    // Shared phone: the first inspector's submission of the open task waits in the outbox (and its draft on the
    // device); the session expires (no sign-out) and the colleague signs in on the same phone.
    const [open] = await t.db.query(`SELECT id FROM inspection WHERE id <> $1`, [inspectionId]);
    const now = new Date().toISOString();
    const aDraft = { v: 1, inspectionId: open.id, owner: inspector.id, rev: 1, serverRev: 0, answers: { X: { result: 'pass', photos: [] } }, submissionId: 'a-sub', submitPending: true };
    const aOutbox = { [`${inspector.id}:${open.id}`]: { inspectionId: open.id, institutionName: 'A 的检查', submissionId: 'a-sub', state: 'queued',
      reason: '', queuedAt: now, updatedAt: now, sentAt: null, attempts: 0, userId: inspector.id } };
    await page.evaluate(`localStorage.setItem(${JSON.stringify('yian.draft.' + open.id)}, ${JSON.stringify(JSON.stringify(aDraft))});
      localStorage.setItem('yian.outbox', ${JSON.stringify(JSON.stringify(aOutbox))})`);
    await ctx.clearCookies();
    await page.goto('/login');
    await signInOn(page, colleague);
    await page.goto('/inspections');
    expect(await page.locator('#offline-tasks').getAttribute('data-user-id')).toBe(colleague.id);
    await page.locator('#outbox-others', { hasText: '另一账号有 1 项未发送，请该账号登录后发送' }).waitFor();
    await expect(page.locator('#outbox .outbox-item').count()).resolves.toBe(0);
    await phoneShots(ctx, page, 'tasks-other-account');
    const bundleUser = `new Promise((done) => { const r = indexedDB.open('yian-offline', 1);
      r.onsuccess = () => { const q = r.result.transaction('kv').objectStore('kv').get('bundle'); q.onsuccess = () => { r.result.close(); done(q.result ? q.result.userId : null); }; }; })`;
    await page.waitForFunction(`${bundleUser}.then((u) => u === ${JSON.stringify(colleague.id)})`, undefined, { timeout: 15_000 });
    // Offline, the colleague gets the colleague's own cached list, never the first inspector's.
    await ctx.setOffline(true);
    await page.reload();
    expect(await page.locator('#offline-tasks').getAttribute('data-user-id')).toBe(colleague.id);
    // The colleague opening that inspection is told the other account's draft stays on the device, untouched.
    await ctx.setOffline(false);
    await page.goto(`/inspections/${open.id}/fill`);
    await page.locator('#foreign-draft', { hasText: '另一账号' }).waitFor();
    expect(JSON.parse((await page.evaluate<string | null>(`localStorage.getItem(${JSON.stringify('yian.draft.' + open.id)})`))!).answers).toEqual({ X: { result: 'pass', photos: [] } });
    expect((await t.db.query(`SELECT status FROM inspection WHERE id = $1`, [open.id]))[0].status).not.toBe('submitted');
    await ctx.close();
  });
});
