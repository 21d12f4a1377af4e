import { RectificationService } from '../../src/rectification/rectification.service';
import { createAccount, institutionInput, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { formItems, submission, uploadPhoto } from '../support/inspection-fixtures';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * The deadline rules the product runs: the SQL of the hourly sweep (overdue escalation, reminders) and the ledger's
 * overdue filter, around the boundary dates in Asia/Shanghai days. Overdue = still waiting for the institution
 * (open or returned) from the day after the due date; reminders 3 days and 1 day before it.
 */
describe('hazard deadlines (the sweep and the ledger, in Asia/Shanghai days)', () => {
  let t: TestApp;
  let officerToken: string;
  const hazard: Record<'open' | 'returned' | 'responded' | 'closed' | 'openOther', string> = {} as never;

  /** Last second of 2026-11-30 and first second of 2026-12-01 in Shanghai (UTC+8). */
  const lastSecondOf30th = new Date('2026-11-30T15:59:59Z');
  const firstSecondOf1st = new Date('2026-11-30T16:00:00Z');

  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const setDue = (id: string, due: string) => t.db.query(`UPDATE hazard SET due_date = $2::date WHERE id = $1`, [id, due]);
  /** Moves a hazard along the state machine (the trigger allows only these steps). */
  async function moveTo(id: string, status: 'returned' | 'responded' | 'closed') {
    await t.db.query(`UPDATE hazard SET status = 'responded' WHERE id = $1`, [id]);
    if (status === 'returned') await t.db.query(`UPDATE hazard SET status = 'returned' WHERE id = $1`, [id]);
    if (status === 'closed') await t.db.query(`UPDATE hazard SET status = 'closed', closure_reason = 'verified', closed_at = now() WHERE id = $1`, [id]);
  }
  const overdueFlags = async () => Object.fromEntries(await Promise.all(Object.entries(hazard).map(async ([k, id]) =>
      [k, (await t.db.query(`SELECT overdue FROM hazard WHERE id = $1`, [id]))[0].overdue as boolean])));
  /** The reminders sent for the hazard's current due date. */
  const reminders = async (id: string) => (await t.db.query(
    `SELECT n.title FROM notification n JOIN hazard h ON h.id = n.entity_id
      WHERE n.entity_id = $1 AND n.kind = 'hazard.reminder' AND n.body LIKE '%期限 ' || h.due_date::text ORDER BY n.title`, [id]))
    .map((r: { title: string }) => r.title);

  beforeAll(async () => {
    t = await createTestApp();
    await seedDivisions(t.db);
    officerToken = await tokenFor(t, await createAccount(t, 'bureau_officer', { divisionCode: '320402' }));
    // An inspection team has at least two inspectors.
    const team: TestAccount[] = [await createAccount(t, 'inspector', { divisionCode: '320402' }), await createAccount(t, 'inspector', { divisionCode: '320402' })];
    const teamToken = await tokenFor(t, team[0]);
    const institutionId = (await t.http().post('/api/institutions').set(as(officerToken)).send(institutionInput()).expect(201)).body.id;
    const created = await t.http().post('/api/inspections').set(as(officerToken))
      .send({ institutionId, kind: 'routine', teamUserIds: team.map((m) => m.id) }).expect(201);
    const items = await formItems(t, teamToken, created.body.id);
    const failed: Record<string, string[]> = {};
    for (const item of items.filter((i) => i.severity === 'general').slice(0, 5)) {
      failed[item.code] = item.evidence.photoRequiredWhenFailed ? [await uploadPhoto(t, teamToken, created.body.id, item.code)] : [];
    }
    const res = await t.http().post(`/api/inspections/${created.body.id}/submit`).set(as(teamToken))
      .send(submission(items, failed, team)).expect(201);
    const ids: string[] = res.body.hazards.map((h: { id: string }) => h.id);
    expect(ids).toHaveLength(5);
    [hazard.open, hazard.returned, hazard.responded, hazard.closed, hazard.openOther] = ids;
    await moveTo(hazard.returned, 'returned');
    await moveTo(hazard.responded, 'responded');
    await moveTo(hazard.closed, 'closed');
  });
  afterAll(() => t?.close());

  it('a hazard due today is not overdue; from the next Shanghai day, open and returned ones are, responded and closed never', async () => {
    for (const id of [hazard.open, hazard.returned, hazard.responded, hazard.closed]) await setDue(id, '2026-11-30');
    await setDue(hazard.openOther, '2026-12-01');
    const sweep = t.app.get(RectificationService);

    // 23:59:59 on the due date in Shanghai: not yet.
    expect((await sweep.sweep(lastSecondOf30th)).escalated).toBe(0);
    expect(Object.values(await overdueFlags()).some(Boolean)).toBe(false);

    // 00:00:00 the next day in Shanghai, while UTC is still on the due date: overdue.
    expect((await sweep.sweep(firstSecondOf1st)).escalated).toBe(2);
    expect(await overdueFlags()).toEqual({ open: true, returned: true, responded: false, closed: false, openOther: false });

    // The ledger's overdue filter shows exactly those.
    const ledger = await t.http().get('/api/hazards?overdue=true').set(as(officerToken)).expect(200);
    expect(ledger.body.items.map((x: { id: string }) => x.id).sort()).toEqual([hazard.open, hazard.returned].sort());
    const notOverdue = await t.http().get('/api/hazards?overdue=false').set(as(officerToken)).expect(200);
    expect(notOverdue.body.items.map((x: { id: string }) => x.id).sort()).toEqual([hazard.responded, hazard.closed, hazard.openOther].sort());
  });

  it('reminds 3 days and 1 day before the due date (Shanghai days), only while waiting for the institution, once each', async () => {
    // On Shanghai day 2026-12-01: due 12-02 is 1 day away, 12-04 three, 12-03 two.
    await setDue(hazard.open, '2026-12-02');
    await setDue(hazard.returned, '2026-12-04');
    await setDue(hazard.openOther, '2026-12-03');
    await setDue(hazard.responded, '2026-12-04');
    await setDue(hazard.closed, '2026-12-02');
    const sweep = t.app.get(RectificationService);

    // Still 11-30 in Shanghai: 12-02 is two days away and 12-04 four; only 12-03 is three days away.
    expect((await sweep.sweep(lastSecondOf30th)).reminded).toBe(1);
    expect(await reminders(hazard.openOther)).toEqual([expect.stringMatching(/^整改期限还有 3 天：/)]);

    expect((await sweep.sweep(firstSecondOf1st)).reminded).toBe(2);
    expect((await sweep.sweep(firstSecondOf1st)).reminded).toBe(0);
    expect(await reminders(hazard.open)).toEqual([expect.stringMatching(/^整改期限还有 1 天：/)]);
    expect(await reminders(hazard.returned)).toEqual([expect.stringMatching(/^整改期限还有 3 天：/)]);
    expect(await reminders(hazard.openOther)).toHaveLength(1);
    for (const id of [hazard.responded, hazard.closed]) expect(await reminders(id)).toEqual([]);
  });
});
