import { addDays, shanghaiDate } from '../../src/common/calendar';
import { addMonths } from '../../src/drills/domain/drill-rules';
import { tinyPng, truncatedAlphaPng } from '../support/images';
import { createAccount, institutionInput, rowCount, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';

/** 演练与培训: drills with residents evacuated by care level, the half-year live-drill flag, training by staff member. */
describe('drills and training records', () => {
  let t: TestApp;
  let officer: string; // 天宁区
  let farOfficer: string; // 钟楼区
  let officerAccount: TestAccount;
  let farAccount: TestAccount;
  let instAccount: TestAccount;
  let inst: string;
  let otherInst: string;
  let id: string;
  let policyVersionId: string;
  const today = shanghaiDate(new Date());

  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const drill = (over: object = {}) => ({
    heldOn: today, kind: 'fire_evacuation', form: 'live', participantsStaff: 12, participantsNote: '天宁消防救援站指导',
    evacuated: { selfCare: 10, mildlyDisabled: 5, moderatelyDisabled: 3, severelyDisabled: 2 }, evacuationSeconds: 245, lessons: '三楼东侧疏散门开启慢，已更换闭门器', ...over,
  });
  const record = (body: object, token = inst, target = id) => t.http().post(`/api/institutions/${target}/drills`).set(as(token)).send(body);
  const status = async (target = id) => (await t.http().get(`/api/institutions/${target}/drill-status`).set(as(officer)).expect(200)).body;
  const counts = async () => ({ drills: await rowCount(t.db, 'drill'), trainings: await rowCount(t.db, 'staff_training'), audit: await rowCount(t.db, 'audit_event') });
  const newInstitution = async (openedOn: string) => {
    const created = (await t.http().post('/api/institutions').set(as(officer)).send(institutionInput({
      residentsSelfCare: 10, residentsMildlyDisabled: 5, residentsModeratelyDisabled: 3, residentsSeverelyDisabled: 2, occupiedBeds: 20, approvedBeds: 30,
    })).expect(201)).body.id as string;
    await t.db.query(`UPDATE institution SET opened_on = $2::date WHERE id = $1`, [created, openedOn]);
    return created;
  };

  beforeAll(async () => {
    t = await createTestApp();
    await seedDivisions(t.db);
    officerAccount = await createAccount(t, 'bureau_officer', { divisionCode: '320402' });
    farAccount = await createAccount(t, 'bureau_officer', { divisionCode: '320404' });
    officer = await tokenFor(t, officerAccount);
    farOfficer = await tokenFor(t, farAccount);
    id = await newInstitution(addMonths(today, -24));
    instAccount = await createAccount(t, 'institution', { institutionId: id });
    inst = await tokenFor(t, instAccount);
    const other = await newInstitution(addMonths(today, -24));
    otherInst = await tokenFor(t, await createAccount(t, 'institution', { institutionId: other }));
    [{ id: policyVersionId }] = await t.db.query(`SELECT current_version_id AS id FROM rule_set WHERE kind = 'safety_work_policy'`);
  });
  afterAll(() => t.close());

  it('records a live drill with residents evacuated by care level, pinned to the policy, audited', async () => {
    const res = await record(drill()).expect(201);
    expect(res.body).toMatchObject({
      institutionId: id, heldOn: today, kind: 'fire_evacuation', form: 'live', participantsStaff: 12,
      evacuated: { selfCare: 10, mildlyDisabled: 5, moderatelyDisabled: 3, severelyDisabled: 2 }, evacuationSeconds: 245, safetyWorkPolicyVersionId: policyVersionId,
    });
    const [audit] = await t.db.query(`SELECT action, entity_type, after FROM audit_event WHERE entity_id = $1`, [res.body.id]);
    expect(audit).toMatchObject({ action: 'drill.record', entity_type: 'drill', after: { institutionId: id, form: 'live', evacuationSeconds: 245 } });
    // the bureau reads it; the list is paginated
    const list = await t.http().get(`/api/institutions/${id}/drills?pageSize=1`).set(as(officer)).expect(200);
    expect(list.body).toMatchObject({ total: 1, page: 1, pageSize: 1 });
    expect(list.body.items[0].id).toBe(res.body.id);
    // append-only: the database refuses a change
    await expect(t.db.query(`UPDATE drill SET lessons = 'x' WHERE id = $1`, [res.body.id])).rejects.toThrow(/append-only/);
  });

  it.each([
    ['a day in the future', { heldOn: addDays(today, 1) }, 'heldOn', 'dateInFuture'],
    ['not a date', { heldOn: '2026-02-30' }, 'heldOn', 'isCalendarDate'],
    ['an unknown kind', { kind: 'parade' }, 'kind', 'isIn'],
    ['more severely disabled evacuated than live there', { evacuated: { selfCare: 0, mildlyDisabled: 0, moderatelyDisabled: 0, severelyDisabled: 3 } }, 'evacuated.severelyDisabled', 'evacuatedExceedsResidents'],
    ['a negative count', { evacuated: { selfCare: -1, mildlyDisabled: 0, moderatelyDisabled: 0, severelyDisabled: 0 } }, 'evacuated.selfCare', 'min'],
    ['a live evacuation without a time', { evacuationSeconds: undefined }, 'evacuationSeconds', 'evacuationTimeRequired'],
    ['a tabletop exercise that evacuates', { form: 'tabletop' }, 'evacuationSeconds', 'tabletopEvacuates'],
    ['no lessons', { lessons: '   ' }, 'lessons', 'isNotEmpty'],
    ['an unknown field', { photos: [] }, 'photos', 'whitelistValidation'],
  ])('answers 400 naming the field for %s, and writes nothing', async (_label, patch, field, reason) => {
    const before = await counts();
    const res = await record(drill(patch)).expect(400);
    expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field, reason })]));
    expect(res.body.message).toMatch(/[\u4e00-\u9fff]/);
    expect(await counts()).toEqual(before);
  });

  it('keeps to scope: another institution and another district get 404, the bureau may not record (403)', async () => {
    const before = await counts();
    await record(drill(), otherInst).expect(404);
    await t.http().get(`/api/institutions/${id}/drills`).set(as(otherInst)).expect(404);
    await t.http().get(`/api/institutions/${id}/drill-status`).set(as(farOfficer)).expect(404);
    await t.http().get(`/api/institutions/${id}/drills`).set(as(farOfficer)).expect(404);
    await record(drill(), officer).expect(403);
    await t.http().get(`/api/institutions/not-a-uuid/drills`).set(as(officer)).expect(404);
    expect(await counts()).toEqual(before);
  });

  it('flags a missed half-yearly live drill, and never before the institution has operated a half-year', async () => {
    const young = await newInstitution(addMonths(today, -4));
    expect(await status(young)).toMatchObject({ state: 'ok', lastLiveDrillOn: null, dueBy: addMonths(addMonths(today, -4), 6), liveDrillMonths: 6 });
    const unopened = await newInstitution(addDays(today, 10));
    expect(await status(unopened)).toMatchObject({ state: 'not_started', dueBy: null });

    const old = await newInstitution(addMonths(today, -7));
    const oldAccount = await tokenFor(t, await createAccount(t, 'institution', { institutionId: old }));
    expect(await status(old)).toMatchObject({ state: 'missed', lastLiveDrillOn: null });
    // a tabletop exercise does not count
    await record(drill({ form: 'tabletop', evacuated: { selfCare: 0, mildlyDisabled: 0, moderatelyDisabled: 0, severelyDisabled: 0 }, evacuationSeconds: undefined }), oldAccount, old).expect(201);
    expect((await status(old)).state).toBe('missed');
    // a live drill eight months ago does not either; one today does
    await record(drill({ heldOn: addMonths(today, -8) }), oldAccount, old).expect(201);
    expect((await status(old)).state).toBe('missed');
    await record(drill({ kind: 'night_drill' }), oldAccount, old).expect(201);
    expect(await status(old)).toMatchObject({ state: 'ok', lastLiveDrillOn: today, dueBy: addMonths(today, 6) });
  });

  it('records training by staff member, one record per trainee, each audited; the list shows who is due', async () => {
    const before = await counts();
    const long = addMonths(today, -7);
    await t.http().post(`/api/institutions/${id}/trainings`).set(as(inst)).send({
      heldOn: long, topic: 'fire_safety', hours: 2, trainer: '区消防救援大队', trainees: [{ name: '王芳', idLast4: '123X', role: '护理员' }, { name: '李强' }],
    }).expect(201);
    await t.http().post(`/api/institutions/${id}/trainings`).set(as(inst)).send({ heldOn: today, topic: 'evacuation', hours: 1.5, trainees: [{ name: '李强', role: '保安' }] }).expect(201);
    expect(await counts()).toEqual({ drills: before.drills, trainings: before.trainings + 3, audit: before.audit + 3 });
    const list = (await t.http().get(`/api/institutions/${id}/trainees`).set(as(officer)).expect(200)).body;
    expect(list.total).toBe(2);
    expect(list.items).toEqual([
      expect.objectContaining({ name: '王芳', idLast4: '123X', role: '护理员', lastTrainedOn: long, trainings: 1, overdue: true, dueBy: addMonths(long, 6) }),
      expect.objectContaining({ name: '李强', idLast4: null, role: '保安', lastTrainedOn: today, trainings: 2, overdue: false }),
    ]);
    const audit = await t.db.query(`SELECT after FROM audit_event WHERE action = 'staff_training.record' ORDER BY id`);
    expect(audit[0].after).toMatchObject({ institutionId: id, trainee: { name: '王芳', idLast4: '123X' }, safetyWorkPolicyVersionId: policyVersionId });
  });

  it.each([
    ['no trainee', { trainees: [] }, 'trainees', 'arrayMinSize'],
    ['a malformed ID ending', { trainees: [{ name: '王芳', idLast4: '12' }] }, 'trainees.0.idLast4', 'matches'],
    ['a trainee without a name', { trainees: [{ name: ' ' }] }, 'trainees.0.name', 'isNotEmpty'],
    ['no hours', { hours: 0 }, 'hours', 'min'],
    ['an unknown topic', { topic: 'yoga' }, 'topic', 'isIn'],
  ])('refuses a training with %s (400 naming the field, nothing written)', async (_label, patch, field, reason) => {
    const before = await counts();
    const res = await t.http().post(`/api/institutions/${id}/trainings`).set(as(inst)).send({ heldOn: today, topic: 'fire_safety', hours: 2, trainees: [{ name: '王芳' }], ...patch }).expect(400);
    expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field, reason })]));
    expect(await counts()).toEqual(before);
  });

  it('renders the page for the institution (forms) and for the bureau (no forms); another district gets 404', async () => {
    const session = async (account: TestAccount) => {
      const res = await t.http().post('/api/auth/login').send({ username: account.username, password: account.password }).expect(200);
      return (res.headers['set-cookie'][0] as string).split(';')[0];
    };
    const page = async (account: TestAccount, status = 200) =>
      (await t.http().get(`/institutions/${id}/drills`).set('Cookie', await session(account)).set('Accept', 'text/html').expect(status)).text;
    const mine = await page(instAccount);
    expect(mine).toContain('演练与培训');
    expect(mine).toContain('登记演练');
    expect(mine).toContain('王芳');
    const bureau = await page(officerAccount);
    expect(bureau).toContain('实战演练');
    expect(bureau).not.toContain('登记演练</button>');
    await page(farAccount, 404);
  });

  it('adds photos to a drill through the evidence pipeline, at most 6; a broken image is a 400 and leaves nothing behind', async () => {
    const target = (await record(drill({ lessons: '带照片的演练' })).expect(201)).body.id as string;
    const web = await tokenFor(t, instAccount);
    const upload = (file: Buffer, name = 'scene.png') => t.http().post(`/institutions/${id}/drills/${target}/photos`).set(as(web)).set('Accept', 'text/html')
      .attach('photo', file, { filename: name, contentType: 'image/png' });
    const evidence = () => t.db.query(`SELECT count(*)::int AS n FROM evidence WHERE purpose = 'drill_photo'`).then((r: { n: number }[]) => r[0].n);
    const before = await evidence();
    const broken = await upload(truncatedAlphaPng());
    expect(broken.status).toBe(400);
    expect(await evidence()).toBe(before);
    await upload(tinyPng(), 'a.png').expect(303);
    const row = (await t.http().get(`/api/institutions/${id}/drills/${target}`).set(as(officer)).expect(200)).body;
    expect(row.photoIds).toHaveLength(1);
    const served = await t.http().get(`/institutions/${id}/drills/${target}/photos/${row.photoIds[0]}`).set(as(officer)).expect(200);
    expect(served.headers['content-type']).toMatch(/^image\/(png|jpeg)/);
    await t.http().get(`/institutions/${id}/drills/${target}/photos/${row.photoIds[0]}`).set(as(farOfficer)).expect(404);
    await t.http().post(`/institutions/${id}/drills/${target}/photos`).set(as(officer)).attach('photo', tinyPng(), { filename: 'b.png', contentType: 'image/png' }).expect(403);
    for (let n = 2; n <= 6; n++) await upload(tinyPng(8 + n, 8 + n), `p${n}.png`).expect(303);
    const seventh = await upload(tinyPng(30, 30), 'p7.png');
    expect(seventh.status).toBe(400);
    expect(seventh.text).toContain('每次演练最多 6 张照片');
    expect(await evidence()).toBe(before + 6);
    const [audit] = await t.db.query(`SELECT count(*)::int AS n FROM audit_event WHERE entity_id = $1 AND action = 'drill.photo_add'`, [target]);
    expect(audit.n).toBe(6);
  });
});
