import { ChecklistsService } from '../../src/checklists/checklists.service';
import { PolicyService } from '../../src/checklists/policy.service';
import { deadlineFor } from '../../src/hazards/domain/deadlines';
import { RectificationService } from '../../src/rectification/rectification.service';
import { createAccount, institutionInput, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { formItems, submission, uploadPhoto } from '../support/inspection-fixtures';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * 疑似重大隐患: the most common real major hazards (a blocked corridor: ESC-001, whose escalation criterion is the
 * placeholder MZ2023-6.X) are filed as suspected on site, then confirmed against a criterion with retrieved text,
 * or downgraded, by a bureau officer who was not on the finding team.
 */
describe('suspected major hazards: filed on site, decided by the bureau', () => {
  let t: TestApp;
  let inspector: TestAccount;
  let inspectorToken: string;
  let teamOfficer: TestAccount;
  let teamOfficerToken: string;
  let officerToken: string;
  let institutionId: string;
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });

  /** An inspection of the institution whose ESC-001 is filed as 疑似重大隐患; every other item passes. */
  async function fileSuspected(): Promise<{ inspectionId: string; hazardId: string; form: Record<string, unknown> }> {
    const created = await t.http().post('/api/inspections').set(as(officerToken))
      .send({ institutionId, kind: 'routine', teamUserIds: [inspector.id, teamOfficer.id] }).expect(201);
    const inspectionId = created.body.id as string;
    const form = (await t.http().get(`/api/inspections/${inspectionId}/form`).set(as(inspectorToken)).expect(200)).body;
    const items = await formItems(t, inspectorToken, inspectionId);
    const photo = await uploadPhoto(t, inspectorToken, inspectionId, 'ESC-001');
    const body = submission(items, { 'ESC-001': [photo] }, [inspector, teamOfficer]);
    const esc = body.responses.find((r) => r.itemCode === 'ESC-001') as Record<string, unknown>;
    delete esc.severity;
    delete esc.majorCriterion;
    Object.assign(esc, { suspectedMajor: true, suspectedReason: '唯一疏散楼梯被床垫和轮椅完全堵塞，夜间无法疏散' });
    const res = await t.http().post(`/api/inspections/${inspectionId}/submit`).set(as(inspectorToken)).send(body).expect(201);
    const hazard = (res.body.hazards as { id: string; itemCode: string }[]).find((h) => h.itemCode === 'ESC-001')!;
    return { inspectionId, hazardId: hazard.id, form };
  }

  beforeAll(async () => {
    t = await createTestApp({ OUTBOX_INTERVAL_MS: '200', DB_POOL_MAX: '3' });
    await seedDivisions(t.db);
    officerToken = await tokenFor(t, await createAccount(t, 'bureau_officer', { divisionCode: '320402' }));
    inspector = await createAccount(t, 'inspector', { divisionCode: '320402' });
    inspectorToken = await tokenFor(t, inspector);
    teamOfficer = await createAccount(t, 'bureau_officer', { divisionCode: '320402' });
    teamOfficerToken = await tokenFor(t, teamOfficer);
    institutionId = (await t.http().post('/api/institutions').set(as(officerToken)).send(institutionInput({ name: '红梅颐养院' })).expect(201)).body.id;
  });
  afterAll(() => t.close());

  it('the form never shows a placeholder criterion; a blocked corridor is offered as 疑似重大隐患 and the submission is accepted', async () => {
    const { hazardId, form } = await fileSuspected();
    expect(JSON.stringify(form)).not.toContain('MZ2023-6.X');
    const requirements = form.requirements as { items: Record<string, { majorBy: string }>; majorCriteria: string[] };
    expect(requirements.items['ESC-001'].majorBy).toBe('suspected');
    expect(requirements.majorCriteria).toContain('MZ2023-4.2');

    const { hazard } = (await t.http().get(`/api/hazards/${hazardId}`).set(as(officerToken)).expect(200)).body;
    expect(hazard).toMatchObject({
      severity: 'general', majorStatus: 'suspected', majorCriterion: null, planDueDate: null, listed: false,
      suspectedReason: '唯一疏散楼梯被床垫和轮椅完全堵塞，夜间无法疏散', suspectedBy: inspector.id,
    });
    expect(hazard.majorConfirmDue).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // The hazard pins the inspection's policy.
    const [pins] = await t.db.query(
      `SELECT h.product_policy_version_id AS h, i.product_policy_version_id AS i FROM hazard h JOIN inspection i ON i.id = h.inspection_id WHERE h.id = $1`, [hazardId]);
    expect(pins.h).toBe(pins.i);
  });

  it('an officer not on the team confirms it with a retrieved criterion: major, with the major deadline and a plan due date', async () => {
    const { hazardId } = await fileSuspected();
    const url = `/api/hazards/${hazardId}/major-decision`;
    const before = (await t.http().get(`/api/hazards/${hazardId}`).set(as(officerToken)).expect(200)).body.hazard;

    // A placeholder criterion is refused, naming the field.
    const placeholder = await t.http().post(url).set(as(officerToken)).send({ confirm: true, criterionCode: 'MZ2023-6.X', reason: '堵塞唯一楼梯' }).expect(400);
    expect(placeholder.body.details[0]).toMatchObject({ field: 'criterionCode', reason: 'criterionNotConfirmable' });
    // An officer on the finding team may not decide on the team's own finding.
    await t.http().post(url).set(as(teamOfficerToken)).send({ confirm: true, criterionCode: 'MZ2023-4.2', reason: '堵塞唯一楼梯' }).expect(403);
    // An inspector holds no such permission at all.
    await t.http().post(url).set(as(inspectorToken)).send({ confirm: true, criterionCode: 'MZ2023-4.2', reason: '堵塞唯一楼梯' }).expect(403);
    const unchanged = (await t.http().get(`/api/hazards/${hazardId}`).set(as(officerToken)).expect(200)).body.hazard;
    expect(unchanged).toMatchObject({ severity: 'general', majorStatus: 'suspected', version: before.version });

    const confirmed = await t.http().post(url).set(as(officerToken))
      .send({ confirm: true, criterionCode: 'MZ2023-4.2', reason: '唯一疏散楼梯完全堵塞，消防设施不具备安全条件' }).expect(200);
    const decidedAt = new Date();
    const [row] = await t.db.query(`SELECT product_policy_version_id AS pin, checklist_version_id AS version FROM hazard WHERE id = $1`, [hazardId]);
    const policies = t.app.get(PolicyService);
    const item = (await t.app.get(ChecklistsService).pinnedItems(row.version)).find((i) => i.code === 'ESC-001')!;
    const expected = deadlineFor(item, 'major', (await policies.byId(row.pin)).values, await policies.calendar(), decidedAt);
    // ESC-001 is an immediate fix (0 days): escalation never loosens it to the 30-day major default.
    expect(item.deadlineDays).toBe(0);
    expect(expected.deadlineDays).toBe(0);
    expect(confirmed.body).toMatchObject({
      severity: 'major', majorStatus: 'confirmed', majorCriterion: 'MZ2023-4.2', deadlineDays: expected.deadlineDays,
      dueDate: expected.dueDate, planDueDate: expected.planDueDate, listed: false,
    });
    expect(confirmed.body.planDueDate).not.toBeNull();

    // The institution is told; the decision is audited; a second decision is refused.
    const [note] = await t.db.query(`SELECT audience, title FROM notification WHERE entity_id = $1 AND kind = 'hazard.major_confirmed'`, [hazardId]);
    expect(note).toMatchObject({ audience: 'institution' });
    expect(note.title).toContain('ESC-001');
    const audit = await t.db.query(`SELECT action, after FROM audit_event WHERE entity_id = $1 AND action LIKE 'hazard.major%'`, [hazardId]);
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['hazard.major_confirm']);
    expect(audit[0].after).toMatchObject({ severity: 'major', majorCriterion: 'MZ2023-4.2' });
    await t.http().post(url).set(as(officerToken)).send({ confirm: false, reason: '重复认定' }).expect(409);
  });

  it('past the confirmation date the hourly sweep tells the bureau once, and the decision is still taken (marked late)', async () => {
    const { hazardId } = await fileSuspected();
    await t.db.query(`UPDATE hazard SET major_confirm_due = (now() AT TIME ZONE 'Asia/Shanghai')::date - 1 WHERE id = $1`, [hazardId]);
    const sweep = t.app.get(RectificationService);
    expect((await sweep.sweep(new Date())).lateDecisions).toBeGreaterThanOrEqual(1);
    expect((await sweep.sweep(new Date())).lateDecisions).toBe(0);
    const notes = await t.db.query(`SELECT audience FROM notification WHERE entity_id = $1 AND kind = 'hazard.major_decision_late'`, [hazardId]);
    expect(notes).toEqual([{ audience: 'bureau' }]);
    await t.http().post(`/api/hazards/${hazardId}/major-decision`).set(as(officerToken))
      .send({ confirm: true, criterionCode: 'MZ2023-4.3', reason: '走道内大量使用可燃装修材料' }).expect(200);
    const [audit] = await t.db.query(`SELECT after FROM audit_event WHERE entity_id = $1 AND action = 'hazard.major_confirm'`, [hazardId]);
    expect(audit.after).toMatchObject({ late: true, majorCriterion: 'MZ2023-4.3' });
  });

  it('销号 is refused while the hazard is still 疑似重大隐患 (409); after the decision it can be closed', async () => {
    const { hazardId } = await fileSuspected();
    const institutionToken = await tokenFor(t, await createAccount(t, 'institution', { institutionId }));
    await t.http().post(`/api/hazards/${hazardId}/responses`).set(as(institutionToken)).send({
      whatWasFixed: '已清理楼梯间堆放的床垫和轮椅', otherPlacesChecked: '排查了各层楼梯间', lastingChange: '每日巡查', responsiblePerson: '王主任',
      completedOn: new Date().toISOString().slice(0, 10),
    }).expect(201);
    const refused = await t.http().post(`/api/hazards/${hazardId}/verifications`).set(as(officerToken)).send({ accept: true }).expect(409);
    expect(refused.body.code).toBe('hazard.accept_suspected');
    expect((await t.db.query(`SELECT status FROM hazard WHERE id = $1`, [hazardId]))[0].status).toBe('responded');
    await t.http().post(`/api/hazards/${hazardId}/major-decision`).set(as(officerToken)).send({ confirm: false, reason: '临时堆放，已清理' }).expect(200);
    await t.http().post(`/api/hazards/${hazardId}/verifications`).set(as(officerToken)).send({ accept: true }).expect(201);
  });

  it('a confirmation refuses the pending extension asked under the general deadline, so it cannot be approved later', async () => {
    const { hazardId } = await fileSuspected();
    const institutionToken = await tokenFor(t, await createAccount(t, 'institution', { institutionId }));
    const today = (await t.db.query(`SELECT (now() AT TIME ZONE 'Asia/Shanghai')::date::text AS d`))[0].d as string;
    await t.db.query(`UPDATE hazard SET due_date = $2::date + 5 WHERE id = $1`, [hazardId, today]);
    const ext = await t.http().post(`/api/hazards/${hazardId}/extension-requests`).set(as(institutionToken))
      .send({ requestedDueDate: (await t.db.query(`SELECT ($1::date + 60)::text AS d`, [today]))[0].d, reason: '需改造楼梯间' }).expect(201);
    const confirmed = await t.http().post(`/api/hazards/${hazardId}/major-decision`).set(as(officerToken))
      .send({ confirm: true, criterionCode: 'MZ2023-4.2', reason: '唯一疏散楼梯完全堵塞' }).expect(200);
    expect(confirmed.body).toMatchObject({ deadlineDays: 0, dueDate: today });
    const [row] = await t.db.query(`SELECT status, decision_reason FROM hazard_extension WHERE id = $1`, [ext.body.id]);
    expect(row.status).toBe('refused');
    expect(row.decision_reason).toContain('已认定为重大隐患');
    await t.http().post(`/api/extension-requests/${ext.body.id}/decision`).set(as(officerToken)).send({ approve: true, reason: '同意' }).expect(409);
    expect((await t.db.query(`SELECT due_date::text AS d FROM hazard WHERE id = $1`, [hazardId]))[0].d).toBe(today);
    const [audit] = await t.db.query(`SELECT after FROM audit_event WHERE entity_id = $1 AND action = 'hazard.major_confirm'`, [hazardId]);
    expect(audit.after.refusedExtensionId).toBe(ext.body.id);
  });

  it('confirmed major after the notice\'s window closed: the institution gets a new window from the confirmation before 挂牌督办', async () => {
    const { inspectionId, hazardId } = await fileSuspected();
    const institutionToken = await tokenFor(t, await createAccount(t, 'institution', { institutionId }));
    const notice = (await t.http().post(`/api/inspections/${inspectionId}/notice`).set(as(officerToken)).expect(201)).body;
    await t.http().post(`/api/notices/${notice.id}/acknowledge`).set(as(institutionToken)).expect(200);
    await t.db.query(`UPDATE rectification_notice SET issued_at = now() - interval '31 days', acknowledged_at = now() - interval '30 days' WHERE id = $1`, [notice.id]);
    await t.http().post(`/api/hazards/${hazardId}/major-decision`).set(as(officerToken))
      .send({ confirm: true, criterionCode: 'MZ2023-4.2', reason: '唯一疏散楼梯完全堵塞' }).expect(200);
    const sweep = t.app.get(RectificationService);
    await sweep.sweep(new Date());
    const detail = (await t.http().get(`/api/hazards/${hazardId}`).set(as(officerToken)).expect(200)).body;
    expect(detail.hazard.listed).toBe(false);
    const today = (await t.db.query(`SELECT (now() AT TIME ZONE 'Asia/Shanghai')::date::text AS d`))[0].d as string;
    expect(detail.objectionDeadline > today).toBe(true);
    // the institution may object to the major determination within the new window
    expect((await t.http().get(`/api/hazards/${hazardId}`).set(as(institutionToken)).expect(200)).body.allowedActions).toContain('object');
    // after that window: listed
    await sweep.sweep(new Date(Date.now() + 30 * 86_400_000));
    expect((await t.db.query(`SELECT listed FROM hazard WHERE id = $1`, [hazardId]))[0].listed).toBe(true);
  });

  it('an objection rejected before the confirmation: the institution may object once more, against the major determination', async () => {
    const { inspectionId, hazardId } = await fileSuspected();
    const institutionToken = await tokenFor(t, await createAccount(t, 'institution', { institutionId }));
    const notice = (await t.http().post(`/api/inspections/${inspectionId}/notice`).set(as(officerToken)).expect(201)).body;
    await t.http().post(`/api/notices/${notice.id}/acknowledge`).set(as(institutionToken)).expect(200);
    const first = (await t.http().post(`/api/hazards/${hazardId}/objections`).set(as(institutionToken)).send({ statement: '楼梯为临时堆放' }).expect(201)).body;
    await t.http().post(`/api/objections/${first.id}/decision`).set(as(officerToken)).send({ approve: false, reason: '不予采纳' }).expect(200);
    // the first round happened before the confirmation (days earlier)
    await t.db.query(`UPDATE hazard_objection SET filed_at = now() - interval '20 days', decided_at = now() - interval '19 days' WHERE id = $1`, [first.id]);
    await t.db.query(`UPDATE rectification_notice SET issued_at = now() - interval '31 days', acknowledged_at = now() - interval '30 days' WHERE id = $1`, [notice.id]);
    await t.http().post(`/api/hazards/${hazardId}/major-decision`).set(as(officerToken)).send({ confirm: true, criterionCode: 'MZ2023-4.2', reason: '唯一疏散楼梯完全堵塞' }).expect(200);
    const sweep = t.app.get(RectificationService);
    await sweep.sweep(new Date());
    expect((await t.db.query(`SELECT listed FROM hazard WHERE id = $1`, [hazardId]))[0].listed).toBe(false);
    const second = (await t.http().post(`/api/hazards/${hazardId}/objections`).set(as(institutionToken)).send({ statement: '不构成重大隐患' }).expect(201)).body;
    await t.http().post(`/api/hazards/${hazardId}/objections`).set(as(institutionToken)).send({ statement: '再次申辩' }).expect(409);
    expect((await t.db.query(`SELECT round FROM hazard_objection WHERE id = $1`, [second.id]))[0].round).toBe(2);
    await sweep.sweep(new Date(Date.now() + 30 * 86_400_000));
    expect((await t.db.query(`SELECT listed FROM hazard WHERE id = $1`, [hazardId]))[0].listed).toBe(false);
    await t.http().post(`/api/objections/${second.id}/decision`).set(as(officerToken)).send({ approve: false, reason: '不予采纳' }).expect(200);
    expect((await t.db.query(`SELECT listed FROM hazard WHERE id = $1`, [hazardId]))[0].listed).toBe(true);
  });

  it('a downgrade keeps it general, with its deadline', async () => {
    const { hazardId } = await fileSuspected();
    const before = (await t.http().get(`/api/hazards/${hazardId}`).set(as(officerToken)).expect(200)).body.hazard;
    const res = await t.http().post(`/api/hazards/${hazardId}/major-decision`).set(as(officerToken))
      .send({ confirm: false, reason: '现场复核：堵塞为临时堆放，另有疏散楼梯可用' }).expect(200);
    expect(res.body).toMatchObject({
      severity: 'general', majorStatus: 'downgraded', majorCriterion: null, planDueDate: null, dueDate: before.dueDate,
      deadlineDays: before.deadlineDays, majorDecisionReason: '现场复核：堵塞为临时堆放，另有疏散楼梯可用',
    });
    const [note] = await t.db.query(`SELECT audience FROM notification WHERE entity_id = $1 AND kind = 'hazard.major_downgraded'`, [hazardId]);
    expect(note).toMatchObject({ audience: 'institution' });
  });
});
