import { creditCode, createAccount, institutionInput, rowCount, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { formItems, submission, uploadPhoto } from '../support/inspection-fixtures';
import { createTestApp, TestApp } from '../support/test-app';

/** 机构名录 pages (issue 13, item 6): register, edit with a version, suspend and close with a date, all within scope. */
describe('registry pages', () => {
  let t: TestApp;
  let officer: TestAccount;
  let farOfficer: TestAccount;
  let institutionAccount: TestAccount;
  let token: string;
  let existingId: string;

  const session = async (account: TestAccount) => {
    const res = await t.http().post('/api/auth/login').send({ username: account.username, password: account.password }).expect(200);
    return (res.headers['set-cookie'][0] as string).split(';')[0];
  };
  const get = (cookie: string, url: string) => t.http().get(url).set('Cookie', cookie).set('Accept', 'text/html');
  const csrfOf = (text: string) => /name="_csrf" value="([^"]+)"/.exec(text)![1];
  /** Posts a form as the browser would: the page's CSRF token, url-encoded. */
  const post = async (cookie: string, url: string, form: Record<string, string>, from = url, status?: number) => {
    const page = await get(cookie, from).expect(200);
    const res = await t.http().post(url).set('Cookie', cookie).set('Accept', 'text/html').type('form').send({ _csrf: csrfOf(page.text), ...form });
    if (status !== undefined && res.status !== status) throw new Error(`POST ${url}: expected ${status}, got ${res.status}\n${res.text.slice(0, 3000)}`);
    return res;
  };
  const openedOf = (text: string) => /name="_opened" value="([^"]+)"/.exec(text)![1].replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));

  /** A complete registration form, as the page's inputs send it (checkboxes only when ticked). */
  const registration = (overrides: Record<string, string> = {}): Record<string, string> => ({
    name: '红梅颐养中心', kind: 'nursing_home', ownership: 'private', profitStatus: 'non_profit', creditCode: creditCode('320402'),
    divisionCode: '320402004', address: '常州市天宁区红梅街道竹林路 8 号', contactName: '周敏', contactPhone: '0519-86661234', status: 'active',
    storeys: '4', hostBuildingStoreys: '', hostBuildingUse: '', facilityLowestFloor: '', facilityHighestFloor: '', buildingHeightM: '15.5',
    totalAreaM2: '4200', buildingVolumeM3: '', fireResistanceGrade: '2',
    approvedBeds: '120', occupiedBeds: '96', capacityPlaces: '', residentsSelfCare: '40', residentsMildlyDisabled: '30',
    residentsModeratelyDisabled: '16', residentsSeverelyDisabled: '10', highestFloorWithDisabled: '3',
    hasFireControlRoom: 'on', hasAutoFireAlarm: 'on', hasSprinklers: 'on', gasSupply: 'piped', hasCanteen: 'on', hasElevator: 'on',
    ...overrides,
  });

  beforeAll(async () => {
    t = await createTestApp();
    await seedDivisions(t.db);
    officer = await createAccount(t, 'bureau_officer', { divisionCode: '320402' });
    farOfficer = await createAccount(t, 'bureau_officer', { divisionCode: '320404' });
    token = await tokenFor(t, officer);
    existingId = (await t.http().post('/api/institutions').set('Authorization', `Bearer ${token}`).send(institutionInput({ name: '既有安康院' })).expect(201)).body.id;
    institutionAccount = await createAccount(t, 'institution', { institutionId: existingId });
  });
  afterAll(() => t?.close());

  it('offers the form in sections with the browser constraints, and the division picker with streets indented', async () => {
    const cookie = await session(officer);
    const list = (await get(cookie, '/institutions').expect(200)).text;
    expect(list).toContain('href="/institutions/new"');
    expect(list).toContain('天宁区 · 红梅街道');
    const form = (await get(cookie, '/institutions/new').expect(200)).text;
    for (const legend of ['基本信息', '建筑与设施', '床位与在住老人', '设施设备']) expect(form).toContain(`<legend>${legend}</legend>`);
    expect(form).toMatch(/name="creditCode"[^>]*required[^>]*maxlength="18"[^>]*pattern=/);
    expect(form).toMatch(/name="approvedBeds"[^>]*min="0"[^>]*max="100000"/);
    expect(form).toContain('<option value="320402004" >　　红梅街道</option>');
    expect(form).not.toContain('钟楼区');
  });

  it('refuses a bad credit code with 400 naming the field, writing nothing', async () => {
    const cookie = await session(officer);
    const before = await rowCount(t.db, 'institution');
    const good = registration().creditCode;
    const wrongCheck = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    const res = await post(cookie, '/institutions/new', registration({ creditCode: wrongCheck, contactPhone: '12345' }), '/institutions/new', 400);
    expect(res.text).toContain('统一社会信用代码：校验位错误');
    expect(res.text).toMatch(/id="i-creditCode"[^>]*aria-invalid="true"/);
    expect(res.text).toContain('id="i-creditCode-error"');
    expect(res.text).toContain('联系电话：不是有效的电话号码');
    // What was typed comes back
    expect(res.text).toContain('value="红梅颐养中心"');
    const short = await post(cookie, '/institutions/new', registration({ creditCode: good.slice(0, 10) }), '/institutions/new', 400);
    expect(short.text).toContain('统一社会信用代码：应为 18 位（现为 10 位）');
    // A cross-field rule of the service, shown beside its field
    const beds = await post(cookie, '/institutions/new', registration({ occupiedBeds: '130' }), '/institutions/new', 400);
    expect(beds.text).toContain('在住床位：实际入住床位（130）不能超过核定床位（120）');
    expect(await rowCount(t.db, 'institution')).toBe(before);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'institution.create'`))[0].n).toBe(1);
  });

  let createdId: string;

  it('registers an institution through the form (audited) and shows its page with history sections', async () => {
    const cookie = await session(officer);
    const res = await post(cookie, '/institutions/new', registration({ creditCode: registration().creditCode.toLowerCase() }), '/institutions/new', 303);
    createdId = /\/institutions\/([0-9a-f-]{36})\?ok=created/.exec(res.headers.location)![1];
    const [row] = await t.db.query(`SELECT name, approved_beds, has_sprinklers, has_boiler, building_height_m::float AS h, facility_lowest_floor, credit_code FROM institution WHERE id = $1`, [createdId]);
    expect(row).toMatchObject({ name: '红梅颐养中心', approved_beds: 120, has_sprinklers: true, has_boiler: false, h: 15.5, facility_lowest_floor: 1 });
    expect(row.credit_code).toMatch(/^[0-9A-Z]{18}$/);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'institution.create' AND entity_id = $1`, [createdId]))[0].n).toBe(1);
    const page = (await get(cookie, `/institutions/${createdId}?ok=created`).expect(200)).text;
    expect(page).toContain('机构已登记。');
    for (const h of ['检查记录', '隐患', '安全得分', '等级评定', '运营补贴', '运营状态']) expect(page).toMatch(new RegExp(`<h2 id="[^"]+">${h}( <span|</h2>)`));
    expect(page).toContain('还没有对本机构的检查');
    expect(page).toContain('本机构没有登记的隐患');
    expect(page).toContain('本机构尚未列入任何补贴发放表');
    expect(page).toContain(`href="/institutions/${createdId}/edit"`);
  });

  it('edits with the version; a stale version answers 409 with both values and the form at the current version', async () => {
    const cookie = await session(officer);
    const form = (await get(cookie, `/institutions/${createdId}/edit`).expect(200)).text;
    expect(form).toContain('name="version" value="1"');
    const opened = openedOf(form);
    const values = JSON.parse(opened) as Record<string, string>;
    // Someone else changes the beds meanwhile (through the API).
    await t.http().patch(`/api/institutions/${createdId}`).set('Authorization', `Bearer ${token}`).send({ version: 1, approvedBeds: 150 }).expect(200);
    const stale = await post(cookie, `/institutions/${createdId}/edit`, { ...values, version: '1', _opened: opened, approvedBeds: '140', contactName: '吴强' }, `/institutions/${createdId}/edit`, 409);
    expect(stale.text).toContain('以当前版本为准重新编辑');
    expect(stale.text).toMatch(/核定床位<\/th><td>120<\/td><td><b>140<\/b><\/td><td><b>150<\/b>/);
    expect(stale.text).toContain('name="version" value="2"');
    // The form keeps your change nobody else made, and takes the current value where both changed.
    expect(stale.text).toMatch(/name="contactName" value="吴强"/);
    expect(stale.text).toMatch(/name="approvedBeds" value="150"/);
    expect((await t.db.query(`SELECT contact_name, version FROM institution WHERE id = $1`, [createdId]))[0]).toEqual({ contact_name: '周敏', version: 2 });
    // Resubmitting the merged form saves (only the changed field is written and audited).
    const merged = stale.text;
    const ok = await post(cookie, `/institutions/${createdId}/edit`, { ...values, approvedBeds: '150', contactName: '吴强', version: '2', _opened: openedOf(merged) }, `/institutions/${createdId}/edit`, 303);
    expect(ok.headers.location).toBe(`/institutions/${createdId}?ok=updated`);
    expect((await t.db.query(`SELECT contact_name, version FROM institution WHERE id = $1`, [createdId]))[0]).toEqual({ contact_name: '吴强', version: 3 });
    const [audit] = await t.db.query(`SELECT before, after FROM audit_event WHERE action = 'institution.update' AND entity_id = $1 ORDER BY id DESC LIMIT 1`, [createdId]);
    expect(audit).toEqual({ before: { contactName: '周敏' }, after: { contactName: '吴强' } });
  });

  it('suspends and resumes with dates, and closes only after a confirmation (final)', async () => {
    const cookie = await session(officer);
    const version = async () => String((await t.db.query(`SELECT version FROM institution WHERE id = $1`, [existingId]))[0].version);
    const from = `/institutions/${existingId}`;
    await t.http().put(`/api/institutions/${existingId}/operating-period`).set('Authorization', `Bearer ${token}`).send({ openedOn: '2025-01-01', reason: '设立备案回执所载日期' }).expect(200);
    const [{ today, tenDaysAgo, yesterday }] = await t.db.query(`SELECT d::text AS today, (d - 10)::text AS "tenDaysAgo", (d - 1)::text AS yesterday
      FROM (SELECT (now() AT TIME ZONE 'Asia/Shanghai')::date AS d) x`);
    const future = await post(cookie, `${from}/operating-status`, { action: 'suspend', date: '2999-01-01', reason: '消防整改', version: await version() }, from, 400);
    expect(future.text).toContain('日期：不能晚于今天');
    const noReason = await post(cookie, `${from}/operating-status`, { action: 'suspend', date: today, reason: '', version: await version() }, from, 400);
    expect(noReason.text).toContain('原因或依据：');
    await t.http().patch(`/api/institutions/${existingId}`).set('Authorization', `Bearer ${token}`).send({ version: 1, contactPhone: '0519-88886666' }).expect(200);
    const stale = await post(cookie, `${from}/operating-status`, { action: 'suspend', date: today, reason: '消防整改', version: '1' }, from, 409);
    expect(stale.text).toContain('机构信息已被他人修改');
    await post(cookie, `${from}/operating-status`, { action: 'suspend', date: tenDaysAgo, reason: '重大火灾隐患停业整改', version: await version() }, from, 303);
    expect((await t.db.query(`SELECT status FROM institution WHERE id = $1`, [existingId]))[0].status).toBe('suspended');
    expect(await t.db.query(`SELECT kind, from_date::text AS "from", to_date FROM institution_interruption WHERE institution_id = $1`, [existingId]))
      .toEqual([{ kind: 'suspended', from: tenDaysAgo, to_date: null }]);
    const page = (await get(cookie, from).expect(200)).text;
    expect(page).toContain('重大火灾隐患停业整改');
    expect(page).toContain('<h3 id="st-resume-h">恢复运营</h3>');
    // Resuming the day it started is refused, naming the date; the day after ends the suspension the day before.
    const early = await post(cookie, `${from}/operating-status`, { action: 'resume', date: tenDaysAgo, reason: '整改完毕', version: await version() }, from, 400);
    expect(early.text).toContain(`日期：须晚于停业整顿的起始日（${tenDaysAgo}）`);
    await post(cookie, `${from}/operating-status`, { action: 'resume', date: today, reason: '整改完毕，复查通过', version: await version() }, from, 303);
    expect((await t.db.query(`SELECT status FROM institution WHERE id = $1`, [existingId]))[0].status).toBe('active');
    expect(await t.db.query(`SELECT to_date::text AS "to" FROM institution_interruption WHERE institution_id = $1`, [existingId])).toEqual([{ to: yesterday }]);
    // Closing: first the confirmation, nothing written yet; a period overlapping the recorded one is refused.
    const ask = await post(cookie, `${from}/operating-status`, { action: 'close', date: today, reason: '举办者申请注销', version: await version() }, from, 200);
    expect(ask.text).toContain('确认注销/关闭：此操作不可撤回');
    expect(ask.text).toMatch(/name="ack" required/);
    expect((await t.db.query(`SELECT status FROM institution WHERE id = $1`, [existingId]))[0].status).toBe('active');
    const overlap = await post(cookie, `${from}/operating-status`, { action: 'close', date: yesterday, reason: '举办者申请注销', version: await version(), confirm: 'yes', ack: 'on' }, from, 400);
    expect(overlap.text).toContain('与已登记的暂停/关闭期间');
    const actions = await t.db.query(`SELECT action FROM audit_event WHERE entity_id = $1 AND action LIKE 'institution.%' ORDER BY id`, [existingId]);
    expect(actions.map((a: { action: string }) => a.action)).toEqual(['institution.create', 'institution.opened_on', 'institution.update', 'institution.suspend', 'institution.resume']);
  });

  it('shows the grade with its validity and the subsidy line on the institution page', async () => {
    const auth = { Authorization: `Bearer ${token}` };
    const form = (await t.http().get('/api/checklists/GBT37276-2018/versions/1').set(auth).expect(200)).body.content;
    const items: { code: string; maxPoints: number }[] = form.parts.flatMap((p: { items: { code: string; maxPoints: number }[] }) => p.items);
    const opened = (await t.http().post('/api/grade-assessments').set(auth).send({ institutionId: existingId, noSeriousAccident: true, registrationInOrder: true }).expect(201)).body;
    const scored = await t.http().patch(`/api/grade-assessments/${opened.id}/scores`).set(auth)
      .send({ itemPoints: Object.fromEntries(items.map((i) => [i.code, i.maxPoints])), version: opened.version }).expect(200);
    await t.http().post(`/api/grade-assessments/${opened.id}/finalize`).set(auth).send({ version: scored.body.version }).expect(200);
    await t.http().post('/api/subsidy-schedules').set(auth).send({ divisionCode: '320402', periodStart: '2026-11-01', periodEnd: '2026-11-30' }).expect(201);
    const page = (await get(await session(officer), `/institutions/${existingId}`).expect(200)).text;
    expect(page).toContain('当前等级：<b>五级</b>');
    expect(page).toMatch(/有效期至 \d{4}年/);
    expect(page).toContain(`href="/grades/${opened.id}"`);
    expect(page).toMatch(/2026年11月1日 至 2026年11月30日/);
    expect(page).toMatch(/天宁区 第 1 版<\/a> <span class="tag warn">草稿<\/span>/);
    expect(page).toContain('停业整顿');
    // The institution sees its grade, never the bureau's subsidy schedules.
    const own = (await get(await session(institutionAccount), `/institutions/${existingId}`).expect(200)).text;
    expect(own).toContain('当前等级：<b>五级</b>');
    expect(own).not.toContain('id="h-subsidy"');
    expect(own).not.toContain('operating-status');
  });

  it('closes an operating institution after the confirmation; a closed one offers no status change', async () => {
    const cookie = await session(officer);
    const id = (await t.http().post('/api/institutions').set('Authorization', `Bearer ${token}`).send(institutionInput({ name: '待注销养老院' })).expect(201)).body.id;
    const [{ today }] = await t.db.query(`SELECT (now() AT TIME ZONE 'Asia/Shanghai')::date::text AS today`);
    const from = `/institutions/${id}`;
    await post(cookie, `${from}/operating-status`, { action: 'close', date: today, reason: '举办者申请注销', version: '1', confirm: 'yes', ack: 'on' }, from, 303);
    expect((await t.db.query(`SELECT status FROM institution WHERE id = $1`, [id]))[0].status).toBe('closed');
    const [audit] = await t.db.query(`SELECT before, after FROM audit_event WHERE action = 'institution.close' AND entity_id = $1`, [id]);
    expect(audit.before).toEqual({ status: 'active', version: 1 });
    expect(audit.after).toMatchObject({ status: 'closed', date: today, reason: '举办者申请注销' });
    expect(await t.db.query(`SELECT kind, to_date FROM institution_interruption WHERE institution_id = $1`, [id])).toEqual([{ kind: 'closed', to_date: null }]);
    const page = (await get(cookie, from).expect(200)).text;
    expect(page).toContain('机构已注销，运营状态不再变更');
    expect(page).not.toContain(`action="/institutions/${id}/operating-status`);
    // and the API says why a second change is refused
    const again = await t.http().post(`/api/institutions/${id}/operating-status`).set('Authorization', `Bearer ${token}`).send({ action: 'resume', date: today, reason: '重新开业', version: 2 }).expect(409);
    // Closure is final on every path: the profile PATCH, ending the closure, and the database itself.
    const patch = await t.http().patch(`/api/institutions/${id}`).set('Authorization', `Bearer ${token}`).send({ version: 2, status: 'active' }).expect(409);
    expect(patch.body.code).toBe('institution.closed_final');
    const [closure] = await t.db.query(`SELECT id FROM institution_interruption WHERE institution_id = $1`, [id]);
    const end = await t.http().post(`/api/institutions/${id}/interruptions/${closure.id}/end`).set('Authorization', `Bearer ${token}`).send({ toDate: today, reason: '恢复' }).expect(409);
    expect(end.body.code).toBe('institution.closed_final');
    await expect(t.db.query(`UPDATE institution SET status = 'active' WHERE id = $1`, [id])).rejects.toThrow(/closure is final/);
    await expect(t.db.query(`UPDATE institution_interruption SET to_date = $2 WHERE id = $1`, [closure.id, today])).rejects.toThrow(/closure of institution .* is final/);
    expect(again.body.message).toContain('已注销');
  });

  it('shows a submitted inspection, its hazards (counts linking to the ledger) and the score deductions', async () => {
    const id = (await t.http().post('/api/institutions').set('Authorization', `Bearer ${token}`).send(institutionInput({ name: '有隐患的颐养院' })).expect(201)).body.id;
    const team = [await createAccount(t, 'inspector', { divisionCode: '320402' }), await createAccount(t, 'inspector', { divisionCode: '320402' })];
    const lead = await tokenFor(t, team[0]);
    const ins = (await t.http().post('/api/inspections').set('Authorization', `Bearer ${token}`).send({ institutionId: id, kind: 'routine', teamUserIds: team.map((m) => m.id) }).expect(201)).body.id;
    const items = await formItems(t, lead, ins);
    const fails: Record<string, string[]> = {};
    for (const item of items.filter((i) => i.severity === 'general').slice(0, 2)) fails[item.code] = item.evidence.photoRequiredWhenFailed ? [await uploadPhoto(t, lead, ins, item.code)] : [];
    await t.http().post(`/api/inspections/${ins}/submit`).set('Authorization', `Bearer ${lead}`).send(submission(items, fails, team)).expect(201);
    await t.http().post(`/api/institutions/${id}/score/recompute`).set('Authorization', `Bearer ${token}`).expect(201);
    const page = (await get(await session(officer), `/institutions/${id}`).expect(200)).text;
    expect(page).toContain('共 1 次');
    expect(page).toContain(`href="/inspections/${ins}"`);
    expect(page).toContain('日常检查');
    expect(page).toContain(`<a class="stat" href="/hazards?institutionId=${id}"><b>2</b>未销号</a>`);
    expect(page).toContain(`<a class="stat" href="/hazards?institutionId=${id}&#38;status=closed"><b>0</b>已销号</a>`);
    expect(page).toContain(`href="/hazards?institutionId=${id}&#38;overdue=true"`);
    const deductions = page.match(/<td class="num">-[\d.]+<\/td><td><a href="\/hazards\/[0-9a-f-]{36}">/g) ?? [];
    expect(deductions.length).toBe(2);
    const history = (await t.http().get(`/api/institutions/${id}/history`).set('Authorization', `Bearer ${token}`).expect(200)).body;
    expect(history.hazards).toEqual({ open: 2, closed: 0, major: 0 });
  });

  it('keeps to scope: another district answers 404; an institution account cannot open the registration form', async () => {
    const far = await session(farOfficer);
    await get(far, `/institutions/${createdId}`).expect(404);
    await get(far, `/institutions/${createdId}/edit`).expect(404);
    const farPost = await post(far, `/institutions/${createdId}/edit`, { version: '3', name: '改名' }, '/institutions');
    expect(farPost.status).toBe(404);
    const farStatus = await post(far, `/institutions/${createdId}/operating-status`, { action: 'suspend', date: '2026-01-01', reason: '越权', version: '3' }, '/institutions');
    expect(farStatus.status).toBe(404);
    // The picker offers only the divisions in scope; a division outside it is refused naming the field.
    const outside = await post(far, '/institutions/new', registration({ divisionCode: '320402004' }), '/institutions/new', 400);
    expect(outside.text).toContain('所在街道（区划）：不在您的管辖范围内');

    const own = await session(institutionAccount);
    await get(own, '/institutions/new').expect(403);
    const denied = await post(own, '/institutions/new', registration(), `/institutions/${existingId}`);
    expect(denied.status).toBe(403);
    // Its own page: the contacts form only, the rest through a change request.
    const edit = (await get(own, `/institutions/${existingId}/edit`).expect(200)).text;
    expect(edit).toContain('修改联系方式');
    expect(edit).not.toContain('name="approvedBeds"');
    await get(own, `/institutions/${createdId}`).expect(404);
  });
});
