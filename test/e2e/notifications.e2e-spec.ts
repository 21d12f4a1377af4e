import { addDays, shanghaiDate } from '../../src/common/calendar';
import type { DeliveryAdapter, PendingDelivery } from '../../src/notifications/delivery-adapter';
import { DeliveryService } from '../../src/notifications/delivery.service';
import { NotificationsRepository } from '../../src/notifications/notifications.repository';
import { RectificationService } from '../../src/rectification/rectification.service';
import { ScoringService } from '../../src/scoring/scoring.service';
import { createAccount, institutionInput, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { tinyPng } from '../support/images';
import { formItems, submission, uploadPhoto } from '../support/inspection-fixtures';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * 站内通知 for every role: each kind written once where its event happens, to its audience only (institution,
 * bureau subtree, one account); read per item and all at once (POST only); the SMS / e-mail rows drained through
 * the adapter, sent or failed with the reason.
 */
describe('notifications for everyone', () => {
  let t: TestApp;
  let officerToken: string;
  let otherOfficer: TestAccount;
  let otherOfficerToken: string;
  let farOfficer: TestAccount;
  let adminToken: string;
  const team: TestAccount[] = [];
  const teamTokens: string[] = [];
  let institution: TestAccount;
  let institutionToken: string;
  let otherInstitution: TestAccount;
  let institutionId: string;
  let inspectionId: string;
  let hazards: { id: string; itemCode: string }[];

  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const inbox = async (token: string, query = '') => (await t.http().get(`/api/notifications/inbox${query}`).set(as(token)).expect(200)).body;
  const kindsOf = (body: { items: { kind: string }[] }) => body.items.map((n) => n.kind).sort();
  const rows = (kind: string, entityId: string) =>
    t.db.query(`SELECT audience, user_id AS "userId", institution_id AS "institutionId" FROM notification WHERE kind = $1 AND entity_id = $2 ORDER BY audience, user_id`, [kind, entityId]);
  /** Noon (Shanghai) of a date, as the sweep's moment. */
  const noon = (date: string) => new Date(`${date}T12:00:00+08:00`);

  beforeAll(async () => {
    t = await createTestApp();
    await seedDivisions(t.db);
    const officer = await createAccount(t, 'bureau_officer', { divisionCode: '320402' });
    officerToken = await tokenFor(t, officer);
    otherOfficer = await createAccount(t, 'bureau_officer', { divisionCode: '320402' });
    otherOfficerToken = await tokenFor(t, otherOfficer);
    farOfficer = await createAccount(t, 'bureau_officer', { divisionCode: '320404' });
    adminToken = await tokenFor(t, await createAccount(t, 'bureau_admin', { divisionCode: '320402' }));
    for (let i = 0; i < 2; i++) {
      team.push(await createAccount(t, 'inspector', { divisionCode: '320402' }));
      teamTokens.push(await tokenFor(t, team[i]));
    }
    institutionId = (await t.http().post('/api/institutions').set(as(officerToken)).send(institutionInput({ name: '通知全员测试养老院' })).expect(201)).body.id;
    const otherId = (await t.http().post('/api/institutions').set(as(officerToken)).send(institutionInput({ name: '通知全员测试乙院' })).expect(201)).body.id;
    institution = await createAccount(t, 'institution', { institutionId });
    institutionToken = await tokenFor(t, institution);
    otherInstitution = await createAccount(t, 'institution', { institutionId: otherId });

    // Assigned → submitted with three general failures → notice served.
    inspectionId = (await t.http().post('/api/inspections').set(as(officerToken)).send({ institutionId, kind: 'routine', teamUserIds: team.map((m) => m.id) }).expect(201)).body.id;
    const items = await formItems(t, teamTokens[0], inspectionId);
    const failed: Record<string, string[]> = {};
    for (const item of items.filter((i) => i.severity === 'general').slice(0, 3)) {
      failed[item.code] = item.evidence.photoRequiredWhenFailed ? [await uploadPhoto(t, teamTokens[0], inspectionId, item.code)] : [];
    }
    hazards = (await t.http().post(`/api/inspections/${inspectionId}/submit`).set(as(teamTokens[0])).send(submission(items, failed, team)).expect(201)).body.hazards;
    await t.http().post(`/api/inspections/${inspectionId}/notice`).set(as(officerToken)).expect(201);
  });
  afterAll(() => t?.close());

  it('writes each kind once where its event happens, to its audience', async () => {
    const [h1, h2, h3] = hazards;
    const respond = async (hazardId: string) => {
      const photo = (await t.http().post(`/api/hazards/${hazardId}/photos`).set(as(institutionToken))
        .attach('file', tinyPng(24, 24, [40, 160, 40]), { filename: 'after.png', contentType: 'image/png' }).expect(201)).body.id;
      await t.http().post(`/api/hazards/${hazardId}/responses`).set(as(institutionToken)).send({
        whatWasFixed: '已清理走道堆放的杂物', otherPlacesChecked: '排查了其他楼层', lastingChange: '每日巡查', responsiblePerson: '王主任',
        completedOn: shanghaiDate(new Date()), evidenceIds: [photo],
      }).expect(201);
    };
    // h1: responded (bureau) → returned → responded again → verified (销号)
    await respond(h1.id);
    await t.http().post(`/api/hazards/${h1.id}/verifications`).set(as(otherOfficerToken)).send({ accept: false, reason: '照片看不清', newDueDate: addDays(shanghaiDate(new Date()), 20) }).expect(201);
    await respond(h1.id);
    await t.http().post(`/api/hazards/${h1.id}/verifications`).set(as(otherOfficerToken)).send({ accept: true }).expect(201);
    // h2: extension requested and approved
    const [{ due }] = await t.db.query(`SELECT due_date::text AS due FROM hazard WHERE id = $1`, [h2.id]);
    const ext = (await t.http().post(`/api/hazards/${h2.id}/extension-requests`).set(as(institutionToken)).send({ requestedDueDate: addDays(due, 2), reason: '材料到货延迟' }).expect(201)).body;
    await t.http().post(`/api/extension-requests/${ext.id}/decision`).set(as(officerToken)).send({ approve: true, reason: '理由充分' }).expect(200);
    // h3: objection filed and rejected (by an officer not on the team)
    const obj = (await t.http().post(`/api/hazards/${h3.id}/objections`).set(as(institutionToken)).send({ statement: '通道宽度符合要求' }).expect(201)).body;
    await t.http().post(`/api/objections/${obj.id}/decision`).set(as(otherOfficerToken)).send({ approve: false, reason: '现场照片显示堵塞' }).expect(200);

    // The sweep: 3 days, 1 day before h3's deadline, then the day after it (each run twice: nothing more).
    const [{ due: due3 }] = await t.db.query(`SELECT due_date::text AS due FROM hazard WHERE id = $1`, [h3.id]);
    const sweeps = t.app.get(RectificationService);
    for (const day of [addDays(due3, -3), addDays(due3, -1), addDays(due3, 1)]) {
      await sweeps.sweep(noon(day));
      await sweeps.sweep(noon(day));
    }
    // The grade: finalized today, valid for years; 10 days before it ends the institution is told (once).
    const opened = (await t.http().post('/api/grade-assessments').set(as(adminToken)).send({ institutionId, noSeriousAccident: true, registrationInOrder: true }).expect(201)).body;
    const form = (await t.http().get('/api/checklists/GBT37276-2018/versions/1').set(as(adminToken)).expect(200)).body.content;
    const itemPoints = Object.fromEntries(form.parts.flatMap((p: { items: { code: string; maxPoints: number }[] }) => p.items).map((i: { code: string; maxPoints: number }) => [i.code, i.maxPoints]));
    const scored = (await t.http().patch(`/api/grade-assessments/${opened.id}/scores`).set(as(adminToken)).send({ itemPoints, itemNotes: {}, version: opened.version }).expect(200)).body;
    const graded = (await t.http().post(`/api/grade-assessments/${opened.id}/finalize`).set(as(adminToken)).send({ version: scored.version }).expect(200)).body;
    const scoring = t.app.get(ScoringService);
    expect(await scoring.notifyExpiringGrades(noon(addDays(graded.validUntil, -40)))).toBe(0);
    expect(await scoring.notifyExpiringGrades(noon(addDays(graded.validUntil, -10)))).toBe(1);
    expect(await scoring.notifyExpiringGrades(noon(addDays(graded.validUntil, -9)))).toBe(0);

    const inst = { audience: 'institution', userId: null, institutionId };
    const bureau = { audience: 'bureau', userId: null, institutionId: null };
    expect(await rows('inspection.assigned', inspectionId)).toEqual(
      team.map((m) => ({ audience: 'user', userId: m.id, institutionId: null })).sort((a, b) => a.userId.localeCompare(b.userId)));
    const [{ id: noticeId }] = await t.db.query(`SELECT id FROM rectification_notice WHERE inspection_id = $1`, [inspectionId]);
    expect(await rows('notice.issued', noticeId)).toEqual([inst]);
    expect(await rows('hazard.responded', h1.id)).toEqual([bureau, bureau]); // one per response
    expect(await rows('hazard.returned', h1.id)).toEqual([inst]);
    expect(await rows('hazard.closed', h1.id)).toEqual([inst]);
    expect(await rows('extension.decided', h2.id)).toEqual([inst]);
    expect(await rows('objection.decided', h3.id)).toEqual([inst]);
    const reminders = await t.db.query(`SELECT title FROM notification WHERE kind = 'hazard.reminder' AND entity_id = $1 ORDER BY title DESC`, [h3.id]);
    expect(reminders.map((r: { title: string }) => r.title)).toEqual([`整改期限还有 3 天：${h3.itemCode}`, `整改期限还有 1 天：${h3.itemCode}`]);
    expect(await rows('hazard.overdue', h3.id)).toEqual([bureau, inst]);
    expect(await rows('grade.expiring', institutionId)).toEqual([inst]);
    expect(await rows('inspection.rating_invited', inspectionId)).toEqual([inst]); // 检查码: the institution may rate the visit

    // Each account's inbox: its own, nothing of another audience.
    const own = await inbox(institutionToken, '?pageSize=100');
    expect(new Set(kindsOf(own))).toEqual(new Set(['notice.issued', 'hazard.returned', 'hazard.closed', 'extension.decided', 'objection.decided', 'hazard.reminder', 'hazard.overdue', 'grade.expiring', 'inspection.rating_invited']));
    expect(own.items.find((n: { kind: string }) => n.kind === 'inspection.rating_invited').href).toBe(`/inspection-codes/visits/${inspectionId}`);
    expect(own.items.find((n: { kind: string }) => n.kind === 'notice.issued').href).toBe(`/notices/${noticeId}`);
    const expiring = own.items.find((n: { kind: string }) => n.kind === 'grade.expiring');
    const [y, m, d] = (graded.validUntil as string).split('-').map(Number);
    expect(expiring).toMatchObject({ href: '/workspace/score', title: `等级评定将于 ${y}年${m}月${d}日 到期` });
    expect(expiring.body).toContain('请关注等级有效期，按当地规定办理重新评定');
    expect((await inbox(await tokenFor(t, otherInstitution))).total).toBe(0);
    const officerInbox = await inbox(officerToken, '?pageSize=100');
    expect(kindsOf(officerInbox)).toEqual(expect.arrayContaining(['hazard.responded', 'hazard.overdue']));
    expect(kindsOf(officerInbox)).not.toContain('notice.issued');
    expect((await inbox(await tokenFor(t, farOfficer))).total).toBe(0);
    const inspector = await inbox(teamTokens[1]);
    expect(inspector.items).toEqual([expect.objectContaining({ kind: 'inspection.assigned', href: `/inspections/${inspectionId}`, read: false })]);
    expect(inspector.unread).toBe(1);
    // The previous release's GET /api/notifications: the inbox's first 20, same rule — no bureau notification for an inspector.
    const legacy = async (token: string) => (await t.http().get('/api/notifications').set(as(token)).expect(200)).body;
    expect(await legacy(teamTokens[1])).toEqual([expect.objectContaining({ kind: 'inspection.assigned', entityType: 'inspection', entityId: inspectionId, href: `/inspections/${inspectionId}`, read: false })]);
    const officerLegacy = await legacy(officerToken);
    expect(officerLegacy.map((n: { id: string }) => n.id)).toEqual(officerInbox.items.slice(0, 20).map((n: { id: string }) => n.id));
    expect(Object.keys(officerLegacy[0]).sort()).toEqual(['body', 'createdAt', 'entityId', 'entityType', 'href', 'id', 'kind', 'read', 'title']);
  });

  it('marks read one by one and all at once, only by POST, only what the viewer sees', async () => {
    const before = await inbox(institutionToken, '?pageSize=100');
    expect(before.unread).toBe(before.total);
    const first = before.items[0];
    expect((await t.http().post(`/api/notifications/${first.id}/read`).set(as(institutionToken)).expect(200)).body).toEqual({ id: first.id, href: first.href });
    await t.http().post(`/api/notifications/${first.id}/read`).set(as(institutionToken)).expect(200);
    const after = await inbox(institutionToken, '?pageSize=100');
    expect(after.unread).toBe(before.unread - 1);
    expect(after.items.find((n: { id: string }) => n.id === first.id).read).toBe(true);
    expect((await inbox(institutionToken, '?unread=true&pageSize=100')).total).toBe(before.unread - 1);
    // Another account's notification: 404, nothing marked.
    const [{ id: inspectorsId }] = await t.db.query(`SELECT id FROM notification WHERE user_id = $1`, [team[1].id]);
    expect((await t.http().post(`/api/notifications/${inspectorsId}/read`).set(as(institutionToken)).expect(404)).body.code).toBe('notification.not_found');
    expect((await inbox(teamTokens[1])).unread).toBe(1);

    // The page: the header counts, opening the page marks nothing, the POST forms do.
    const login = await t.http().post('/api/auth/login').send({ username: institution.username, password: institution.password }).expect(200);
    const cookie = (login.headers['set-cookie'][0] as string).split(';')[0];
    const page = async (url = '/notifications') => (await t.http().get(url).set('Cookie', cookie).set('Accept', 'text/html').expect(200)).text;
    const badge = (text: string) => /<span class="bell-count" aria-hidden="true">([^<]+)<\/span>/.exec(text)?.[1] ?? null;
    const list = await page();
    expect(badge(list)).toBe(String(after.unread));
    expect(badge(await page('/notices'))).toBe(String(after.unread));
    expect(list).toContain('全部标为已读');
    expect(list).toContain(`href="/notices/`);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(list)![1];
    const second = after.items.find((n: { read: boolean; href: string | null }) => !n.read && n.href);
    const open = await t.http().post(`/notifications/${second.id}/read`).set('Cookie', cookie).type('form').send({ _csrf: csrf, next: 'open' }).expect(303);
    expect(open.headers.location).toBe(second.href);
    expect(badge(await page('/notices'))).toBe(String(after.unread - 1));
    await t.http().post('/notifications/read-all').set('Cookie', cookie).type('form').send({ _csrf: csrf }).expect(303);
    const done = await page('/notifications?ok=all_read');
    expect(badge(done)).toBeNull();
    expect(done).not.toContain('全部标为已读');
    expect(done).toContain('全部通知已标为已读');
    // A later notification is unread again.
    await new Promise((r) => setTimeout(r, 20));
    await t.db.transaction((em) => t.app.get(NotificationsRepository).notify(em, {
      audience: 'institution', institutionId, divisionPath: '/', kind: 'notice.issued', title: '新通知', body: '正文', entityType: 'notice', entityId: institutionId, dedupKey: `late-${institutionId}`,
    }));
    expect(badge(await page('/notices'))).toBe('1');
    // The inspector's header counts its task.
    const inspectorLogin = await t.http().post('/api/auth/login').send({ username: team[0].username, password: team[0].password }).expect(200);
    const inspectorPage = (await t.http().get('/notifications').set('Cookie', (inspectorLogin.headers['set-cookie'][0] as string).split(';')[0]).set('Accept', 'text/html').expect(200)).text;
    expect(badge(inspectorPage)).toBe('1');
    expect(inspectorPage).toContain(`href="/inspections/${inspectionId}"`);
  });

  it('drains the SMS / e-mail rows through the adapter, recording sent, failed with the reason, and retries', async () => {
    const drain = t.app.get(DeliveryService);
    const repo = t.app.get(NotificationsRepository);
    const pending = async () => (await t.db.query(`SELECT count(*)::int AS n FROM notification_delivery WHERE status = 'pending'`))[0].n;
    expect((await t.db.query(`SELECT count(*)::int AS n FROM notification_delivery`))[0].n).toBeGreaterThan(10);
    await drain.drain(new Date(), 7); // several batches
    expect(await pending()).toBe(0);
    const sent = await t.db.query(`SELECT DISTINCT status, adapter, attempts, sent_at IS NOT NULL AS stamped FROM notification_delivery`);
    expect(sent).toEqual([{ status: 'sent', adapter: 'log', attempts: 1, stamped: true }]);

    // A gateway that refuses SMS for good and times out on e-mail (retryable), and a row too old to send.
    const seen: PendingDelivery[] = [];
    const gateway: DeliveryAdapter = {
      name: 'test-gateway',
      send: async (d) => { seen.push(d); return d.channel === 'sms' ? { status: 'failed', reason: '机构未登记手机号' } : { status: 'failed', reason: 'gateway timeout', retryable: true }; },
    };
    const future = new Date(Date.now() + 3600_000); // not due for the scheduled drain running beside this test
    const [{ id: notificationId }] = await t.db.transaction(async (em) => {
      await repo.notify(em, { audience: 'user', userId: team[0].id, institutionId: null, divisionPath: '/', kind: 'inspection.assigned', title: '网关测试', body: '正文', entityType: 'inspection', entityId: inspectionId, dedupKey: 'gateway-test' });
      return em.query(`SELECT id FROM notification WHERE dedup_key = 'gateway-test'`);
    });
    await t.db.query(`UPDATE notification_delivery SET next_attempt_at = $2 WHERE notification_id = $1`, [notificationId, future]);
    const failing = new DeliveryService(t.db, repo, gateway);
    expect(await failing.drain(future)).toEqual({ sent: 0, failed: 1, retrying: 1, expired: 0 });
    expect(seen.map((d) => [d.channel, d.notification.audience, d.notification.userId, d.notification.title])).toEqual([
      ['sms', 'user', team[0].id, '网关测试'], ['email', 'user', team[0].id, '网关测试']]);
    const state = async () => t.db.query(`SELECT channel, status, attempts, failure_reason AS reason, adapter FROM notification_delivery WHERE notification_id = $1 ORDER BY channel`, [notificationId]);
    expect(await state()).toEqual([
      { channel: 'email', status: 'pending', attempts: 1, reason: 'gateway timeout', adapter: 'test-gateway' },
      { channel: 'sms', status: 'failed', attempts: 1, reason: '机构未登记手机号', adapter: 'test-gateway' },
    ]);
    // Not due again until the back-off has passed; the fifth attempt fails for good.
    expect((await failing.drain(future)).retrying).toBe(0);
    let at = future;
    for (let attempt = 2; attempt <= 5; attempt++) {
      at = new Date(at.getTime() + 60_000 * 2 ** (attempt - 1));
      await failing.drain(at);
    }
    expect((await state())[0]).toEqual({ channel: 'email', status: 'failed', attempts: 5, reason: 'gateway timeout', adapter: 'test-gateway' });

    // A row left pending for more than a day is not sent any more.
    await t.db.transaction((em) => repo.notify(em, { audience: 'bureau', institutionId: null, divisionPath: '/', kind: 'hazard.listed', title: '旧', body: '旧', entityType: 'hazard', entityId: inspectionId, dedupKey: 'stale-test' }));
    await t.db.query(`UPDATE notification_delivery d SET created_at = now() - interval '2 days' FROM notification n WHERE n.id = d.notification_id AND n.dedup_key = 'stale-test'`);
    await failing.drain(new Date()); // (or the scheduled drain beside this test: either expires them)
    expect(await t.db.query(`SELECT DISTINCT d.status, d.failure_reason AS reason FROM notification_delivery d JOIN notification n ON n.id = d.notification_id WHERE n.dedup_key = 'stale-test'`))
      .toEqual([{ status: 'failed', reason: 'expired: not sent within the delivery window' }]);
  });

  it('sends outside any transaction: a reasonless failure spoils nothing else, no row is locked while sending, a stopped worker’s lease runs out', async () => {
    const repo = t.app.get(NotificationsRepository);
    const far = new Date(Date.now() + 30 * 24 * 3600_000); // beyond the scheduled drain beside this test (and its day-old expiry)
    const stale = new Date(far.getTime() - 23 * 3600_000);
    const write = (key: string) => t.db.transaction(async (em) => {
      await repo.notify(em, { audience: 'user', userId: team[1].id, institutionId: null, divisionPath: '/', kind: 'inspection.assigned', title: key, body: '正文', entityType: 'inspection', entityId: inspectionId, dedupKey: key });
      const [{ id }] = await em.query(`SELECT id FROM notification WHERE dedup_key = $1`, [key]);
      await em.query(`UPDATE notification_delivery SET next_attempt_at = $2, created_at = $3 WHERE notification_id = $1`, [id, far, stale]);
      return id as string;
    });
    const state = (id: string) => t.db.query(`SELECT channel, status, attempts, failure_reason AS reason FROM notification_delivery WHERE notification_id = $1 ORDER BY channel`, [id]);

    // An adapter answering {status:'failed'} without a reason for SMS: recorded as such, the e-mail beside it stays sent,
    // and while it sends, another connection can lock the row (nothing holds it).
    const first = await write('lease-test-1');
    const lockable: boolean[] = [];
    let calls = 0;
    const sloppy: DeliveryAdapter = {
      name: 'sloppy',
      send: async (d) => {
        calls++;
        lockable.push(await t.db.query(`SELECT id FROM notification_delivery WHERE id = $1 FOR UPDATE NOWAIT`, [d.id]).then(() => true, () => false));
        return (d.channel === 'sms' ? { status: 'failed' } : { status: 'sent' }) as never;
      },
    };
    const drain = new DeliveryService(t.db, repo, sloppy);
    expect(await drain.drain(far)).toEqual({ sent: 1, failed: 1, retrying: 0, expired: 0 });
    expect(lockable).toEqual([true, true]);
    expect(await state(first)).toEqual([
      { channel: 'email', status: 'sent', attempts: 1, reason: null },
      { channel: 'sms', status: 'failed', attempts: 1, reason: '未说明原因' },
    ]);
    await drain.drain(new Date(far.getTime() + 60_000));
    expect(calls).toBe(2); // nothing sent twice

    // A worker that claimed a batch and stopped: its rows are nobody's until the lease ends, then sent (second attempt).
    const second = await write('lease-test-2');
    expect((await repo.claimBatch(t.db.manager, far, new Date(far.getTime() + 5 * 60_000), 50)).map((d) => d.attempts)).toEqual([0, 0]);
    expect(await drain.drain(new Date(far.getTime() + 4 * 60_000))).toEqual({ sent: 0, failed: 0, retrying: 0, expired: 0 });
    expect(calls).toBe(2);
    expect(await drain.drain(new Date(far.getTime() + 5 * 60_000 + 1000))).toEqual({ sent: 1, failed: 1, retrying: 0, expired: 0 });
    expect((await state(second)).map((r: { status: string; attempts: number }) => [r.status, r.attempts])).toEqual([['sent', 2], ['failed', 2]]);
  });
});
