import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Browser, Page } from 'playwright-core';
import { createAccount, institutionInput, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { launchBrowser, phoneContext, signIn } from '../support/browser';
import { CspWatch, watchCsp } from '../support/csp';
import { tinyPng } from '../support/images';
import { createTestApp, TestApp } from '../support/test-app';

const shots = process.env.SCREENSHOT_DIR ?? os.tmpdir();

describe('the inspector’s form on a phone: offline draft, photo, signatures, submit', () => {
  let t: TestApp;
  let browser: Browser;
  let csp: CspWatch;
  let inspector: TestAccount;
  let colleague: TestAccount;
  let institutionAccount: TestAccount;
  let inspectionId: string;

  beforeAll(async () => {
    t = await createTestApp();
    await seedDivisions(t.db);
    const officer = await tokenFor(t, await createAccount(t, 'bureau_officer', { divisionCode: '320402' }));
    inspector = await createAccount(t, 'inspector', { divisionCode: '320402' });
    colleague = await createAccount(t, 'inspector', { divisionCode: '320402' });
    // A single-storey day-care centre: a short checklist.
    const institution = await t.http().post('/api/institutions').set('Authorization', `Bearer ${officer}`).send(institutionInput({
      name: '红梅街道日间照料中心', kind: 'day_care', storeys: 1, totalAreaM2: 420, approvedBeds: 0, occupiedBeds: 0, residentsSelfCare: 0,
      residentsMildlyDisabled: 0, residentsModeratelyDisabled: 0, residentsSeverelyDisabled: 0, highestFloorWithDisabled: null,
      hasFireControlRoom: false, hasAutoFireAlarm: false, hasSprinklers: false, gasSupply: 'piped', hasCanteen: true, hasElevator: false,
    })).expect(201);
    institutionAccount = await createAccount(t, 'institution', { institutionId: institution.body.id });
    inspectionId = (await t.http().post('/api/inspections').set('Authorization', `Bearer ${officer}`)
      .send({ institutionId: institution.body.id, kind: 'random', teamUserIds: [inspector.id, colleague.id] }).expect(201)).body.id;
    browser = await launchBrowser();
    csp = watchCsp(browser);
  });
  // Nothing on any page is blocked by the Content-Security-Policy (inline script/style, foreign hosts…).
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
    for (let i = 1; i <= 8; i++) await page.mouse.move(box.x + 20 + i * 20, box.y + box.height / 2 + (i % 2 ? 12 : -12));
    await page.mouse.up();
  }

  it('fills, survives going offline and a reload, attaches a photo, signs and submits; the hazard reaches the institution', async () => {
    const ctx = await phoneContext(browser, t.url);
    const page = await signIn(ctx, inspector);
    await page.getByText('红梅街道日间照料中心').first().click();
    await page.getByRole('link', { name: '开始检查' }).click();
    await page.waitForURL(/\/fill$/);
    const items = page.locator('#inspection-form section.item');
    await items.first().waitFor();
    const count = await items.count();
    expect(count).toBeGreaterThan(20);

    // The first item fails; every other one passes.
    const failed = items.first();
    const failedCode = (await failed.getAttribute('data-code'))!;
    await failed.getByRole('button', { name: '不合格', exact: true }).click();
    await failed.getByLabel('情况说明').fill('疏散走道堆放轮椅和杂物，通行宽度不足');
    await failed.getByLabel('位置').fill('一层东侧走廊');
    await failed.getByLabel('范围').selectOption({ label: '单处' });
    // 疑似重大隐患: a large toggle, then the reason the form asks for (no criterion to choose).
    await failed.getByLabel('疑似重大隐患（报主管部门认定）').check();
    await expect(failed.locator('[data-role="flag"]').textContent()).resolves.toContain('疑似理由');
    await failed.getByLabel('疑似理由').fill('唯一疏散走道被轮椅完全堵塞');
    for (let i = 1; i < count; i++) await items.nth(i).getByRole('button', { name: '合格', exact: true }).click();
    await expect(page.locator('#progress').textContent()).resolves.toContain(`已作答 ${count} / ${count}`);
    await page.locator('#sync-status', { hasText: '已保存在本机' }).waitFor();

    // Offline, then reload: the page and the draft come back from the device.
    await ctx.setOffline(true);
    await page.reload();
    await items.first().waitFor();
    expect(await page.locator(`#item-${failedCode}`).getByLabel('情况说明').inputValue()).toBe('疏散走道堆放轮椅和杂物，通行宽度不足');
    expect(await page.locator(`#item-${failedCode}`).getByRole('button', { name: '不合格', exact: true }).getAttribute('aria-pressed')).toBe('true');
    await expect(page.locator('#progress').textContent()).resolves.toContain(`已作答 ${count} / ${count}`);
    await page.screenshot({ path: path.join(shots, 'yian-form-offline.png') });

    // Back online: a photo for the failed item, downscaled on the device and uploaded.
    await ctx.setOffline(false);
    const photo = path.join(os.tmpdir(), 'yian-test-photo.png');
    fs.writeFileSync(photo, tinyPng(64, 48, [180, 60, 60]));
    await page.locator(`#item-${failedCode}`).getByLabel('拍照/添加照片').setInputFiles(photo);
    await page.locator(`#item-${failedCode} img.thumb`).first().waitFor();
    await page.locator('#sync-status', { hasText: '已全部同步' }).waitFor({ timeout: 20_000 });

    // Sign: both team members and the institution's representative.
    await page.getByRole('button', { name: '提交检查结果' }).click();
    const panel = page.locator('#submit-panel');
    await panel.waitFor();
    const signerSelects = panel.getByLabel('签名人');
    const canvases = panel.locator('canvas.signature');
    const teamBlocks = await signerSelects.count();
    expect(teamBlocks).toBeGreaterThanOrEqual(2);
    for (const [i, member] of [inspector, colleague].entries()) {
      await signerSelects.nth(i).selectOption(member.id);
      await sign(page, canvases.nth(i));
    }
    await panel.getByLabel('机构签收人').fill('李院长');
    await sign(page, canvases.nth(teamBlocks));
    await page.screenshot({ path: path.join(shots, 'yian-form-sign.png') });
    await panel.getByRole('button', { name: '确认提交' }).click();
    await page.locator('#submit-result', { hasText: '已生成 1 条隐患' }).waitFor({ timeout: 20_000 });

    const [row] = await t.db.query(`SELECT status FROM inspection WHERE id = $1`, [inspectionId]);
    expect(row.status).toBe('submitted');
    const [hazard] = await t.db.query(`SELECT severity, major_status, suspected_reason FROM hazard WHERE inspection_id = $1`, [inspectionId]);
    expect(hazard).toEqual({ severity: 'general', major_status: 'suspected', suspected_reason: '唯一疏散走道被轮椅完全堵塞' });
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM response_evidence WHERE inspection_id = $1 AND item_code = $2`, [inspectionId, failedCode]);
    expect(n).toBe(1);
    const signers = await t.db.query(`SELECT signer_name, role FROM inspection_signature WHERE inspection_id = $1 ORDER BY role, signer_name`, [inspectionId]);
    expect(signers.map((s: { signer_name: string }) => s.signer_name)).toEqual(expect.arrayContaining([inspector.displayName, colleague.displayName, '李院长']));
    await ctx.close();

    // The institution sees the hazard on its phone.
    const instCtx = await phoneContext(browser, t.url);
    const home = await signIn(instCtx, institutionAccount);
    await expect(home.locator('#s-hazards').textContent()).resolves.toContain('待整改隐患（1）');
    await expect(home.locator('.list').first().textContent()).resolves.toContain(failedCode);
    await home.screenshot({ path: path.join(shots, 'yian-institution-hazards.png') });
    await instCtx.close();
  });
});
