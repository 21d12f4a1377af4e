import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SubsidyTime1764580300000 } from '../../migrations/1764580300000-SubsidyTime';
import { ScoringService } from '../../src/scoring/scoring.service';
import { createAccount, institutionInput, seedDivisions, tokenFor } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Subsidies that respect time (issue 12), through the API, on November 2026 (30 days).
 *
 * The policy is the shipped 常州 file (base 200 元/床/月; 未评级 1.0, 五级 1.4; no safety score by the period end →
 * 0.85, the pass band) with one change: for-profit institutions are not eligible. Every institution has 30
 * occupied beds, all 自理 (no care-level uplift), so a full month is 30 × 200 = 6,000.00 before coefficients.
 *
 * What happened in the past cannot be made through the API today (a bed count confirmed on 16 November, a grade
 * finalized on 16 November): the test makes it now through the API and then moves its date back in the database —
 * the clock, not the data, is what the test fakes.
 */
describe('subsidy schedules respect time', () => {
  let t: TestApp;
  let admin: string;
  const auth = () => ({ Authorization: `Bearer ${admin}` });
  const PERIOD = { divisionCode: '320402', periodStart: '2026-11-01', periodEnd: '2026-11-30' };
  const ids: Record<string, string> = {};

  const register = async (name: string, over: Record<string, unknown> = {}) => {
    const body = institutionInput({
      name, occupiedBeds: 30, residentsSelfCare: 30, residentsMildlyDisabled: 0, residentsModeratelyDisabled: 0, residentsSeverelyDisabled: 0,
      highestFloorWithDisabled: null, ...over,
    } as never);
    return (await t.http().post('/api/institutions').set(auth()).send(body).expect(201)).body;
  };
  const openedOn = (id: string, date: string) =>
    t.http().put(`/api/institutions/${id}/operating-period`).set(auth()).send({ openedOn: date, reason: '设立备案回执所载日期' });
  /** A 五级 finalized through the API (full marks), then dated back to `validFrom`. */
  const fiveStars = async (institutionId: string, validFrom: string) => {
    const form = (await t.http().get('/api/checklists/GBT37276-2018/versions/1').set(auth()).expect(200)).body.content;
    const items: { code: string; maxPoints: number }[] = form.parts.flatMap((p: { items: { code: string; maxPoints: number }[] }) => p.items);
    const opened = (await t.http().post('/api/grade-assessments').set(auth()).send({ institutionId, noSeriousAccident: true, registrationInOrder: true }).expect(201)).body;
    const scored = await t.http().patch(`/api/grade-assessments/${opened.id}/scores`).set(auth())
      .send({ itemPoints: Object.fromEntries(items.map((i) => [i.code, i.maxPoints])), version: opened.version }).expect(200);
    const done = (await t.http().post(`/api/grade-assessments/${opened.id}/finalize`).set(auth()).send({ version: scored.body.version }).expect(200)).body;
    expect(done.grade).toBe(5);
    await t.db.query(`UPDATE grade_assessment SET valid_from = $2, finalized_at = ($2::date + time '10:00') AT TIME ZONE 'Asia/Shanghai' WHERE id = $1`, [opened.id, validFrom]);
    return opened.id as string;
  };

  let schedule: { lines: { institutionId: string; institutionName: string; amount: number; eligible: boolean; lines: { label: string; formula: string; amount: number }[] }[]; total: number; productPolicyVersionId: string | null; id: string };
  const lineOf = (key: string) => schedule.lines.find((l) => l.institutionId === ids[key])!;
  const rows = (key: string) => lineOf(key).lines.map((l) => [l.label, l.formula, l.amount]);

  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yian-subsidy-'));
    const src = path.resolve(__dirname, '../../checklists');
    for (const f of fs.readdirSync(src).filter((n) => n.endsWith('.yaml'))) fs.copyFileSync(path.join(src, f), path.join(dir, f));
    const policyFile = path.join(dir, 'subsidy-policy-changzhou-2026.yaml');
    const text = fs.readFileSync(policyFile, 'utf8');
    expect(text).toContain('profitStatus: [for_profit, non_profit, unknown]');
    fs.writeFileSync(policyFile, text.replace('profitStatus: [for_profit, non_profit, unknown]', 'profitStatus: [non_profit, unknown]'));
    t = await createTestApp({ CHECKLISTS_DIR: dir });
    await seedDivisions(t.db);
    admin = await tokenFor(t, await createAccount(t, 'bureau_admin', { divisionCode: '320402' }));

    // 1. registered today, opened on 16 November
    ids.opened = (await register('甲·月中开业颐养院')).id;
    await openedOn(ids.opened, '2026-11-16').expect(200);
    // 2. 30 beds until 15 November, 45 from 16 November (confirmed by the bureau)
    ids.beds = (await register('乙·月中增床颐养院')).id;
    await openedOn(ids.beds, '2026-01-01').expect(200);
    const current = (await t.http().get(`/api/institutions/${ids.beds}`).set(auth()).expect(200)).body;
    await t.http().patch(`/api/institutions/${ids.beds}`).set(auth()).send({ occupiedBeds: 45, residentsSelfCare: 45, version: current.version }).expect(200);
    await t.db.query(`UPDATE institution_capacity SET effective_from = '2026-11-16' WHERE institution_id = $1 AND source = 'update'`, [ids.beds]);
    // 3. 五级 from 16 November
    ids.graded = (await register('丙·月中评级颐养院')).id;
    await openedOn(ids.graded, '2026-01-01').expect(200);
    await fiveStars(ids.graded, '2026-11-16');
    // 4. 五级 since October, revoked from 21 November by a bureau decision (through the API)
    ids.revoked = (await register('丁·月中撤级颐养院')).id;
    await openedOn(ids.revoked, '2026-01-01').expect(200);
    const assessment = await fiveStars(ids.revoked, '2026-10-01');
    await t.http().post(`/api/grades/${assessment}/decisions`).set(auth())
      .send({ kind: 'revoke', reason: '发生较大安全事故', basis: '等级评定办法（示例依据）', effectiveOn: '2026-11-21' }).expect(201);
    // 5. never inspected vs. a clean score computed for 30 November
    ids.never = (await register('戊·从未检查颐养院')).id;
    await openedOn(ids.never, '2026-01-01').expect(200);
    ids.scored = (await register('己·安全分满分颐养院')).id;
    await openedOn(ids.scored, '2026-01-01').expect(200);
    await t.app.get(ScoringService).recompute(ids.scored, new Date('2026-11-30T04:00:00Z'));
    // 6. a for-profit institution (the policy excludes it)
    ids.forProfit = (await register('庚·营利性颐养院', { profitStatus: 'for_profit' })).id;
    await openedOn(ids.forProfit, '2026-01-01').expect(200);
    // 7. suspended 11–20 November
    ids.suspended = (await register('辛·停业整顿颐养院')).id;
    await openedOn(ids.suspended, '2026-01-01').expect(200);
    await t.http().post(`/api/institutions/${ids.suspended}/interruptions`).set(auth())
      .send({ kind: 'suspended', fromDate: '2026-11-11', toDate: '2026-11-20', reason: '消防整改，责令停业整顿' }).expect(201);

    schedule = (await t.http().post('/api/subsidy-schedules').set(auth()).send(PERIOD).expect(201)).body;
  });
  afterAll(() => t?.close());

  it('an institution opened mid-period is paid from its opening day', () => {
    // 30 × 200 × 15/30 = 3,000.00;  未评级 × 0;  no score by 11-30 → 0.85: −450.00;  total 2,550.00
    expect(rows('opened')).toEqual([
      ['未运营（开业前）', '2026-11-01 至 2026-11-15，15 天不计补贴', 0],
      ['床位运营补贴（实际入住床位）', '30 床 × 200 元 × 15/30 个月（2026-11-16 至 2026-11-30，15 天）', 3000],
      ['等级系数（未评级）1', '小计 3,000.00 元 × (1 − 1)（2026-11-16 至 2026-11-30，15 天）', 0],
      ['安全系数（截至 2026-11-30 尚无安全分）0.85', '3,000.00 元 × (0.85 − 1)', -450],
    ]);
    expect(lineOf('opened').amount).toBe(2550);
  });

  it('a bed-count change mid-period: each count for its own days', () => {
    // 30 × 200 × 15/30 = 3,000.00;  45 × 200 × 15/30 = 4,500.00;  7,500.00 × −0.15 = −1,125.00;  total 6,375.00
    expect(rows('beds').filter((r) => r[2] !== 0)).toEqual([
      ['床位运营补贴（实际入住床位）', '30 床 × 200 元 × 15/30 个月（2026-11-01 至 2026-11-15，15 天）', 3000],
      ['床位运营补贴（实际入住床位）', '45 床 × 200 元 × 15/30 个月（2026-11-16 至 2026-11-30，15 天）', 4500],
      ['安全系数（截至 2026-11-30 尚无安全分）0.85', '7,500.00 元 × (0.85 − 1)', -1125],
    ]);
    expect(lineOf('beds').amount).toBe(6375);
  });

  it('a grade awarded mid-period counts from its first day', () => {
    // 3,000.00 (未评级);  3,000.00 + 五级 × 0.4 = 1,200.00;  7,200.00 × −0.15 = −1,080.00;  total 6,120.00
    expect(rows('graded').slice(2, 4)).toEqual([
      ['床位运营补贴（实际入住床位）', '30 床 × 200 元 × 15/30 个月（2026-11-16 至 2026-11-30，15 天）', 3000],
      ['等级系数（五级）1.4', '小计 3,000.00 元 × (1.4 − 1)（2026-11-16 至 2026-11-30，15 天）', 1200],
    ]);
    expect(lineOf('graded').amount).toBe(6120);
  });

  it('a grade revoked mid-period stops counting from the decision date', () => {
    // 11-01…11-20 五级: 30 × 200 × 20/30 = 4,000.00 + 1,600.00;  11-21…11-30 未评级: 2,000.00;  7,600.00 × −0.15 = −1,140.00 → 6,460.00
    expect(rows('revoked')).toEqual([
      ['床位运营补贴（实际入住床位）', '30 床 × 200 元 × 20/30 个月（2026-11-01 至 2026-11-20，20 天）', 4000],
      ['等级系数（五级）1.4', '小计 4,000.00 元 × (1.4 − 1)（2026-11-01 至 2026-11-20，20 天）', 1600],
      ['床位运营补贴（实际入住床位）', '30 床 × 200 元 × 10/30 个月（2026-11-21 至 2026-11-30，10 天）', 2000],
      ['等级系数（未评级）1', '小计 2,000.00 元 × (1 − 1)（2026-11-21 至 2026-11-30，10 天）', 0],
      ['安全系数（截至 2026-11-30 尚无安全分）0.85', '7,600.00 元 × (0.85 − 1)', -1140],
    ]);
    expect(lineOf('revoked').amount).toBe(6460);
  });

  it('a never-inspected institution gets the pass-band coefficient, no more than an inspected one; the score line states its date', () => {
    // never inspected: 6,000.00 × 0.85 = 5,100.00;  score 100 computed for 2026-11-30: 6,000.00 × 1.0 = 6,000.00
    expect(rows('never').at(-1)).toEqual(['安全系数（截至 2026-11-30 尚无安全分）0.85', '6,000.00 元 × (0.85 − 1)', -900]);
    expect(rows('scored').at(-1)).toEqual(['安全系数（2026-11-30 安全分 100，区间 [90, 100]）1', '6,000.00 元 × (1 − 1)', 0]);
    expect([lineOf('never').amount, lineOf('scored').amount]).toEqual([5100, 6000]);
  });

  it('an ineligible (for-profit) institution is listed with 0 and the reason', () => {
    expect(lineOf('forProfit')).toMatchObject({ amount: 0, eligible: false });
    expect(rows('forProfit')).toEqual([['不符合本政策补贴条件：营利属性为“营利性”（本政策补贴：非营利性、未登记）', '不予补贴', 0]]);
  });

  it('a recorded suspension is not paid; the schedule adds up and pins the product policy', async () => {
    // 11-01…11-10: 2,000.00;  11-11…11-20: 0;  11-21…11-30: 2,000.00;  4,000.00 × −0.15 = −600.00 → 3,400.00
    expect(rows('suspended').find((r) => String(r[0]).startsWith('未运营'))).toEqual(['未运营（暂停运营）', '2026-11-11 至 2026-11-20，10 天不计补贴', 0]);
    expect(lineOf('suspended').amount).toBe(3400);
    expect(schedule.lines).toHaveLength(8);
    expect(Math.round(schedule.total * 100)).toBe(schedule.lines.reduce((s, l) => s + Math.round(l.amount * 100), 0));
    expect(schedule.total).toBe(2550 + 6375 + 6120 + 6460 + 5100 + 6000 + 0 + 3400);
    const [pin] = await t.db.query(`SELECT product_policy_version_id AS id FROM subsidy_schedule WHERE id = $1`, [schedule.id]);
    expect(pin.id).toEqual(expect.any(String));
    expect(schedule.productPolicyVersionId).toBe(pin.id);
    // the PDF renders the day-weighted lines
    await t.http().get(`/api/subsidy-schedules/${schedule.id}/export.pdf`).set(auth()).expect(200);
  });

  it('the operating period API: history, validation naming the field, bureau only, audited, scoped', async () => {
    const period = (await t.http().get(`/api/institutions/${ids.beds}/operating-period`).set(auth()).expect(200)).body;
    expect(period).toMatchObject({ openedOn: '2026-01-01', closedOn: null, interruptions: [] });
    expect(period.capacity.map((c: { effectiveFrom: string; occupiedBeds: number; source: string }) => [c.effectiveFrom, c.occupiedBeds, c.source]))
      .toEqual([['2026-01-01', 30, 'registration'], ['2026-11-16', 45, 'update']]);

    const overlap = await t.http().post(`/api/institutions/${ids.suspended}/interruptions`).set(auth())
      .send({ kind: 'closed', fromDate: '2026-11-15', reason: '重叠测试' }).expect(400);
    expect(overlap.body.details).toEqual([expect.objectContaining({ field: 'fromDate', reason: 'interruptionOverlap' })]);
    const early = await openedOn(ids.suspended, '2026-11-12').expect(400);
    expect(early.body.details).toEqual([expect.objectContaining({ field: 'openedOn', reason: 'openedAfterInterruption' })]);

    // an open-ended closure, then ended once
    const closed = (await t.http().post(`/api/institutions/${ids.never}/interruptions`).set(auth())
      .send({ kind: 'closed', fromDate: '2026-12-01', reason: '举办者申请停止运营' }).expect(201)).body;
    expect(closed.closedOn).toBe('2026-12-01');
    const xid = closed.interruptions[0].id;
    await t.http().post(`/api/institutions/${ids.never}/interruptions/${xid}/end`).set(auth()).send({ toDate: '2026-12-10', reason: '恢复运营' }).expect(200);
    await t.http().post(`/api/institutions/${ids.never}/interruptions/${xid}/end`).set(auth()).send({ toDate: '2026-12-11', reason: '再次' }).expect(409);
    await expect(t.db.query(`DELETE FROM institution_interruption WHERE id = $1`, [xid])).rejects.toThrow(/never deleted/);

    const [audit] = await t.db.query(`SELECT count(*)::int AS n FROM audit_event WHERE entity_id = $1 AND action LIKE 'institution.%interruption%'`, [ids.never]);
    expect(audit.n).toBe(2);
    const [opened] = await t.db.query(`SELECT before, after FROM audit_event WHERE entity_id = $1 AND action = 'institution.opened_on'`, [ids.opened]);
    expect(opened).toMatchObject({ after: { openedOn: '2026-11-16' } });

    const officer = await tokenFor(t, await createAccount(t, 'bureau_officer', { divisionCode: '320402' }));
    await t.http().put(`/api/institutions/${ids.opened}/operating-period`).set('Authorization', `Bearer ${officer}`).send({ openedOn: '2026-11-16', reason: '复核' }).expect(200);
    const own = await tokenFor(t, await createAccount(t, 'institution', { institutionId: ids.opened }));
    await t.http().get(`/api/institutions/${ids.opened}/operating-period`).set('Authorization', `Bearer ${own}`).expect(200);
    await t.http().put(`/api/institutions/${ids.opened}/operating-period`).set('Authorization', `Bearer ${own}`).send({ openedOn: '2026-11-01', reason: '想多领' }).expect(403);
    const inspector = await tokenFor(t, await createAccount(t, 'inspector', { divisionCode: '320402' }));
    await t.http().post(`/api/institutions/${ids.opened}/interruptions`).set('Authorization', `Bearer ${inspector}`).send({ kind: 'suspended', fromDate: '2026-11-20', reason: '无权' }).expect(403);
    const other = await tokenFor(t, await createAccount(t, 'bureau_admin', { divisionCode: '320404' }));
    await t.http().get(`/api/institutions/${ids.opened}/operating-period`).set('Authorization', `Bearer ${other}`).expect(404);
    await t.http().put(`/api/institutions/${ids.opened}/operating-period`).set('Authorization', `Bearer ${other}`).send({ openedOn: '2026-11-01', reason: '越权' }).expect(404);
  });

  it('a status change by the bureau opens and ends an interruption (the period follows the status)', async () => {
    const inst = await register('壬·状态变更颐养院');
    const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
    const suspended = (await t.http().patch(`/api/institutions/${inst.id}`).set(auth()).send({ status: 'suspended', version: inst.version }).expect(200)).body;
    let period = (await t.http().get(`/api/institutions/${inst.id}/operating-period`).set(auth()).expect(200)).body;
    expect(period.interruptions).toEqual([expect.objectContaining({ kind: 'suspended', fromDate: today, toDate: null })]);
    await t.http().patch(`/api/institutions/${inst.id}`).set(auth()).send({ status: 'active', version: suspended.version }).expect(200);
    period = (await t.http().get(`/api/institutions/${inst.id}/operating-period`).set(auth()).expect(200)).body;
    expect(period.interruptions).toEqual([expect.objectContaining({ kind: 'suspended', fromDate: today, toDate: today })]);
  });

  it('an institution registered in 筹建 opens on the day it becomes active; one registered suspended is not paid from its first day', async () => {
    const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
    // registered 筹建 on 1 November (dated back in the database: the API registers today), activated today
    const preparing = await register('丑·筹建中颐养院', { status: 'preparing' });
    await t.db.query(`UPDATE institution SET opened_on = '2026-11-01' WHERE id = $1`, [preparing.id]);
    await t.http().patch(`/api/institutions/${preparing.id}`).set(auth()).send({ status: 'active', version: preparing.version }).expect(200);
    expect((await t.http().get(`/api/institutions/${preparing.id}/operating-period`).set(auth()).expect(200)).body.openedOn).toBe(today);
    // registered already suspended
    const suspended = await register('寅·登记即暂停颐养院', { status: 'suspended' });
    const period = (await t.http().get(`/api/institutions/${suspended.id}/operating-period`).set(auth()).expect(200)).body;
    expect(period.interruptions).toEqual([expect.objectContaining({ kind: 'suspended', fromDate: period.openedOn, toDate: null })]);
    // the first is not paid for November (before opening), the second not for December (suspended throughout)
    const november = (await t.http().post('/api/subsidy-schedules').set(auth()).send(PERIOD).expect(201)).body;
    expect(november.lines.find((l: { institutionId: string }) => l.institutionId === preparing.id)?.amount ?? 0).toBe(0);
    const december = (await t.http().post('/api/subsidy-schedules').set(auth()).send({ ...PERIOD, periodStart: '2026-12-01', periodEnd: '2026-12-31' }).expect(201)).body;
    expect(december.lines.find((l: { institutionId: string }) => l.institutionId === suspended.id)?.amount ?? 0).toBe(0);
  });

  it('the migration runs on the previous release\'s rows: opened_on from the registration day, capacity and status backfilled', async () => {
    const live = (await register('癸·升级前登记颐养院')).id;
    const gone = (await register('子·升级前关闭颐养院')).id;
    const migration = new SubsidyTime1764580300000();
    // Migrations are the owner's work: the app's role (t.db) may not alter the tables.
    await t.asOwner(async (q) => {
      await migration.down(q); // the previous release's schema, with its rows
      await q.query(`UPDATE institution SET created_at = '2025-03-31T17:30:00Z', updated_at = '2026-06-30T20:00:00Z' WHERE id = ANY($1)`, [[live, gone]]);
      await q.query(`UPDATE institution SET status = 'closed' WHERE id = $1`, [gone]);
      await migration.up(q);
    });
    // 2025-03-31T17:30Z is 2025-04-01 in Shanghai; 2026-06-30T20:00Z is 2026-07-01
    const rows = await t.db.query(`SELECT id, opened_on::text AS "openedOn" FROM institution WHERE id = ANY($1) ORDER BY name DESC`, [[live, gone]]);
    expect(rows).toEqual([{ id: live, openedOn: '2025-04-01' }, { id: gone, openedOn: '2025-04-01' }]);
    const capacity = await t.db.query(`SELECT effective_from::text AS "from", occupied_beds AS beds, source FROM institution_capacity WHERE institution_id = $1`, [live]);
    expect(capacity).toEqual([{ from: '2025-04-01', beds: 30, source: 'backfill' }]);
    const closed = await t.db.query(`SELECT kind, from_date::text AS "from", to_date AS "to" FROM institution_interruption WHERE institution_id = $1`, [gone]);
    expect(closed).toEqual([{ kind: 'closed', from: '2026-07-01', to: null }]);
  });
});
