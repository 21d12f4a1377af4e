import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { Browser } from 'playwright-core';
import { seedDemo } from '../../src/bootstrap';
import type { DemoAccount } from '../../src/demo/demo.seeder';
import { collectErrors, launchBrowser, phoneContext, signIn } from '../support/browser';
import { CspWatch, watchCsp } from '../support/csp';
import { createTestApp, TestApp } from '../support/test-app';

const shots = process.env.SCREENSHOT_DIR ?? os.tmpdir();
const run = promisify(execFile);

/** 消防物联网 in the browser: the demo's simulated alarm reaches the institution's phone, is confirmed there, and the bureau sees it. */
describe('device alarms: simulated alarm → the institution’s phone → confirmed → the bureau’s dashboard', () => {
  let t: TestApp;
  let browser: Browser;
  let csp: CspWatch;
  let accounts: DemoAccount[];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yian-devices-'));
  const devicesFile = path.join(dir, 'demo-devices.json');

  beforeAll(async () => {
    t = await createTestApp({ DEMO_ACCOUNTS_FILE: path.join(dir, 'demo-accounts.json') });
    accounts = await seedDemo(t.app);
    browser = await launchBrowser();
    csp = watchCsp(browser);
  });
  afterEach(() => csp?.expectNone());
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });
  const account = (username: string) => accounts.find((a) => a.username === username)!;

  it('the demo’s simulator sends a signed alarm; the institution confirms it on its phone; the bureau’s dashboard counts it', async () => {
    // the demo wrote the simulator's credential beside its accounts (0600), never printed
    const cred = JSON.parse(fs.readFileSync(devicesFile, 'utf8'));
    expect(cred).toMatchObject({ keyId: expect.stringMatching(/^yk_/), devices: expect.arrayContaining([expect.objectContaining({ vendorDeviceId: 'SD-301' })]) });
    expect(fs.statSync(devicesFile).mode & 0o077).toBe(0);
    const sent = await run(process.execPath, ['scripts/simulate-device.mjs', 'alarm', 'SD-301', '--file', devicesFile, '--url', `${t.url}/api/devices/events`, '--detail', '烟雾浓度超限']);
    expect(sent.stdout).toMatch(/^200 .*"alarmId":"[0-9a-f-]{36}"/);

    const ctx = await phoneContext(browser, t.url);
    const page = await signIn(ctx, account('institution'));
    const errors = collectErrors(page, { allowStatuses: [400] });
    // the home page puts it first, the bell counts it; the navigation leads to 报警确认
    await expect(page.locator('#ws-alarm-h').textContent()).resolves.toBe('待确认的报警（1）');
    await expect(page.locator('.ws-alarm').textContent()).resolves.toContain('火警报警：1号楼3层东侧走廊');
    await page.screenshot({ path: path.join(shots, 'yian-alarm-home.png'), fullPage: false });
    await expect(page.locator('.bell, [data-role="bell"], a[href="/notifications"]').first().textContent()).resolves.toMatch(/\d/);
    await page.getByRole('navigation').getByRole('link', { name: '报警确认' }).click();
    await page.waitForURL(/\/alarms$/);
    await expect(page.locator('li.alarm.open').count()).resolves.toBe(1);
    await expect(page.locator('li.alarm.open').textContent()).resolves.toMatch(/火警报警 · 1号楼3层东侧走廊[\s\S]*烟雾浓度超限[\s\S]*须于/);
    await page.screenshot({ path: path.join(shots, 'yian-alarm-phone.png'), fullPage: true });

    // submitting without a result is refused, naming the field
    await page.getByRole('button', { name: '提交确认' }).click();
    await expect(page.getByRole('alert').first().textContent()).resolves.toContain('确认结果');
    await page.getByLabel('误报').check();
    await page.getByLabel('处置情况（选填）').fill('厨房油烟飘入走廊，已到场核实无火情');
    await page.getByRole('button', { name: '提交确认' }).click();
    await page.waitForURL(/\/alarms\/[0-9a-f-]+\?ok=confirmed/);
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('已确认');
    await expect(page.locator('li.alarm').textContent()).resolves.toMatch(/已按时确认[\s\S]*误报/);
    await page.screenshot({ path: path.join(shots, 'yian-alarm-confirmed.png'), fullPage: true });
    await page.goto('/alarms');
    await expect(page.getByText('没有待确认的报警。').count()).resolves.toBe(1);
    await page.goto('/');
    await expect(page.locator('#ws-alarm-h').count()).resolves.toBe(0);
    // the devices page: the duty record counts it
    await page.goto(`/institutions/${(await t.db.query(`SELECT institution_id AS id FROM app_user WHERE username = 'institution'`))[0].id}/devices`);
    await expect(page.locator('#duty-h + p').textContent()).resolves.toMatch(/报警 1 次：3 分钟内确认 1 次.*误报 1 次/);
    await expect(page.locator('#dev-h').textContent()).resolves.toContain('设备（5）');
    await page.screenshot({ path: path.join(shots, 'yian-devices-institution.png'), fullPage: true });
    expect(errors).toEqual([]);

    // the bureau: the dashboard's duty card and the on-call page
    const officerCtx = await browser.newContext({ baseURL: t.url, viewport: { width: 1280, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const officer = await signIn(officerCtx, account('officer'));
    await officer.goto('/dashboard');
    await expect(officer.locator('#duty-h').textContent()).resolves.toContain('消防物联网值班');
    await expect(officer.locator('#duty-h + p').textContent()).resolves.toMatch(/接入机构 1 · 报警 1（3 分钟内确认 1）· 未确认 0/);
    await officer.screenshot({ path: path.join(shots, 'yian-duty-dashboard.png'), fullPage: true });
    await officer.getByRole('link', { name: '报警与各机构响应情况' }).click();
    await officer.waitForURL(/\/alarms$/);
    await officer.getByRole('link', { name: '已确认' }).click();
    await expect(officer.locator('li.alarm').first().textContent()).resolves.toMatch(/已按时确认[\s\S]*误报/);
    await officer.screenshot({ path: path.join(shots, 'yian-duty-bureau.png'), fullPage: true });
    const csv = await officer.request.get('/alarms/duty.csv');
    expect(csv.status()).toBe(200);
    const text = (await csv.body()).toString('utf8');
    expect(text.split('\r\n')[0]).toContain('机构,所属区划,登记设备');
    expect(text).toMatch(/,5,0,1,1,0,0,1,/);
    expect(text.split('\r\n')[1]).toMatch(/^天宁区青龙街道社区养老服务综合体,青龙街道,/);
    await ctx.close();
    await officerCtx.close();
  });
});
