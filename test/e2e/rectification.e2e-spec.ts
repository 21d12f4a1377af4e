import { pdfText } from '../support/pdf';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPORTS_QUEUE } from '../../src/outbox/job-names';
import { PolicyService } from '../../src/checklists/policy.service';
import { addDays, shanghaiDate } from '../../src/common/calendar';
import { RectificationService } from '../../src/rectification/rectification.service';
import { createAccount, institutionInput, rowCount, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { tinyPng } from '../support/images';
import { formItems, submission, uploadPhoto } from '../support/inspection-fixtures';
import { waitForJob } from '../support/jobs';
import { createTestApp, TestApp } from '../support/test-app';

const respondBody = {
  whatWasFixed: '已清理走道堆放的轮椅和杂物，恢复通行宽度', otherPlacesChecked: '排查了二、三层走道和楼梯间，未发现同类问题',
  lastingChange: '每日巡查增加走道检查项，指定专人负责', responsiblePerson: '王主任', completedOn: '2026-11-24',
};

describe('the hazard rectification loop', () => {
  let t: TestApp;
  let officer: TestAccount;
  let officerToken: string;
  let otherOfficerToken: string;
  let zhonglouToken: string;
  const team: TestAccount[] = [];
  const teamTokens: string[] = [];
  let institutionId: string;
  let institutionToken: string;

  /** A submitted inspection of the test institution with `fails` failed items; returns its id and hazards. */
  async function inspectionWithHazards(fails = 2): Promise<{ inspectionId: string; hazards: { id: string; itemCode: string }[] }> {
    const created = await t.http().post('/api/inspections').set('Authorization', `Bearer ${officerToken}`)
      .send({ institutionId, kind: 'routine', teamUserIds: team.map((m) => m.id) }).expect(201);
    const items = await formItems(t, teamTokens[0], created.body.id);
    const failed: Record<string, string[]> = {};
    for (const item of items.filter((i) => i.severity === 'general').slice(0, fails)) {
      failed[item.code] = item.evidence.photoRequiredWhenFailed ? [await uploadPhoto(t, teamTokens[0], created.body.id, item.code)] : [];
    }
    const res = await t.http().post(`/api/inspections/${created.body.id}/submit`).set('Authorization', `Bearer ${teamTokens[0]}`)
      .send(submission(items, failed, team)).expect(201);
    return { inspectionId: created.body.id, hazards: res.body.hazards };
  }

  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const afterPhoto = async (hazardId: string) => (await t.http().post(`/api/hazards/${hazardId}/photos`).set(as(institutionToken))
    .attach('file', tinyPng(24, 24, [40, 160, 40]), { filename: 'after.png', contentType: 'image/png' }).expect(201)).body.id;

  beforeAll(async () => {
    // A small pool: with 20 concurrent requests, any transaction that waited for a second connection would deadlock.
    t = await createTestApp({ OUTBOX_INTERVAL_MS: '200', DB_POOL_MAX: '3' });
    await seedDivisions(t.db);
    officer = await createAccount(t, 'bureau_officer', { divisionCode: '320402' });
    officerToken = await tokenFor(t, officer);
    otherOfficerToken = await tokenFor(t, await createAccount(t, 'bureau_officer', { divisionCode: '320402' }));
    zhonglouToken = await tokenFor(t, await createAccount(t, 'bureau_officer', { divisionCode: '320404' }));
    for (let i = 0; i < 2; i++) {
      team.push(await createAccount(t, 'inspector', { divisionCode: '320402' }));
      teamTokens.push(await tokenFor(t, team[i]));
    }
    institutionId = (await t.http().post('/api/institutions').set(as(officerToken)).send(institutionInput({ name: '红梅颐康养老院' })).expect(201)).body.id;
    institutionToken = await tokenFor(t, await createAccount(t, 'institution', { institutionId }));
  });
  afterAll(() => t.close());

  it('runs the whole loop, every step audited: notice → acknowledgement → response with photo → return → second response → verification → closed', async () => {
    const { inspectionId, hazards } = await inspectionWithHazards(1);
    const hazardId = hazards[0].id;
    const notice = await t.http().post(`/api/inspections/${inspectionId}/notice`).set(as(officerToken)).expect(201);
    expect(notice.body.noticeNo).toMatch(/^常天民安整〔\d{4}〕第\d{4}号$/);
    // Issuing again returns the same notice.
    expect((await t.http().post(`/api/inspections/${inspectionId}/notice`).set(as(officerToken)).expect(200)).body.id).toBe(notice.body.id);

    const ack = await t.http().post(`/api/notices/${notice.body.id}/acknowledge`).set(as(institutionToken)).expect(200);
    expect(ack.body.acknowledgedAt).not.toBeNull();

    const photo = await afterPhoto(hazardId);
    const first = await t.http().post(`/api/hazards/${hazardId}/responses`).set(as(institutionToken)).send({ ...respondBody, evidenceIds: [photo] }).expect(201);
    expect(first.body.status).toBe('responded');
    // Verified by an officer outside the inspection team (policy: the finding team does not verify).
    const newDueDate = addDays(shanghaiDate(new Date()), 30);
    const returned = await t.http().post(`/api/hazards/${hazardId}/verifications`).set(as(otherOfficerToken))
      .send({ accept: false, reason: '照片看不清整改后的通道宽度，请补拍', newDueDate }).expect(201);
    expect(returned.body).toMatchObject({ status: 'returned', dueDate: newDueDate });
    const second = await t.http().post(`/api/hazards/${hazardId}/responses`).set(as(institutionToken)).send({ ...respondBody, evidenceIds: [await afterPhoto(hazardId)] }).expect(201);
    expect(second.body.status).toBe('responded');
    const closed = await t.http().post(`/api/hazards/${hazardId}/verifications`).set(as(otherOfficerToken)).send({ accept: true, onSite: true }).expect(201);
    expect(closed.body).toMatchObject({ status: 'closed', closureReason: 'verified', listed: false });

    const history = await t.http().get(`/api/hazards/${hazardId}`).set(as(institutionToken)).expect(200);
    expect(history.body.history.responses).toHaveLength(2);
    expect(history.body.history.verifications.map((v: { accepted: boolean }) => v.accepted)).toEqual([false, true]);

    const audit = await t.db.query(`SELECT action FROM audit_event WHERE entity_id IN ($1, $2, $3) ORDER BY id`, [hazardId, notice.body.id, inspectionId]);
    expect(audit.map((a: { action: string }) => a.action)).toEqual([
      'inspection.create', 'inspection.submit', 'notice.issue', 'notice.acknowledge', 'hazard.respond', 'hazard.return', 'hazard.respond', 'hazard.accept',
    ]);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'evidence.upload' AND after->>'hazardId' = $1`, [hazardId]);
    expect(n).toBe(2);
    const chain = await t.http().get('/api/audit/verify').set(as(await tokenFor(t, await createAccount(t, 'bureau_admin', { divisionCode: '320400' })))).expect(200);
    expect(chain.body.ok).toBe(true);
  });

  it('renders the notice PDF on the queue with the notice number and the hazard', async () => {
    const { inspectionId } = await inspectionWithHazards(1);
    const notice = (await t.http().post(`/api/inspections/${inspectionId}/notice`).set(as(officerToken)).expect(201)).body;
    await waitForJob(t.app, REPORTS_QUEUE, `notice-pdf-${notice.id}`);
    const res = await t.http().get(`/api/notices/${notice.id}/pdf`).set(as(institutionToken)).buffer(true)
      .parse((r, cb) => { const c: Buffer[] = []; r.on('data', (d: Buffer) => c.push(d)); r.on('end', () => cb(null, Buffer.concat(c))); }).expect(200);
    const file = path.join(os.tmpdir(), `yian-notice-${notice.id}.pdf`);
    fs.writeFileSync(file, res.body as Buffer);
    const text = pdfText(file).replace(/\s+/g, '');
    expect(text).toContain(notice.noticeNo);
    expect(text).toContain('红梅颐康养老院');
    expect(text).toContain('整改通知书');
    const verify = await t.http().get(`/api/public/notices/${notice.verifyToken}`).expect(200);
    expect(verify.body).toMatchObject({ noticeNo: notice.noticeNo, institutionName: '红梅颐康养老院' });
  });

  describe('illegal moves are refused and change nothing', () => {
    let hazardId: string;
    let snapshot: () => Promise<unknown>;

    beforeAll(async () => {
      hazardId = (await inspectionWithHazards(1)).hazards[0].id;
      snapshot = async () => ({
        hazard: (await t.db.query('SELECT status, due_date::text, version FROM hazard WHERE id = $1', [hazardId]))[0],
        audit: await rowCount(t.db, 'audit_event'), verifications: await rowCount(t.db, 'hazard_verification'),
      });
    });

    it('the institution cannot close its own hazard', async () => {
      const before = await snapshot();
      const res = await t.http().post(`/api/hazards/${hazardId}/verifications`).set(as(institutionToken)).send({ accept: true }).expect(403);
      expect(res.body.code).toBe('request.forbidden');
      expect(await snapshot()).toEqual(before);
    });

    it('verifying an unanswered hazard is a 409', async () => {
      const before = await snapshot();
      await t.http().post(`/api/hazards/${hazardId}/verifications`).set(as(teamTokens[1])).send({ accept: true }).expect(409);
      expect(await snapshot()).toEqual(before);
    });

    it('the responder cannot verify their own response', async () => {
      // An officer records a paper reply on the institution's behalf; that officer may not verify it.
      await t.http().post(`/api/hazards/${hazardId}/responses`).set(as(officerToken)).send(respondBody).expect(201);
      const before = await snapshot();
      const res = await t.http().post(`/api/hazards/${hazardId}/verifications`).set(as(officerToken)).send({ accept: true }).expect(403);
      expect(res.body).toMatchObject({ code: 'hazard.self_verification', message: '不能复核自己提交的整改' });
      expect(await snapshot()).toEqual(before);
    });

    it('a bureau officer of another district cannot act (404)', async () => {
      const before = await snapshot();
      await t.http().post(`/api/hazards/${hazardId}/verifications`).set(as(zhonglouToken)).send({ accept: true }).expect(404);
      await t.http().get(`/api/hazards/${hazardId}`).set(as(zhonglouToken)).expect(404);
      expect(await snapshot()).toEqual(before);
    });

    it('a closed hazard cannot be verified again', async () => {
      await t.http().post(`/api/hazards/${hazardId}/verifications`).set(as(otherOfficerToken)).send({ accept: true }).expect(201);
      const before = await snapshot();
      const res = await t.http().post(`/api/hazards/${hazardId}/verifications`).set(as(teamTokens[1])).send({ accept: true }).expect(409);
      expect(res.body.code).toBe('hazard.wrong_status');
      expect(await snapshot()).toEqual(before);
    });

    it('the database itself refuses an illegal transition', async () => {
      await expect(t.db.query(`UPDATE hazard SET status = 'open', closed_at = NULL, closure_reason = NULL WHERE id = $1`, [hazardId])).rejects.toThrow(/cannot move from closed to open/);
    });

    it('an extension after the deadline is refused', async () => {
      const other = (await inspectionWithHazards(1)).hazards[0].id;
      await t.db.query(`UPDATE hazard SET due_date = current_date - 3 WHERE id = $1`, [other]);
      const before = await rowCount(t.db, 'hazard_extension');
      const res = await t.http().post(`/api/hazards/${other}/extension-requests`).set(as(institutionToken))
        .send({ requestedDueDate: '2099-01-01', reason: '需采购防火门，供货周期长' }).expect(409);
      expect(res.body).toMatchObject({ code: 'hazard.extensionAfterDeadline', message: '整改期限已过，不能再申请延期' });
      expect(await rowCount(t.db, 'hazard_extension')).toBe(before);
    });
  });

  it('extensions before the deadline are decided by an officer; objections by an officer not on the team', async () => {
    const { hazards } = await inspectionWithHazards(2);
    const today = shanghaiDate(new Date());
    await t.db.query(`UPDATE hazard SET due_date = $2::date WHERE id = $1`, [hazards[0].id, addDays(today, 10)]);
    const ext = await t.http().post(`/api/hazards/${hazards[0].id}/extension-requests`).set(as(institutionToken))
      .send({ requestedDueDate: addDays(today, 30), reason: '需采购防火门，供货周期长' }).expect(201);
    await t.http().post(`/api/hazards/${hazards[0].id}/extension-requests`).set(as(institutionToken))
      .send({ requestedDueDate: addDays(today, 40), reason: '再次申请' }).expect(409);
    await t.http().post(`/api/extension-requests/${ext.body.id}/decision`).set(as(officerToken)).send({ approve: true, reason: '理由充分，同意延期' }).expect(200);
    expect((await t.http().get(`/api/hazards/${hazards[0].id}`).set(as(institutionToken))).body.hazard.dueDate).toBe(addDays(today, 30));

    const objection = await t.http().post(`/api/hazards/${hazards[1].id}/objections`).set(as(institutionToken)).send({ statement: '该走道为临时施工区域，已设置隔离' }).expect(201);
    // inspectors on the team may not decide; another officer may.
    const byTeam = await t.http().post(`/api/objections/${objection.body.id}/decision`).set(as(teamTokens[0])).send({ approve: true, reason: '采纳' }).expect(403);
    expect(byTeam.body.code).toBe('request.forbidden');
    const recomputes = async () => (await t.db.query(`SELECT count(*)::int AS n FROM outbox WHERE topic = 'score.recompute'`))[0].n;
    const before = await recomputes();
    await t.http().post(`/api/objections/${objection.body.id}/decision`).set(as(officerToken)).send({ approve: true, reason: '经核实，采纳申辩意见' }).expect(200);
    // Withdrawing a finding changes the institution's score: a recompute is queued with the change.
    expect(await recomputes()).toBe(before + 1);
    const h = (await t.http().get(`/api/hazards/${hazards[1].id}`).set(as(officerToken))).body.hazard;
    expect(h).toMatchObject({ status: 'closed', closureReason: 'objection_upheld' });
  });

  it('a major hazard is listed and needs a 五到位 plan; a re-inspection holds only the open items', async () => {
    const { inspectionId, hazards } = await inspectionWithHazards(2);
    await t.db.query(`UPDATE hazard SET severity = 'major', major_criterion = 'MZ2023-4.2', listed = true, plan_due_date = due_date WHERE id = $1`, [hazards[0].id]);
    const listed = await t.http().get('/api/hazards?listed=true').set(as(officerToken)).expect(200);
    expect(listed.body.items.map((h: { id: string }) => h.id)).toContain(hazards[0].id);
    await t.http().post(`/api/hazards/${hazards[0].id}/plan`).set(as(institutionToken)).send({
      interimMeasures: '设专人值守，张贴警示', measures: '更换防火门', funds: '3万元', responsiblePerson: '王主任', deadline: '2099-01-31', emergencyPlan: '启动火灾应急预案',
    }).expect(200);
    await t.http().post(`/api/hazards/${hazards[1].id}/plan`).set(as(institutionToken)).send({
      interimMeasures: 'x1', measures: 'x1', funds: '1', responsiblePerson: 'x', deadline: '2099-01-31', emergencyPlan: 'x1',
    }).expect(409);
    // a double click: one re-inspection, one 409, nothing unlinked; while it is open a third is refused too
    const both = await Promise.all([1, 2].map(() => t.http().post(`/api/inspections/${inspectionId}/reinspection`).set(as(officerToken)).send({ teamUserIds: team.map((m) => m.id) })));
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
    const re = both.find((r) => r.status === 201)!;
    const refused = await t.http().post(`/api/inspections/${inspectionId}/reinspection`).set(as(officerToken)).send({ teamUserIds: team.map((m) => m.id) }).expect(409);
    expect(refused.body).toMatchObject({ code: 'reinspection.already_scheduled', message: expect.stringContaining('已安排复查') });
    expect((await t.db.query(`SELECT count(*)::int AS n FROM inspection WHERE parent_inspection_id = $1`, [inspectionId]))[0].n).toBe(1);
    const items = await formItems(t, teamTokens[0], re.body.id);
    expect(items.map((i) => i.code).sort()).toEqual(hazards.map((h) => h.itemCode).sort());
    const linked = await t.db.query(`SELECT count(*)::int AS n FROM hazard WHERE reinspection_id = $1`, [re.body.id]);
    expect(linked[0].n).toBe(2);
    const [audit] = await t.db.query(`SELECT after FROM audit_event WHERE action = 'hazard.reinspection_schedule' AND entity_id = $1`, [re.body.id]);
    expect(audit.after.parentInspectionId).toBe(inspectionId);
    // the hazard page offers no second one while it is open; once it is over (here: cancelled) with the hazards still
    // open, it links the last one and offers the next
    const scheduled = (await t.http().get(`/hazards/${hazards[1].id}`).set(as(officerToken)).expect(200)).text;
    expect(scheduled).toContain('查看复查任务');
    expect(scheduled).not.toContain('<summary>安排复查</summary>');
    // the institution sees that it is scheduled, without a link to a task it may not open before it is submitted
    const theirs = (await t.http().get(`/hazards/${hazards[1].id}`).set(as(institutionToken)).expect(200)).text;
    expect(theirs).toContain('已安排现场复查，复查组将按计划到场核查');
    expect(theirs).not.toContain(`/inspections/${re.body.id}`);
    await t.http().get(`/inspections/${re.body.id}`).set(as(institutionToken)).expect(404);
    await t.db.query(`UPDATE inspection SET status = 'cancelled' WHERE id = $1`, [re.body.id]);
    const over = (await t.http().get(`/hazards/${hazards[1].id}`).set(as(officerToken)).expect(200)).text;
    expect(over).toContain(`上次现场复查已结束：<a href="/inspections/${re.body.id}">查看复查记录</a>`);
    expect(over).toContain('<summary>安排复查</summary>');
    const next = await t.http().post(`/api/inspections/${inspectionId}/reinspection`).set(as(officerToken)).send({ teamUserIds: team.map((m) => m.id) }).expect(201);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM hazard WHERE reinspection_id = $1`, [next.body.id]))[0].n).toBe(2);
  });

  it('20 concurrent notice issuances get 20 distinct consecutive numbers', async () => {
    const inspections: string[] = [];
    for (let i = 0; i < 20; i++) inspections.push((await inspectionWithHazards(1)).inspectionId);
    const results = await Promise.all(inspections.map((id) => t.http().post(`/api/inspections/${id}/notice`).set(as(officerToken))));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    const numbers = results.map((r) => Number(/第(\d{4})号/.exec(r.body.noticeNo)![1])).sort((a, b) => a - b);
    expect(new Set(numbers).size).toBe(20);
    expect(numbers[19] - numbers[0]).toBe(19);
  });

  it('10 concurrent verifications of one hazard: exactly one succeeds', async () => {
    const hazardId = (await inspectionWithHazards(1)).hazards[0].id;
    await t.http().post(`/api/hazards/${hazardId}/responses`).set(as(institutionToken)).send(respondBody).expect(201);
    // Four verifiers outside the team (the team is refused 403 before any race).
    const tokens = [officerToken, otherOfficerToken, await tokenFor(t, await createAccount(t, 'bureau_officer', { divisionCode: '320402' })),
      await tokenFor(t, await createAccount(t, 'inspector', { divisionCode: '320402' }))];
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) =>
      t.http().post(`/api/hazards/${hazardId}/verifications`).set(as(tokens[i % tokens.length])).send({ accept: true })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(9);
    expect((await t.db.query('SELECT count(*)::int AS n FROM hazard_verification WHERE hazard_id = $1', [hazardId]))[0].n).toBe(1);
  });

  it('the overdue sweep escalates each hazard once, however often it runs for the same moment, and reminds before deadlines', async () => {
    const { hazards } = await inspectionWithHazards(2);
    await t.db.query(`UPDATE hazard SET due_date = DATE '2026-11-20' WHERE id = $1`, [hazards[0].id]);
    await t.db.query(`UPDATE hazard SET due_date = DATE '2026-11-26' WHERE id = $1`, [hazards[1].id]);
    const sweep = t.app.get(RectificationService);
    const at = new Date('2026-11-23T02:00:00Z');
    const first = await sweep.sweep(at);
    const second = await sweep.sweep(at);
    expect(second.escalated).toBe(0);
    expect(second.reminded).toBe(0);
    expect(first.escalated).toBeGreaterThanOrEqual(1);
    const [h] = await t.db.query(`SELECT overdue, escalated_at FROM hazard WHERE id = $1`, [hazards[0].id]);
    expect(h.overdue).toBe(true);
    const escalations = await t.db.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'hazard.escalate' AND entity_id = $1`, [hazards[0].id]);
    expect(escalations[0].n).toBe(1);
    // the bureau is told, and (issue 14) the institution too
    const notes = await t.db.query(`SELECT kind, audience FROM notification WHERE entity_id = $1 ORDER BY kind, audience`, [hazards[0].id]);
    expect(notes).toEqual([{ kind: 'hazard.overdue', audience: 'bureau' }, { kind: 'hazard.overdue', audience: 'institution' }]);
    const reminder = await t.db.query(`SELECT title FROM notification WHERE entity_id = $1 AND kind = 'hazard.reminder'`, [hazards[1].id]);
    expect(reminder).toEqual([{ title: `整改期限还有 3 天：${hazards[1].itemCode}` }]);
    const deliveries = await t.db.query(`SELECT channel FROM notification_delivery d JOIN notification n ON n.id = d.notification_id WHERE n.entity_id = $1 AND n.audience = 'bureau' ORDER BY channel`, [hazards[0].id]);
    expect(deliveries.map((d: { channel: string }) => d.channel)).toEqual(['email', 'sms']);
    const ledger = await t.http().get('/api/hazards?overdue=true').set(as(officerToken)).expect(200);
    expect(ledger.body.items.map((x: { id: string }) => x.id)).toContain(hazards[0].id);
  });

  describe('independence, deadlines and 挂牌督办 (the hazard lifecycle)', () => {
    let teamOfficer: TestAccount;
    let teamOfficerToken: string;
    const today = () => shanghaiDate(new Date());
    const plan = {
      interimMeasures: '设专人值守，张贴警示', measures: '更换防火门', funds: '3万元', responsiblePerson: '王主任', deadline: '2099-01-31', emergencyPlan: '启动火灾应急预案',
    };

    /** An inspection found by a team of an inspector and an officer; its hazards, the first made major. */
    async function teamWithOfficer(fails = 1, major = true) {
      const created = await t.http().post('/api/inspections').set(as(officerToken))
        .send({ institutionId, kind: 'routine', teamUserIds: [team[0].id, teamOfficer.id] }).expect(201);
      const items = await formItems(t, teamTokens[0], created.body.id);
      const failed: Record<string, string[]> = {};
      for (const item of items.filter((i) => i.severity === 'general').slice(0, fails)) {
        failed[item.code] = item.evidence.photoRequiredWhenFailed ? [await uploadPhoto(t, teamTokens[0], created.body.id, item.code)] : [];
      }
      const res = await t.http().post(`/api/inspections/${created.body.id}/submit`).set(as(teamTokens[0]))
        .send(submission(items, failed, [team[0], teamOfficer])).expect(201);
      const ids: string[] = res.body.hazards.map((h: { id: string }) => h.id);
      if (major) await t.db.query(`UPDATE hazard SET severity = 'major', major_criterion = 'MZ2023-4.2', plan_due_date = due_date WHERE id = $1`, [ids[0]]);
      return { inspectionId: created.body.id as string, ids };
    }
    const allowed = async (token: string, id: string): Promise<string[]> => (await t.http().get(`/api/hazards/${id}`).set(as(token)).expect(200)).body.allowedActions;
    const listedIds = async () => (await t.http().get('/api/hazards?listed=true&pageSize=100').set(as(officerToken)).expect(200)).body.items.map((h: { id: string }) => h.id);

    beforeAll(async () => {
      teamOfficer = await createAccount(t, 'bureau_officer', { divisionCode: '320402' });
      teamOfficerToken = await tokenFor(t, teamOfficer);
    });

    it('the finding inspector and a team officer cannot verify a major hazard, nor the responder; an officer outside the team can', async () => {
      const [id] = (await teamWithOfficer()).ids;
      await t.http().post(`/api/hazards/${id}/responses`).set(as(institutionToken)).send(respondBody).expect(201);
      expect(await allowed(teamTokens[0], id)).not.toContain('accept');
      expect(await allowed(teamOfficerToken, id)).not.toContain('accept');
      for (const token of [teamTokens[0], teamOfficerToken]) {
        const res = await t.http().post(`/api/hazards/${id}/verifications`).set(as(token)).send({ accept: true }).expect(403);
        expect(res.body).toMatchObject({ code: 'hazard.verifier_on_team_major', message: '发现该重大隐患的检查组成员不能复核销号（须由检查组以外的人员复核）' });
      }
      expect((await t.db.query(`SELECT status FROM hazard WHERE id = $1`, [id]))[0].status).toBe('responded');
      expect(await allowed(otherOfficerToken, id)).toEqual(expect.arrayContaining(['accept', 'return']));
      // The hazard page offers verification only to those allowed, and tells the finder why not.
      const page = async (account: TestAccount) => {
        const login = await t.http().post('/api/auth/login').send({ username: account.username, password: account.password }).expect(200);
        return (await t.http().get(`/hazards/${id}`).set('Cookie', (login.headers['set-cookie'][0] as string).split(';')[0]).set('Accept', 'text/html').expect(200)).text;
      };
      const finderPage = await page(team[0]);
      expect(finderPage).not.toContain('复核通过，销号');
      expect(finderPage).toContain('发现该重大隐患的检查组成员不能复核销号');
      expect(await page(officer)).toContain('复核通过，销号');
      await t.http().post(`/api/hazards/${id}/verifications`).set(as(otherOfficerToken)).send({ accept: true }).expect(201);
    });

    it('an officer who recorded a paper reply never verifies it, even outside the team', async () => {
      const [id] = (await teamWithOfficer()).ids;
      await t.http().post(`/api/hazards/${id}/responses`).set(as(otherOfficerToken)).send(respondBody).expect(201);
      expect(await allowed(otherOfficerToken, id)).not.toContain('accept');
      const res = await t.http().post(`/api/hazards/${id}/verifications`).set(as(otherOfficerToken)).send({ accept: true }).expect(403);
      expect(res.body.code).toBe('hazard.self_verification');
    });

    it('a team officer cannot decide an extension or an objection on his own team\'s finding', async () => {
      const { ids } = await teamWithOfficer(2, false);
      await t.db.query(`UPDATE hazard SET due_date = $2::date WHERE id = $1`, [ids[0], addDays(today(), 10)]);
      const ext = await t.http().post(`/api/hazards/${ids[0]}/extension-requests`).set(as(institutionToken))
        .send({ requestedDueDate: addDays(today(), 20), reason: '需采购防火门，供货周期长' }).expect(201);
      expect(await allowed(teamOfficerToken, ids[0])).not.toContain('extend_decide');
      const byTeam = await t.http().post(`/api/extension-requests/${ext.body.id}/decision`).set(as(teamOfficerToken)).send({ approve: true, reason: '同意延期' }).expect(403);
      expect(byTeam.body).toMatchObject({ code: 'extension.decider_on_team', message: '检查组成员不能审批本组发现的隐患的延期申请' });
      expect((await t.db.query(`SELECT status FROM hazard_extension WHERE id = $1`, [ext.body.id]))[0].status).toBe('pending');
      expect(await allowed(officerToken, ids[0])).toContain('extend_decide');
      await t.http().post(`/api/extension-requests/${ext.body.id}/decision`).set(as(officerToken)).send({ approve: false, reason: '理由不充分' }).expect(200);

      const objection = await t.http().post(`/api/hazards/${ids[1]}/objections`).set(as(institutionToken)).send({ statement: '该走道为临时施工区域，已设置隔离' }).expect(201);
      const objByTeam = await t.http().post(`/api/objections/${objection.body.id}/decision`).set(as(teamOfficerToken)).send({ approve: true, reason: '采纳' }).expect(403);
      expect(objByTeam.body.code).toBe('objection.decider_on_team');
      expect(await allowed(teamOfficerToken, ids[1])).not.toContain('object_decide');
      expect(await allowed(officerToken, ids[1])).toContain('object_decide');
    });

    it('an officer may not set a deadline in the past (400 naming dueDate) nor beyond the policy maximum', async () => {
      const [id] = (await inspectionWithHazards(1)).hazards.map((h) => h.id);
      const past = await t.http().post(`/api/hazards/${id}/deadline`).set(as(officerToken)).send({ dueDate: addDays(today(), -1), reason: '调整' }).expect(400);
      expect(past.body.details).toEqual([expect.objectContaining({ field: 'dueDate', reason: 'dateInPast' })]);
      // general hazards: at most generalMaxDays from the day found, today here (the hazard's pinned policy; a rest
      // day rolls to the next working day)
      const [{ pin }] = await t.db.query(`SELECT product_policy_version_id AS pin FROM hazard WHERE id = $1`, [id]);
      const max = (await t.app.get(PolicyService).byId(pin)).values.deadlines.generalMaxDays;
      const tooLate = await t.http().post(`/api/hazards/${id}/deadline`).set(as(officerToken)).send({ dueDate: addDays(today(), max + 10), reason: '调整' }).expect(400);
      expect(tooLate.body.details).toEqual([expect.objectContaining({ field: 'dueDate', reason: 'deadlineAboveMax' })]);
      expect(tooLate.body.details[0].message).toMatch(new RegExp(`^dueDate: 整改期限不得晚于 \\d{4}-\\d{2}-\\d{2}（一般隐患最长 ${max} 天）$`));
      expect((await t.db.query(`SELECT due_date::text AS d FROM hazard WHERE id = $1`, [id]))[0].d).not.toBe(addDays(today(), max + 10));
      const ok = await t.http().post(`/api/hazards/${id}/deadline`).set(as(officerToken)).send({ dueDate: addDays(today(), max - 5), reason: '调整' }).expect(200);
      expect(ok.body.dueDate).toBe(addDays(today(), max - 5));
    });

    it('deadline maxima count from the day the deadline is set: a hazard found 120 days ago can still be returned and rescheduled', async () => {
      const [id] = (await inspectionWithHazards(1)).hazards.map((h) => h.id);
      await t.db.query(`UPDATE hazard SET created_at = now() - interval '120 days' WHERE id = $1`, [id]);
      await t.http().post(`/api/hazards/${id}/responses`).set(as(institutionToken)).send(respondBody).expect(201);
      const newDueDate = addDays(today(), 10);
      const returned = await t.http().post(`/api/hazards/${id}/verifications`).set(as(otherOfficerToken))
        .send({ accept: false, reason: '照片看不清整改后的通道宽度，请补拍', newDueDate }).expect(201);
      expect(returned.body).toMatchObject({ status: 'returned', dueDate: newDueDate });
      const changed = await t.http().post(`/api/hazards/${id}/deadline`).set(as(officerToken)).send({ dueDate: addDays(today(), 20), reason: '调整' }).expect(200);
      expect(changed.body.dueDate).toBe(addDays(today(), 20));
    });

    it('a team officer refused extend_decide cannot set his team\'s deadline instead (403)', async () => {
      const [id] = (await teamWithOfficer(1, false)).ids;
      const res = await t.http().post(`/api/hazards/${id}/deadline`).set(as(teamOfficerToken)).send({ dueDate: addDays(today(), 20), reason: '延期' }).expect(403);
      expect(res.body).toMatchObject({ code: 'hazard.deadline_changer_on_team', message: '检查组成员不能调整本组发现的隐患的整改期限' });
      expect(await allowed(teamOfficerToken, id)).not.toContain('change_deadline');
      await t.http().post(`/api/hazards/${id}/deadline`).set(as(officerToken)).send({ dueDate: addDays(today(), 20), reason: '延期' }).expect(200);
    });

    it('挂牌督办 never before a notice: a major hazard found a month ago without a notice is not listed', async () => {
      const sweep = t.app.get(RectificationService);
      const { inspectionId, ids: [id] } = await teamWithOfficer(1, true);
      await t.db.query(`UPDATE hazard SET created_at = now() - interval '30 days' WHERE id = $1`, [id]);
      await sweep.sweep(new Date());
      expect((await t.http().get(`/api/hazards/${id}`).set(as(officerToken)).expect(200)).body).toMatchObject({ hazard: { listed: false }, objectionDeadline: null });
      expect(await listedIds()).not.toContain(id);
      // With the notice issued a month ago and never acknowledged, its window has closed: listed.
      await t.http().post(`/api/inspections/${inspectionId}/notice`).set(as(officerToken)).expect(201);
      await t.db.query(`UPDATE rectification_notice SET issued_at = now() - interval '30 days' WHERE inspection_id = $1`, [inspectionId]);
      await sweep.sweep(new Date());
      expect(await listedIds()).toContain(id);
    });

    it('the overdue notice says 挂牌督办 only for a listed hazard; filing an objection that unlists records listed before/after', async () => {
      const sweep = t.app.get(RectificationService);
      const { ids: [unlisted] } = await teamWithOfficer(1, true);
      const { ids: [listed] } = await teamWithOfficer(1, true);
      await t.db.query(`UPDATE hazard SET due_date = current_date - 2 WHERE id = ANY($1)`, [[unlisted, listed]]);
      await t.db.query(`UPDATE hazard SET listed = true WHERE id = $1`, [listed]);
      await sweep.sweep(new Date());
      const title = async (id: string) => (await t.db.query(`SELECT title FROM notification WHERE entity_id = $1 AND kind = 'hazard.overdue'`, [id]))[0].title as string;
      expect(await title(unlisted)).not.toContain('挂牌督办');
      expect(await title(listed)).toContain('挂牌督办');
      // A listing from before this release while the window was open: the objection takes it off the list, audited.
      await t.db.query(`UPDATE hazard SET due_date = current_date + 10 WHERE id = $1`, [listed]);
      await t.http().post(`/api/hazards/${listed}/objections`).set(as(institutionToken)).send({ statement: '不构成重大隐患' }).expect(201);
      const [audit] = await t.db.query(`SELECT before, after FROM audit_event WHERE action = 'hazard.objection_file' AND entity_id = $1`, [listed]);
      expect(audit.before).toEqual({ listed: true });
      expect(audit.after).toMatchObject({ listed: false });
    });

    it('a re-inspection inherits the parent inspection\'s policy and local rule set pins', async () => {
      const { inspectionId } = await inspectionWithHazards(1);
      // The parent was created before the pins existed (upgrade): both NULL; the re-inspection keeps them.
      await t.db.query(`UPDATE inspection SET product_policy_version_id = NULL, local_rule_set_version_id = NULL WHERE id = $1`, [inspectionId]);
      const re = await t.http().post(`/api/inspections/${inspectionId}/reinspection`).set(as(officerToken)).send({ teamUserIds: team.map((m) => m.id) }).expect(201);
      const [row] = await t.db.query(`SELECT product_policy_version_id AS p, local_rule_set_version_id AS l FROM inspection WHERE id = $1`, [re.body.id]);
      expect(row).toEqual({ p: null, l: null });
    });

    it('挂牌督办: a major hazard is listed only after its objection window, never while an objection is pending, never when upheld', async () => {
      const sweep = t.app.get(RectificationService);
      const { inspectionId, ids } = await teamWithOfficer(3, false);
      await t.db.query(`UPDATE hazard SET severity = 'major', major_criterion = 'MZ2023-4.2', plan_due_date = due_date WHERE id = ANY($1)`, [ids]);
      const [quiet, contested, upheld] = ids;
      const notice = (await t.http().post(`/api/inspections/${inspectionId}/notice`).set(as(officerToken)).expect(201)).body;
      await t.http().post(`/api/notices/${notice.id}/acknowledge`).set(as(institutionToken)).expect(200);
      // Not at submission, not within the window.
      expect(await listedIds()).not.toEqual(expect.arrayContaining([quiet]));
      await sweep.sweep(new Date());
      expect((await t.http().get(`/api/hazards/${quiet}`).set(as(officerToken))).body.hazard.listed).toBe(false);

      const objection = (await t.http().post(`/api/hazards/${contested}/objections`).set(as(institutionToken)).send({ statement: '已整改完毕，不构成重大隐患' }).expect(201)).body;
      const objection2 = (await t.http().post(`/api/hazards/${upheld}/objections`).set(as(institutionToken)).send({ statement: '该处不属于本机构使用范围' }).expect(201)).body;
      // A month later the window is long closed: the quiet one is listed, the contested one waits for the decision.
      const later = new Date(Date.now() + 30 * 86_400_000);
      expect((await sweep.sweep(later)).listed).toBeGreaterThanOrEqual(1);
      let listed = await listedIds();
      expect(listed).toContain(quiet);
      expect(listed).not.toContain(contested);
      expect(listed).not.toContain(upheld);
      // The database refuses it too.
      await expect(t.db.query(`UPDATE hazard SET listed = true WHERE id = $1`, [contested])).rejects.toThrow(/objection is pending/);

      await t.http().post(`/api/objections/${objection.id}/decision`).set(as(officerToken)).send({ approve: false, reason: '经核实，不予采纳' }).expect(200);
      await t.http().post(`/api/objections/${objection2.id}/decision`).set(as(officerToken)).send({ approve: true, reason: '经核实，采纳申辩意见' }).expect(200);
      await sweep.sweep(later);
      listed = await listedIds();
      expect(listed).toContain(contested);
      expect(listed).not.toContain(upheld);
      expect((await t.http().get(`/api/hazards/${upheld}`).set(as(officerToken))).body.hazard).toMatchObject({ status: 'closed', listed: false });
      const audit = await t.db.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'hazard.list' AND entity_id = $1`, [quiet]);
      expect(audit[0].n).toBe(1);
      await t.http().post(`/api/hazards/${quiet}/plan`).set(as(institutionToken)).send(plan).expect(200);
    });
  });
});
