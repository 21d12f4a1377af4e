import { addDays, shanghaiDate } from '../../src/common/calendar';
import { DataSource } from 'typeorm';
import { HazardLifecycle1764580100000 } from '../../migrations/1764580100000-HazardLifecycle';
import { dataSourceOptions } from '../../src/database/data-source';
import { RectificationService } from '../../src/rectification/rectification.service';
import { createAccount, institutionInput, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { formItems, submission, uploadPhoto } from '../support/inspection-fixtures';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * The deadline rules the product runs: the SQL of the hourly sweep (overdue escalation, reminders), the one overdue
 * definition the ledger, the exports and the dashboard share, and the 陈述申辩 window in working days of the
 * calendar file, around the boundary dates in Asia/Shanghai days. Overdue = still waiting for the institution
 * (open or returned) from the day after the due date; reminders 3 days and 1 day before it (product policy).
 */
describe('hazard deadlines (the sweep and the ledger, in Asia/Shanghai days)', () => {
  let t: TestApp;
  let officerToken: string;
  let institutionId: string;
  let institutionToken: string;
  let institutionUser: TestAccount;
  let inspectionId: string;
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
    institutionId = (await t.http().post('/api/institutions').set(as(officerToken)).send(institutionInput()).expect(201)).body.id;
    institutionUser = await createAccount(t, 'institution', { institutionId });
    institutionToken = await tokenFor(t, institutionUser);
    const created = await t.http().post('/api/inspections').set(as(officerToken))
      .send({ institutionId, kind: 'routine', teamUserIds: team.map((m) => m.id) }).expect(201);
    const items = await formItems(t, teamToken, created.body.id);
    const failed: Record<string, string[]> = {};
    for (const item of items.filter((i) => i.severity === 'general').slice(0, 5)) {
      failed[item.code] = item.evidence.photoRequiredWhenFailed ? [await uploadPhoto(t, teamToken, created.body.id, item.code)] : [];
    }
    const res = await t.http().post(`/api/inspections/${created.body.id}/submit`).set(as(teamToken))
      .send(submission(items, failed, team)).expect(201);
    inspectionId = created.body.id;
    const ids: string[] = res.body.hazards.map((h: { id: string }) => h.id);
    expect(ids).toHaveLength(5);
    [hazard.open, hazard.returned, hazard.responded, hazard.closed, hazard.openOther] = ids;
    await moveTo(hazard.returned, 'returned');
    await moveTo(hazard.responded, 'responded');
    await moveTo(hazard.closed, 'closed');
  });
  afterAll(() => t?.close());

  it('the sweep escalates as of its own moment: a hazard due today is not overdue; from the next Shanghai day, open and returned ones are, responded and closed never', async () => {
    for (const id of [hazard.open, hazard.returned, hazard.responded, hazard.closed]) await setDue(id, '2026-11-30');
    await setDue(hazard.openOther, '2026-12-01');
    const sweep = t.app.get(RectificationService);

    // 23:59:59 on the due date in Shanghai: not yet.
    expect((await sweep.sweep(lastSecondOf30th)).escalated).toBe(0);
    expect(Object.values(await overdueFlags()).some(Boolean)).toBe(false);

    // 00:00:00 the next day in Shanghai, while UTC is still on the due date: overdue.
    expect((await sweep.sweep(firstSecondOf1st)).escalated).toBe(2);
    expect(await overdueFlags()).toEqual({ open: true, returned: true, responded: false, closed: false, openOther: false });
  });

  it('one overdue definition: right after the due date passes, with no sweep, the ledger filter, the hazard, the exports and the dashboard agree', async () => {
    const today = shanghaiDate(new Date());
    // Yesterday's deadline passed at midnight; no sweep has run since (escalated_at / the bookkeeping flag unset).
    for (const id of [hazard.open, hazard.returned, hazard.responded, hazard.closed]) await setDue(id, addDays(today, -1));
    await setDue(hazard.openOther, today);
    await t.db.query(`UPDATE hazard SET overdue = false, escalated_at = NULL WHERE inspection_id = $1`, [inspectionId]);
    const expected = [hazard.open, hazard.returned].sort();

    const ledger = await t.http().get(`/api/hazards?overdue=true&institutionId=${institutionId}`).set(as(officerToken)).expect(200);
    expect(ledger.body.items.map((x: { id: string }) => x.id).sort()).toEqual(expected);
    expect(ledger.body.items.every((x: { overdue: boolean }) => x.overdue)).toBe(true);
    const notOverdue = await t.http().get(`/api/hazards?overdue=false&institutionId=${institutionId}`).set(as(officerToken)).expect(200);
    expect(notOverdue.body.items.map((x: { id: string }) => x.id).sort()).toEqual([hazard.responded, hazard.closed, hazard.openOther].sort());
    expect((await t.http().get(`/api/hazards/${hazard.open}`).set(as(officerToken)).expect(200)).body.hazard.overdue).toBe(true);

    // The hazard ledger CSV marks the same hazards 逾期 = 是; the compliance CSV counts them.
    const csv = (await t.http().get('/api/exports/hazards.csv').set(as(officerToken)).buffer(true).expect(200)).text;
    const header = csv.replace(/^\uFEFF/, '').split('\n')[0].split(',');
    const titles = new Map((await t.db.query(`SELECT id, title_zh FROM hazard WHERE inspection_id = $1`, [inspectionId])).map((r: { id: string; title_zh: string }) => [r.id, r.title_zh]));
    const overdueCol = header.indexOf('逾期');
    const rows = csv.split('\n').slice(1).filter((l) => l.trim()).map((l) => l.split(','));
    const titleCol = header.indexOf('隐患');
    const overdueTitles = rows.filter((r) => r[overdueCol] === '是').map((r) => r[titleCol]).sort();
    expect(overdueTitles).toEqual(expected.map((id) => titles.get(id)).sort());
    const compliance = (await t.http().get('/api/exports/compliance.csv').set(as(officerToken)).buffer(true).expect(200)).text.replace(/^\uFEFF/, '').split('\n');
    const cHeader = compliance[0].split(',');
    const counts = compliance.slice(1).filter((l) => l.trim()).map((l) => Number(l.split(',')[cHeader.indexOf('逾期隐患')]));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(ledger.body.total);

    const dashboard = await t.http().get('/api/dashboard').set(as(officerToken)).expect(200);
    expect(dashboard.body.totals.overdue).toBe(ledger.body.total);
  });

  it('the 陈述申辩 window counts working days of the calendar file: a notice acknowledged on 2026-09-30 runs past 国庆 to 2026-10-13', async () => {
    const notice = (await t.http().post(`/api/inspections/${inspectionId}/notice`).set(as(officerToken)).expect(201)).body;
    await t.http().post(`/api/notices/${notice.id}/acknowledge`).set(as(institutionToken)).expect(200);
    // Acknowledged at 10:00 on 2026-09-30 in Shanghai.
    await t.db.query(`UPDATE rectification_notice SET acknowledged_at = '2026-09-30T02:00:00Z' WHERE id = $1`, [notice.id]);
    // calendar-cn-2026.yaml: 10-01…10-07 rest (国庆节), 10-10 (Saturday) a working day (调休).
    // Five working days after 09-30: 10-08, 10-09, 10-10, 10-12, 10-13 (Monday–Friday would give 10-07).
    const detail = await t.http().get(`/api/hazards/${hazard.openOther}`).set(as(institutionToken)).expect(200);
    expect(detail.body.objectionDeadline).toBe('2026-10-13');
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

  it('a due date in a year without a calendar file: the hazard detail and page carry the Monday–Friday warning', async () => {
    await setDue(hazard.open, '2027-01-20');
    const detail = (await t.http().get(`/api/hazards/${hazard.open}`).set(as(institutionToken)).expect(200)).body;
    expect(detail.calendarWarnings).toEqual([expect.stringContaining('2027 年不在工作日历内')]);
    // A due date within the calendar files: no warning.
    await setDue(hazard.open, '2026-12-20');
    expect((await t.http().get(`/api/hazards/${hazard.open}`).set(as(institutionToken)).expect(200)).body.calendarWarnings).toEqual([]);
    await setDue(hazard.open, '2027-01-20');
    const login = await t.http().post('/api/auth/login').send({ username: institutionUser.username, password: institutionUser.password }).expect(200);
    const page = (await t.http().get(`/hazards/${hazard.open}`).set('Cookie', (login.headers['set-cookie'][0] as string).split(';')[0]).set('Accept', 'text/html').expect(200)).text;
    expect(page).toContain('工作日历提示');
    expect(page).toContain('2027 年不在工作日历内');
  });

  it('the HazardLifecycle migration runs on the previous release\'s rows: values kept, a listing with a pending objection undone, then guarded', async () => {
    const migration = new HazardLifecycle1764580100000();
    // Migrations are the owner's work: the app's role (t.db) may not alter the tables.
    const owner = await new DataSource(dataSourceOptions(t.ownerUrl, { migrations: [] }, 1)).initialize();
    const runner = owner.createQueryRunner();
    try {
      await migration.down(runner);
      // As the previous release allowed: a major hazard listed at submission whose objection is still pending.
      await t.db.query(`UPDATE hazard SET severity = 'major', major_criterion = 'MZ2023-4.2', plan_due_date = due_date, listed = true WHERE id = $1`, [hazard.openOther]);
      await t.db.query(`INSERT INTO hazard_objection (hazard_id, statement, filed_by, filed_at) VALUES ($1, '不构成重大隐患', $2, now())`, [hazard.openOther, institutionUser.id]);
      const before = await t.db.query(`SELECT id, status, severity, due_date::text AS due, version FROM hazard WHERE inspection_id = $1 ORDER BY id`, [inspectionId]);
      await migration.up(runner);
      const after = await t.db.query(`SELECT id, status, severity, due_date::text AS due, major_status AS "majorStatus", listed FROM hazard WHERE inspection_id = $1 ORDER BY id`, [inspectionId]);
      expect(after.map(({ id, status, severity, due }: Record<string, string>) => ({ id, status, severity, due })))
        .toEqual(before.map(({ id, status, severity, due }: Record<string, string>) => ({ id, status, severity, due })));
      expect(after.every((h: { majorStatus: string | null }) => h.majorStatus === null)).toBe(true);
      expect(after.find((h: { id: string }) => h.id === hazard.openOther).listed).toBe(false);
      await expect(t.db.query(`UPDATE hazard SET listed = true WHERE id = $1`, [hazard.openOther])).rejects.toThrow(/objection is pending/);
      await expect(t.db.query(`UPDATE hazard SET major_status = 'confirmed' WHERE id = $1`, [hazard.openOther])).rejects.toThrow(/major status cannot move/);
      await expect(t.db.query(`UPDATE hazard SET status = 'open' WHERE id = $1`, [hazard.closed])).rejects.toThrow(/cannot move from closed to open/);
    } finally {
      await runner.release();
      await owner.destroy();
    }
  });
});
