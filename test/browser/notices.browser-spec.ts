import type { Browser, Page } from 'playwright-core';
import { createAccount, institutionInput, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { launchBrowser, signIn } from '../support/browser';
import { CspWatch, watchCsp } from '../support/csp';
import { tinyPng } from '../support/images';
import { formItems, submission, uploadPhoto } from '../support/inspection-fixtures';
import { desktopContext, expectSoundPage } from '../support/page-checks';
import { createTestApp, TestApp } from '../support/test-app';

/** The focused element's role-ish description: tag, type and text (evaluated as a string: no DOM types here). */
const focused = (page: Page) => page.evaluate<string>(`(() => {
  const el = document.activeElement;
  if (!el) return '';
  return [el.tagName, el.getAttribute('type') || '', (el.textContent || '').trim(), el.getAttribute('href') || ''].join('|');
})()`);

/** Presses Tab until the focused element matches (at most `limit` times): keyboard only, as a user would. */
async function tabTo(page: Page, wanted: RegExp, limit = 120): Promise<void> {
  for (let n = 0; n < limit; n++) {
    await page.keyboard.press('Tab');
    if (wanted.test(await focused(page))) return;
  }
  throw new Error(`Tab never reached ${wanted} (last: ${await focused(page)})`);
}

describe('an officer reviews a submitted inspection with its photos and issues its notice (browser, keyboard only)', () => {
  let t: TestApp;
  let browser: Browser;
  let csp: CspWatch;
  let officer: TestAccount;
  let inspectionId: string;
  let photoItem: string;

  beforeAll(async () => {
    t = await createTestApp({ OUTBOX_INTERVAL_MS: '300' });
    await seedDivisions(t.db);
    officer = await createAccount(t, 'bureau_officer', { divisionCode: '320402' });
    const officerToken = await tokenFor(t, officer);
    const team = [await createAccount(t, 'inspector', { divisionCode: '320402' }), await createAccount(t, 'inspector', { divisionCode: '320402' })];
    const lead = await tokenFor(t, team[0]);
    const institutionId = (await t.http().post('/api/institutions').set('Authorization', `Bearer ${officerToken}`)
      .send(institutionInput({ name: '天宁颐和养老院' })).expect(201)).body.id;
    // The inspector's submission, seeded through the API (the on-site form has its own browser spec).
    inspectionId = (await t.http().post('/api/inspections').set('Authorization', `Bearer ${officerToken}`)
      .send({ institutionId, kind: 'routine', teamUserIds: team.map((m) => m.id) }).expect(201)).body.id;
    const items = await formItems(t, lead, inspectionId);
    const general = items.filter((i) => i.severity === 'general').slice(0, 2);
    photoItem = general[0].code;
    const fails = {
      [general[0].code]: [await uploadPhoto(t, lead, inspectionId, general[0].code, tinyPng(64, 48, [200, 60, 40])), await uploadPhoto(t, lead, inspectionId, general[0].code, tinyPng(64, 48, [40, 90, 200]))],
      [general[1].code]: general[1].evidence.photoRequiredWhenFailed ? [await uploadPhoto(t, lead, inspectionId, general[1].code)] : [],
    };
    await t.http().post(`/api/inspections/${inspectionId}/submit`).set('Authorization', `Bearer ${lead}`).send(submission(items, fails, team)).expect(201);
    browser = await launchBrowser();
    csp = watchCsp(browser);
  });
  afterEach(() => csp?.expectNone());
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('review with photos → preview → confirm → the PDF link appears without a reload; print view', async () => {
    const ctx = await desktopContext(browser, t.url);
    const page = await signIn(ctx, officer);
    await page.goto(`/inspections/${inspectionId}`);

    // The review: every item, the photos (really loaded), the signatures.
    await page.getByRole('heading', { name: /检查记录审阅/ }).waitFor();
    const thumbs = page.locator(`#item-${photoItem} ul.review-photos img`);
    await expect(thumbs.count()).resolves.toBe(2);
    const widths = await thumbs.evaluateAll((els) => Promise.all(els.map((el) => new Promise<number>((resolve) => {
      const img = el as unknown as { complete: boolean; naturalWidth: number; addEventListener(type: string, fn: () => void): void };
      if (img.complete) resolve(img.naturalWidth);
      img.addEventListener('load', () => resolve(img.naturalWidth));
      img.addEventListener('error', () => resolve(0));
    }))));
    expect(widths.every((w) => w > 0)).toBe(true);
    await expect(page.locator(`#item-${photoItem} a[href^="/api/evidence/"]`).first().getAttribute('href')).resolves.toMatch(/^\/api\/evidence\/[0-9a-f-]{36}$/);
    await expect(page.locator('ul.review-signatures img').count()).resolves.toBe(3);
    await expectSoundPage(page, 'notices-review');

    // 只看不合格项 by keyboard: a link, filtered on the server.
    await tabTo(page, /^A\|\|只看不合格项/);
    await page.keyboard.press('Enter');
    await page.waitForURL(/failed=1/);
    await expect(page.locator('table.review-table tbody tr').count()).resolves.toBe(2);

    // From here on: Tab, Space and Enter only.
    await tabTo(page, /^A\|\|下达整改通知书\|/);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/notice\/preview$/);
    await expect(page.locator('.notice-number-note').textContent()).resolves.toMatch(/将编号为 常天民安整〔\d{4}〕第0001号/);
    await expect(page.locator('.notice-doc table.notice-table tbody tr').count()).resolves.toBe(2);
    await expectSoundPage(page, 'notices-preview');

    await tabTo(page, /^INPUT\|checkbox\|/);
    await page.keyboard.press('Space');
    await expect(page.getByLabel(/我已核对/).isChecked()).resolves.toBe(true);
    await tabTo(page, /^BUTTON\|submit\|确认下达/);
    const polls: string[] = [];
    page.on('request', (r) => { if (/\/notices\/[0-9a-f-]{36}\/status$/.test(r.url())) polls.push(r.url()); });
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/notices\/[0-9a-f-]{36}\?ok=issued$/);
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('整改通知书已下达');
    await expect(page.locator('h1').textContent()).resolves.toMatch(/常天民安整〔\d{4}〕第0001号/);

    // The PDF link appears by itself: the page is not reloaded (the marker set now survives).
    await page.evaluate('window.__noReload = true');
    const initial = await page.locator('#notice-pdf').getAttribute('data-state');
    const pdfLink = page.locator('#notice-pdf a', { hasText: '查看通知书（PDF）' });
    await pdfLink.waitFor({ timeout: 30_000 });
    await expect(page.evaluate('window.__noReload === true')).resolves.toBe(true);
    // Rendered after the page was sent: the link came from polling the status.
    if (initial === 'pending') expect(polls.length).toBeGreaterThan(0);
    await expect(pdfLink.getAttribute('href')).resolves.toMatch(/^\/api\/notices\/[0-9a-f-]{36}\/pdf$/);
    await expect(page.locator('.notice-qr-card svg.qr').isVisible()).resolves.toBe(true);
    await expectSoundPage(page, 'notices-notice');
    const pdf = await page.request.get((await pdfLink.getAttribute('href'))!);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');

    // The print view, reached by keyboard.
    await tabTo(page, /^A\|\|打印版\|/);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/print$/);
    await expect(page.locator('.notice-doc svg.qr').isVisible()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: '打印' }).isVisible()).resolves.toBe(true);
    await expectSoundPage(page, 'notices-print');
    await page.emulateMedia({ media: 'print' });
    await expect(page.locator('header.topbar').isVisible()).resolves.toBe(false);
    await expect(page.locator('.notice-doc').isVisible()).resolves.toBe(true);
    await ctx.close();

    const [{ n }] = await t.db.query('SELECT count(*)::int AS n FROM rectification_notice WHERE inspection_id = $1', [inspectionId]);
    expect(n).toBe(1);
  });
});
