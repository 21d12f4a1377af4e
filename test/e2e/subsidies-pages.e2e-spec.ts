import ExcelJS from 'exceljs';
import { binary } from '../support/exports';
import { createAccount, institutionInput, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { SubsidiesService } from '../../src/scoring/subsidies.service';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * 运营补贴 pages (issue 13, item 8) and the API they added (list filters, recompute, compare), on the real app.
 *
 * Four institutions in 红梅街道 with 30 occupied beds, all 自理, none inspected (safety coefficient 0.85), so a full
 * month is 30 × 200 × 0.85 = 5,100.00:
 *   甲 unchanged; 乙 30 → 45 beds from 1 November (7,650.00); 丙 opened 16 November (2,550.00, not in October);
 *   丁 closed for good from 1 November (in October, not in November).
 * October is computed through the API, November through the page form; November is compared with October.
 */
describe('subsidy pages: compute, explain, approve (admin), frozen, compare', () => {
  let t: TestApp;
  let admin: TestAccount;
  let officer: TestAccount;
  let adminToken: string;
  let officerToken: string;
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const ids: Record<string, string> = {};
  let october: { id: string; total: number };
  let novemberId: string;

  async function webSession(account: TestAccount): Promise<{ cookie: string; csrf: string }> {
    const res = await t.http().post('/api/auth/login').send({ username: account.username, password: account.password }).expect(200);
    return { cookie: (res.headers['set-cookie'][0] as string).split(';')[0], csrf: res.body.csrfToken };
  }
  const page = (s: { cookie: string }, path: string) => t.http().get(path).set('Cookie', s.cookie).set('Accept', 'text/html');
  const form = (s: { cookie: string; csrf: string }, path: string, body: Record<string, string>) =>
    t.http().post(path).set('Cookie', s.cookie).set('Origin', t.url).type('form').send({ _csrf: s.csrf, ...body });

  const register = async (name: string, openedOn: string) => {
    const body = institutionInput({ name, occupiedBeds: 30, residentsSelfCare: 30, residentsMildlyDisabled: 0, residentsModeratelyDisabled: 0, residentsSeverelyDisabled: 0, highestFloorWithDisabled: null } as never);
    const inst = (await t.http().post('/api/institutions').set(bearer(adminToken)).send(body).expect(201)).body;
    await t.http().put(`/api/institutions/${inst.id}/operating-period`).set(bearer(adminToken)).send({ openedOn, reason: '设立备案回执所载日期' }).expect(200);
    return inst.id as string;
  };

  beforeAll(async () => {
    t = await createTestApp();
    await seedDivisions(t.db);
    admin = await createAccount(t, 'bureau_admin', { divisionCode: '320402' });
    officer = await createAccount(t, 'bureau_officer', { divisionCode: '320402' });
    [adminToken, officerToken] = await Promise.all([tokenFor(t, admin), tokenFor(t, officer)]);
    ids.steady = await register('甲·稳定颐养院', '2026-01-01');
    ids.beds = await register('乙·增床颐养院', '2026-01-01');
    ids.opened = await register('丙·十一月开业颐养院', '2026-11-16');
    ids.closed = await register('丁·十月后关闭颐养院', '2026-01-01');
    october = (await t.http().post('/api/subsidy-schedules').set(bearer(officerToken)).send({ divisionCode: '320402', periodStart: '2026-10-01', periodEnd: '2026-10-31' }).expect(201)).body;
    // After October: 乙 has 45 beds from 1 November (bureau-confirmed, dated back), 丁 stopped operating on 1 November.
    const b = (await t.http().get(`/api/institutions/${ids.beds}`).set(bearer(adminToken)).expect(200)).body;
    await t.http().patch(`/api/institutions/${ids.beds}`).set(bearer(adminToken)).send({ occupiedBeds: 45, residentsSelfCare: 45, version: b.version }).expect(200);
    await t.db.query(`UPDATE institution_capacity SET effective_from = '2026-11-01' WHERE institution_id = $1 AND source = 'update'`, [ids.beds]);
    await t.http().post(`/api/institutions/${ids.closed}/interruptions`).set(bearer(adminToken)).send({ kind: 'closed', fromDate: '2026-11-01', reason: '举办者申请停止运营' }).expect(201);
  });
  afterAll(() => t?.close());

  it('the list explains how to compute one; the page form refuses bad input naming the field', async () => {
    const s = await webSession(officer);
    const list = await page(s, '/subsidies').expect(200);
    expect(list.text).toContain('生成发放表');
    expect(list.text).toMatch(/<label for="c-division">区划<\/label>/);
    expect(list.text).toContain('2026-10-01 至 2026-10-31');
    const empty = await page(s, '/subsidies?status=approved').expect(200);
    expect(empty.text).toContain('没有符合筛选条件的发放表');

    const badDate = await form(s, '/subsidies', { divisionCode: '320402', periodStart: '2026-11-31', periodEnd: '2026-11-30' }).expect(400);
    expect(badDate.text).toMatch(/期间起：/);
    expect(badDate.text).toContain('value="2026-11-31"'); // the form keeps what was typed
    const order = await form(s, '/subsidies', { divisionCode: '320402', periodStart: '2026-11-30', periodEnd: '2026-11-01' }).expect(400);
    expect(order.text).toContain('期间止：结束日期不能早于开始日期');
    const outside = await form(s, '/subsidies', { divisionCode: '320404', periodStart: '2026-11-01', periodEnd: '2026-11-30' }).expect(400);
    expect(outside.text).toMatch(/区划：/);
    const noPolicy = await form(s, '/subsidies', { divisionCode: '320402', periodStart: '2025-11-01', periodEnd: '2025-11-30' }).expect(400);
    expect(noPolicy.text).toContain('期间起：没有适用于 2025 年的补贴政策');
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM subsidy_schedule`);
    expect(n).toBe(1);
  });

  it('computes through the page form; every line has its working (policy version, days, segments, coefficients); totals by street and kind', async () => {
    const s = await webSession(officer);
    const res = await form(s, '/subsidies', { divisionCode: '320402', periodStart: '2026-11-01', periodEnd: '2026-11-30' }).expect(303);
    const m = /^\/subsidies\/([0-9a-f-]{36})\?ok=computed$/.exec(res.headers.location);
    expect(m).not.toBeNull();
    novemberId = m![1];
    const api = (await t.http().get(`/api/subsidy-schedules/${novemberId}`).set(bearer(officerToken)).expect(200)).body;
    expect(api.total).toBe(5100 + 7650 + 2550);
    expect(api.lines.find((l: { institutionId: string }) => l.institutionId === ids.opened)).toMatchObject({ divisionCode: '320402004', divisionName: '红梅街道', kind: 'nursing_home' });

    const detail = await page(s, `/subsidies/${novemberId}?ok=computed`).expect(200);
    const text = detail.text;
    expect(text).toContain('发放表已生成（草稿）');
    expect((text.match(/<details class="sub-working">/g) ?? []).length).toBe(3);
    expect(text).toContain('依据补贴政策 subsidy-320400-2026 第 1 版（内容指纹');
    expect(text).toContain('期间 2026-11-01 至 2026-11-30，共 30 天');
    expect(text).toContain('运营 15 天，计补 15 天（计补比例 15/30）');
    expect(text).toContain('2026-11-01 至 2026-11-15（15 天）：未运营（开业前），不计补贴');
    expect(text).toContain('30 床 × 200 元 × 15/30 个月（2026-11-16 至 2026-11-30，15 天）');
    expect(text).toContain('安全系数：截至期末 2026-11-30 尚无已存储的安全分，按“未评分”系数 0.85');
    expect(text).toContain('45 床 × 200 元 × 1 个月');
    // totals by street and by kind
    expect(text).toMatch(/按街道合计[\s\S]*红梅街道<\/td><td class="num">3<\/td><td class="num">15,300.00/);
    expect(text).toMatch(/按机构类型合计[\s\S]*养老院<\/td><td class="num">3<\/td><td class="num">15,300.00/);
    // an officer may recompute the draft, not approve it
    expect(text).toContain(`action="/subsidies/${novemberId}/recompute"`);
    expect(text).not.toContain('审批…');
    expect(text).toContain('草稿须经管理员审批');
    // the list shows it with its status and total
    const list = await page(s, '/subsidies?status=draft').expect(200);
    expect(list.text).toContain('15,300.00');
    expect(list.text).toContain('草稿');
  });

  it('a line stored without its street and kind (before this release) is grouped by the registration now, and says so', async () => {
    await t.db.query(`UPDATE subsidy_schedule SET lines = (SELECT jsonb_agg(l - 'divisionCode' - 'divisionName' - 'kind') FROM jsonb_array_elements(lines) l) WHERE id = $1`, [october.id]);
    const s = await webSession(officer);
    const detail = await page(s, `/subsidies/${october.id}`).expect(200);
    expect(detail.text).toMatch(/红梅街道<\/td><td class="num">3<\/td><td class="num">15,300.00/);
    expect(detail.text).toContain('按机构现在的登记信息归类');
  });

  it('a draft can be recomputed (API and page), audited with the totals before and after', async () => {
    const again = (await t.http().post(`/api/subsidy-schedules/${october.id}/recompute`).set(bearer(officerToken)).expect(200)).body;
    expect(again).toMatchObject({ id: october.id, status: 'draft', versionNo: 1, total: 15300 });
    expect(again.recomputedAt).toEqual(expect.any(String));
    expect(again.lines[0]).toHaveProperty('divisionName', '红梅街道'); // recomputed lines record the street again
    const s = await webSession(officer);
    const res = await form(s, `/subsidies/${october.id}/recompute`, {}).expect(303);
    expect(res.headers.location).toBe(`/subsidies/${october.id}?ok=recomputed`);
    const audits = await t.db.query(`SELECT before, after FROM audit_event WHERE entity_id = $1 AND action = 'subsidy.schedule_recompute'`, [october.id]);
    expect(audits).toHaveLength(2);
    expect(audits[0]).toMatchObject({ before: { total: 15300 }, after: { total: 15300, institutions: 3 } });
  });

  it('only the admin approves, after a confirmation stating that it is final', async () => {
    // the officer: no approval offered, the page and the API refuse
    const so = await webSession(officer);
    await form(so, `/subsidies/${novemberId}/approve`, { confirm: 'yes' }).expect(403);
    await t.http().post(`/api/subsidy-schedules/${novemberId}/approve`).set(bearer(officerToken)).expect(403);
    expect((await page(so, `/subsidies/${novemberId}?step=approve`).expect(200)).text).not.toContain('确认批准');

    const sa = await webSession(admin);
    const draft = await page(sa, `/subsidies/${novemberId}`).expect(200);
    expect(draft.text).toContain(`href="/subsidies/${novemberId}?step=approve#approve"`);
    const confirm = await page(sa, `/subsidies/${novemberId}?step=approve`).expect(200);
    expect(confirm.text).toContain('批准后不可修改');
    expect(confirm.text).toContain('合计 <strong>15,300.00</strong> 元');
    expect(confirm.text).toMatch(/<label class="check" for="a-confirm"><input id="a-confirm" type="checkbox" name="confirm" value="yes">/);
    // not ticked: refused, naming the box, still a draft
    const unticked = await form(sa, `/subsidies/${novemberId}/approve`, {}).expect(400);
    expect(unticked.text).toContain('确认：请勾选确认：批准后发放表不可修改');
    expect((await t.http().get(`/api/subsidy-schedules/${novemberId}`).set(bearer(adminToken))).body.status).toBe('draft');
    // Recomputed after the confirmation was shown: the approval of what the admin saw is refused, nothing approved.
    const seen = /name="reviewed" value="([^"]+)"/.exec(confirm.text)![1];
    const recomputed = await t.http().post(`/api/subsidy-schedules/${novemberId}/recompute`).set(bearer(officerToken));
    expect(recomputed.status).toBeLessThan(300);
    const stale = await form(sa, `/subsidies/${novemberId}/approve`, { confirm: 'yes', reviewed: seen }).expect(409);
    expect(stale.text).toContain('确认页显示后发放表已被重新计算');
    expect((await t.http().get(`/api/subsidy-schedules/${novemberId}`).set(bearer(adminToken))).body.status).toBe('draft');
    const again = await page(sa, `/subsidies/${novemberId}?step=approve`).expect(200);
    const reviewed = /name="reviewed" value="([^"]+)"/.exec(again.text)![1];
    expect(reviewed).not.toBe(seen);
    const done = await form(sa, `/subsidies/${novemberId}/approve`, { confirm: 'yes', reviewed }).expect(303);
    expect(done.headers.location).toBe(`/subsidies/${novemberId}?ok=approved`);
    const [audit] = await t.db.query(`SELECT count(*)::int AS n FROM audit_event WHERE entity_id = $1 AND action = 'subsidy.schedule_approve'`, [novemberId]);
    expect(audit.n).toBe(1);
  });

  it('an approved schedule is visibly frozen and refuses recompute and a second approval with 409', async () => {
    const sa = await webSession(admin);
    const frozen = await page(sa, `/subsidies/${novemberId}`).expect(200);
    expect(frozen.text).toContain('已审批 · 已冻结');
    expect(frozen.text).not.toContain('/recompute"');
    expect(frozen.text).not.toContain('审批…');
    const before = (await t.http().get(`/api/subsidy-schedules/${novemberId}`).set(bearer(adminToken))).body;

    const api = await t.http().post(`/api/subsidy-schedules/${novemberId}/recompute`).set(bearer(adminToken)).expect(409);
    expect(api.body.code).toBe('subsidy.approved');
    await t.http().post(`/api/subsidy-schedules/${novemberId}/approve`).set(bearer(adminToken)).expect(409);
    const forced = await form(sa, `/subsidies/${novemberId}/recompute`, {}).expect(409);
    expect(forced.text).toContain('该补贴发放表已审批，不能修改');
    expect(forced.text).toContain('已审批 · 已冻结');
    const reapprove = await form(sa, `/subsidies/${novemberId}/approve`, { confirm: 'yes' }).expect(409);
    expect(reapprove.text).toContain('该补贴发放表已审批，不能修改');
    expect((await t.http().get(`/api/subsidy-schedules/${novemberId}`).set(bearer(adminToken))).body).toEqual(before);

    // a second version of the same division and period can be computed (a correction), but not approved as well
    const v2 = (await t.http().post('/api/subsidy-schedules').set(bearer(adminToken)).send({ divisionCode: '320402', periodStart: '2026-11-01', periodEnd: '2026-11-30' }).expect(201)).body;
    expect(v2.versionNo).toBe(2);
    const twice = await t.http().post(`/api/subsidy-schedules/${v2.id}/approve`).set(bearer(adminToken)).expect(409);
    expect(twice.body).toMatchObject({ code: 'subsidy.period_approved' });
    expect(twice.body.message).toContain('第 1 版');
    // the downloads work for the approved one
    const xlsx = await t.http().get(`/api/subsidy-schedules/${novemberId}/export.xlsx`).set(bearer(adminToken)).buffer(true).parse(binary).expect(200).expect('Content-Type', /spreadsheetml/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.body as never);
    const sheet = wb.worksheets[0];
    const header = (sheet.getRow(2).values as unknown[]).slice(1);
    expect(header).toEqual(['序号', '机构', '等级（期末）', '安全得分', '入住床位（期末）', '补贴金额（元）', '暂停', '计补天数', '街道', '机构类型', '计算明细']);
    expect(sheet.getRow(3).getCell(9).value).toBe('红梅街道');
    expect(String(sheet.getRow(1).getCell(1).value)).toContain('已审批');
  });

  it('compares with the previous period: added, removed, changed (both amounts and the reason), unchanged', async () => {
    const cmp = (await t.http().get(`/api/subsidy-schedules/${novemberId}/compare`).set(bearer(officerToken)).expect(200)).body;
    expect(cmp.other).toMatchObject({ id: october.id, periodStart: '2026-10-01' });
    const rows = cmp.comparison.rows.map((r: { institutionId: string; change: string; before: number | null; after: number | null; delta: number }) =>
      [Object.keys(ids).find((k) => ids[k] === r.institutionId), r.change, r.before, r.after, r.delta]);
    expect(rows).toEqual([
      ['opened', 'added', null, 2550, 2550],
      ['closed', 'removed', 5100, null, -5100],
      ['beds', 'changed', 5100, 7650, 2550],
      ['steady', 'unchanged', 5100, 5100, 0],
    ]);
    expect(cmp.comparison.rows[2].reasons).toContain('期末入住床位 30 床 → 45 床');
    expect(cmp.comparison).toMatchObject({ totalBefore: 15300, totalAfter: 15300, delta: 0, counts: { added: 1, removed: 1, changed: 1, unchanged: 1 } });
    // with an explicit id (the second version of November), and refusals
    const v2 = (await t.http().get('/api/subsidy-schedules?status=draft&divisionCode=320402').set(bearer(officerToken)).expect(200)).body.items
      .find((s: { periodStart: string }) => s.periodStart === '2026-11-01');
    const same = (await t.http().get(`/api/subsidy-schedules/${novemberId}/compare?with=${v2.id}`).set(bearer(officerToken)).expect(200)).body;
    expect(same.comparison.counts).toEqual({ added: 0, removed: 0, changed: 0, unchanged: 3 });
    await t.http().get(`/api/subsidy-schedules/${novemberId}/compare?with=${novemberId}`).set(bearer(officerToken)).expect(400);
    await t.http().get(`/api/subsidy-schedules/${novemberId}/compare?with=last-year`).set(bearer(officerToken)).expect(400);
    const none = await t.http().get(`/api/subsidy-schedules/${october.id}/compare`).set(bearer(officerToken)).expect(404);
    expect(none.body.code).toBe('subsidy.no_previous');

    const s = await webSession(officer);
    const html = (await page(s, `/subsidies/${novemberId}/compare`).expect(200)).text;
    expect(html).toMatch(/丙·十一月开业颐养院<\/a><\/td><td><span class="tag">新增<\/span><\/td>\s*<td class="num">—<\/td><td class="num">2,550.00<\/td><td class="num">\+2,550.00/);
    expect(html).toMatch(/丁·十月后关闭颐养院<\/a><\/td><td><span class="tag">移除<\/span><\/td>\s*<td class="num">5,100.00<\/td><td class="num">—<\/td><td class="num">−5,100.00/);
    expect(html).toMatch(/乙·增床颐养院<\/a><\/td><td><span class="tag">金额变化<\/span><\/td>\s*<td class="num">5,100.00<\/td><td class="num">7,650.00<\/td><td class="num">\+2,550.00[\s\S]*期末入住床位 30 床 → 45 床/);
    expect(html).toContain('金额未变的机构（1 家）');
    const empty = (await page(s, `/subsidies/${october.id}/compare`).expect(200)).text;
    expect(empty).toContain('没有早于 2026-10-01 的发放表可供对比');

    // the institution page's accessor: one institution's lines, newest period first, within the viewer's scope
    const viewer = { id: officer.id, username: officer.username, displayName: officer.displayName, role: 'bureau_officer' as const, divisionCode: '320402', divisionPath: '/320400/320402/', institutionId: null };
    const history = await t.app.get(SubsidiesService).institutionLines(viewer, ids.beds);
    expect(history.map((h) => [h.periodStart, h.versionNo, h.status, h.amount])).toEqual([['2026-11-01', 2, 'draft', 7650], ['2026-11-01', 1, 'approved', 7650], ['2026-10-01', 1, 'draft', 5100]]);
    const outside = await t.app.get(SubsidiesService).institutionLines({ ...viewer, divisionCode: '320404', divisionPath: '/320400/320404/' }, ids.beds);
    expect(outside).toEqual([]);
  });

  it('pages and API are scoped: another district sees nothing; an inspector has no subsidy pages', async () => {
    const other = await createAccount(t, 'bureau_admin', { divisionCode: '320404' });
    const s = await webSession(other);
    await page(s, `/subsidies/${novemberId}`).expect(404);
    await page(s, `/subsidies/${novemberId}/compare`).expect(404);
    await form(s, `/subsidies/${october.id}/recompute`, {}).expect(404);
    expect((await page(s, '/subsidies').expect(200)).text).toContain('尚未生成运营补贴发放表');
    const inspector = await createAccount(t, 'inspector', { divisionCode: '320402' });
    await page(await webSession(inspector), '/subsidies').expect(403);
    await t.http().get('/subsidies/not-a-uuid').set('Cookie', (await webSession(officer)).cookie).expect(404);
  });
});
