import { addDays, shanghaiDate } from '../../src/common/calendar';
import { RegistersService } from '../../src/registers/registers.service';
import { createAccount, institutionInput, rowCount, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { tinyPng } from '../support/images';
import { pdfText, savePdf, squash } from '../support/pdf';
import { createTestApp, TestApp } from '../support/test-app';

describe('人员与设备台账: staff, certificates, statutory dates, expiry alerts, finding candidates and the safety board', () => {
  let t: TestApp;
  let officer: string; // 天宁区
  let zhonglouOfficer: string;
  let inspector: string;
  let inspectorAccount: TestAccount;
  let secondInspector: TestAccount;
  let inst: string; // the institution's token
  let otherInst: string; // an institution account of 钟楼区
  let instAccount: TestAccount;
  let officerAccount: TestAccount;
  let id: string;
  let otherId: string;
  const today = shanghaiDate(new Date());

  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const api = (path: string) => `/api/institutions/${id}/registers${path}`;
  const registerRows = async () => Promise.all(['register_staff', 'register_certificate', 'register_equipment', 'register_statutory_test'].map((tbl) => rowCount(t.db, tbl)));
  const staff = async (body: object, token = inst) => (await t.http().post(api('/staff')).set(as(token)).send(body).expect(201)).body;
  const certificate = async (body: object, token = inst) => (await t.http().post(api('/certificates')).set(as(token)).send(body).expect(201)).body;
  const sendAlerts = () => t.app.get(RegistersService).sendExpiryAlerts(new Date());
  const notifications = async (kind = 'register.expiring') => t.db.query(`SELECT audience, institution_id, title, dedup_key FROM notification WHERE kind = $1 ORDER BY dedup_key`, [kind]);

  beforeAll(async () => {
    t = await createTestApp();
    await seedDivisions(t.db);
    officerAccount = await createAccount(t, 'bureau_officer', { divisionCode: '320402' });
    officer = await tokenFor(t, officerAccount);
    zhonglouOfficer = await tokenFor(t, await createAccount(t, 'bureau_officer', { divisionCode: '320404' }));
    inspectorAccount = await createAccount(t, 'inspector', { divisionCode: '320402' });
    secondInspector = await createAccount(t, 'inspector', { divisionCode: '320402' });
    inspector = await tokenFor(t, inspectorAccount);
    id = (await t.http().post('/api/institutions').set(as(officer)).send(institutionInput({ name: '红梅台账颐养院' })).expect(201)).body.id;
    instAccount = await createAccount(t, 'institution', { institutionId: id });
    inst = await tokenFor(t, instAccount);
    otherId = (await t.http().post('/api/institutions').set(as(zhonglouOfficer)).send(institutionInput({ name: '五星颐养院', divisionCode: '320404001' })).expect(201)).body.id;
    otherInst = await tokenFor(t, await createAccount(t, 'institution', { institutionId: otherId }));
  });
  afterAll(() => t.close());

  it.each([
    ['staff without a post', '/staff', { name: '张三', roles: [] }, 'roles', 'arrayMinSize'],
    ['an unknown post', '/staff', { name: '张三', roles: ['boss'] }, 'roles', 'isIn'],
    ['a safety officer without a phone', '/staff', { name: '张三', roles: ['safety_officer'] }, 'phone', 'staffPhoneRequired'],
    ['a bad phone', '/staff', { name: '张三', roles: ['other'], phone: 'call me' }, 'phone', 'isPhone'],
    ['an unknown field', '/staff', { name: '张三', roles: ['other'], salary: 1 }, 'salary', 'whitelistValidation'],
    ['an impossible date', '/certificates', { staffId: '00000000-0000-4000-8000-000000000000', certType: 'other', certNo: 'X1', issuedOn: '2026-02-30' }, 'issuedOn', 'isCalendarDate'],
    ['an expiry before the issue', '/certificates', { staffId: '00000000-0000-4000-8000-000000000000', certType: 'other', certNo: 'X1', issuedOn: '2026-02-01', expiresOn: '2026-01-01' }, 'expiresOn', 'expiresBeforeIssued'],
    ['a holder not in the register', '/certificates', { staffId: '00000000-0000-4000-8000-000000000000', certType: 'other', certNo: 'X1', issuedOn: '2026-02-01' }, 'staffId', 'staffNotInRegister'],
    ['an unknown equipment kind', '/equipment', { kind: 'rocket', name: '火箭' }, 'kind', 'isIn'],
  ])('refuses %s with a 400 naming the field, in Chinese, writing nothing', async (_what, path, body, field, reason) => {
    const before = await registerRows();
    const res = await t.http().post(api(path)).set(as(inst)).send(body).expect(400);
    expect(res.body.code).toBe('validation.failed');
    expect(res.body.message).toMatch(/[\u4e00-\u9fff]/);
    expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field, reason })]));
    expect(await registerRows()).toEqual(before);
  });

  it('refuses a statutory test that does not fit the equipment, and a second record of the same test without its version', async () => {
    const lift = (await t.http().post(api('/equipment')).set(as(inst)).send({ kind: 'elevator', name: '1号楼客梯', location: '1号楼' }).expect(201)).body;
    const wrong = await t.http().post(api(`/equipment/${lift.id}/tests`)).set(as(inst)).send({ testKind: 'service', expiresOn: addDays(today, 100) }).expect(400);
    expect(wrong.body.details[0]).toMatchObject({ field: 'testKind', reason: 'testKindNotForEquipment' });
    expect(wrong.body.details[0].message).toContain('定期检验');
    const ok = await t.http().post(api(`/equipment/${lift.id}/tests`)).set(as(inst)).send({ testKind: 'periodic_inspection', lastDoneOn: addDays(today, -300), expiresOn: addDays(today, 65), reportNo: 'DT-2026-001' }).expect(200);
    expect(ok.body.tests).toEqual([expect.objectContaining({ testKind: 'periodic_inspection', expiresOn: addDays(today, 65), status: 'valid', version: 1 })]);
    await t.http().post(api(`/equipment/${lift.id}/tests`)).set(as(inst)).send({ testKind: 'periodic_inspection', expiresOn: addDays(today, 400) }).expect(409);
    const renewed = await t.http().post(api(`/equipment/${lift.id}/tests`)).set(as(inst)).send({ testKind: 'periodic_inspection', expiresOn: addDays(today, 400), version: 1 }).expect(200);
    expect(renewed.body.tests[0]).toMatchObject({ expiresOn: addDays(today, 400), version: 2 });
    // the database defends the pairing too
    await expect(t.db.query(`UPDATE register_statutory_test SET test_kind = 'service' WHERE equipment_id = $1`, [lift.id])).rejects.toThrow(/register_statutory_test_kind_fits/);
  });

  it('keeps each register to its scope: another institution or district gets 404, an inspector reads but cannot write', async () => {
    await staff({ name: '周安全', roles: ['safety_responsible'], phone: '13812345678' });
    for (const token of [otherInst, zhonglouOfficer]) {
      await t.http().get(api('/staff')).set(as(token)).expect(404);
      await t.http().get(api('/certificates')).set(as(token)).expect(404);
      await t.http().get(`/api/institutions/${id}/finding-candidates`).set(as(token)).expect(404);
      await t.http().post(api('/staff')).set(as(token)).send({ name: '入侵者', roles: ['other'] }).expect(404);
    }
    const list = await t.http().get(api('/staff')).set(as(inspector)).expect(200);
    expect(list.body).toMatchObject({ total: 1, page: 1, pageSize: 20 });
    await t.http().post(api('/staff')).set(as(inspector)).send({ name: '检查员', roles: ['other'] }).expect(403);
    // the other institution's own register is empty to it, and this institution's staff never shows there
    expect((await t.http().get(`/api/institutions/${otherId}/registers/staff`).set(as(otherInst)).expect(200)).body.total).toBe(0);
    // a page of another institution's register is a 404 page too
    await t.http().get(`/institutions/${id}/registers`).set(as(otherInst)).expect(404);
  });

  it('stores a certificate photo through the evidence pipeline and serves it only in scope', async () => {
    const holder = await staff({ name: '钱操作', roles: ['control_room_operator'] });
    await t.http().post(api('/photos')).set(as(inst)).attach('file', Buffer.from('not an image at all'), 'x.png').expect(400);
    const photo = (await t.http().post(api('/photos')).set(as(inst)).attach('file', tinyPng(32, 32, [10, 120, 200]), 'cert.png').expect(201)).body;
    const cert = await certificate({ staffId: holder.id, certType: 'fire_facility_operator', certNo: 'XF-0001', issuedOn: '2024-01-10', expiresOn: addDays(today, 300), photoId: photo.id });
    expect(cert).toMatchObject({ staffName: '钱操作', status: 'valid', photoEvidenceId: photo.id });
    const img = await t.http().get(api(`/certificates/${cert.id}/photo`)).set(as(officer)).expect(200);
    expect(img.headers['content-type']).toMatch(/^image\//);
    await t.http().get(api(`/certificates/${cert.id}/photo`)).set(as(otherInst)).expect(404);
    // the same number twice is refused
    await t.http().post(api('/certificates')).set(as(inst)).send({ staffId: holder.id, certType: 'fire_facility_operator', certNo: 'XF-0001', issuedOn: '2024-01-10' }).expect(409);
    const audit = await t.db.query(`SELECT action FROM audit_event WHERE entity_id IN ($1, $2, $3) ORDER BY id`, [holder.id, photo.id, cert.id]);
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['register_staff.create', 'evidence.upload', 'register_certificate.create']);
  });

  it('alerts 30 and 7 days ahead to the institution and the bureau, once per item and threshold; a renewal starts afresh', async () => {
    const holder = await staff({ name: '孙值班', roles: ['control_room_operator'] });
    const soon = await certificate({ staffId: holder.id, certType: 'fire_facility_operator', certNo: 'XF-7777', issuedOn: '2021-01-01', expiresOn: addDays(today, 7) });
    const later = await certificate({ staffId: holder.id, certType: 'electrician', certNo: 'DG-2020', issuedOn: '2021-01-01', expiresOn: addDays(today, 20) });
    const boiler = (await t.http().post(api('/equipment')).set(as(inst)).send({ kind: 'fire_system', name: '消防设施（全楼）' }).expect(201)).body;
    await t.http().post(api(`/equipment/${boiler.id}/tests`)).set(as(inst)).send({ testKind: 'maintenance_contract', expiresOn: addDays(today, 30) }).expect(200);

    const first = await sendAlerts();
    expect(first).toBe(3);
    const sent = await notifications();
    expect(sent).toHaveLength(6); // institution + bureau, per item
    expect(sent.filter((n: { audience: string }) => n.audience === 'institution')).toHaveLength(3);
    // the institution's copies name it; the bureau's are addressed by the institution's division (institution_id is null)
    expect(sent.every((n: { audience: string; institution_id: string | null }) => (n.audience === 'institution' ? n.institution_id === id : n.institution_id === null))).toBe(true);
    const alerts = await t.db.query(`SELECT item_id, threshold_days, safety_work_policy_version_id FROM register_expiry_alert ORDER BY threshold_days, item_id`);
    expect(alerts.map((a: { threshold_days: number }) => a.threshold_days).sort()).toEqual([30, 30, 7]);
    expect(alerts.find((a: { item_id: string }) => a.item_id === soon.id).threshold_days).toBe(7);
    expect(alerts.every((a: { safety_work_policy_version_id: string | null }) => !!a.safety_work_policy_version_id)).toBe(true);

    // again: nothing new
    expect(await sendAlerts()).toBe(0);
    expect(await notifications()).toHaveLength(6);

    // the institution and the district see them in their inboxes; another district does not
    const inbox = await t.http().get('/api/notifications/inbox').set(as(inst)).expect(200);
    expect(inbox.body.items.map((n: { title: string }) => n.title)).toEqual(expect.arrayContaining([expect.stringContaining('消防设施操作员证书将于')]));
    const bureauInbox = await t.http().get('/api/notifications/inbox').set(as(officer)).expect(200);
    expect(bureauInbox.body.items.some((n: { title: string }) => n.title.startsWith('红梅台账颐养院：'))).toBe(true);
    expect((await t.http().get('/api/notifications/inbox').set(as(zhonglouOfficer)).expect(200)).body.items.filter((n: { title: string }) => n.title.includes('红梅台账'))).toEqual([]);

    // renewed to a date still within 7 days (a short extension): a new alert for the new date
    await t.http().patch(api(`/certificates/${soon.id}`)).set(as(inst)).send({ version: 1, certNo: 'XF-7777', issuedOn: '2021-01-01', expiresOn: addDays(today, 6) }).expect(200);
    expect(await sendAlerts()).toBe(1);
    // renewed for years: nothing is due
    await t.http().patch(api(`/certificates/${later.id}`)).set(as(inst)).send({ version: 1, certNo: 'DG-2020', issuedOn: '2021-01-01', expiresOn: addDays(today, 1000) }).expect(200);
    expect(await sendAlerts()).toBe(0);
    // the list shows each certificate's status chip
    const listed = (await t.http().get(api('/certificates')).set(as(inst)).expect(200)).body.items;
    expect(listed.find((c: { id: string }) => c.id === soon.id).status).toBe('expiring_soon');
    expect(listed.find((c: { id: string }) => c.id === later.id).status).toBe('valid');
  });

  it('offers expired certificates and tests as finding candidates of their checklist items', async () => {
    const holder = await staff({ name: '李过期', roles: ['control_room_operator'] });
    const expired = await certificate({ staffId: holder.id, certType: 'fire_facility_operator', certNo: 'XF-OLD', issuedOn: '2020-01-01', expiresOn: addDays(today, -3) });
    expect(expired.status).toBe('expired');
    const lift = (await t.http().post(api('/equipment')).set(as(inst)).send({ kind: 'elevator', name: '2号楼货梯' }).expect(201)).body;
    await t.http().post(api(`/equipment/${lift.id}/tests`)).set(as(inst)).send({ testKind: 'periodic_inspection', expiresOn: addDays(today, -1) }).expect(200);

    const res = await t.http().get(`/api/institutions/${id}/finding-candidates`).set(as(inspector)).expect(200);
    expect(res.body.asOf).toBe(today);
    const codes = res.body.items.map((i: { itemCode: string }) => i.itemCode);
    expect(codes).toEqual(['BLD-003', 'NET-002']);
    const net = res.body.items.find((i: { itemCode: string }) => i.itemCode === 'NET-002').candidates;
    expect(net).toEqual([expect.objectContaining({ id: expired.id, itemKind: 'certificate', holder: '李过期', what: '消防设施操作员证书', reference: 'XF-OLD' })]);
    expect(net[0].note).toContain('已于');
    // the inspection form shows them on their items as 台账提示, for the inspector to confirm on site
    const inspectionId = (await t.http().post('/api/inspections').set(as(officer)).send({ institutionId: id, kind: 'routine', teamUserIds: [inspectorAccount.id, secondInspector.id] }).expect(201)).body.id;
    const form = (await t.http().get(`/api/inspections/${inspectionId}/form`).set(as(inspector)).expect(200)).body;
    const formItems = form.categories.flatMap((c: { items: { code: string; registerCandidate: { note: string } | null }[] }) => c.items);
    const netItem = formItems.find((i: { code: string }) => i.code === 'NET-002');
    if (netItem) expect(netItem.registerCandidate.note).toContain('XF-OLD');
    expect(formItems.filter((i: { registerCandidate: unknown }) => i.registerCandidate).map((i: { code: string }) => i.code).sort())
      .toEqual(formItems.filter((i: { code: string }) => ['BLD-003', 'NET-002'].includes(i.code)).map((i: { code: string }) => i.code).sort());

    // retiring the holder takes the certificate off the candidates (after a confirmation on the page; the API takes the version)
    await t.http().post(api(`/staff/${holder.id}/retire`)).set(as(inst)).send({ version: 1 }).expect(200);
    const after = await t.http().get(`/api/institutions/${id}/finding-candidates`).set(as(officer)).expect(200);
    expect(after.body.items.map((i: { itemCode: string }) => i.itemCode)).toEqual(['BLD-003']);
    // rows are retired, never deleted
    await expect(t.db.query(`DELETE FROM register_staff WHERE id = $1`, [holder.id])).rejects.toThrow(/never deleted/);
  });

  it('prints the safety board with the three people, their phones, the hotline and the complaint link; it follows the register', async () => {
    await staff({ name: '吴安全员', roles: ['safety_officer'], phone: '0519-88886666' });
    // the institution may not set the bureau's contacts; the district's officer does
    await t.http().put(`/api/institutions/${id}/safety-board/contact`).set(as(inst)).send({ supervisorName: '王监管', supervisorPhone: '13900001111', hotline: '0519-12345' }).expect(403);
    await t.http().put(`/api/institutions/${id}/safety-board/contact`).set(as(officer)).send({ supervisorName: '王监管', supervisorPhone: 'x', hotline: '0519-12345' }).expect(400);
    const set = await t.http().put(`/api/institutions/${id}/safety-board/contact`).set(as(officer)).send({ supervisorName: '王监管', supervisorPhone: '13900001111', hotline: '0519-12345' }).expect(200);
    expect(set.body).toMatchObject({ supervisorName: '王监管', version: 1 });

    const download = async (token: string) => (await t.http().get(`/institutions/${id}/safety-board.pdf`).set(as(token)).buffer(true)
      .parse((r, cb) => { const chunks: Buffer[] = []; r.on('data', (c: Buffer) => chunks.push(c)); r.on('end', () => cb(null, Buffer.concat(chunks))); }).expect(200)).body as Buffer;
    const pdf = await download(inst);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = squash(pdfText(savePdf('safety-board.pdf', pdf)));
    for (const s of ['安全责任公示牌', '红梅台账颐养院', '周安全', '13812345678', '吴安全员', '0519-88886666', '王监管', '13900001111', '0519-12345',
      `/public/complaints/new?institution=${id}`, '天宁区民政局']) expect(text).toContain(squash(s));

    // a new safety officer and a changed hotline show on the next download (rendered from current data)
    await t.http().put(`/api/institutions/${id}/safety-board/contact`).set(as(officer)).send({ supervisorName: '王监管', supervisorPhone: '13900001111', hotline: '12345', version: 1 }).expect(200);
    await staff({ name: '郑新员', roles: ['safety_officer'], phone: '13700002222' });
    const again = squash(pdfText(savePdf('safety-board-2.pdf', await download(officer))));
    expect(again).toContain(squash('郑新员'));
    expect(again).toContain(squash('监督举报电话12345'));
    // inspectors read registers but do not print boards; another institution gets 404
    await t.http().get(`/institutions/${id}/safety-board.pdf`).set(as(inspector)).expect(403);
    await t.http().get(`/institutions/${id}/safety-board.pdf`).set(as(otherInst)).expect(404);
  });
});
