import { randomUUID } from 'node:crypto';
import { Client, Pool } from 'pg';
import { DataSource } from 'typeorm';
import { addDays, shanghaiDate } from '../../src/common/calendar';
import { DashboardRepository, itemsFromSummaries, TREND_MONTHS } from '../../src/dashboard/dashboard.repository';
import { monthRange, monthsEnding } from '../../src/dashboard/months';
import { HazardSummariesRepository } from '../../src/hazards/hazard-summaries.repository';
import { HazardSummariesService } from '../../src/hazards/hazard-summaries.service';
import { prng } from '../support/prng';
import { createTestDatabase } from '../support/test-db';

/**
 * The dashboard's maintained summaries (migrations DashboardSummaries and DashboardFlat) equal a full recount after a
 * random sequence of changes to the hazards and inspections — inserts in and out of time order, closing, responding,
 * returning and reopening, moving a finding's time, institution, item, division, due date, severity or listing,
 * deletes, several rows per statement; inspections scheduled, moved, started, submitted, cancelled and deleted — with
 * compaction at random points; and every figure of the dashboard read from them equals the figure counted from the
 * hazards and inspections themselves (the previous release's queries, kept here as the reference) at three scopes,
 * for the default period (from the summaries) and for a period of arbitrary days (from the hazards).
 */
