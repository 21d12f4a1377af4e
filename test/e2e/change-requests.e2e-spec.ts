import { createAccount, institutionInput, rowCount, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { binary } from '../support/exports';
import { tinyPng } from '../support/images';
import { createTestApp, TestApp } from '../support/test-app';

describe('institution change requests: facts that decide money are confirmed by the bureau', () => {
  let t: TestApp;
  let officer: string; // 天宁区
  let zhonglouOfficer: string;
  let inspector: string;
  let institutionAccount: TestAccount;
  let inst: string; // institution token
  let id: string;

  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const row = async () => (await t.db.query(`SELECT approved_beds, occupied_beds, gas_supply, storeys, contact_name, version FROM institution WHERE id = $1`, [id]))[0];
  const applicableCount = async () => (await t.http().get(`/api/institutions/${id}/applicable-items`).set(as(officer)).expect(200)).body.applicable.length;
  const subsidyLine = async () => {
    // December: the institution opened (registered) today and a confirmed change counts from its day (issue 12)
    const res = await t.http().post('/api/subsidy-schedules').set(as(officer)).send({ divisionCode: '320402004', periodStart: '2026-12-01', periodEnd: '2026-12-31' }).expect(201);
    return res.body.lines.find((l: { institutionId: string }) => l.institutionId === id).amount as number;
  };
  const file = (body: object, token = inst, target = id) => t.http().post(`/api/institutions/${target}/change-requests`).set(as(token)).send(body);

  beforeAll(async () => {
    t = await createTestApp();
    await seedDivisions(t.db);
    officer = await tokenFor(t, await createAccount(t, 'bureau_officer', { divisionCode: '320402' }));
    zhonglouOfficer = await tokenFor(t, await createAccount(t, 'bureau_officer', { divisionCode: '320404' }));
    inspector = await tokenFor(t, await createAccount(t, 'inspector', { divisionCode: '320402' }));
    id = (await t.http().post('/api/institutions').set(as(officer)).send(institutionInput({ name: '红梅康养院', approvedBeds: 45, occupiedBeds: 38,
      residentsSelfCare: 10, residentsMildlyDisabled: 10, residentsModeratelyDisabled: 10, residentsSeverelyDisabled: 8 })).expect(201)).body.id;
    institutionAccount = await createAccount(t, 'institution', { institutionId: id });
    inst = await tokenFor(t, institutionAccount);
  });
  afterAll(() => t.close());

  it('PATCH by the institution refuses beds and profile fields (403 naming them) and keeps contacts direct', async () => {
    const before = await row();
    const res = await t.http().patch(`/api/institutions/${id}`).set(as(inst)).send({ version: 1, approvedBeds: 500, occupiedBeds: 500, contactName: '王五' }).expect(403);
    expect(res.body.code).toBe('institution.change_request_required');
    expect(res.body.message).toContain('档案变更申请');
    expect(res.body.details.map((d: { field: string; reason: string }) => [d.field, d.reason])).toEqual([['approvedBeds', 'changeRequestRequired'], ['occupiedBeds', 'changeRequestRequired']]);
    expect(await row()).toEqual(before);
    const ok = await t.http().patch(`/api/institutions/${id}`).set(as(inst)).send({ version: 1, contactName: '王五' }).expect(200);
    expect(ok.body).toMatchObject({ contactName: '王五', version: 2, approvedBeds: 45 });
  });

  it('a filed request changes nothing until an officer approves it; then subsidy and applicability follow', async () => {
    const subsidyBefore = await subsidyLine();
    const applicableBefore = await applicableCount();
    const { version } = await row();
    const res = await file({ version, reason: '新楼启用，床位经区民政局核定增加', changes: { approvedBeds: 500, occupiedBeds: 500, gasSupply: 'none', storeys: 4 } }).expect(201);
    expect(res.body).toMatchObject({
      institutionId: id, status: 'pending', version: 1, reason: '新楼启用，床位经区民政局核定增加', requestedByName: institutionAccount.displayName,
      // only the changed fields (storeys is the same)
      before: { approvedBeds: 45, occupiedBeds: 38, gasSupply: 'piped' }, after: { approvedBeds: 500, occupiedBeds: 500, gasSupply: 'none' },
      decidedAt: null, attachmentUrl: null,
    });
    expect(res.body.divisionPath).toBeUndefined();

    // Pending: the institution row, the subsidy and the applicable items are the confirmed ones.
    expect(await row()).toMatchObject({ approved_beds: 45, occupied_beds: 38, gas_supply: 'piped', version });
    expect(await subsidyLine()).toBe(subsidyBefore);
    expect(await applicableCount()).toBe(applicableBefore);
    // Both sides see it.
    const mine = await t.http().get(`/api/institutions/${id}/change-requests?status=pending`).set(as(inst)).expect(200);
    expect(mine.body.items.map((r: { id: string }) => r.id)).toEqual([res.body.id]);
    const pending = await t.http().get('/api/institution-change-requests?status=pending').set(as(officer)).expect(200);
    expect(pending.body).toMatchObject({ total: 1, page: 1, pageSize: 20 });
    expect(pending.body.items[0]).toMatchObject({ id: res.body.id, institutionName: '红梅康养院' });

    const approved = await t.http().post(`/api/institutions/${id}/change-requests/${res.body.id}/approve`).set(as(officer)).send({ version: 1, note: '与核定文件一致' }).expect(200);
    expect(approved.body).toMatchObject({ status: 'approved', version: 2, decisionNote: '与核定文件一致' });
    expect(approved.body.decidedAt).toBeTruthy();
    expect(await row()).toMatchObject({ approved_beds: 500, occupied_beds: 500, gas_supply: 'none', version: version + 1 });
    expect(await subsidyLine()).toBeGreaterThan(subsidyBefore);
    expect(await applicableCount()).toBeLessThan(applicableBefore);

    const audit = await t.db.query(`SELECT action, after FROM audit_event WHERE entity_id IN ($1, $2) ORDER BY id`, [id, res.body.id]);
    expect(audit.map((a: { action: string }) => a.action)).toEqual(expect.arrayContaining([
      'institution_change_request.create', 'institution.update', 'institution_change_request.approve']));
    const update = audit.filter((a: { action: string }) => a.action === 'institution.update').pop();
    expect(update.after).toMatchObject({ approvedBeds: 500, changeRequestId: res.body.id });
    // Deciding twice is refused.
    await t.http().post(`/api/institutions/${id}/change-requests/${res.body.id}/reject`).set(as(officer)).send({ version: 2, note: 'x' }).expect(409);
  });

  it.each([
    ['no reason', { reason: '  ' }, 'reason', 'isNotEmpty'],
    ['nothing changes', { changes: { storeys: 4 } }, 'changes', 'noChange'],
    ['occupied above approved in the merged profile', { changes: { occupiedBeds: 900 } }, 'changes.occupiedBeds', 'occupiedExceedsApproved'],
    ['null for a field that needs a value', { changes: { storeys: null } }, 'changes.storeys', 'isDefined'],
    ['an unknown field', { changes: { sprinklerCount: 3 } }, 'changes.sprinklerCount', 'whitelistValidation'],
    ['a non-integer bed count', { changes: { approvedBeds: 1.5 } }, 'changes.approvedBeds', 'isInt'],
    ['an identity field', { changes: { name: '改名' } }, 'changes.name', 'whitelistValidation'],
    ['an attachment that is not a change-request document', { attachmentId: '00000000-0000-4000-8000-000000000000' }, 'attachmentId', 'attachmentNotFound'],
  ])('answers 400 naming the field for %s, and writes nothing', async (_label, patch, field, reason) => {
    const { version } = await row();
    const before = { requests: await rowCount(t.db, 'institution_change_request'), audit: await rowCount(t.db, 'audit_event') };
    const res = await file({ version, reason: '理由', changes: { approvedBeds: 600 }, ...patch }).expect(400);
    expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field, reason })]));
    expect({ requests: await rowCount(t.db, 'institution_change_request'), audit: await rowCount(t.db, 'audit_event') }).toEqual(before);
  });

  it('accepts the building-profile facts of real buildings: facility floors in a tall building, approved, change the refuge-room items', async () => {
    const tower = (await t.http().post('/api/institutions').set(as(officer)).send(institutionInput({
      name: '商业楼内颐养院', storeys: 12, insideOtherBuilding: true, lowestFloor: 1, totalAreaM2: 3200,
      residentsModeratelyDisabled: 0, residentsSeverelyDisabled: 0, highestFloorWithDisabled: null,
    })).expect(201)).body;
    const account = await tokenFor(t, await createAccount(t, 'institution', { institutionId: tower.id }));
    const items = async () => (await t.http().get(`/api/institutions/${tower.id}/applicable-items`).set(as(officer)).expect(200)).body;
    // floors not recorded: refuge rooms apply, 待核实
    expect((await items()).unverified).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'REF-001', reason: expect.stringContaining('楼层未填写，待核实') })]));
    // the institution cannot write these facts directly, nor the registry fact profit status
    const direct = await t.http().patch(`/api/institutions/${tower.id}`).set(as(account)).send({ version: tower.version, facilityHighestFloor: 2 }).expect(403);
    expect(direct.body.details).toEqual([expect.objectContaining({ field: 'facilityHighestFloor', reason: 'changeRequestRequired' })]);
    const registry = await t.http().patch(`/api/institutions/${tower.id}`).set(as(account)).send({ version: tower.version, profitStatus: 'for_profit' }).expect(403);
    expect(registry.body.details).toEqual([expect.objectContaining({ field: 'profitStatus', reason: 'forbiddenForRole' })]);
    // an inconsistent range names the field
    const bad = await file({ version: tower.version, reason: '楼层登记', changes: { facilityHighestFloor: 13 } }, account, tower.id).expect(400);
    expect(bad.body.details).toEqual([expect.objectContaining({ field: 'changes.facilityHighestFloor', reason: 'floorOutOfBuilding' })]);

    const filed = await file({ version: tower.version, reason: '登记机构所在楼层与所在建筑', changes: {
      facilityLowestFloor: 1, facilityHighestFloor: 2, hostBuildingUse: 'commercial', buildingHeightM: 45.2, capacityPlaces: null,
    } }, account, tower.id).expect(201);
    expect(filed.body.after).toEqual({ facilityHighestFloor: 2, hostBuildingUse: 'commercial', buildingHeightM: 45.2 });
    expect((await items()).applicable.map((i: { code: string }) => i.code)).toContain('REF-001');
    await t.http().post(`/api/institutions/${tower.id}/change-requests/${filed.body.id}/approve`).set(as(officer)).send({ version: 1 }).expect(200);
    const after = await items();
    expect(after.applicable.map((i: { code: string }) => i.code)).not.toContain('REF-001');
    expect(after.excluded.find((e: { code: string }) => e.code === 'REF-001').reason).toBe('facilityFloor3OrAbove (实际 否)');
  });

  it('a stale institution version is 409; bureau users and inspectors cannot file', async () => {
    const { version } = await row();
    const stale = await file({ version: version - 1, reason: '理由', changes: { approvedBeds: 600 } }).expect(409);
    expect(stale.body.code).toBe('institution.version_conflict');
    const bureau = await file({ version, reason: '理由', changes: { approvedBeds: 600 } }, officer).expect(403);
    expect(bureau.body.code).toBe('change_request.bureau_edits_directly');
    await file({ version, reason: '理由', changes: { approvedBeds: 600 } }, inspector).expect(403);
    await t.http().get('/api/institution-change-requests').set(as(inspector)).expect(403);
  });

  it('one pending request per institution: a second is refused until the first is withdrawn', async () => {
    const { version } = await row();
    const first = await file({ version, reason: '增设床位', changes: { approvedBeds: 520 } }).expect(201);
    const second = await file({ version, reason: '再改', changes: { approvedBeds: 530 } }).expect(409);
    expect(second.body.code).toBe('change_request.pending_exists');
    // The database holds the line too.
    await expect(t.db.query(`INSERT INTO institution_change_request (institution_id, division_path, requested_by, before, after, reason)
      SELECT institution_id, division_path, requested_by, before, after, reason FROM institution_change_request WHERE id = $1`, [first.body.id])).rejects.toThrow(/one_pending/);
    // Only the institution withdraws; a bureau user decides.
    await t.http().post(`/api/institutions/${id}/change-requests/${first.body.id}/withdraw`).set(as(officer)).send({ version: 1 }).expect(403);
    await t.http().post(`/api/institutions/${id}/change-requests/${first.body.id}/approve`).set(as(inst)).send({ version: 1 }).expect(403);
    const withdrawn = await t.http().post(`/api/institutions/${id}/change-requests/${first.body.id}/withdraw`).set(as(inst)).send({ version: 1 }).expect(200);
    expect(withdrawn.body).toMatchObject({ status: 'withdrawn', decidedBy: institutionAccount.id });
    await t.http().post(`/api/institutions/${id}/change-requests/${first.body.id}/approve`).set(as(officer)).send({ version: 2 }).expect(409);
    expect((await row()).approved_beds).toBe(500);
    // A decided request never changes in the database.
    await expect(t.db.query(`UPDATE institution_change_request SET reason = 'x' WHERE id = $1`, [first.body.id])).rejects.toThrow(/cannot change/);
    await expect(t.db.query(`DELETE FROM institution_change_request WHERE id = $1`, [first.body.id])).rejects.toThrow(/cannot be deleted/);
  });

  it('a request whose confirmed values changed since filing is refused with 409; it can then be rejected with a reason', async () => {
    const { version } = await row();
    const req = (await file({ version, reason: '加层', changes: { storeys: 5 } }).expect(201)).body;
    // The bureau edits directly (stays direct, audited as before).
    const direct = await t.http().patch(`/api/institutions/${id}`).set(as(officer)).send({ version, storeys: 6 }).expect(200);
    expect(direct.body.storeys).toBe(6);
    const stale = await t.http().post(`/api/institutions/${id}/change-requests/${req.id}/approve`).set(as(officer)).send({ version: 1 }).expect(409);
    expect(stale.body.code).toBe('change_request.stale');
    expect(stale.body.details).toEqual([expect.objectContaining({ field: 'storeys', reason: 'staleValue' })]);
    expect(stale.body.details[0].message).toContain('4');
    expect(await row()).toMatchObject({ storeys: 6, version: version + 1 });
    const open = await t.http().get(`/api/institutions/${id}/change-requests/${req.id}`).set(as(inst)).expect(200);
    expect(open.body.status).toBe('pending');

    const noReason = await t.http().post(`/api/institutions/${id}/change-requests/${req.id}/reject`).set(as(officer)).send({ version: 1, note: ' ' }).expect(400);
    expect(noReason.body.details).toEqual([expect.objectContaining({ field: 'note', reason: 'isNotEmpty' })]);
    await t.http().post(`/api/institutions/${id}/change-requests/${req.id}/reject`).set(as(officer)).send({ version: 9, note: '已按实际层数直接更正' }).expect(409);
    const rejected = await t.http().post(`/api/institutions/${id}/change-requests/${req.id}/reject`).set(as(officer)).send({ version: 1, note: '已按实际层数直接更正' }).expect(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', decisionNote: '已按实际层数直接更正' });
    expect((await row()).storeys).toBe(6);
  });

  it('two officers approving at once: exactly one succeeds', async () => {
    const { version } = await row();
    const req = (await file({ version, reason: '床位核减', changes: { approvedBeds: 480, occupiedBeds: 470 } }).expect(201)).body;
    const other = await tokenFor(t, await createAccount(t, 'bureau_admin', { divisionCode: '320400' }));
    const results = await Promise.all([officer, other].map((tok) =>
      t.http().post(`/api/institutions/${id}/change-requests/${req.id}/approve`).set(as(tok)).send({ version: 1 })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await row()).toMatchObject({ approved_beds: 480, occupied_beds: 470, version: version + 1 });
  });

  it('keeps requests in scope: another district and another institution get 404', async () => {
    const { version } = await row();
    const req = (await file({ version, reason: '消防设施改造', changes: { hasSprinklers: false } }).expect(201)).body;
    await t.http().get(`/api/institutions/${id}/change-requests/${req.id}`).set(as(zhonglouOfficer)).expect(404);
    await t.http().post(`/api/institutions/${id}/change-requests/${req.id}/approve`).set(as(zhonglouOfficer)).send({ version: 1 }).expect(404);
    const list = await t.http().get('/api/institution-change-requests').set(as(zhonglouOfficer)).expect(200);
    expect(list.body.total).toBe(0);
    const otherId = (await t.http().post('/api/institutions').set(as(officer)).send(institutionInput({ name: '另一家' })).expect(201)).body.id;
    const otherInst = await tokenFor(t, await createAccount(t, 'institution', { institutionId: otherId }));
    await t.http().get(`/api/institutions/${id}/change-requests/${req.id}`).set(as(otherInst)).expect(404);
    await t.http().get(`/api/institutions/${otherId}/change-requests/${req.id}`).set(as(officer)).expect(404);
    const own = await t.http().get('/api/institution-change-requests').set(as(otherInst)).expect(200);
    expect(own.body.total).toBe(0);
    await file({ version: 1, reason: 'x', changes: { approvedBeds: 300 } }, otherInst, id).expect(404);
    const bad = await t.http().get('/api/institution-change-requests?status=maybe').set(as(officer)).expect(400);
    expect(bad.body.details[0]).toMatchObject({ field: 'status', reason: 'isIn' });
    await t.http().post(`/api/institutions/${id}/change-requests/${req.id}/withdraw`).set(as(inst)).send({ version: 1 }).expect(200);
  });

  it('takes a supporting document image and serves it to both sides', async () => {
    const upload = await t.http().post(`/api/institutions/${id}/change-requests/attachments`).set(as(inst))
      .attach('file', tinyPng(32, 32, [200, 200, 200]), 'approval.png').expect(201);
    const { version } = await row();
    const req = (await file({ version, reason: '附床位核定批复', attachmentId: upload.body.id, changes: { approvedBeds: 490 } }).expect(201)).body;
    expect(req.attachmentUrl).toBe(`/api/institutions/${id}/change-requests/${req.id}/attachment`);
    for (const tok of [inst, officer]) {
      const img = await t.http().get(req.attachmentUrl).set(as(tok)).buffer(true).parse(binary).expect(200);
      expect(img.headers['content-type']).toMatch(/^image\//);
      expect((img.body as Buffer).length).toBeGreaterThan(0);
    }
    await t.http().get(req.attachmentUrl).set(as(zhonglouOfficer)).expect(404);
    const notImage = await t.http().post(`/api/institutions/${id}/change-requests/attachments`).set(as(inst))
      .attach('file', Buffer.from('not an image at all'), 'x.png').expect(400);
    expect(notImage.body.details[0].field).toBe('file');
    await t.http().post(`/api/institutions/${id}/change-requests/attachments`).set(as(officer))
      .attach('file', tinyPng(8, 8, [0, 0, 0]), 'x.png').expect(403);
    await t.http().post(`/api/institutions/${id}/change-requests/${req.id}/withdraw`).set(as(inst)).send({ version: 1 }).expect(200);
  });
});
