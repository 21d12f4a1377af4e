import * as fs from 'node:fs';
import { Browser } from 'playwright-core';
import { addDays, shanghaiDate } from '../../src/common/calendar';
import { launchBrowser, signIn } from '../support/browser';
import { CspWatch, watchCsp } from '../support/csp';
import { parseCsv } from '../support/exports';
import { createAccount, institutionInput, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { tinyPng } from '../support/images';
import { formItems, submission, uploadPhoto } from '../support/inspection-fixtures';
import { desktopContext, expectSoundPage } from '../support/page-checks';
import { createTestApp, TestApp } from '../support/test-app';

/** 隐患台账 through the pages: filtered and searched, exported as filtered, a hazard's photos, timeline and deadline. */
describe('the hazard ledger and the hazard page in a desktop browser', () => {
  let t: TestApp;
  let browser: Browser;
  let csp: CspWatch;
  let officer: TestAccount;
  let hazardId: string;
  let otherHazards: string[];

  beforeAll(async () => {
    t = await createTestApp();
    await seedDivisions(t.db);
    // Seeded through the API: institutions, inspections (other areas) and the institution's response with an after-photo.
    officer = await createAccount(t, 'bureau_officer', { divisionCode: '320402' });
    const token = await tokenFor(t, officer);
    const as = { Authorization: `Bearer ${token}` };
    const team = [await createAccount(t, 'inspector', { divisionCode: '320402' }), await createAccount(t, 'inspector', { divisionCode: '320402' })];
    const lead = await tokenFor(t, team[0]);
    const found: Record<string, string[]> = {};
    for (const name of ['红梅颐康养老院', '天宁福寿护理院']) {
      const institutionId = (await t.http().post('/api/institutions').set(as).send(institutionInput({ name })).expect(201)).body.id;
      const inspectionId = (await t.http().post('/api/inspections').set(as).send({ institutionId, kind: 'routine', teamUserIds: team.map((m) => m.id) }).expect(201)).body.id;
      const items = await formItems(t, lead, inspectionId);
      const fails = items.filter((i) => i.severity === 'general').slice(0, 2);
      const failed = Object.fromEntries(await Promise.all(fails.map(async (i) => [i.code, [await uploadPhoto(t, lead, inspectionId, i.code, tinyPng(32, 32, [200, 60, 40]))]] as [string, string[]])));
      const res = await t.http().post(`/api/inspections/${inspectionId}/submit`).set('Authorization', `Bearer ${lead}`).send(submission(items, failed, team)).expect(201);
      found[name] = res.body.hazards.map((h: { id: string }) => h.id);
      if (name === '红梅颐康养老院') {
        hazardId = found[name][0];
        const inst = await tokenFor(t, await createAccount(t, 'institution', { institutionId }));
        const photo = (await t.http().post(`/api/hazards/${hazardId}/photos`).set('Authorization', `Bearer ${inst}`)
          .attach('file', tinyPng(32, 32, [40, 160, 60]), { filename: 'after.png', contentType: 'image/png' }).expect(201)).body.id;
        await t.http().post(`/api/hazards/${hazardId}/responses`).set('Authorization', `Bearer ${inst}`).send({
          whatWasFixed: '已清理走道杂物', otherPlacesChecked: '排查各楼层走道', lastingChange: '每日巡查', responsiblePerson: '王主任',
          completedOn: shanghaiDate(new Date()), evidenceIds: [photo],
        }).expect(201);
      }
    }
    otherHazards = found['天宁福寿护理院'];
    browser = await launchBrowser();
    csp = watchCsp(browser);
  });
  afterEach(() => csp?.expectNone());
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('filters and searches the ledger, downloads exactly the filtered rows, and changes a deadline with a reason', async () => {
    const ctx = await desktopContext(browser, t.url);
    const page = await signIn(ctx, officer);
    await page.getByRole('link', { name: '隐患台账' }).first().click();
    await page.waitForURL(/\/hazards/);
    await expect(page.locator('tr[data-hazard-id]').count()).resolves.toBe(4);
    await expectSoundPage(page, 'ledger-list');

    // Search by part of an institution's name, then narrow by status.
    await page.getByLabel('搜索').fill('福寿');
    await page.getByLabel('状态').selectOption('open');
    await page.getByRole('button', { name: '筛选' }).click();
    await page.waitForURL(/q=/);
    const shown = (await page.locator('tr[data-hazard-id]').evaluateAll((rows) => rows.map((r) => (r as unknown as { dataset: { hazardId: string } }).dataset.hazardId))).sort();
    expect(shown).toEqual([...otherHazards].sort());
    await expect(page.locator('table.data').textContent()).resolves.not.toContain('红梅颐康养老院');
    await expect(page.locator('.table-wrap table.data tbody').textContent()).resolves.toContain('红梅街道');

    // 导出 CSV downloads exactly these rows.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '导出 CSV' }).click()]);
    const rows = parseCsv(fs.readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '')).filter((r) => r.length > 1);
    expect(rows.slice(1).map((r) => r[rows[0].indexOf('隐患编号')]).sort()).toEqual(shown);
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '导出 XLSX' }).click()]);
    expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/);

    // The hazard page: before and after photos, the timeline, the deadline changed with a reason.
    await page.goto(`/hazards/${hazardId}`);
    await expect(page.getByRole('img', { name: /整改前照片/ }).count()).resolves.toBe(1);
    await expect(page.getByRole('img', { name: /整改后照片/ }).count()).resolves.toBeGreaterThanOrEqual(1);
    const timeline = await page.locator('ol.hazard-timeline').textContent();
    expect(timeline).toContain('发现');
    expect(timeline).toContain('回复整改');
    const form = page.locator('details#deadline');
    await form.locator('summary').click();
    await expectSoundPage(page, 'ledger-hazard');

    // Beyond the policy's maximum: refused, naming the field (the browser's own max check removed to reach the server).
    await form.getByLabel('新的整改期限').evaluate((el) => (el as unknown as { removeAttribute(n: string): void }).removeAttribute('max'));
    await form.getByLabel('新的整改期限').fill(addDays(shanghaiDate(new Date()), 400));
    await form.getByLabel('调整理由').fill('设备采购周期较长');
    await form.getByRole('button', { name: '修改整改期限' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('新的整改期限');
    const target = addDays(shanghaiDate(new Date()), 5);
    await form.getByLabel('新的整改期限').fill(target);
    await form.getByRole('button', { name: '修改整改期限' }).click();
    await page.waitForURL(/ok=deadline/);
    await expect(page.locator('ol.hazard-timeline').textContent()).resolves.toContain('调整期限');
    await expect(page.locator('ol.hazard-timeline').textContent()).resolves.toContain('设备采购周期较长');
    const [row] = await t.db.query(`SELECT due_date::text AS due FROM hazard WHERE id = $1`, [hazardId]);
    expect(row.due).toBe(target);

    // 安排复查: a date and a team of two inspectors; then the page links to the re-inspection.
    const re = page.locator('details#reinspection');
    await re.locator('summary').click();
    await re.getByLabel('复查日期').fill(addDays(shanghaiDate(new Date()), 2));
    for (const box of await re.getByRole('checkbox').all()) await box.check();
    await re.getByRole('button', { name: '安排复查' }).click();
    await page.waitForURL(/ok=reinspection/);
    await expect(page.getByRole('link', { name: '查看复查任务' }).count()).resolves.toBe(1);
    await expect(page.locator('ol.hazard-timeline').textContent()).resolves.toContain('安排现场复查');
    await ctx.close();
  });
});
