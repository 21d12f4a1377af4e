import { Browser, Page } from 'playwright-core';
import { createAccount, institutionInput, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { launchBrowser, signIn } from '../support/browser';
import { CspWatch, watchCsp } from '../support/csp';
import { tinyPng } from '../support/images';
import { formItems, submission, uploadPhoto } from '../support/inspection-fixtures';
import { desktopContext, expectSoundPage } from '../support/page-checks';
import { pdfText, savePdf, squash } from '../support/pdf';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * 等级评定 in the browser, keyboard only (Tab, typing, Space, Enter): the officer opens an assessment, enters the
 * GB/T 37276 form section by section, is blocked from finalizing by a named open major hazard, and — once the hazard
 * is closed (through the API: another area's pages) — finalizes through the confirmation step; the result PDF names
 * the institution and the grade.
 */
describe('grades in the browser', () => {
  let t: TestApp;
  let browser: Browser;
  let csp: CspWatch;
  let admin: TestAccount;
  let adminToken: string;
  let verifierToken: string;
  const team: TestAccount[] = [];
  let institutionId: string;
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await createTestApp();
    await seedDivisions(t.db);
    admin = await createAccount(t, 'bureau_admin', { divisionCode: '320402' });
    adminToken = await tokenFor(t, admin);
    verifierToken = await tokenFor(t, await createAccount(t, 'bureau_officer', { divisionCode: '320402' }));
    for (let k = 0; k < 2; k++) team.push(await createAccount(t, 'inspector', { divisionCode: '320402' }));
    institutionId = (await t.http().post('/api/institutions').set(as(adminToken)).send(institutionInput({ name: '天宁颐和养老院' })).expect(201)).body.id;
    browser = await launchBrowser();
    csp = watchCsp(browser);
  });
  afterEach(() => csp?.expectNone());
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** Presses Tab until `selector` has the focus (fails if it is not reachable), then checks the focus is visible. */
  async function tabTo(page: Page, selector: string, max = 300): Promise<void> {
    for (let k = 0; k < max; k++) {
      if (await page.evaluate<boolean>(`!!document.activeElement && document.activeElement.matches(${JSON.stringify(selector)})`)) {
        const outline = await page.evaluate<string>('getComputedStyle(document.activeElement).outlineStyle');
        expect(outline).not.toBe('none');
        return;
      }
      await page.keyboard.press('Tab');
    }
    throw new Error(`${selector} is not reachable with Tab`);
  }

  async function majorHazard(): Promise<{ id: string; itemCode: string; title: string; inspectionId: string }> {
    const lead = await tokenFor(t, team[0]);
    const ins = (await t.http().post('/api/inspections').set(as(adminToken)).send({ institutionId, kind: 'routine', teamUserIds: team.map((m) => m.id) }).expect(201)).body.id;
    const form = await formItems(t, lead, ins);
    const item = form.find((i) => i.severity === 'major' && i.majorCriterion && !/\.X$/.test(i.majorCriterion))!;
    const photos = [];
    for (let k = 0; k < Math.max(2, item.evidence.minPhotos); k++) photos.push(await uploadPhoto(t, lead, ins, item.code, tinyPng(16 + k, 16, [200, 40 * k, 40])));
    const res = await t.http().post(`/api/inspections/${ins}/submit`).set(as(lead)).send(submission(form, { [item.code]: photos }, team)).expect(201);
    const hazard = res.body.hazards.find((h: { itemCode: string }) => h.itemCode === item.code);
    return { id: hazard.id, itemCode: item.code, title: item.title.zh, inspectionId: ins };
  }

  async function closeHazard(h: { id: string; inspectionId: string }) {
    const institutionToken = await tokenFor(t, await createAccount(t, 'institution', { institutionId }));
    await t.http().post(`/api/inspections/${h.inspectionId}/notice`).set(as(adminToken)).expect(201);
    const photo = (await t.http().post(`/api/hazards/${h.id}/photos`).set(as(institutionToken))
      .attach('file', tinyPng(24, 24, [40, 160, 40]), { filename: 'after.png', contentType: 'image/png' }).expect(201)).body.id;
    await t.http().post(`/api/hazards/${h.id}/responses`).set(as(institutionToken)).send({
      whatWasFixed: '已更换电梯并取得使用登记证', otherPlacesChecked: '排查全部电梯', lastingChange: '每月维保检查', responsiblePerson: '王主任',
      completedOn: new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10), evidenceIds: [photo],
    }).expect(201);
    await t.http().post(`/api/hazards/${h.id}/verifications`).set(as(verifierToken)).send({ accept: true, onSite: true }).expect(201);
  }

  it('open → enter scores → blocked by a named major hazard → finalize with confirmation, by keyboard; the PDF names institution and grade', async () => {
    const form = (await t.http().get('/api/checklists/GBT37276-2018/versions/1').set(as(adminToken)).expect(200)).body.content;
    const parts: { code: string; title: { zh: string }; items: { code: string; maxPoints: number }[] }[] = form.parts;
    const ctx = await desktopContext(browser, t.url);
    const page = await signIn(ctx, admin);

    // The list, empty: it says what to do next.
    await page.goto('/grades');
    await expect(page.locator('.empty').textContent()).resolves.toContain('还没有等级评定');
    await expectSoundPage(page, 'grades-list-empty');

    // Open, by keyboard: the link, the institution, the two findings, the button.
    await tabTo(page, 'main a[href="/grades/new"]');
    await Promise.all([page.waitForURL(/\/grades\/new$/), page.keyboard.press('Enter')]);
    await expectSoundPage(page, 'grades-open');
    await tabTo(page, '#o-inst');
    await page.keyboard.press('ArrowDown');
    await expect(page.locator('#o-inst').inputValue()).resolves.toBe(institutionId);
    await tabTo(page, '#o-acc');
    await page.keyboard.press('Space');
    await tabTo(page, '#o-reg');
    await page.keyboard.press('Space');
    await tabTo(page, 'form[action="/grades/new"] button[type="submit"]');
    await Promise.all([page.waitForURL(/\/grades\/[0-9a-f-]{36}\?ok=opened$/), page.keyboard.press('Enter')]);
    const id = /\/grades\/([0-9a-f-]{36})/.exec(page.url())![1];

    // Enter every section; one deduction with its note. Each save goes on to the next section (PRG).
    for (const [n, part] of parts.entries()) {
      await expect(page.locator('#part-title').textContent()).resolves.toContain(part.title.zh);
      for (const [k, item] of part.items.entries()) {
        await tabTo(page, `#p-${item.code}`);
        const deduct = n === 0 && k === 0;
        await page.keyboard.type(String(deduct ? item.maxPoints - 5 : item.maxPoints));
        if (deduct) {
          await tabTo(page, `#n-${item.code}`);
          await page.keyboard.type('选址临近主干道，噪声超标');
        }
      }
      await tabTo(page, 'form[action$="/scores"] button[type="submit"]');
      // the address already says ok=saved after the first part: wait for the save's own page load, then check it
      await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
      expect(page.url()).toMatch(/ok=saved/);
      await expect(page.getByRole('status').first().textContent()).resolves.toContain('已保存该部分评分');
    }
    await expect(page.locator('nav[aria-label="评分表部分"] h2').textContent()).resolves.toContain('4/4 个部分已完成');

    // A confirmed major hazard appears: the page names it live, with a link; finalizing is blocked and says why.
    const hazard = await majorHazard();
    await page.goto(`/grades/${id}`);
    const link = page.locator(`a[href="/hazards/${hazard.id}"]`);
    await expect(link.textContent()).resolves.toBe(`${hazard.itemCode} ${hazard.title}`);
    await expectSoundPage(page, 'grades-assessment');
    await tabTo(page, `a[href="/grades/${id}/finalize"]`);
    await Promise.all([page.waitForURL(/\/finalize$/), page.keyboard.press('Enter')]);
    await expect(page.locator('#blocked-title').textContent()).resolves.toContain('不能定稿');
    await expect(page.locator('main').textContent()).resolves.toContain(`${hazard.itemCode} ${hazard.title}`);
    await expect(page.getByRole('button', { name: '确认定稿', exact: true }).count()).resolves.toBe(0);
    await expectSoundPage(page, 'grades-finalize-blocked');

    // The hazard is closed (rectification API); the confirmation states the grade, the validity and the subsidy basis.
    await closeHazard(hazard);
    await page.reload();
    const confirmation = await page.locator('section.confirm').textContent();
    expect(confirmation).toContain('定稿后将成为最终结论');
    expect(confirmation).toContain('评定结论为“五级”，有效期自');
    expect(confirmation).toContain('运营补贴');
    await expectSoundPage(page, 'grades-confirm');
    await tabTo(page, '#f-confirm');
    await page.keyboard.press('Space');
    await tabTo(page, 'section.confirm button[type="submit"]');
    await Promise.all([page.waitForURL(/ok=finalized$/), page.keyboard.press('Enter')]);
    await expect(page.locator('.grade-result').textContent()).resolves.toContain('五级');
    await expectSoundPage(page, 'grades-result');

    // The result PDF downloads with the session and names the institution and the grade.
    const href = await page.getByRole('link', { name: '下载评定结果（PDF）' }).getAttribute('href');
    const pdf = await page.request.get(href!);
    expect(pdf.headers()['content-type']).toMatch(/application\/pdf/);
    const text = squash(pdfText(savePdf('grade-result-browser.pdf', await pdf.body())));
    expect(text).toContain('天宁颐和养老院');
    expect(text).toContain('五级');

    // The list shows it in force.
    await page.goto('/grades');
    await expect(page.locator('table.grade-list').textContent()).resolves.toContain('现行有效');
    await expectSoundPage(page, 'grades-list');
    await ctx.close();
  }, 120_000);
});
