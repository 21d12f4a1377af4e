import { addDays, shanghaiDate } from '../../src/common/calendar';
import { ScoringRepository } from '../../src/scoring/scoring.repository';
import { binary, parseCsv } from '../support/exports';
import { createAccount, institutionInput, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { tinyPng } from '../support/images';
import { formItems, submission, uploadPhoto } from '../support/inspection-fixtures';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * The grade lifecycle (issue 12): prerequisites re-checked at finalization, validity intervals, supersession by a
 * later outcome (未达等级 included), revocation and lowering by a bureau decision, 已定稿 on editing.
 */
describe('grades with a lifecycle', () => {
  let t: TestApp;
  let adminToken: string;
  let officerToken: string;
  let inspectorToken: string;
  const team: TestAccount[] = [];
  let items: { code: string; maxPoints: number }[];
  const today = shanghaiDate(new Date());
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });

  const newInstitution = async (name?: string) =>
    (await t.http().post('/api/institutions').set(as(adminToken)).send(institutionInput(name ? { name } : {})).expect(201)).body.id as string;

  const open = async (institutionId: string) =>
    (await t.http().post('/api/grade-assessments').set(as(adminToken)).send({ institutionId, noSeriousAccident: true, registrationInOrder: true }).expect(201)).body;

  /** Scores every item (full marks, or 0 with a note) and finalizes. */
  async function scoreAndFinalize(assessment: { id: string; version: number }, full = true) {
    const itemPoints = Object.fromEntries(items.map((i) => [i.code, full ? i.maxPoints : 0]));
    const itemNotes = full ? {} : Object.fromEntries(items.map((i) => [i.code, '现场核查未达要求']));
    const scored = await t.http().patch(`/api/grade-assessments/${assessment.id}/scores`).set(as(adminToken))
      .send({ itemPoints, itemNotes, version: assessment.version }).expect(200);
    return (await t.http().post(`/api/grade-assessments/${assessment.id}/finalize`).set(as(adminToken)).send({ version: scored.body.version }).expect(200)).body;
  }
  const assess = async (institutionId: string, full = true) => scoreAndFinalize(await open(institutionId), full);

  /** A submitted inspection with one failed item that is major by default (a real criterion): a major hazard. */
  async function majorHazard(institutionId: string): Promise<{ id: string; itemCode: string; title: string }> {
    const lead = await tokenFor(t, team[0]);
    const ins = (await t.http().post('/api/inspections').set(as(adminToken)).send({ institutionId, kind: 'routine', teamUserIds: team.map((m) => m.id) }).expect(201)).body.id;
    const form = await formItems(t, lead, ins);
    const item = form.find((i) => i.severity === 'major' && i.majorCriterion && !/\.X$/.test(i.majorCriterion))!;
    const photos = [];
    for (let k = 0; k < Math.max(2, item.evidence.minPhotos); k++) photos.push(await uploadPhoto(t, lead, ins, item.code, tinyPng(16 + k, 16, [200, 40 * k, 40])));
    const res = await t.http().post(`/api/inspections/${ins}/submit`).set(as(lead)).send(submission(form, { [item.code]: photos }, team));
    if (res.status !== 201) throw new Error(JSON.stringify(res.body));
    const hazard = res.body.hazards.find((h: { itemCode: string }) => h.itemCode === item.code);
    const [row] = await t.db.query(`SELECT severity FROM hazard WHERE id = $1`, [hazard.id]);
    expect(row.severity).toBe('major');
    return { id: hazard.id, itemCode: item.code, title: item.title.zh };
  }

  const gradeOf = async (institutionId: string, on?: string) =>
    (await t.http().get(`/api/institutions/${institutionId}/grade${on ? `?on=${on}` : ''}`).set(as(adminToken)).expect(200)).body;

  beforeAll(async () => {
    t = await createTestApp();
    await seedDivisions(t.db);
    adminToken = await tokenFor(t, await createAccount(t, 'bureau_admin', { divisionCode: '320402' }));
    officerToken = await tokenFor(t, await createAccount(t, 'bureau_officer', { divisionCode: '320402' }));
    for (let k = 0; k < 2; k++) team.push(await createAccount(t, 'inspector', { divisionCode: '320402' }));
    inspectorToken = await tokenFor(t, team[1]);
    const form = (await t.http().get('/api/checklists/GBT37276-2018/versions/1').set(as(adminToken)).expect(200)).body.content;
    items = form.parts.flatMap((p: { items: { code: string; maxPoints: number }[] }) => p.items);
  });
  afterAll(() => t.close());

  // First, while the district has one institution: the random draw picks it.
  it('公示 shows the grade in force and a lowering with its date, reason and basis', async () => {
    const id = await newInstitution('天宁等级公示测试养老院');
    const plan = (await t.http().post('/api/inspection-plans').set(as(adminToken)).send({
      name: '2026年12月双随机抽查', kind: 'random', divisionCode: '320402', sampleCount: 1, teamSize: 2, inspectorIds: team.map((m) => m.id), seed: 'grades-public',
    }).expect(201)).body;
    const [{ id: inspectionId, institution_id: drawn }] = await t.db.query('SELECT id, institution_id FROM inspection WHERE plan_id = $1', [plan.id]);
    expect(drawn).toBe(id);
    const lead = await tokenFor(t, team.find((m) => plan.drawResult.selected[0].inspectorIds[0] === m.id)!);
    const form = await formItems(t, lead, inspectionId);
    await t.http().post(`/api/inspections/${inspectionId}/submit`).set(as(lead)).send(submission(form, {}, team)).expect(201);
    await t.http().post(`/api/inspection-plans/${plan.id}/publish`).set(as(adminToken)).send({ version: plan.version }).expect(200);
    const graded = await assess(id);
    expect((await t.http().get('/public/feed.json').expect(200)).body.results).toEqual([expect.objectContaining({ institutionName: '天宁等级公示测试养老院', gradeLabel: '五级' })]);
    await t.http().post(`/api/grades/${graded.id}/decisions`).set(as(officerToken))
      .send({ kind: 'lower', newGrade: 2, reason: '消防设施长期停用，经复核降为二级', basis: '测试用依据：本局复核意见', effectiveOn: today }).expect(201);
    const feed = (await t.http().get('/public/feed.json').expect(200)).body;
    expect(feed.results[0]).toMatchObject({ gradeLabel: '二级' });
    expect(feed.results[0]).not.toHaveProperty('institutionId');
    expect(feed.gradeDecisions).toEqual([{
      institutionName: '天宁等级公示测试养老院', kind: 'lower', decision: '降低等级', assessedGrade: 5, assessedGradeLabel: '五级', newGrade: 2, newGradeLabel: '二级',
      effectiveOn: today, reason: '消防设施长期停用，经复核降为二级', basis: '测试用依据：本局复核意见',
    }]);
    const page = (await t.http().get('/public').expect(200)).text;
    expect(page).toContain('等级撤销与降级');
    expect(page).toContain('五级 → 二级');
    expect(page).toContain('消防设施长期停用，经复核降为二级');
    const [y, m, d] = today.split('-').map(Number);
    expect(page).toContain(`${y}年${m}月${d}日`);
  });

  it('ScoringRepository.gradeIntervals: supersession (未达等级 included), lowering and revocation, clipped and merged, ungraded days absent', async () => {
    const [a, b] = [await newInstitution(), await newInstitution()];
    const a1 = await assess(a); // 五级
    const a2 = await assess(a, false); // 未达等级
    const b1 = await assess(b); // 五级
    // Move the outcomes into the past: a1 from 2026-01-10, a2 (未达等级) from 2026-06-01; b1 from 2026-03-01.
    const place = (id: string, from: string, until: string, at: string) =>
      t.db.query(`UPDATE grade_assessment SET valid_from = $2, valid_until = $3, finalized_at = $4 WHERE id = $1`, [id, from, until, at]);
    await place(a1.id, '2026-01-10', '2029-01-09', '2026-01-10T02:00:00Z');
    await place(a2.id, '2026-06-01', '2029-05-31', '2026-06-01T02:00:00Z');
    await place(b1.id, '2026-03-01', '2029-02-28', '2026-03-01T02:00:00Z');
    const officer = (await t.db.query(`SELECT id FROM app_user WHERE role = 'bureau_officer' LIMIT 1`))[0].id;
    const [{ division_path: path }] = await t.db.query(`SELECT division_path FROM institution WHERE id = $1`, [b]);
    await t.db.query(`INSERT INTO grade_decision (assessment_id, institution_id, division_path, kind, new_grade, reason, basis, effective_on, decided_by)
      VALUES ($1, $2, $3, 'lower', 3, '发生一般安全事故', '本局决定', '2026-04-01', $4), ($1, $2, $3, 'revoke', NULL, '确认重大隐患', '本局决定', '2026-10-01', $4)`, [b1.id, b, path, officer]);

    const repo = t.app.get(ScoringRepository);
    const got = await repo.gradeIntervals([b, a], '2026-01-01', '2026-12-31');
    const expected = [
      { institutionId: a, grade: 5, from: '2026-01-10', to: '2026-05-31' },
      { institutionId: b, grade: 5, from: '2026-03-01', to: '2026-03-31' },
      { institutionId: b, grade: 3, from: '2026-04-01', to: '2026-09-30' },
    ].sort((x, y) => (x.institutionId < y.institutionId ? -1 : x.institutionId > y.institutionId ? 1 : 0));
    expect(got).toEqual(expected);
    expect(await repo.gradeIntervals([a], '2026-02-01', '2026-02-28')).toEqual([{ institutionId: a, grade: 5, from: '2026-02-01', to: '2026-02-28' }]);
    expect(await repo.gradeIntervals([a], '2026-07-01', '2026-12-31')).toEqual([]);
    expect(await repo.gradeIntervals([], '2026-01-01', '2026-12-31')).toEqual([]);
    expect(await repo.gradeOn(a, '2026-05-31')).toBe(5);
    expect(await repo.gradeOn(a, '2026-06-01')).toBeNull();
    expect(await repo.gradeOn(b, '2026-04-01')).toBe(3);
    expect(await repo.gradeOn(b, '2026-10-01')).toBeNull();
    // decisions are immutable
    await expect(t.db.query(`UPDATE grade_decision SET reason = 'x' WHERE assessment_id = $1`, [b1.id])).rejects.toThrow(/immutable/);
    await expect(t.db.query(`DELETE FROM grade_decision WHERE assessment_id = $1`, [b1.id])).rejects.toThrow(/immutable/);
  });

  it('a major hazard filed between opening and finalization blocks the grade; the reason names it by code and title', async () => {
    const id = await newInstitution();
    const opened = await open(id);
    expect(opened.prerequisites).toEqual({ noOpenMajorHazard: true, noSeriousAccident: true, registrationInOrder: true });
    const hazard = await majorHazard(id);
    const done = await scoreAndFinalize(opened);
    expect(done).toMatchObject({ status: 'finalized', total: 1000, grade: null, gradeLabel: '未达等级', validFrom: today });
    expect(done.reasons[0]).toBe(`存在未销号的重大隐患：${hazard.itemCode} ${hazard.title}，不予评定等级`);
    expect(done.reasons).toContain('（仅按得分可达五级，但前提条件不满足）');
    // the opening snapshot stays for the record; the finalization's check is stored beside it and audited
    expect(done.prerequisites).toEqual({ noOpenMajorHazard: true, noSeriousAccident: true, registrationInOrder: true });
    expect(done.finalPrerequisites).toMatchObject({ noOpenMajorHazard: false, majorHazards: [{ itemCode: hazard.itemCode, title: hazard.title, status: 'major' }] });
    const [audit] = await t.db.query(`SELECT after FROM audit_event WHERE action = 'grade.finalize' AND entity_id = $1`, [opened.id]);
    expect(audit.after.prerequisites.majorHazards).toEqual([{ itemCode: hazard.itemCode, title: hazard.title, status: 'major' }]);
    expect((await gradeOf(id)).grade).toBeNull();
  });

  it('a 疑似重大隐患 awaiting confirmation blocks the grade too, named as pending', async () => {
    const id = await newInstitution();
    const opened = await open(id);
    const lead = await tokenFor(t, team[0]);
    const ins = (await t.http().post('/api/inspections').set(as(adminToken)).send({ institutionId: id, kind: 'routine', teamUserIds: team.map((m) => m.id) }).expect(201)).body.id;
    const form = await formItems(t, lead, ins);
    const item = form.find((i) => i.severity === 'general' && !i.evidence.photoRequiredWhenFailed) ?? form.find((i) => i.severity === 'general')!;
    const photos = [];
    if (item.evidence.photoRequiredWhenFailed) for (let k = 0; k < Math.max(2, item.evidence.minPhotos); k++) photos.push(await uploadPhoto(t, lead, ins, item.code, tinyPng(16 + k, 16, [40, 40 * k, 200])));
    const body = submission(form, { [item.code]: photos }, team);
    body.responses = body.responses.map((r) => (r.itemCode === item.code ? { ...r, suspectedMajor: true, suspectedReason: '疏散走道长期堆放杂物，疑似构成重大隐患' } : r));
    const res = await t.http().post(`/api/inspections/${ins}/submit`).set(as(lead)).send(body);
    if (res.status !== 201) throw new Error(JSON.stringify(res.body));
    const [row] = await t.db.query(`SELECT severity, major_status FROM hazard WHERE inspection_id = $1 AND item_code = $2`, [ins, item.code]);
    expect(row).toEqual({ severity: 'general', major_status: 'suspected' });
    const done = await scoreAndFinalize(opened);
    expect(done.grade).toBeNull();
    expect(done.reasons[0]).toBe(`存在尚待认定的疑似重大隐患：${item.code} ${item.title.zh}，认定或排除前不予评定等级`);
  });

  it('every outcome has a validity interval; a later 未达等级 supersedes an earlier grade', async () => {
    const id = await newInstitution();
    const first = await assess(id);
    expect(first).toMatchObject({ grade: 5, gradeLabel: '五级', validFrom: today });
    // the assessment pins the product policy in force when it was opened (its grade.validityYears decided valid_until)
    const [pin] = await t.db.query(`SELECT a.product_policy_version_id AS id, v.rule_set_code AS code FROM grade_assessment a
      JOIN rule_set_version v ON v.id = a.product_policy_version_id WHERE a.id = $1`, [first.id]);
    expect(pin).toEqual({ id: first.policyVersionId, code: expect.any(String) });
    expect(first.validUntil).toBe(addDays(`${Number(today.slice(0, 4)) + 3}${today.slice(4)}`, -1));
    expect(await gradeOf(id)).toMatchObject({ grade: 5, gradeLabel: '五级', assessmentId: first.id, validFrom: today });
    const second = await assess(id, false);
    expect(second).toMatchObject({ grade: null, gradeLabel: '未达等级', validFrom: today, validUntil: first.validUntil });
    expect(await gradeOf(id)).toMatchObject({ grade: null, gradeLabel: '未达等级', assessmentId: second.id });
    expect(await t.app.get(ScoringRepository).gradeOn(id, today)).toBeNull();
    expect(await t.app.get(ScoringRepository).gradeOn(id, addDays(today, 400))).toBeNull();
  });

  it('a revocation answers with the decision, is audited and ends the grade in force from its date', async () => {
    const id = await newInstitution();
    const graded = await assess(id);
    // finalized 20 days ago (dated back in the database: the API finalizes today), revoked from today
    const validFrom = addDays(today, -20);
    await t.db.query(`UPDATE grade_assessment SET valid_from = $2, finalized_at = ($2::date + time '10:00') AT TIME ZONE 'Asia/Shanghai' WHERE id = $1`, [graded.id, validFrom]);
    const effectiveOn = today;
    const future = { kind: 'revoke', reason: '测试：发生较大安全事故', basis: '测试用依据：本局等级复核决定', effectiveOn: addDays(today, 10) };
    const refused = await t.http().post(`/api/grades/${graded.id}/decisions`).set(as(officerToken)).send(future).expect(400);
    expect(refused.body.details).toEqual([expect.objectContaining({ field: 'effectiveOn', reason: 'gradeEffectiveInFuture' })]);
    const body = { ...future, effectiveOn };
    await t.http().post(`/api/grades/${graded.id}/decisions`).set(as(inspectorToken)).send(body).expect(403);
    const res = await t.http().post(`/api/grades/${graded.id}/decisions`).set(as(officerToken)).send(body).expect(201);
    expect(res.body.decisions).toEqual([expect.objectContaining({ kind: 'revoke', newGrade: null, reason: body.reason, basis: body.basis, effectiveOn })]);
    expect((await gradeOf(id, addDays(effectiveOn, -1))).grade).toBe(5);
    expect(await gradeOf(id, effectiveOn)).toMatchObject({ grade: null, assessmentId: graded.id, decisions: [expect.objectContaining({ kind: 'revoke' })] });
    expect(await t.app.get(ScoringRepository).gradeIntervals([id], validFrom, addDays(today, 30)))
      .toEqual([{ institutionId: id, grade: 5, from: validFrom, to: addDays(effectiveOn, -1) }]);
    const [audit] = await t.db.query(`SELECT after, before FROM audit_event WHERE action = 'grade.revoke' AND entity_id = $1`, [graded.id]);
    expect(audit).toMatchObject({ before: { grade: '五级' }, after: { kind: 'revoke', reason: body.reason, basis: body.basis, effectiveOn } });
    // nothing more to decide on a revoked grade
    const again = await t.http().post(`/api/grades/${graded.id}/decisions`).set(as(officerToken)).send({ ...body, kind: 'lower', newGrade: 1 }).expect(409);
    expect(again.body.code).toBe('grade.revoked');
  });

  it('a lowering changes the grade from its date; fields are named; a superseded or open assessment answers 409', async () => {
    const id = await newInstitution();
    const graded = await assess(id);
    const bad = await t.http().post(`/api/grades/${graded.id}/decisions`).set(as(adminToken))
      .send({ kind: 'lower', newGrade: 5, reason: '确认存在重大隐患', basis: '本局文件', effectiveOn: addDays(today, -1) }).expect(400);
    expect(bad.body.details.map((d: { field: string; reason: string }) => [d.field, d.reason]))
      .toEqual([['newGrade', 'gradeNotLower'], ['effectiveOn', 'gradeEffectiveBeforeValidFrom']]);
    const notADate = await t.http().post(`/api/grades/${graded.id}/decisions`).set(as(adminToken))
      .send({ kind: 'lower', newGrade: 3, reason: '确认存在重大隐患', basis: '本局文件', effectiveOn: '2026-02-30' }).expect(400);
    expect(notADate.body.details.map((d: { field: string }) => d.field)).toEqual(['effectiveOn']);
    await t.http().post(`/api/grades/${graded.id}/decisions`).set(as(adminToken))
      .send({ kind: 'lower', newGrade: 3, reason: '确认存在重大隐患', basis: '本局文件', effectiveOn: today }).expect(201);
    expect(await gradeOf(id)).toMatchObject({ grade: 3, gradeLabel: '三级' });
    const notLower = await t.http().post(`/api/grades/${graded.id}/decisions`).set(as(adminToken))
      .send({ kind: 'lower', newGrade: 3, reason: '再次降级', basis: '本局文件', effectiveOn: today }).expect(400);
    expect(notLower.body.details).toEqual([expect.objectContaining({ field: 'newGrade', reason: 'gradeNotLower' })]);
    expect(notLower.body.details[0].message).toContain('三级');

    const opened = await open(id);
    expect((await t.http().post(`/api/grades/${opened.id}/decisions`).set(as(adminToken))
      .send({ kind: 'revoke', reason: '确认存在重大隐患', basis: '本局文件', effectiveOn: today }).expect(409)).body.code).toBe('grade.not_finalized');
    await scoreAndFinalize(opened);
    expect((await t.http().post(`/api/grades/${graded.id}/decisions`).set(as(adminToken))
      .send({ kind: 'revoke', reason: '确认存在重大隐患', basis: '本局文件', effectiveOn: today }).expect(409)).body.code).toBe('grade.superseded');
    expect((await gradeOf(id)).grade).toBe(5);
  });

  it('editing a finalized assessment answers 409 已定稿, not "changed by someone else"', async () => {
    const id = await newInstitution();
    const done = await assess(id);
    const edit = await t.http().patch(`/api/grade-assessments/${done.id}/scores`).set(as(adminToken))
      .send({ itemPoints: { [items[0].code]: 0 }, version: done.version }).expect(409);
    expect(edit.body.code).toBe('grade.finalized');
    expect(edit.body.message).toContain('已定稿');
    const stale = await t.http().patch(`/api/grade-assessments/${done.id}/scores`).set(as(adminToken))
      .send({ itemPoints: { [items[0].code]: 0 }, version: 1 }).expect(409);
    expect(stale.body.code).toBe('grade.finalized');
    const again = await t.http().post(`/api/grade-assessments/${done.id}/finalize`).set(as(adminToken)).send({ version: done.version }).expect(409);
    expect(again.body).toMatchObject({ code: 'grade.finalized' });
    expect(again.body.message).toContain('已定稿');
  });

  it('the GB/T 37276 form is offered only to residential institutions: a meal point answers 409 with the reason', async () => {
    const mealPoint = (await t.http().post('/api/institutions').set(as(adminToken))
      .send(institutionInput({
        name: '测试老年助餐点', kind: 'meal_point', storeys: 1, totalAreaM2: 150, approvedBeds: 0, occupiedBeds: 0, residentsSelfCare: 0,
        residentsMildlyDisabled: 0, residentsModeratelyDisabled: 0, residentsSeverelyDisabled: 0, highestFloorWithDisabled: null,
      })).expect(201)).body.id;
    const res = await t.http().post('/api/grade-assessments').set(as(adminToken)).send({ institutionId: mealPoint, noSeriousAccident: true, registrationInOrder: true }).expect(409);
    expect(res.body).toMatchObject({ code: 'grade.not_applicable' });
    expect(res.body.message).toContain('仅适用于提供住宿的养老机构');
  });

  it('the compliance export reads the same grade in force: a grade lowered and then revoked today shows as 未评级', async () => {
    const name = `导出等级测试${Date.now()}`;
    const id = await newInstitution(name);
    const graded = await assess(id);
    const row = async () => {
      const res = await t.http().get('/api/exports/compliance.csv').set(as(adminToken)).buffer(true).parse(binary).expect(200);
      const rows = parseCsv((res.body as Buffer).toString('utf8').replace(/^\uFEFF/, ''));
      const header = rows[0];
      const r = rows.find((x) => x[0] === name)!;
      return { grade: r[header.indexOf('等级')], until: r[header.indexOf('等级有效期至')] };
    };
    expect(await row()).toEqual({ grade: '五级', until: graded.validUntil });
    await t.http().post(`/api/grades/${graded.id}/decisions`).set(as(officerToken))
      .send({ kind: 'lower', newGrade: 2, reason: '测试：整改不力', basis: '测试用依据', effectiveOn: today }).expect(201);
    expect((await row()).grade).toBe('二级');
    await t.http().post(`/api/grades/${graded.id}/decisions`).set(as(officerToken))
      .send({ kind: 'revoke', reason: '测试：发生较大安全事故', basis: '测试用依据', effectiveOn: today }).expect(201);
    expect(await row()).toEqual({ grade: '未评级', until: '' });
    // the materialised spans are exactly gradeIntervals
    const spans = await t.db.query(`SELECT grade, valid_from::text AS "from", valid_to::text AS "to" FROM grade_span WHERE institution_id = $1 ORDER BY valid_from`, [id]);
    const intervals = await t.app.get(ScoringRepository).gradeIntervals([id], '0001-01-01', '9999-12-31');
    expect(spans).toEqual(intervals.map(({ grade, from, to }) => ({ grade, from, to })));
  });

  it('an institution that moves district takes its grades with it: the new district decides, the old one no longer sees them', async () => {
    const city = await tokenFor(t, await createAccount(t, 'bureau_admin', { divisionCode: '320400' }));
    const zhonglou = await tokenFor(t, await createAccount(t, 'bureau_officer', { divisionCode: '320404' }));
    const id = await newInstitution();
    const graded = await assess(id);
    const inst = (await t.http().get(`/api/institutions/${id}`).set(as(city)).expect(200)).body;
    await t.http().patch(`/api/institutions/${id}`).set(as(city)).send({ divisionCode: '320404001', version: inst.version }).expect(200);
    const decision = { kind: 'lower', newGrade: 2, reason: '测试：整改不力', basis: '测试用依据', effectiveOn: today };
    await t.http().post(`/api/grades/${graded.id}/decisions`).set(as(officerToken)).send(decision).expect(404);
    await t.http().get(`/api/grade-assessments/${graded.id}`).set(as(officerToken)).expect(404);
    await t.http().post(`/api/grades/${graded.id}/decisions`).set(as(zhonglou)).send(decision).expect(201);
    const [audit] = await t.db.query(`SELECT scope_path FROM audit_event WHERE action = 'grade.lower' AND entity_id = $1`, [graded.id]);
    expect(audit.scope_path).toMatch(/^\/320400\/320404\//);
  });
});