describe('dashboard summaries', () => {
  let db: { url: string; drop(): Promise<void> };
  let c: Client;
  const today = shanghaiDate(new Date());
  const PATHS = ['/320400/320402/320402001/', '/320400/320402/320402002/', '/320400/320404/320404001/', '/320400/'];
  const INSTITUTIONS = Array.from({ length: 5 }, () => randomUUID());
  /** Where each institution is (its findings are filed there; a change below may still move a finding elsewhere). */
  const PATH_OF = new Map(INSTITUTIONS.map((id, i) => [id, PATHS[i % PATHS.length]]));
  /** Every division the paths above are in (a hazard at a street counts at its district and the city too). */
  const SCOPES = [...new Set(PATHS.flatMap((p) => p.split('/').filter(Boolean).map((_, i, segs) => `/${segs.slice(0, i + 1).join('/')}/`)))].sort();
  const ITEMS = ['ESC-001', 'ESC-002', 'FIRE-001', 'GAS-001', 'ELEC-003'];
  const CATEGORY: Record<string, string> = { 'ESC-001': 'ESC', 'ESC-002': 'ESC', 'FIRE-001': 'FIRE', 'GAS-001': 'GAS', 'ELEC-003': 'ELEC' };


  beforeAll(async () => {
    db = await createTestDatabase();
    c = new Client({ connectionString: db.url });
    await c.connect();
    // Only the foreign-key checks of `hazard` (the rows below reference no inspection) and its lifecycle guard (the
    // changes below close and reopen at will) are switched off; the summary triggers under test stay on.
    const off = await c.query(`SELECT tgname FROM pg_trigger WHERE tgrelid = 'hazard'::regclass
                                  AND ((tgconstraint <> 0 AND tgisinternal) OR tgname = 'hazard_status_transition')`);
    for (const { tgname } of off.rows) await c.query(`ALTER TABLE hazard DISABLE TRIGGER "${tgname}"`);
    // likewise the foreign-key checks of `inspection` (its rows below reference no institution, user or checklist)
    const offInspection = await c.query(`SELECT tgname FROM pg_trigger WHERE tgrelid = 'inspection'::regclass AND tgconstraint <> 0 AND tgisinternal`);
    for (const { tgname } of offInspection.rows) await c.query(`ALTER TABLE inspection DISABLE TRIGGER "${tgname}"`);
  });
  afterAll(async () => {
    await c?.end();
    await db?.drop();
  });

  const instant = (r: ReturnType<typeof prng>) => new Date(Date.now() - r.int(0, 420 * 24 * 3600) * 1000 - r.int(0, 999));
  async function insert(r: ReturnType<typeof prng>, n: number) {
    const rows = Array.from({ length: n }, () => {
      const closed = r.next() < 0.4;
      const at = instant(r);
      const institution = r.pick(INSTITUTIONS);
      return [randomUUID(), institution, PATH_OF.get(institution)!, r.pick(ITEMS), at, closed ? new Date(at.getTime() + r.int(0, 60 * 24 * 3600) * 1000) : null];
    });
    const values = rows.map((_, i) => `($${i * 6 + 1}::uuid, $${i * 6 + 2}::uuid, $${i * 6 + 3}, gen_random_uuid(), $${i * 6 + 4}, 'X', '隐患', 'general', 'single', '—', '', 7, current_date, $${i * 6 + 5}::timestamptz, $${i * 6 + 6}::timestamptz,
      CASE WHEN $${i * 6 + 6}::timestamptz IS NULL THEN 'open' ELSE 'closed' END, CASE WHEN $${i * 6 + 6}::timestamptz IS NULL THEN NULL ELSE 'verified' END)`);
    const withCategory = values.map((v, i) => v.replace(`'X'`, `'${CATEGORY[rows[i][3] as string]}'`));
    await c.query(
      `INSERT INTO hazard (inspection_id, institution_id, division_path, checklist_version_id, item_code, category, title_zh, severity, scope, location, note, deadline_days, due_date, created_at, closed_at, status, closure_reason)
       VALUES ${withCategory.join(', ')}`, rows.flat());
  }
  const someIds = async (r: ReturnType<typeof prng>, n: number) =>
    (await c.query(`SELECT id FROM hazard ORDER BY md5(id::text || $1) LIMIT $2`, [String(r.next()), n])).rows.map((x) => x.id as string);

  const STATUSES = ['assigned', 'in_progress', 'submitted', 'cancelled'];
  async function insertInspections(r: ReturnType<typeof prng>, n: number) {
    for (let i = 0; i < n; i++) {
      const status = r.pick(STATUSES);
      const scheduled = r.next() < 0.3 ? null : addDays(today, r.int(-400, 30));
      await c.query(`INSERT INTO inspection (kind, institution_id, division_path, checklist_version_id, status, scheduled_date, submitted_at, submission_id, created_by, created_at)
        VALUES ('routine', $1, $2, gen_random_uuid(), $3::text, $4::date, CASE WHEN $3::text = 'submitted' THEN now() END, CASE WHEN $3::text = 'submitted' THEN gen_random_uuid() END, gen_random_uuid(), $5)`,
      [r.pick(INSTITUTIONS), r.pick(PATHS), status, scheduled, instant(r)]);
    }
  }
  async function randomInspectionChange(r: ReturnType<typeof prng>) {
    const op = r.int(0, 4);
    const ids = (await c.query(`SELECT id FROM inspection ORDER BY md5(id::text || $1) LIMIT $2`, [String(r.next()), r.int(1, 3)])).rows.map((x) => x.id as string);
    if (op === 0) await insertInspections(r, r.int(1, 3));
    else if (op === 1) {
      const status = r.pick(STATUSES);
      await c.query(`UPDATE inspection SET status = $2::text, submitted_at = CASE WHEN $2::text = 'submitted' THEN now() END,
                       submission_id = CASE WHEN $2::text = 'submitted' THEN gen_random_uuid() END WHERE id = ANY($1)`, [ids, status]);
    } else if (op === 2) await c.query(`UPDATE inspection SET scheduled_date = $2 WHERE id = ANY($1)`, [ids, r.next() < 0.3 ? null : addDays(today, r.int(-400, 30))]);
    else if (op === 3) await c.query(`UPDATE inspection SET division_path = $2, created_at = $3 WHERE id = ANY($1)`, [ids, r.pick(PATHS), instant(r)]);
    else await c.query(`DELETE FROM inspection WHERE id = ANY($1)`, [ids.slice(0, 1)]);
  }

  async function randomChange(r: ReturnType<typeof prng>) {
    if (r.next() < 0.25) return randomInspectionChange(r);
    const op = r.int(0, 13);
    const ids = await someIds(r, r.int(1, 3));
    if (op <= 2) await insert(r, r.int(1, 6));
    else if (op === 3) await c.query(`UPDATE hazard SET status = 'closed', closure_reason = 'verified', closed_at = created_at + $2::interval WHERE id = ANY($1)`, [ids, `${r.int(0, 40)} days`]);
    else if (op === 4) await c.query(`UPDATE hazard SET status = 'open', closure_reason = NULL, closed_at = NULL WHERE id = ANY($1)`, [ids]);
    else if (op === 5) await c.query(`UPDATE hazard SET created_at = $2 WHERE id = ANY($1)`, [ids, instant(r)]);
    else if (op === 6) await c.query(`UPDATE hazard SET division_path = $2 WHERE id = ANY($1)`, [ids, r.pick(PATHS)]);
    else if (op === 7) {
      const item = r.pick(ITEMS);
      await c.query(`UPDATE hazard SET institution_id = $2, item_code = $3, category = $4 WHERE id = ANY($1)`, [ids.slice(0, 1), r.pick(INSTITUTIONS), item, CATEGORY[item]]);
    }
    else if (op === 8) await c.query(`DELETE FROM hazard WHERE id = ANY($1)`, [ids.slice(0, 1)]);
    else if (op === 9) await c.query(`UPDATE hazard SET note = 'touched', due_date = due_date + 1 WHERE id = ANY($1)`, [ids]);
    else if (op === 10) await c.query(`UPDATE hazard SET due_date = $2 WHERE id = ANY($1)`, [ids, addDays(today, r.int(-300, 60))]);
    else if (op === 11) await c.query(`UPDATE hazard SET status = $2, closure_reason = NULL, closed_at = NULL WHERE id = ANY($1)`, [ids, r.pick(['responded', 'returned', 'open'])]);
    else if (op === 12) await c.query(`UPDATE hazard SET listed = NOT listed WHERE id = ANY($1)`, [ids]);
    else await c.query(`UPDATE hazard SET severity = CASE severity WHEN 'major' THEN 'general' ELSE 'major' END, major_criterion = coalesce(major_criterion, 'C1'), plan_due_date = coalesce(plan_due_date, due_date) WHERE id = ANY($1)`, [ids]);
    if (r.next() < 0.1) await c.query(`SELECT hazard_day_count_compact()`);
    if (r.next() < 0.1) await c.query(`SELECT dashboard_flat_compact($1::date)`, [today]);
  }

  async function expectSummariesEqualRecount() {
    const counted = await c.query(`
      SELECT division_path, day::text, sum(f)::int AS found, sum(cl)::int AS closed FROM (
        SELECT division_path, (created_at AT TIME ZONE 'Asia/Shanghai')::date AS day, 1 AS f, 0 AS cl FROM hazard
        UNION ALL SELECT division_path, (closed_at AT TIME ZONE 'Asia/Shanghai')::date, 0, 1 FROM hazard WHERE closed_at IS NOT NULL) x
      GROUP BY 1, 2 ORDER BY 1, 2`);
    const kept = await c.query(`SELECT division_path, day::text, sum(found)::int AS found, sum(closed)::int AS closed FROM hazard_day_count
      GROUP BY 1, 2 HAVING sum(found) <> 0 OR sum(closed) <> 0 ORDER BY 1, 2`);
    expect(kept.rows).toEqual(counted.rows);
    const wrong = await c.query(`
      SELECT h.id FROM hazard h JOIN (SELECT id, lag(created_at) OVER w AS p1, lag(created_at, 2) OVER w AS p2 FROM hazard
                                       WINDOW w AS (PARTITION BY institution_id, item_code ORDER BY created_at, id)) x ON x.id = h.id
       WHERE h.previous_found_at IS DISTINCT FROM x.p1 OR h.second_previous_found_at IS DISTINCT FROM x.p2`);
    expect(wrong.rows).toEqual([]);

    // migration DashboardFlat: each summary, summed per key, equals the same figure counted from the rows
    const same = async (kept: string, counted: string, params: unknown[] = []) =>
      expect((await c.query(kept, kept.includes('$1') ? params : [])).rows).toEqual((await c.query(counted, params)).rows);
    await same(`SELECT division_path, severity, category, listed, sum(n)::int AS n FROM hazard_open_count GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0 ORDER BY 1, 2, 3, 4`,
      `SELECT division_path, severity, category, listed, count(*)::int AS n FROM hazard WHERE status <> 'closed' GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`);
    // due dates more than 120 days back may have been folded into one row per path: compared per path below that
    await same(`SELECT division_path, CASE WHEN due_date < $1::date - 120 THEN NULL ELSE due_date::text END AS due, sum(n)::int AS n FROM hazard_due_count
                 GROUP BY 1, 2 HAVING sum(n) <> 0 ORDER BY 1, 2`,
      `SELECT division_path, CASE WHEN due_date < $1::date - 120 THEN NULL ELSE due_date::text END AS due, count(*)::int AS n FROM hazard
        WHERE status IN ('open','returned') GROUP BY 1, 2 ORDER BY 1, 2`, [today]);
    const month = (col: string) => `date_trunc('month', ${col} AT TIME ZONE 'Asia/Shanghai')::date::text`;
    await same(`SELECT scope_path AS scope, month::text, item_code, category, sum(found)::int AS f, sum(prev)::int AS p, sum(pprev)::int AS pp FROM hazard_item_month
                 GROUP BY 1, 2, 3, 4 HAVING sum(found) <> 0 OR sum(prev) <> 0 OR sum(pprev) <> 0 ORDER BY 1, 2, 3, 4`,
      `SELECT s.scope, x.month, x.item_code, x.category, sum(x.f)::int AS f, sum(x.p)::int AS p, sum(x.pp)::int AS pp
         FROM unnest($1::text[]) s(scope)
         JOIN (SELECT division_path, item_code, category, ${month('created_at')} AS month, 1 AS f, 0 AS p, 0 AS pp FROM hazard
               UNION ALL SELECT division_path, item_code, category, ${month('previous_found_at')}, 0, 1, 0 FROM hazard WHERE previous_found_at IS NOT NULL
               UNION ALL SELECT division_path, item_code, category, ${month('second_previous_found_at')}, 0, 0, 1 FROM hazard WHERE second_previous_found_at IS NOT NULL) x
           ON x.division_path LIKE s.scope || '%'
        GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`, [SCOPES]);
    await same(`SELECT division_path, day::text, sum(planned)::int AS planned, sum(done)::int AS done FROM inspection_day_count
                 GROUP BY 1, 2 HAVING sum(planned) <> 0 OR sum(done) <> 0 ORDER BY 1, 2`,
      `SELECT division_path, coalesce(scheduled_date, (created_at AT TIME ZONE 'Asia/Shanghai')::date)::text AS day, count(*)::int AS planned,
              count(*) FILTER (WHERE status = 'submitted')::int AS done FROM inspection WHERE status <> 'cancelled' GROUP BY 1, 2 ORDER BY 1, 2`);
  }

  /** The previous release's trend and per-item queries, over the hazards themselves. */
  async function reference(divisionPath: string, from: string, to: string, months: string[]) {
    const dayStart = (d: string) => `(${d}::date::timestamp AT TIME ZONE 'Asia/Shanghai')`;
    const items = await c.query(`
      SELECT item_code AS "itemCode", sum(n)::int AS n, count(*)::int AS institutions, count(*) FILTER (WHERE n > 1)::int AS "repeatInstitutions"
        FROM (SELECT item_code, institution_id, count(*) AS n FROM hazard
               WHERE division_path LIKE $1 AND created_at >= ${dayStart('$2')} AND created_at < ${dayStart('($3::date + 1)')}
               GROUP BY 1, 2) p GROUP BY 1 ORDER BY 1`, [`${divisionPath}%`, from, to]);
    const month = (col: string) => `to_char((${col} AT TIME ZONE 'Asia/Shanghai')::date, 'YYYY-MM')`;
    const opened = await c.query(`SELECT ${month('created_at')} AS m, count(*)::int AS n FROM hazard WHERE division_path LIKE $1 GROUP BY 1`, [`${divisionPath}%`]);
    const closed = await c.query(`SELECT ${month('closed_at')} AS m, count(*)::int AS n FROM hazard WHERE division_path LIKE $1 AND closed_at IS NOT NULL GROUP BY 1`, [`${divisionPath}%`]);
    const get = (rows: { m: string; n: number }[], m: string) => rows.find((x) => x.m === m)?.n ?? 0;
    // the open hazards, the overdue ones by age and by street, and the inspections of the period, as the previous
    // release counted them from the rows
    const within = `division_path LIKE $1`;
    const open = await c.query(`SELECT severity, category, listed, count(*)::int AS n FROM hazard WHERE ${within} AND status <> 'closed' GROUP BY 1, 2, 3`, [`${divisionPath}%`]);
    const ageing = await c.query(`
      SELECT CASE WHEN $2::date - due_date <= 7 THEN '1–7 天' WHEN $2::date - due_date <= 30 THEN '8–30 天'
                  WHEN $2::date - due_date <= 90 THEN '31–90 天' ELSE '90 天以上' END AS bucket, count(*)::int AS n
        FROM hazard WHERE ${within} AND status IN ('open','returned') AND due_date < $2::date GROUP BY 1`, [`${divisionPath}%`, today]);
    const byStreet = await c.query(`
      SELECT substring(division_path from '/([0-9]{9})/') AS code, count(*)::int AS n
        FROM hazard WHERE ${within} AND status IN ('open','returned') AND due_date < $2::date GROUP BY 1 ORDER BY n DESC, code`, [`${divisionPath}%`, today]);
    const [inspections] = (await c.query(`
      SELECT count(*)::int AS planned, count(*) FILTER (WHERE status = 'submitted')::int AS done FROM inspection
       WHERE ${within} AND status <> 'cancelled' AND coalesce(scheduled_date, (created_at AT TIME ZONE 'Asia/Shanghai')::date) BETWEEN $2 AND $3`,
    [`${divisionPath}%`, from, to])).rows;
    return {
      items: items.rows, trend: months.map((m) => ({ month: m, opened: get(opened.rows, m), closed: get(closed.rows, m) })),
      open: open.rows, ageing: ageing.rows, byStreet: byStreet.rows, inspections,
    };
  }

  it('equal a full recount after a random sequence of changes, and the dashboard reads the same figures as counted from the hazards', async () => {
    const r = prng(20261201);
    await insert(r, 40);
    await insertInspections(r, 15);
    await expectSummariesEqualRecount();
    for (let i = 0; i < 200; i++) await randomChange(r);
    await expectSummariesEqualRecount();
    await c.query(`SELECT hazard_day_count_compact()`);
    await c.query(`SELECT dashboard_flat_compact($1::date)`, [today]);
    await expectSummariesEqualRecount();
    // after compaction, one row per key
    for (const [table, key] of [['hazard_day_count', 'division_path, day'], ['hazard_open_count', 'division_path, severity, category, listed'],
      ['hazard_due_count', 'division_path, due_date'], ['hazard_item_month', 'scope_path, month, item_code, category'], ['inspection_day_count', 'division_path, day']]) {
      const dup = await c.query(`SELECT count(*)::int AS n FROM (SELECT 1 FROM ${table} GROUP BY ${key} HAVING count(*) > 1) x`);
      expect({ table, duplicates: dup.rows[0].n }).toEqual({ table, duplicates: 0 });
    }

    // The dashboard counts an institution's findings where it is: every finding back at its institution's division
    // (a change of division moves the institution, and a repeat is the same institution's, wherever it was filed).
    for (const [id, path] of PATH_OF) await c.query(`UPDATE hazard SET division_path = $2 WHERE institution_id = $1`, [id, path]);
    await expectSummariesEqualRecount();
    const pool = new Pool({ connectionString: db.url, max: 4 });
    const repo = new DashboardRepository({ query: (sql: string, params: unknown[]) => pool.query(sql, params).then((x) => x.rows) } as unknown as DataSource);
    // the dashboard's default period (12 calendar months: from the summaries), another whole-month period, and
    // periods of arbitrary days (from the hazards), ending today or earlier
    const defaultFrom = monthRange(monthsEnding(today, TREND_MONTHS)[0]).first;
    const cases: [string, string, string][] = [
      ['/', defaultFrom, today], ['/320400/', defaultFrom, today], ['/320400/', addDays(today, -365), today], ['/320400/320402/', defaultFrom, today],
      ['/320400/320402/', addDays(today, -90), today], ['/320400/320402/320402001/', monthRange(monthsEnding(today, 4)[0]).first, today],
      ['/320400/320402/320402001/', addDays(today, -200), addDays(today, -20)],
    ];
    for (const [divisionPath, from, to] of cases) {
      expect(itemsFromSummaries({ from, to, today })).toBe(from.endsWith('-01') && to === today);
      const got = await repo.summary({ divisionPath, from, to, today });
      const want = await reference(divisionPath, from, to, got.trend.map((x) => x.month));
      expect(got.trend).toEqual(want.trend);
      const openRows = want.open as { severity: string; category: string; listed: boolean; n: number }[];
      const perCategory = (xs: { severity: string; category: string; n: number }[]) => {
        const m: Record<string, number> = {};
        for (const x of xs) m[`${x.severity}|${x.category}`] = (m[`${x.severity}|${x.category}`] ?? 0) + x.n;
        return m;
      };
      expect(perCategory(got.hazards)).toEqual(perCategory(openRows));
      const sum = (xs: { n: number }[]) => xs.reduce((a, x) => a + x.n, 0);
      expect(got.totals).toMatchObject({ openHazards: sum(openRows), listed: sum(openRows.filter((x) => x.listed)), overdue: sum(want.ageing) });
      expect(Object.fromEntries(got.ageing.map((x) => [x.bucket, x.n]))).toEqual(Object.fromEntries(want.ageing.map((x: { bucket: string; n: number }) => [x.bucket, x.n])));
      expect(got.overdueByStreet.map(({ code, n }) => ({ code, n }))).toEqual(want.byStreet);
      expect(got.inspections).toEqual(want.inspections);
      // every item in the period, with its institutions and its repeats — not only the top ten
      const byCategory = new Map<string, { repeats: number; pairs: number; hazards: number }>();
      for (const x of want.items) {
        const cat = CATEGORY[x.itemCode];
        const e = byCategory.get(cat) ?? { repeats: 0, pairs: 0, hazards: 0 };
        e.repeats += x.n - x.institutions; e.pairs += x.repeatInstitutions; e.hazards += x.n;
        byCategory.set(cat, e);
      }
      expect(Object.fromEntries(got.repeats.map((x) => [x.category, { repeats: x.repeats, pairs: x.pairs, hazards: x.hazards }])))
        .toEqual(Object.fromEntries([...byCategory].filter(([, v]) => v.repeats > 0)));
      const top = [...want.items].sort((a, b) => b.n - a.n || a.itemCode.localeCompare(b.itemCode)).slice(0, 10).map((x) => ({ itemCode: x.itemCode, n: x.n, institutions: x.institutions }));
      expect(got.topItems.map(({ itemCode, n, institutions }) => ({ itemCode, n, institutions }))).toEqual(top);
    }
    await pool.end();
  });

  it('the hourly upkeep repairs a previous-finding link a concurrent submission left behind, and folds the deltas', async () => {
    // what two in-flight submissions for one institution can leave: a finding that does not know its predecessor
    const [{ id }] = (await c.query(`SELECT id FROM hazard h WHERE (SELECT count(*) FROM hazard x WHERE x.institution_id = h.institution_id
                                       AND x.item_code = h.item_code) >= 3 LIMIT 1`)).rows;
    await c.query(`UPDATE hazard SET created_at = now() - interval '1 hour' WHERE id = $1`, [id]); // the latest of its pair now
    await c.query(`UPDATE hazard SET previous_found_at = NULL, second_previous_found_at = NULL WHERE id = $1`, [id]);
    await expect(expectSummariesEqualRecount()).rejects.toThrow();
    await insert(prng(7), 3);
    const service = new HazardSummariesService(new HazardSummariesRepository({ query: (sql: string, params: unknown[]) => c.query(sql, params).then((x) => x.rows) } as unknown as DataSource));
    const report = await service.upkeep();
    expect(report.pairs).toBeGreaterThan(0);
    expect(report.folded).toBeGreaterThan(0);
    await expectSummariesEqualRecount();
  });
});
