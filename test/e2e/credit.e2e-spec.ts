import { addDays, shanghaiDate } from '../../src/common/calendar';
import { SYSTEM_SCOPE } from '../../src/common/scope';
import { CreditService } from '../../src/credit/credit.service';
import { createAccount, institutionInput, rowCount, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';

/** 信用评价: the ledger sums to the level; a 失信 decision changes the draw stratum and the subsidy as the rules say. */
describe('credit evaluation', () => {
  let t: TestApp;
  let officer: string; // 天宁区
  let farOfficer: string; // 钟楼区
  let a: string; // 红梅颐养院: several facts
  let b: string; // 青枫养老院: a clean record
  let instA: string;
  let instB: string;
  let decisionA: string;
  let officerAccount: TestAccount;
  let instAAccount: TestAccount;
  const today = shanghaiDate(new Date());
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const standings = (ids: string[]) => t.app.get(CreditService).standings(SYSTEM_SCOPE, ids, new Date());
  const decide = (body: object, token = officer) => t.http().post('/api/credit/dishonesty').set(as(token)).send(body);
  const decision = (over: object = {}) => ({ institutionId: a, reason: '虚报床位骗取运营补贴，经核查属实', legalBasis: '《某市养老服务市场失信联合惩戒对象名单管理办法》（局方填写）', decidedOn: today, ...over });
  const subsidyLines = async () => {
    const res = await t.http().post('/api/subsidy-schedules').set(as(officer)).send({ divisionCode: '320402004', periodStart: '2026-12-01', periodEnd: '2026-12-31' }).expect(201);
    const [row] = await t.db.query(`SELECT s.kind FROM subsidy_schedule x JOIN rule_set_version v ON v.id = x.credit_rules_version_id JOIN rule_set s ON s.code = v.rule_set_code WHERE x.id = $1`, [res.body.id]);
    expect(row.kind).toBe('credit_rules');
    const of = (id: string) => res.body.lines.find((l: { institutionId: string }) => l.institutionId === id) as { eligible: boolean; amount: number; lines: { label: string; formula: string; amount: number }[] };
    return { a: of(a), b: of(b) };
  };

  beforeAll(async () => {
    t = await createTestApp();
    await seedDivisions(t.db);
    officerAccount = await createAccount(t, 'bureau_officer', { divisionCode: '320402' });
    officer = await tokenFor(t, officerAccount);
    farOfficer = await tokenFor(t, await createAccount(t, 'bureau_officer', { divisionCode: '320404' }));
    a = (await t.http().post('/api/institutions').set(as(officer)).send(institutionInput({ name: '红梅颐养院' })).expect(201)).body.id;
    b = (await t.http().post('/api/institutions').set(as(officer)).send(institutionInput({ name: '青枫养老院' })).expect(201)).body.id;
    instAAccount = await createAccount(t, 'institution', { institutionId: a });
    instA = await tokenFor(t, instAAccount);
    instB = await tokenFor(t, await createAccount(t, 'institution', { institutionId: b }));

    // the record of A: a 较大 incident reported 3 h after it happened (2 h allowed), a live drill, a rejected request overstating beds
    await t.http().post(`/api/institutions/${a}/incidents`).set(as(instA)).send({
      type: 'public_health', grade: 'larger', occurredAt: new Date(Date.now() - 3 * 3_600_000).toISOString(), summary: '6 名老人午餐后腹泻', residentsAffected: 6, firstMeasures: '送医，留样送检',
    }).expect(201);
    await t.http().post(`/api/institutions/${a}/drills`).set(as(instA)).send({
      heldOn: today, kind: 'fire_evacuation', form: 'live', participantsStaff: 12, evacuated: { selfCare: 10, mildlyDisabled: 0, moderatelyDisabled: 0, severelyDisabled: 0 }, evacuationSeconds: 245, lessons: '三楼疏散门开启慢',
    }).expect(201);
    const { version } = (await t.http().get(`/api/institutions/${a}`).set(as(officer)).expect(200)).body;
    const request = (await t.http().post(`/api/institutions/${a}/change-requests`).set(as(instA)).send({ version, reason: '新增床位', changes: { approvedBeds: 250 } }).expect(201)).body;
    await t.http().post(`/api/institutions/${a}/change-requests/${request.id}/reject`).set(as(officer)).send({ version: 1, note: '现场核查只有 200 张床' }).expect(200);
  });
  afterAll(() => t.close());

  it('the ledger sums to the level, every point naming its record; the institution sees its own and no other', async () => {
    const res = await t.http().get(`/api/credit/institutions/${a}`).set(as(instA)).expect(200);
    const { ledger, standing, consequence } = res.body;
    expect(ledger.entries.map((e: { ruleCode: string; points: number; entityType: string }) => [e.ruleCode, e.points, e.entityType])).toEqual([
      ['CR-INCIDENT', -8, 'incident'], ['CR-INCIDENT-LATE', -5, 'incident'], ['CR-FALSIFIED', -15, 'institution_change_request'], ['CR-DRILL', 2, 'drill'],
    ]);
    expect(ledger.base + ledger.entries.reduce((s: number, e: { points: number }) => s + e.points, 0)).toBe(ledger.total);
    expect(ledger).toMatchObject({ total: 74, level: 'C', levelLabelZh: 'C 级（关注）' });
    expect(ledger.entries[2].explanation).toContain('核定床位由 200 报为 250');
    const [cr] = await t.db.query(`SELECT id FROM institution_change_request WHERE institution_id = $1`, [a]);
    expect(ledger.entries[2].entityId).toBe(cr.id);
    expect(standing).toMatchObject({ institutionId: a, level: 'C', stratum: 'C', points: 74, dishonest: false });
    expect(consequence).toEqual({ stratum: 'C', inspectionsPerYear: 2, subsidy: { eligible: true, reductionPercent: 10 } });
    await t.http().get(`/api/credit/institutions/${a}`).set(as(instB)).expect(404);
    await t.http().get(`/api/credit/institutions/${a}`).set(as(farOfficer)).expect(404);

    const map = await standings([a, b]);
    expect(map.get(a)).toMatchObject({ level: 'C', stratum: 'C', points: 74, dishonest: false });
    expect(map.get(b)).toMatchObject({ level: 'A', stratum: 'A', points: 100, dishonest: false });
    // set-based: the same number of queries for one institution as for two (a handful, never one per institution)
    const em = t.db.manager;
    const spy = jest.spyOn(em, 'query');
    await t.app.get(CreditService).standings(SYSTEM_SCOPE, [a], new Date(), em);
    const one = spy.mock.calls.length;
    spy.mockClear();
    await t.app.get(CreditService).standings(SYSTEM_SCOPE, [a, b], new Date(), em);
    expect(spy.mock.calls.length).toBe(one);
    expect(one).toBeLessThanOrEqual(10);
    spy.mockRestore();
    const strata = await t.app.get(CreditService).drawStrata();
    expect(strata.strata.map((s) => [s.code, s.ratio])).toEqual([['A', 0.05], ['B', 0.1], ['C', 0.2], ['D', 0.5], ['X', 1]]);
    expect(strata.rulesVersionId).toBe(map.get(a)!.rulesVersionId);
  });

  it('the bureau lists levels by street (paged, filtered) and exports them as Chinese CSV; another district sees none', async () => {
    const list = (await t.http().get('/api/credit/institutions?level=C').set(as(officer)).expect(200)).body;
    expect(list).toMatchObject({ total: 1, page: 1, pageSize: 20, items: [{ institutionId: a, name: '红梅颐养院', level: 'C', divisionName: '红梅街道', subsidy: { reductionPercent: 10 } }] });
    expect(list.byStreet).toEqual([{ divisionCode: '320402004', divisionName: '红梅街道', counts: { A: 1, B: 0, C: 1, D: 0 }, dishonest: 0, total: 2 }]);
    const csv = await t.http().get('/api/credit/institutions.csv').set(as(officer)).expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.text.startsWith('\ufeff机构名称,所在街道（乡镇）,信用分,信用等级')).toBe(true);
    expect(csv.text).toContain('红梅颐养院,红梅街道,74,C 级（关注）,无,C 级（关注）,2,0,是（截至评价日应 2 次）,减发 10%');
    const far = (await t.http().get('/api/credit/institutions').set(as(farOfficer)).expect(200)).body;
    expect(far).toMatchObject({ total: 0, items: [], byStreet: [] });
    await t.http().get('/api/credit/institutions?level=E').set(as(officer)).expect(400);
    await t.http().get('/api/credit/institutions?divisionCode=320404001').set(as(officer)).expect(400);
  });

  it.each([
    ['no reason', { reason: ' ' }, 'reason', 'isNotEmpty'],
    ['no legal basis', { legalBasis: undefined }, 'legalBasis', 'isString'],
    ['a decision day in the future', { decidedOn: addDays(today, 1) }, 'decidedOn', 'decidedInFuture'],
    ['not a day', { decidedOn: '2026-02-30' }, 'decidedOn', 'isCalendarDate'],
    ['not an id', { institutionId: 'x' }, 'institutionId', 'isUuid'],
    ['an unknown field', { stratum: 'X' }, 'stratum', 'whitelistValidation'],
  ])('a decision with %s is 400 naming the field, and nothing is written', async (_l, patch, field, reason) => {
    const before = [await rowCount(t.db, 'credit_dishonesty_decision'), await rowCount(t.db, 'audit_event')];
    const res = await decide(decision(patch)).expect(400);
    expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field, reason })]));
    expect([await rowCount(t.db, 'credit_dishonesty_decision'), await rowCount(t.db, 'audit_event')]).toEqual(before);
  });

  it('another district cannot decide on the institution, and an institution cannot decide at all', async () => {
    const res = await decide(decision(), farOfficer).expect(400);
    expect(res.body.details).toEqual([expect.objectContaining({ field: 'institutionId', reason: 'notAnInstitution' })]);
    await decide(decision(), instA).expect(403);
    expect(await rowCount(t.db, 'credit_dishonesty_decision')).toBe(0);
  });

  it('a 失信 decision moves the institution to the 失信 stratum and makes it ineligible for the subsidy; one in force at a time', async () => {
    const before = await subsidyLines();
    // C: 10 % less, in one explained line naming the credit rules version
    expect(before.a.lines.at(-1)).toMatchObject({ label: 'C 级（关注），信用分 74，减发 10%'.replace(/^/, '信用：'), formula: expect.stringContaining('信用评价规则 credit-rules 第 1 版') });
    expect(before.a.amount).toBeGreaterThan(0);
    expect(before.b.lines.some((l) => l.label.startsWith('信用'))).toBe(false);

    const res = await decide(decision()).expect(201);
    decisionA = res.body.id;
    expect(res.body).toMatchObject({ institutionId: a, status: 'decided', decidedOn: today, objectionDueOn: addDays(today, 15), published: true, version: 1 });
    const [audit] = await t.db.query(`SELECT action, after FROM audit_event WHERE entity_id = $1`, [decisionA]);
    expect(audit).toMatchObject({ action: 'credit.dishonesty_decide', after: { institutionId: a, decidedOn: today } });
    expect((await standings([a])).get(a)).toMatchObject({ level: 'C', stratum: 'X', dishonest: true });

    const after = await subsidyLines();
    expect(after.a).toMatchObject({ eligible: false, amount: 0 });
    expect(after.a.lines).toEqual([expect.objectContaining({ label: '信用：失信认定生效中（信用分 74，C 级（关注）），按信用评价规则（credit-rules 第 1 版）不予补贴', amount: 0 })]);
    expect(after.b.amount).toBe(before.b.amount);

    expect((await decide(decision()).expect(409)).body.code).toBe('credit.already_in_force');
    const list = (await t.http().get('/api/credit/institutions?dishonest=yes').set(as(officer)).expect(200)).body;
    expect(list.items.map((r: { institutionId: string; stratum: string }) => [r.institutionId, r.stratum])).toEqual([[a, 'X']]);
  });

  it('the institution objects within the window; the bureau withdraws the decision and the consequences end', async () => {
    await t.http().post(`/api/credit/dishonesty/${decisionA}/objection`).set(as(instB)).send({ objection: '不是我们' }).expect(404);
    await t.http().post(`/api/credit/dishonesty/${decisionA}/objection`).set(as(instA)).send({ objection: ' ' }).expect(400);
    const objected = (await t.http().post(`/api/credit/dishonesty/${decisionA}/objection`).set(as(instA)).send({ objection: '床位申请系填报错误，已撤回' }).expect(200)).body;
    expect(objected).toMatchObject({ status: 'objected', objection: '床位申请系填报错误，已撤回', version: 2 });
    expect((await t.http().post(`/api/credit/dishonesty/${decisionA}/objection`).set(as(instA)).send({ objection: '再次申辩' }).expect(409)).body.code).toBe('credit.not_decided');
    expect((await standings([a])).get(a)!.dishonest).toBe(true); // an objection does not suspend the decision
    await t.http().post(`/api/credit/dishonesty/${decisionA}/review`).set(as(instA)).send({ outcome: 'withdraw', note: 'x' }).expect(403);
    const withdrawn = (await t.http().post(`/api/credit/dishonesty/${decisionA}/review`).set(as(officer)).send({ outcome: 'withdraw', note: '申辩成立，撤销认定' }).expect(200)).body;
    expect(withdrawn).toMatchObject({ status: 'withdrawn', reviewNote: '申辩成立，撤销认定' });
    expect((await standings([a])).get(a)).toMatchObject({ stratum: 'C', dishonest: false });
    const actions = await t.db.query(`SELECT action FROM audit_event WHERE entity_id = $1 ORDER BY id`, [decisionA]);
    expect(actions.map((r: { action: string }) => r.action)).toEqual(['credit.dishonesty_decide', 'credit.dishonesty_object', 'credit.dishonesty_withdraw']);
    // a new decision may follow a withdrawn one; an upheld objection keeps it in force
    const again = (await decide(decision({ reason: '拒绝配合监督检查' })).expect(201)).body;
    await t.http().post(`/api/credit/dishonesty/${again.id}/objection`).set(as(instA)).send({ objection: '当日负责人不在' }).expect(200);
    await t.http().post(`/api/credit/dishonesty/${again.id}/review`).set(as(officer)).send({ outcome: 'uphold', note: '理由不成立' }).expect(200);
    expect((await standings([a])).get(a)).toMatchObject({ stratum: 'X', dishonest: true });
  });

  it('the objection window closes; 信用修复 waits for the clean period, then ends the consequences', async () => {
    const decidedOn = addDays(today, -20);
    const d = (await decide(decision({ institutionId: b, decidedOn })).expect(201)).body;
    expect(d.objectionDueOn).toBe(addDays(decidedOn, 15));
    const closed = await t.http().post(`/api/credit/dishonesty/${d.id}/objection`).set(as(instB)).send({ objection: '逾期申辩' }).expect(409);
    expect(closed.body.code).toBe('credit.objection_closed');
    await t.http().post(`/api/credit/dishonesty/${d.id}/repair`).set(as(officer)).send({}).expect(400);
    const early = await t.http().post(`/api/credit/dishonesty/${d.id}/repair`).set(as(officer)).send({ reason: '已整改' }).expect(409);
    expect(early.body.code).toBe('credit.not_clean_yet');
    expect(early.body.message).toContain('12 个月');
    // thirteen months later, nothing new on B's record
    await t.db.query(`UPDATE credit_dishonesty_decision SET decided_on = decided_on - interval '13 months', objection_due_on = objection_due_on - interval '13 months' WHERE id = $1`, [d.id]);
    await t.http().post(`/api/credit/dishonesty/${d.id}/repair`).set(as(instB)).send({ reason: '已整改' }).expect(403);
    const repaired = (await t.http().post(`/api/credit/dishonesty/${d.id}/repair`).set(as(officer)).send({ reason: '连续 12 个月无新的失信行为，予以信用修复' }).expect(200)).body;
    expect(repaired).toMatchObject({ status: 'repaired', repairedOn: today, repairReason: '连续 12 个月无新的失信行为，予以信用修复' });
    expect((await standings([b])).get(b)).toMatchObject({ stratum: 'A', dishonest: false });
    await t.http().post(`/api/credit/dishonesty/${d.id}/repair`).set(as(officer)).send({ reason: '再修复' }).expect(409);
    await t.http().get(`/api/credit/dishonesty/${d.id}`).set(as(farOfficer)).expect(404);
  });

  describe('pages', () => {
    const cookies = new Map<string, string>();
    const session = async (account: TestAccount) => {
      if (!cookies.has(account.id)) {
        const res = await t.http().post('/api/auth/login').send({ username: account.username, password: account.password }).expect(200);
        cookies.set(account.id, (res.headers['set-cookie'][0] as string).split(';')[0]);
      }
      return cookies.get(account.id)!;
    };
    const get = async (account: TestAccount, url: string, status = 200) => t.http().get(url).set('Cookie', await session(account)).set('Accept', 'text/html').expect(status);
    const post = async (account: TestAccount, url: string, form: Record<string, string>, status: number) => t.http().post(url).set('Cookie', await session(account)).type('form').send(form).expect(status);
    const csrfIn = (page: string) => /name="_csrf" value="([^"]+)"/.exec(page)![1];

    it('the institution sees its level, every point with its record, and the decision in force; /credit sends it to its own page', async () => {
      const page = (await get(instAAccount, `/institutions/${a}/credit`)).text;
      expect(page).toContain('C 级（关注），信用分 74');
      expect(page).toContain('CR-FALSIFIED 虚报床位（变更申请被驳回）');
      expect(page).toContain('失信主体');
      expect(page).toContain('申辩未采纳（维持认定）');
      expect(page).not.toContain('作出失信认定');
      expect((await get(instAAccount, '/credit', 303)).headers.location).toBe(`/institutions/${a}/credit`);
    });

    it('the bureau lists by street and decides in two steps, the second needing the box ticked', async () => {
      const list = (await get(officerAccount, '/credit')).text;
      expect(list).toContain('各街道信用等级分布');
      expect(list).toContain('红梅颐养院');
      const page = (await get(officerAccount, `/institutions/${b}/credit`)).text;
      const csrf = csrfIn(page);
      const form = { _csrf: csrf, reason: '拒绝、阻挠监督检查', legalBasis: '（局方填写）第九条', decidedOn: today };
      const review = (await post(officerAccount, `/institutions/${b}/credit/dishonesty`, { ...form, step: 'review' }, 200)).text;
      expect(review).toContain('失信认定：请核对');
      const before = await rowCount(t.db, 'credit_dishonesty_decision');
      const refused = (await post(officerAccount, `/institutions/${b}/credit/dishonesty`, { ...form, step: 'commit' }, 400)).text;
      expect(refused).toContain('请勾选确认');
      expect(await rowCount(t.db, 'credit_dishonesty_decision')).toBe(before);
      const empty = (await post(officerAccount, `/institutions/${b}/credit/dishonesty`, { ...form, reason: '', step: 'review' }, 400)).text;
      expect(empty).toContain('认定理由');
      const done = await post(officerAccount, `/institutions/${b}/credit/dishonesty`, { ...form, step: 'commit', confirm: 'true' }, 303);
      expect(done.headers.location).toBe(`/institutions/${b}/credit?ok=decided`);
      expect(await rowCount(t.db, 'credit_dishonesty_decision')).toBe(before + 1);
      expect((await standings([b])).get(b)).toMatchObject({ stratum: 'X', dishonest: true });
      // published on 公示 while in force, as the rules say (A's upheld decision and B's new one; B's repaired one is not)
      const feed = (await t.http().get('/public/feed.json').expect(200)).body;
      expect(feed.dishonesty.map((d: { institutionName: string; statusLabel: string }) => [d.institutionName, d.statusLabel]).sort()).toEqual([['红梅颐养院', '申辩未采纳（维持认定）'], ['青枫养老院', '已认定']]);
      expect((await t.http().get('/public').expect(200)).text).toContain('拒绝、阻挠监督检查');
    });
  });
});
