import * as path from 'node:path';
import { Browser, BrowserContext } from 'playwright-core';
import { formatChineseDate } from '../../src/common/calendar';
import { createAccount, institutionInput, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { launchBrowser, phoneContext, signIn } from '../support/browser';
import { CspWatch, watchCsp } from '../support/csp';
import { formItems, submission, uploadPhoto } from '../support/inspection-fixtures';
import { createTestApp, TestApp } from '../support/test-app';

const SCREENSHOT = process.env.MAJOR_DECISION_SCREENSHOT ?? path.join('/tmp', 'major-decision.png');
const REASON = '唯一疏散楼梯被床垫和轮椅完全堵塞，夜间无法疏散';

/**
 * 疑似重大隐患认定 on the hazard page (desktop): an officer outside the finding team confirms a suspected major
 * hazard against a criterion, through a confirmation step, and sees it major with its 五到位 plan due date; an
 * officer on the team sees why he may not decide, and no form. In the 常州 deployment the phone form marks the
 * items the local rule set requires.
 */
describe('suspected major hazard: the bureau decides on the hazard page', () => {
  let t: TestApp;
  let browser: Browser;
  let csp: CspWatch;
  let officer: TestAccount;
  let teamOfficer: TestAccount;
  let inspector: TestAccount;
  let hazardId: string;
  let openInspectionId: string;
  const desktop = (): Promise<BrowserContext> =>
    browser.newContext({ baseURL: t.url, viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });

  beforeAll(async () => {
    t = await createTestApp({ LOCAL_RULE_SET: 'changzhou', OUTBOX_INTERVAL_MS: '200' });
    await seedDivisions(t.db);
    officer = await createAccount(t, 'bureau_officer', { divisionCode: '320402' });
    const officerToken = await tokenFor(t, officer);
    inspector = await createAccount(t, 'inspector', { divisionCode: '320402' });
    const inspectorToken = await tokenFor(t, inspector);
    teamOfficer = await createAccount(t, 'bureau_officer', { divisionCode: '320402' });
    const as = (token: string) => ({ Authorization: `Bearer ${token}` });
    // A 2-storey home with moderately disabled residents: 常州's rules add masks, refuge rooms and IoT duty.
    const institutionId = (await t.http().post('/api/institutions').set(as(officerToken)).send(institutionInput({
      name: '红梅颐养院', storeys: 2, totalAreaM2: 1500, approvedBeds: 60, occupiedBeds: 50, residentsSelfCare: 20, residentsMildlyDisabled: 10,
      residentsModeratelyDisabled: 12, residentsSeverelyDisabled: 0, highestFloorWithDisabled: 2, hasFireControlRoom: true,
    })).expect(201)).body.id as string;
    const inspect = async () => (await t.http().post('/api/inspections').set(as(officerToken))
      .send({ institutionId, kind: 'routine', teamUserIds: [inspector.id, teamOfficer.id] }).expect(201)).body.id as string;

    // ESC-001 (blocked corridor) filed as 疑似重大隐患, as the phone form files it.
    const inspectionId = await inspect();
    const items = await formItems(t, inspectorToken, inspectionId);
    const body = submission(items, { 'ESC-001': [await uploadPhoto(t, inspectorToken, inspectionId, 'ESC-001')] }, [inspector, teamOfficer]);
    const esc = body.responses.find((r) => r.itemCode === 'ESC-001') as Record<string, unknown>;
    delete esc.severity;
    delete esc.majorCriterion;
    Object.assign(esc, { suspectedMajor: true, suspectedReason: REASON });
    const res = await t.http().post(`/api/inspections/${inspectionId}/submit`).set(as(inspectorToken)).send(body).expect(201);
    hazardId = (res.body.hazards as { id: string; itemCode: string }[]).find((h) => h.itemCode === 'ESC-001')!.id;
    openInspectionId = await inspect();

    browser = await launchBrowser();
    csp = watchCsp(browser);
  });
  afterEach(() => csp?.expectNone());
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('an officer on the finding team sees the suspected hazard and why he may not decide, and no form', async () => {
    const ctx = await desktop();
    const page = await signIn(ctx, teamOfficer);
    await page.goto(`/hazards/${hazardId}`);
    const section = page.getByRole('region', { name: '疑似重大隐患认定' });
    await expect(section.textContent()).resolves.toContain('疑似重大隐患（待认定）');
    await expect(section.textContent()).resolves.toContain(REASON);
    await expect(section.textContent()).resolves.toContain('认定期限');
    await expect(section.getByRole('note').textContent()).resolves.toContain('检查组成员不能认定本组发现的疑似重大隐患');
    expect(await page.getByRole('radio').count()).toBe(0);
    expect(await page.getByLabel(/判定标准/).count()).toBe(0);
    await ctx.close();
  });

  it('an officer outside the team confirms it against a criterion, after a confirmation step, and sees it major with its plan due date', async () => {
    const ctx = await desktop();
    const page = await signIn(ctx, officer);
    await page.goto(`/hazards/${hazardId}`);
    const section = page.getByRole('region', { name: '疑似重大隐患认定' });
    await expect(section.textContent()).resolves.toContain(REASON);
    // The placeholder criterion of ESC-001 is never offered.
    const offered = await page.getByLabel(/判定标准/).locator('option').evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value));
    expect(offered).toContain('MZ2023-4.2');
    expect(offered).not.toContain('MZ2023-6.X');

    // Confirming without a criterion is refused, naming the field; what was typed stays.
    await page.getByLabel('认定为重大隐患', { exact: true }).check();
    await page.getByLabel('理由', { exact: true }).fill('唯一疏散楼梯完全堵塞，不具备安全疏散条件');
    await page.getByRole('button', { name: '下一步：确认' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('判定标准：认定为重大隐患时须选择');
    await expect(page.getByLabel('理由', { exact: true }).inputValue()).resolves.toBe('唯一疏散楼梯完全堵塞，不具备安全疏散条件');

    await page.getByLabel(/判定标准/).selectOption('MZ2023-4.2');
    await page.getByRole('button', { name: '下一步：确认' }).click();
    // The confirmation step says what confirming sets in motion.
    const step = page.getByRole('region', { name: '请确认' });
    const stepText = await step.textContent();
    expect(stepText).toContain('MZ2023-4.2');
    expect(stepText).toContain('五到位');
    expect(stepText).toContain('挂牌督办');
    expect(stepText).toContain('重新计算');
    // 返回修改 brings the form back as it was filled in.
    await step.getByRole('button', { name: '返回修改' }).click();
    await expect(page.getByLabel(/判定标准/).inputValue()).resolves.toBe('MZ2023-4.2');
    await expect(page.getByLabel('认定为重大隐患', { exact: true }).isChecked()).resolves.toBe(true);
    await page.getByRole('button', { name: '下一步：确认' }).click();
    const [before] = await t.db.query('SELECT severity, major_status FROM hazard WHERE id = $1', [hazardId]);
    expect(before).toEqual({ severity: 'general', major_status: 'suspected' });
    await step.getByRole('button', { name: '确认认定为重大隐患' }).click();
    await page.waitForURL(/ok=major_confirmed/);

    const [row] = await t.db.query('SELECT severity, major_status, major_criterion, plan_due_date::text AS plan FROM hazard WHERE id = $1', [hazardId]);
    expect(row).toMatchObject({ severity: 'major', major_status: 'confirmed', major_criterion: 'MZ2023-4.2' });
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('已认定为重大隐患');
    const profile = await page.locator('dl.profile').first().textContent();
    expect(profile).toContain('重大隐患（MZ2023-4.2）');
    expect(profile).toContain(`须于 ${formatChineseDate(row.plan)} 前提交`);
    const decided = await section.textContent();
    expect(decided).toContain('已认定重大隐患');
    expect(decided).toContain(officer.displayName);
    expect(decided).toContain('唯一疏散楼梯完全堵塞，不具备安全疏散条件');
    expect(await page.getByRole('radio').count()).toBe(0);
    await page.screenshot({ path: SCREENSHOT });
    await ctx.close();
  });

  it('the phone form marks the items 常州 requires with their local rule', async () => {
    const ctx = await phoneContext(browser, t.url);
    const page = await signIn(ctx, inspector);
    await page.goto(`/inspections/${openInspectionId}/fill`);
    const badge = page.locator('#item-PPE-001 [data-role=local-rule]');
    await badge.waitFor();
    await expect(badge.textContent()).resolves.toBe('地方规则：常州市深入推进“常有颐养”三年行动方案（2024–2026年）（常政办发〔2024〕16号）');
    // A national item carries no badge.
    expect(await page.locator('#item-ESC-001 [data-role=local-rule]').count()).toBe(0);
    await ctx.close();
  });
});
