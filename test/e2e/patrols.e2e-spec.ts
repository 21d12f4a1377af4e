import { addDays, shanghaiDate } from '../../src/common/calendar';
import { PatrolsService } from '../../src/patrols/patrols.service';
import { createAccount, institutionInput, rowCount, seedDivisions, tokenFor } from '../support/factories';
import { pdfText, savePdf, squash } from '../support/pdf';
import { createTestApp, TestApp } from '../support/test-app';

/** 日巡查 / 夜间巡查 / 月检查: QR points, server-time scans, missed and late flags, failed items → 自查隐患 closed by the institution. */
describe('patrols', () => {
  let t: TestApp;
  let officer: string;
  let farOfficer: string;
  let inspector: string;
  let inst: string;
  let otherInst: string;
  let id: string;
  let clock: Date;
  const tomorrow = addDays(shanghaiDate(new Date()), 1);
  /** Shanghai wall time of tomorrow (after the points' registration, so inside the schedule). */
  const at = (hhmm: string) => new Date(`${tomorrow}T${hhmm}:00+08:00`);
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const counts = async () => ({
    scans: await rowCount(t.db, 'patrol_scan'), results: await rowCount(t.db, 'patrol_result'), hazards: await rowCount(t.db, 'self_hazard'),
    patrols: await rowCount(t.db, 'patrol'), audit: await rowCount(t.db, 'audit_event'),
  });
  let points: { id: string; code: string; token: string; name: string }[];
  let items: string[];

  beforeAll(async () => {
    t = await createTestApp();
    await seedDivisions(t.db);
    officer = await tokenFor(t, await createAccount(t, 'bureau_officer', { divisionCode: '320402' }));
    farOfficer = await tokenFor(t, await createAccount(t, 'bureau_officer', { divisionCode: '320404' }));
    inspector = await tokenFor(t, await createAccount(t, 'inspector', { divisionCode: '320402' }));
    id = (await t.http().post('/api/institutions').set(as(officer)).send(institutionInput({ name: '红梅巡查颐养院' })).expect(201)).body.id;
    inst = await tokenFor(t, await createAccount(t, 'institution', { institutionId: id }));
    const other = (await t.http().post('/api/institutions').set(as(officer)).send(institutionInput()).expect(201)).body.id;
    otherInst = await tokenFor(t, await createAccount(t, 'institution', { institutionId: other }));
    clock = at('02:05');
    t.app.get(PatrolsService).now = () => clock;
    [{ items }] = await t.db.query(`SELECT array(SELECT jsonb_array_elements(v.content->'items')->>'code') AS items
      FROM rule_set s JOIN rule_set_version v ON v.id = s.current_version_id WHERE s.code = 'self-inspection-daily'`);
  });
  afterAll(() => t.close());

  it('registers patrol points with a QR token and a short code, and prints their labels for the institution only', async () => {
    points = [];
    for (const [name, area] of [['消防控制室', 'control_room'], ['厨房燃气间', 'gas_room'], ['三楼东侧安全出口', 'floor_exit']]) {
      const res = await t.http().post(`/api/institutions/${id}/patrol-points`).set(as(inst)).send({ name, area }).expect(201);
      expect(res.body).toMatchObject({ name, area, code: expect.stringMatching(/^[A-Z0-9]{6}$/), token: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/) });
      points.push(res.body);
    }
    const [audit] = await t.db.query(`SELECT action, after FROM audit_event WHERE entity_id = $1`, [points[0].id]);
    expect(audit).toMatchObject({ action: 'patrol_point.create', after: { name: '消防控制室', area: 'control_room' } });
    // bad input: 400 naming the field, nothing written
    const before = await rowCount(t.db, 'patrol_point');
    const bad = await t.http().post(`/api/institutions/${id}/patrol-points`).set(as(inst)).send({ name: ' ', area: 'roof' }).expect(400);
    expect(bad.body.details.map((f: { field: string }) => f.field).sort()).toEqual(['area', 'name']);
    expect(await rowCount(t.db, 'patrol_point')).toBe(before);
    await t.http().post(`/api/institutions/${id}/patrol-points`).set(as(officer)).send({ name: '局里加的', area: 'other' }).expect(403);

    const pdf = (await t.http().get(`/institutions/${id}/patrol-points/labels.pdf`).set(as(inst)).buffer(true)
      .parse((r, cb) => { const c: Buffer[] = []; r.on('data', (b: Buffer) => c.push(b)); r.on('end', () => cb(null, Buffer.concat(c))); }).expect(200)).body as Buffer;
    const text = squash(pdfText(savePdf('patrol-labels.pdf', pdf)));
    for (const s of ['巡查点位标签', '红梅巡查颐养院', '消防控制室', '厨房燃气间', points[0].code, points[2].code]) expect(text).toContain(squash(s));
    await t.http().get(`/institutions/${id}/patrol-points/labels.pdf`).set(as(officer)).expect(403);
    await t.http().get(`/institutions/${id}/patrol-points/labels.pdf`).set(as(otherInst)).expect(404);
  });

  it('starts the night patrol of the slot open by the server clock, once; a closed slot cannot be patrolled afterwards', async () => {
    const started = await t.http().post(`/api/institutions/${id}/patrols`).set(as(inst)).send({ kind: 'night' }).expect(201);
    expect(started.body).toMatchObject({ kind: 'night', status: 'in_progress', slotAt: at('02:00').toISOString() });
    const again = await t.http().post(`/api/institutions/${id}/patrols`).set(as(inst)).send({ kind: 'night' }).expect(201);
    expect(again.body.id).toBe(started.body.id);
    clock = at('14:00');
    const closed = await t.http().post(`/api/institutions/${id}/patrols`).set(as(inst)).send({ kind: 'night' }).expect(409);
    expect(closed.body.code).toBe('patrol.no_open_slot');
    await t.http().post(`/api/institutions/${id}/patrols`).set(as(officer)).send({ kind: 'daily' }).expect(403);
    await t.http().post(`/api/institutions/${id}/patrols`).set(as(inst)).send({ kind: 'hourly' }).expect(400);
    clock = at('02:10');
  });

  it('records scans by QR token or printed code at the server time; an unknown point is a 400 naming the field, nothing written', async () => {
    const [{ id: patrolId }] = await t.db.query(`SELECT id FROM patrol WHERE institution_id = $1 AND kind = 'night'`, [id]);
    const first = await t.http().post(`/api/patrols/${patrolId}/scans`).set(as(inst)).send({ token: points[0].token }).expect(201);
    expect(first.body).toMatchObject({ created: true, receivedAt: at('02:10').toISOString() });
    clock = at('02:20');
    await t.http().post(`/api/patrols/${patrolId}/scans`).set(as(inst)).send({ code: points[1].code.toLowerCase() }).expect(201);
    // the same point again keeps the first time
    const repeat = await t.http().post(`/api/patrols/${patrolId}/scans`).set(as(inst)).send({ token: points[0].token }).expect(201);
    expect(repeat.body).toMatchObject({ created: false, receivedAt: at('02:10').toISOString() });
    const before = await counts();
    const unknown = await t.http().post(`/api/patrols/${patrolId}/scans`).set(as(inst)).send({ code: 'ZZZZZZ' }).expect(400);
    expect(unknown.body.details).toEqual([expect.objectContaining({ field: 'code', reason: 'unknownPatrolPoint' })]);
    await t.http().post(`/api/patrols/${patrolId}/scans`).set(as(inst)).send({}).expect(400);
    // another institution's account cannot scan into this patrol
    await t.http().post(`/api/patrols/${patrolId}/scans`).set(as(otherInst)).send({ code: points[2].code }).expect(404);
    expect(await counts()).toEqual(before);
  });

  it('refuses an incomplete submission without writing; a late one is flagged, its unscanned point counted, its failure a 自查隐患', async () => {
    const [{ id: patrolId }] = await t.db.query(`SELECT id FROM patrol WHERE institution_id = $1 AND kind = 'night'`, [id]);
    const before = await counts();
    const partial = await t.http().post(`/api/patrols/${patrolId}/submit`).set(as(inst)).send({ results: [{ itemCode: items[0], result: 'pass' }] }).expect(400);
    expect(partial.body.details).toEqual([expect.objectContaining({ field: 'results', reason: 'itemsUnanswered' })]);
    const noNote = await t.http().post(`/api/patrols/${patrolId}/submit`).set(as(inst))
      .send({ results: items.map((code) => ({ itemCode: code, result: code === items[1] ? 'fail' : 'pass' })) }).expect(400);
    expect(noNote.body.details).toEqual([expect.objectContaining({ field: 'results.1.note', reason: 'failNeedsNote' })]);
    expect(await counts()).toEqual(before);

    clock = at('02:40'); // 40 minutes after the 02:00 slot: late (lateAfterMinutes 30)
    const res = await t.http().post(`/api/patrols/${patrolId}/submit`).set(as(inst))
      .send({ results: items.map((code) => (code === items[1] ? { itemCode: code, result: 'fail', note: '二楼楼梯间堆放纸箱' } : { itemCode: code, result: 'pass' })) }).expect(200);
    expect(res.body).toMatchObject({ status: 'submitted', late: true, pointsExpected: 3, pointsScanned: 2, failed: 1, submittedAt: at('02:40').toISOString() });
    const [hazard] = await t.db.query(`SELECT item_code, note, status, due_date::text AS due, safety_work_policy_version_id IS NOT NULL AS pinned FROM self_hazard WHERE patrol_id = $1`, [patrolId]);
    expect(hazard).toEqual({ item_code: items[1], note: '二楼楼梯间堆放纸箱', status: 'open', due: addDays(tomorrow, 7), pinned: true });
    const [audit] = await t.db.query(`SELECT after FROM audit_event WHERE entity_id = $1 AND action = 'patrol.submit'`, [patrolId]);
    expect(audit.after).toMatchObject({ late: true, pointsExpected: 3, pointsScanned: 2, missedPoints: [points[2].code], failed: [items[1]] });
    await t.http().post(`/api/patrols/${patrolId}/submit`).set(as(inst)).send({ results: items.map((code) => ({ itemCode: code, result: 'pass' })) }).expect(409);
    await t.http().post(`/api/patrols/${patrolId}/scans`).set(as(inst)).send({ token: points[2].token }).expect(409);
  });

  it('shows the bureau the slots done, late and missed, and the self-reported hazards; scope holds', async () => {
    clock = at('09:00');
    const overview = (await t.http().get(`/api/institutions/${id}/patrol-overview`).set(as(officer)).expect(200)).body;
    const night = overview.lines.filter((l: { kind: string }) => l.kind === 'night');
    const state = (hhmm: string) => night.find((l: { at: string }) => l.at === at(hhmm).toISOString())?.state;
    expect([state('00:00'), state('02:00'), state('04:00')]).toEqual(['missed', 'late', 'missed']);
    expect(overview.summary).toMatchObject({ late: 1, done: 0 });
    expect(overview.summary.missed).toBeGreaterThanOrEqual(2);
    expect(overview.selfHazards).toEqual({ open: 1, overdue: 0, closed: 0 });
    await t.http().get(`/api/institutions/${id}/patrol-overview`).set(as(inspector)).expect(200);
    await t.http().get(`/api/institutions/${id}/patrol-overview`).set(as(farOfficer)).expect(404);
    await t.http().get(`/api/institutions/${id}/self-hazards`).set(as(otherInst)).expect(404);
  });

  it('lets the institution close its own hazard with what it did (the bureau reads, does not close), audited', async () => {
    const list = (await t.http().get(`/api/institutions/${id}/self-hazards`).set(as(officer)).expect(200)).body;
    expect(list).toMatchObject({ total: 1, items: [{ status: 'open', itemCode: items[1] }] });
    const h = list.items[0];
    await t.http().post(`/api/self-hazards/${h.id}/close`).set(as(officer)).send({ note: '已清理', version: h.version }).expect(403);
    await t.http().post(`/api/self-hazards/${h.id}/close`).set(as(inst)).send({ note: '', version: h.version }).expect(400);
    await t.http().post(`/api/self-hazards/${h.id}/close`).set(as(inst)).send({ note: '已清理', version: h.version + 5 }).expect(409);
    const closed = await t.http().post(`/api/self-hazards/${h.id}/close`).set(as(inst)).send({ note: '纸箱已清理，楼梯间张贴禁止堆物标识', version: h.version }).expect(200);
    expect(closed.body).toMatchObject({ status: 'closed', closureNote: '纸箱已清理，楼梯间张贴禁止堆物标识', version: h.version + 1 });
    await t.http().post(`/api/self-hazards/${h.id}/close`).set(as(inst)).send({ note: '再次', version: h.version + 1 }).expect(409);
    const actions = (await t.db.query(`SELECT action FROM audit_event WHERE entity_id = $1 ORDER BY id`, [h.id])).map((r: { action: string }) => r.action);
    expect(actions).toEqual(['self_hazard.report', 'self_hazard.close']);
  });

  it('gives the bureau the safety work of every institution on a page and in a CSV export, scoped; the institution page shows its own', async () => {
    clock = at('09:00');
    // an expired certificate and a statutory test expiring within 30 days
    const [{ id: userId }] = await t.db.query(`SELECT id FROM app_user WHERE role = 'institution' AND institution_id = $1`, [id]);
    const [{ id: staffId }] = await t.db.query(`INSERT INTO register_staff (institution_id, name, roles, created_by) VALUES ($1, '值班员甲', ARRAY['control_room_operator'], $2) RETURNING id`, [id, userId]);
    await t.db.query(`INSERT INTO register_certificate (institution_id, staff_id, cert_type, cert_no, issued_on, expires_on, created_by)
      VALUES ($1, $2, 'fire_facility_operator', 'XF-001', '2020-01-01', (now() AT TIME ZONE 'Asia/Shanghai')::date - 3, $3)`, [id, staffId, userId]);
    const csv = await t.http().get('/safety-work.csv').set(as(officer)).buffer(true).parse((r, cb) => { let b = ''; r.setEncoding('utf8'); r.on('data', (c: string) => (b += c)); r.on('end', () => cb(null, b)); }).expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = (csv.body as string).replace(/^\uFEFF/, '').split('\r\n').filter(Boolean);
    expect(lines[0]).toContain('近7天巡查完成率');
    const mine = lines.find((l) => l.startsWith('红梅巡查颐养院'))!;
    const cells = mine.split(',');
    const col = (name: string) => cells[lines[0].split(',').indexOf(name)];
    expect(col('证书已过期')).toBe('1');
    expect(col('自查隐患（整改中）')).toBe('0');
    expect(Number(col('漏巡或未完成'))).toBeGreaterThanOrEqual(2);
    const far = await t.http().get('/safety-work.csv').set(as(farOfficer)).buffer(true).parse((r, cb) => { let b = ''; r.setEncoding('utf8'); r.on('data', (c: string) => (b += c)); r.on('end', () => cb(null, b)); }).expect(200);
    expect(far.body).not.toContain('红梅巡查颐养院');
    await t.http().get('/safety-work.csv').set(as(inst)).expect(403);
    const page = await t.http().get('/safety-work').set(as(officer)).expect(200);
    expect(page.text).toContain('机构安全工作');
    expect(page.text).toContain('红梅巡查颐养院');
    const detail = await t.http().get(`/institutions/${id}`).set(as(inst)).expect(200);
    expect(detail.text).toContain('安全工作');
    expect(detail.text).toContain('证书已过期 1');
    expect(detail.text).not.toContain('未办结投诉');
    // the dashboard carries the scope's counts and the way to the full view
    const dash = await t.http().get('/dashboard').set(as(officer)).expect(200);
    expect(dash.text).toContain('机构安全工作（全辖区）');
    expect(dash.text).toContain('证书已过期 1');
    expect(dash.text).toContain('href="/safety-work"');
  });
});
