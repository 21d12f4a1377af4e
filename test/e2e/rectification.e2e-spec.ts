import { pdfText } from '../support/pdf';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPORTS_QUEUE } from '../../src/outbox/job-names';
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
    const returned = await t.http().post(`/api/hazards/${hazardId}/verifications`).set(as(teamTokens[1]))
      .send({ accept: false, reason: '照片看不清整改后的通道宽度，请补拍', newDueDate: '2099-12-31' }).expect(201);
    expect(returned.body).toMatchObject({ status: 'returned', dueDate: '2099-12-31' });
    const second = await t.http().post(`/api/hazards/${hazardId}/responses`).set(as(institutionToken)).send({ ...respondBody, evidenceIds: [await afterPhoto(hazardId)] }).expect(201);
    expect(second.body.status).toBe('responded');
    const closed = await t.http().post(`/api/hazards/${hazardId}/verifications`).set(as(teamTokens[1])).send({ accept: true, onSite: true }).expect(201);
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
    const ext = await t.http().post(`/api/hazards/${hazards[0].id}/extension-requests`).set(as(institutionToken))
      .send({ requestedDueDate: '2099-06-30', reason: '需采购防火门，供货周期长' }).expect(201);
    await t.http().post(`/api/hazards/${hazards[0].id}/extension-requests`).set(as(institutionToken))
      .send({ requestedDueDate: '2099-07-30', reason: '再次申请' }).expect(409);
    await t.http().post(`/api/extension-requests/${ext.body.id}/decision`).set(as(officerToken)).send({ approve: true, reason: '理由充分，同意延期' }).expect(200);
    expect((await t.http().get(`/api/hazards/${hazards[0].id}`).set(as(institutionToken))).body.hazard.dueDate).toBe('2099-06-30');

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
    const re = await t.http().post(`/api/inspections/${inspectionId}/reinspection`).set(as(officerToken)).send({ teamUserIds: team.map((m) => m.id) }).expect(201);
    const items = await formItems(t, teamTokens[0], re.body.id);
    expect(items.map((i) => i.code).sort()).toEqual(hazards.map((h) => h.itemCode).sort());
    const linked = await t.db.query(`SELECT count(*)::int AS n FROM hazard WHERE reinspection_id = $1`, [re.body.id]);
    expect(linked[0].n).toBe(2);
    const [audit] = await t.db.query(`SELECT after FROM audit_event WHERE action = 'hazard.reinspection_schedule' AND entity_id = $1`, [re.body.id]);
    expect(audit.after.parentInspectionId).toBe(inspectionId);
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
    const tokens = [teamTokens[0], teamTokens[1], officerToken, otherOfficerToken];
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
    const notes = await t.db.query(`SELECT kind, audience FROM notification WHERE entity_id = $1 ORDER BY kind`, [hazards[0].id]);
    expect(notes).toEqual([{ kind: 'hazard.overdue', audience: 'bureau' }]);
    const reminder = await t.db.query(`SELECT title FROM notification WHERE entity_id = $1 AND kind = 'hazard.reminder'`, [hazards[1].id]);
    expect(reminder).toEqual([{ title: `整改期限还有 3 天：${hazards[1].itemCode}` }]);
    const deliveries = await t.db.query(`SELECT channel FROM notification_delivery d JOIN notification n ON n.id = d.notification_id WHERE n.entity_id = $1 ORDER BY channel`, [hazards[0].id]);
    expect(deliveries.map((d: { channel: string }) => d.channel)).toEqual(['email', 'sms']);
    const ledger = await t.http().get('/api/hazards?overdue=true').set(as(officerToken)).expect(200);
    expect(ledger.body.items.map((x: { id: string }) => x.id)).toContain(hazards[0].id);
  });
});
