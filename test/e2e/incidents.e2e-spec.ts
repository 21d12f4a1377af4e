import { createAccount, institutionInput, rowCount, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';

/** 突发事件报告: reported by the institution within the hours of its grade, acknowledged by the bureau, followed up. */
describe('incident reports', () => {
  let t: TestApp;
  let officerAccount: TestAccount;
  let officer: string; // 天宁区
  let farOfficer: string; // 钟楼区
  let inst: string;
  let otherInst: string;
  let instAccount: TestAccount;
  let id: string;
  let inspectors: string[];

  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
  const incident = (over: object = {}) => ({
    type: 'accident', grade: 'general', occurredAt: hoursAgo(1), summary: '一名老人在浴室滑倒，右腕疼痛', residentsAffected: 1,
    firstMeasures: '护理员现场处置，已送医拍片，通知家属', ...over,
  });
  const report = (body: object, token = inst, target = id) => t.http().post(`/api/institutions/${target}/incidents`).set(as(token)).send(body);
  const counts = async () => ({ incidents: await rowCount(t.db, 'incident'), notifications: await rowCount(t.db, 'notification'), audit: await rowCount(t.db, 'audit_event') });

  beforeAll(async () => {
    // a small pool: a double click that made a transaction wait for a second connection would time out
    t = await createTestApp({ DB_POOL_MAX: '3' });
    await seedDivisions(t.db);
    officerAccount = await createAccount(t, 'bureau_officer', { divisionCode: '320402' });
    officer = await tokenFor(t, officerAccount);
    farOfficer = await tokenFor(t, await createAccount(t, 'bureau_officer', { divisionCode: '320404' }));
    inspectors = [(await createAccount(t, 'inspector', { divisionCode: '320402' })).id, (await createAccount(t, 'inspector', { divisionCode: '320402' })).id];
    id = (await t.http().post('/api/institutions').set(as(officer)).send(institutionInput({ name: '红梅颐养院' })).expect(201)).body.id;
    instAccount = await createAccount(t, 'institution', { institutionId: id });
    inst = await tokenFor(t, instAccount);
    const other = (await t.http().post('/api/institutions').set(as(officer)).send(institutionInput({ name: '乙院' })).expect(201)).body.id;
    otherInst = await tokenFor(t, await createAccount(t, 'institution', { institutionId: other }));
  });
  afterAll(() => t.close());

  it('files a report on time, pins the policy, notifies the supervising bureau and audits it', async () => {
    const occurredAt = hoursAgo(1);
    const res = await report(incident({ occurredAt })).expect(201);
    expect(res.body).toMatchObject({ institutionId: id, institutionName: '红梅颐养院', grade: 'general', status: 'reported', late: false, reportHours: 24, version: 1 });
    expect(new Date(res.body.reportDeadlineAt).getTime()).toBe(new Date(occurredAt).getTime() + 24 * 3_600_000);
    expect(res.body.divisionPath).toBeUndefined();
    const [{ kind }] = await t.db.query(
      `SELECT s.kind FROM incident x JOIN rule_set_version v ON v.id = x.safety_work_policy_version_id JOIN rule_set s ON s.code = v.rule_set_code WHERE x.id = $1`, [res.body.id]);
    expect(kind).toBe('safety_work_policy');
    const [audit] = await t.db.query(`SELECT action, after FROM audit_event WHERE entity_id = $1`, [res.body.id]);
    expect(audit).toMatchObject({ action: 'incident.report', after: { institutionId: id, grade: 'general', late: false } });
    const inbox = (await t.http().get('/api/notifications/inbox').set(as(officer)).expect(200)).body;
    expect(inbox.items).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'incident.reported', entityId: res.body.id, title: expect.stringContaining('红梅颐养院') })]));
    const far = (await t.http().get('/api/notifications/inbox').set(as(farOfficer)).expect(200)).body;
    expect(far.items.filter((n: { entityId: string }) => n.entityId === res.body.id)).toEqual([]);
  });

  it('marks a report after the grade deadline as late (较大: 2 hours), and the bureau filters by it', async () => {
    const res = await report(incident({ grade: 'larger', type: 'public_health', occurredAt: hoursAgo(3), residentsAffected: 6, summary: '6 名老人午餐后腹泻' })).expect(201);
    expect(res.body).toMatchObject({ grade: 'larger', late: true, reportHours: 2 });
    const late = (await t.http().get('/api/incidents?late=true').set(as(officer)).expect(200)).body;
    expect(late.items.map((r: { id: string }) => r.id)).toEqual([res.body.id]);
    const larger = (await t.http().get('/api/incidents?grade=larger&status=reported').set(as(officer)).expect(200)).body;
    expect(larger).toMatchObject({ total: 1, page: 1, pageSize: 20 });
    const summary = (await t.http().get('/api/incidents/summary').set(as(officer)).expect(200)).body;
    expect(summary).toMatchObject({ openByGrade: { general: 1, larger: 1, major: 0, especially_major: 0 }, openTotal: 2, openLate: 1 });
    await t.http().get('/api/incidents?late=maybe').set(as(officer)).expect(400);
  });

  it.each([
    ['a time in the future', { occurredAt: new Date(Date.now() + 3_600_000).toISOString() }, 'occurredAt', 'occurredInFuture'],
    ['a time without an offset', { occurredAt: '2026-12-01T10:00:00' }, 'occurredAt', 'isInstant'],
    ['an unknown grade', { grade: 'serious' }, 'grade', 'isIn'],
    ['an unknown type', { type: 'fire' }, 'type', 'isIn'],
    ['a negative count', { residentsAffected: -1 }, 'residentsAffected', 'min'],
    ['no first measures', { firstMeasures: ' ' }, 'firstMeasures', 'isNotEmpty'],
    ['an unknown field', { late: false }, 'late', 'whitelistValidation'],
  ])('answers 400 naming the field for %s, and writes nothing', async (_label, patch, field, reason) => {
    const before = await counts();
    const res = await report(incident(patch)).expect(400);
    expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field, reason })]));
    expect(res.body.message).toMatch(/[\u4e00-\u9fff]/);
    expect(await counts()).toEqual(before);
  });

  it('keeps to scope: another institution and another district get 404; only the bureau acknowledges', async () => {
    const { body: mine } = await t.http().get(`/api/institutions/${id}/incidents`).set(as(inst)).expect(200);
    const target = mine.items[0].id;
    const before = await counts();
    await report(incident(), otherInst).expect(404);
    await t.http().get(`/api/incidents/${target}`).set(as(otherInst)).expect(404);
    await t.http().get(`/api/incidents/${target}`).set(as(farOfficer)).expect(404);
    expect((await t.http().get('/api/incidents').set(as(farOfficer)).expect(200)).body.total).toBe(0);
    await t.http().post(`/api/incidents/${target}/acknowledge`).set(as(farOfficer)).send({ version: 1, note: '收到' }).expect(404);
    await t.http().post(`/api/incidents/${target}/acknowledge`).set(as(inst)).send({ version: 1, note: '收到' }).expect(403);
    await report(incident(), officer).expect(403);
    expect(await counts()).toEqual(before);
  });

  it('is acknowledged once with a note, then gets one follow-up inspection', async () => {
    const r = (await report(incident({ grade: 'major', type: 'accident', summary: '厨房燃气泄漏，已疏散', residentsAffected: 40 })).expect(201)).body;
    await t.http().post(`/api/incidents/${r.id}/follow-up-inspection`).set(as(officer)).send({ version: 1, teamUserIds: inspectors }).expect(409)
      .then((res) => expect(res.body.code).toBe('incident.not_acknowledged'));
    const noNote = await t.http().post(`/api/incidents/${r.id}/acknowledge`).set(as(officer)).send({ version: 1, note: '' }).expect(400);
    expect(noNote.body.details).toEqual([expect.objectContaining({ field: 'note', reason: 'isNotEmpty' })]);
    const ack = await t.http().post(`/api/incidents/${r.id}/acknowledge`).set(as(officer)).send({ version: 1, note: '已电话核实，督促排查燃气管线' }).expect(200);
    expect(ack.body).toMatchObject({ status: 'acknowledged', version: 2, acknowledgementNote: '已电话核实，督促排查燃气管线', acknowledgedByName: officerAccount.displayName });
    const again = await t.http().post(`/api/incidents/${r.id}/acknowledge`).set(as(officer)).send({ version: 2, note: '再次' }).expect(409);
    expect(again.body.code).toBe('incident.already_acknowledged');

    const stale = await t.http().post(`/api/incidents/${r.id}/follow-up-inspection`).set(as(officer)).send({ version: 1, teamUserIds: inspectors }).expect(409);
    expect(stale.body.code).toBe('incident.version_conflict');
    const specialBefore = (await t.db.query(`SELECT count(*)::int AS n FROM inspection WHERE kind = 'special' AND institution_id = $1`, [id]))[0].n;
    // a double click: one follow-up, one 409, and no unlinked inspection left behind
    const both = await Promise.all([1, 2].map(() => t.http().post(`/api/incidents/${r.id}/follow-up-inspection`).set(as(officer)).send({ version: 2, teamUserIds: inspectors, scheduledDate: '2026-12-20' })));
    expect(both.map((x) => x.status).sort()).toEqual([200, 409]);
    const fu = both.find((x) => x.status === 200)!;
    expect((await t.db.query(`SELECT count(*)::int AS n FROM inspection WHERE kind = 'special' AND institution_id = $1`, [id]))[0].n).toBe(specialBefore + 1);
    expect(fu.body).toMatchObject({ version: 3, followUpInspectionId: expect.any(String) });
    const [inspection] = await t.db.query(`SELECT kind, institution_id AS "institutionId", status FROM inspection WHERE id = $1`, [fu.body.followUpInspectionId]);
    expect(inspection).toEqual({ kind: 'special', institutionId: id, status: 'assigned' });
    const twice = await t.http().post(`/api/incidents/${r.id}/follow-up-inspection`).set(as(officer)).send({ version: 3, teamUserIds: inspectors }).expect(409);
    expect(twice.body.code).toBe('incident.follow_up_exists');
    const audit = await t.db.query(`SELECT action FROM audit_event WHERE entity_id = $1 ORDER BY id`, [r.id]);
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['incident.report', 'incident.acknowledge', 'incident.follow_up']);
    // the report itself never changes
    await expect(t.db.query(`UPDATE incident SET grade = 'general' WHERE id = $1`, [r.id])).rejects.toThrow(/never changes/);
  });

  it('renders the bureau list, the detail (grade section for 较大 or worse) and the institution page', async () => {
    const session = async (account: TestAccount) => {
      const res = await t.http().post('/api/auth/login').send({ username: account.username, password: account.password }).expect(200);
      return (res.headers['set-cookie'][0] as string).split(';')[0];
    };
    const get = async (account: TestAccount, path: string, status = 200) => (await t.http().get(path).set('Cookie', await session(account)).set('Accept', 'text/html').expect(status)).text;
    const list = await get(officerAccount, '/incidents?grade=larger');
    expect(list).toContain('突发事件');
    expect(list).toContain('迟报');
    const [larger] = (await t.http().get('/api/incidents?grade=larger').set(as(officer)).expect(200)).body.items;
    const detail = await get(officerAccount, `/incidents/${larger.id}`);
    expect(detail).toContain('确认收到');
    expect(detail).toContain('没有现行有效的等级评定');
    const mine = await get(instAccount, `/institutions/${id}/incidents`);
    expect(mine).toContain('报告突发事件');
    expect(mine).toContain('一般 24 小时');
    await get(officerAccount, '/incidents?grade=bad', 400);
  });
});
