import { Browser } from 'playwright-core';
import { collectErrors, launchBrowser, phoneContext, signIn } from '../support/browser';
import { CspWatch, watchCsp } from '../support/csp';
import { createAccount, institutionInput, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { desktopContext, expectSoundPage } from '../support/page-checks';
import { createTestApp, TestApp } from '../support/test-app';

/** 信用评价: the institution reads its level and ledger on its phone; the bureau decides 失信 in two steps and the institution objects. */
describe('credit evaluation pages', () => {
  let t: TestApp;
  let browser: Browser;
  let csp: CspWatch;
  let officer: TestAccount;
  let institutionAccount: TestAccount;
  let institutionId: string;

  beforeAll(async () => {
    t = await createTestApp();
    await seedDivisions(t.db);
    officer = await createAccount(t, 'bureau_officer', { divisionCode: '320402' });
    const token = await tokenFor(t, officer);
    institutionId = (await t.http().post('/api/institutions').set('Authorization', `Bearer ${token}`).send(institutionInput({ name: '天宁福寿养老院' })).expect(201)).body.id;
    institutionAccount = await createAccount(t, 'institution', { institutionId });
    const inst = await tokenFor(t, institutionAccount);
    await t.http().post(`/api/institutions/${institutionId}/incidents`).set('Authorization', `Bearer ${inst}`).send({
      type: 'accident', grade: 'general', occurredAt: new Date(Date.now() - 3_600_000).toISOString(), summary: '一名老人在浴室滑倒', residentsAffected: 1, firstMeasures: '送医',
    }).expect(201);
    browser = await launchBrowser();
    csp = watchCsp(browser);
  });
  afterEach(() => csp?.expectNone());
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('the bureau sees the list by street, decides 失信 after confirming; the institution sees it and objects on its phone', async () => {
    const desk = await desktopContext(browser, t.url);
    const page = await signIn(desk, officer);
    const errors = collectErrors(page, { allowStatuses: [400] });
    await page.getByRole('link', { name: '信用评价' }).click();
    await expect(page.getByRole('heading', { name: '各街道信用等级分布' }).count()).resolves.toBe(1);
    await expectSoundPage(page, 'credit-list');
    await page.getByRole('link', { name: '天宁福寿养老院' }).click();
    await expect(page.getByRole('heading', { level: 2, name: /A 级（守信），信用分 92/ }).count()).resolves.toBe(1);
    await page.getByLabel('认定理由').fill('拒绝、阻挠监督检查');
    await page.getByLabel('认定依据').fill('（局方填写的办法名称与条款）');
    await page.getByRole('button', { name: '下一步：核对并确认' }).click();
    await expect(page.getByRole('heading', { name: '失信认定：请核对' }).count()).resolves.toBe(1);
    await page.getByLabel('我已核对，确认作出失信认定').check();
    await page.getByRole('button', { name: '作出失信认定' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('失信认定已作出');
    await expectSoundPage(page, 'credit-ledger-bureau');
    expect(errors).toEqual([]);

    const phone = await phoneContext(browser, t.url);
    const mine = await signIn(phone, institutionAccount);
    await mine.getByRole('link', { name: '信用等级' }).first().click();
    await expect(mine.getByText('CR-INCIDENT 发生突发事件').count()).resolves.toBe(1);
    await expect(mine.getByText('失信主体，抽查比例 100%（被抽中与否仍由公开可复现的随机抽取决定）').count()).resolves.toBe(1);
    await mine.getByLabel('陈述申辩').fill('当日负责人外出，已补充说明');
    await mine.getByRole('button', { name: '提交申辩' }).click();
    await expect(mine.getByRole('status').textContent()).resolves.toContain('申辩已提交');
    await expect(mine.getByText('申辩中').count()).resolves.toBe(1);
    await desk.close();
    await phone.close();
  });
});
