// Do the queries on the monthly-partitioned history tables (inspection_response, audit_event, notification) prune
// their partitions? Runs the repositories' own SQL (captured from the compiled app, dist/) under EXPLAIN on a
// generated bench database and reports, per query, which partitions the plan touches out of how many, and the time.
//   npm run build && node bench/explain-partitions.mjs --url postgres://… (an already generated bench database)
//   node bench/explain-partitions.mjs [--scale 0.3]      (generates one in a throw-away cluster first)
// Writes the plans to bench/results/explain-partitions.txt; prints one line per query. Used by bench/run.mjs.
const fs = await import('node:fs');
const path = await import('node:path');
const pg = (await import('pg')).default;
const { dist, requireDist, ROOT } = await import('./lib/util.mjs');

const arg = (name, def) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : def; };
const TABLES = ['inspection_response', 'audit_event', 'notification'];

/** Partitions of each table, and which of them a (JSON) plan scans. */
function partitionsIn(plan, all) {
  const seen = new Set();
  let removed = 0;
  (function walk(n) {
    if (n['Relation Name'] && all.has(n['Relation Name']) && n['Actual Loops'] !== 0) seen.add(n['Relation Name']);
    if (n['Subplans Removed']) removed += n['Subplans Removed'];
    for (const c of n.Plans ?? []) walk(c);
  })(plan);
  return { seen, removed };
}

export async function explainPartitions({ url, log = console.log, runs = 3 }) {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const parts = new Map();
  for (const t of TABLES) {
    const { rows } = await pool.query(`SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = to_regclass($1)`, [t]);
    parts.set(t, new Set(rows.map((r) => r.name)));
  }
  const allParts = new Set([...parts.values()].flatMap((s) => [...s]));
  // Without partitions (a database of the previous release) the same queries run as the baseline.
  if (!allParts.size) log('explain-partitions: no partitioned history tables here (migration MonthlyPartitions not applied): baseline plans');

  // The app's repositories on a DataSource whose queries are captured (and still answered, so each method completes).
  requireDist('reflect-metadata');
  const { DataSource } = requireDist('typeorm');
  const { dataSourceOptions } = dist('database/data-source.js');
  const captured = [];
  let label = '';
  const logger = { logQuery: (q, p) => { if (label && /\b(FROM|JOIN)\b/i.test(q)) captured.push({ label, sql: q, params: p ?? [] }); },
    logQueryError() {}, logQuerySlow() {}, logSchemaBuild() {}, logMigration() {}, log() {} };
  const ds = await new DataSource(dataSourceOptions(url, { logging: ['query'], logger, migrations: [] }, 2)).initialize();
  const capture = async (name, fn) => { label = name; try { await fn(); } catch (e) { log(`  ${name}: ${e.message}`); } label = ''; };

  const { AuditRepository } = dist('audit/audit.repository.js');
  const { NotificationsRepository } = dist('notifications/notifications.repository.js');
  const { PreviousFindingsRepository } = dist('inspections/previous-findings.repository.js');
  const { DashboardRepository } = dist('dashboard/dashboard.repository.js');
  const { ExportsRepository } = dist('exports/exports.repository.js');
  const { shanghaiDate } = dist('common/calendar.js');
  const scope = '/320400/';
  const today = shanghaiDate(new Date());
  const weekAgo = shanghaiDate(new Date(Date.now() - 7 * 86400_000));
  const { rows: [sample] } = await pool.query(`SELECT i.id, i.institution_id, i.division_path FROM inspection i WHERE i.status = 'submitted' ORDER BY i.submitted_at DESC LIMIT 1`);
  const { rows: [inst] } = await pool.query(`SELECT u.id FROM app_user u WHERE u.role = 'institution' LIMIT 1`);

  const audit = new AuditRepository(ds);
  await capture('audit log page, last 7 days (the page’s date filter)', () => audit.page({ scopePath: scope, from: new Date(`${weekAgo}T00:00:00+08:00`), until: new Date(`${today}T24:00:00+08:00`) }, 0, 50));
  await capture('audit log page, no date filter (newest first)', () => audit.page({ scopePath: scope }, 0, 50));
  await capture('audit status: the newest event of a subtree', () => audit.lastEventAt(scope));
  if (inst) {
    const user = { id: inst.id, role: 'institution', institutionId: sample?.institution_id, divisionPath: sample?.division_path };
    await capture('notifications inbox (newest first)', () => new NotificationsRepository(ds).inbox(user, 0, 20));
  }
  if (sample) await capture('previous findings of one inspection (by inspection, no time bound)', () => new PreviousFindingsRepository(ds).failedAnswers(sample.id));
  await capture('dashboard summary (city, 12 months)', () => new DashboardRepository(ds).summary({ divisionPath: scope, from: `${today.slice(0, 4) - 1}${today.slice(4, 8)}01`, to: today, today }));
  // The export computes each hazard's 处理记录 (one audit-log lookup by entity) before sorting: a district's, once.
  const district = sample?.division_path?.split('/').slice(0, 3).join('/') + '/';
  label = `hazard ledger export of a district (${district}; each hazard’s 处理记录 from the audit log)`;
  captured.push({ label, sql: new ExportsRepository(ds).hazardLedgerSql('$1'), params: [`${district}%`], runs: 1 });
  label = 'responses recorded in one month (an archive or export by month)';
  captured.push({ label, sql: `SELECT result, count(*) FROM inspection_response WHERE recorded_at >= $1 AND recorded_at < $2 GROUP BY result`,
    params: [new Date(`${today.slice(0, 7)}-01T00:00:00+08:00`), new Date(`${today}T24:00:00+08:00`)] });
  label = '';
  await ds.destroy();

  const results = [];
  const seenLabels = new Map();
  for (const q of captured) {
    const n = (seenLabels.get(q.label) ?? 0) + 1;
    seenLabels.set(q.label, n);
    if (n > 1 || captured.filter((c) => c.label === q.label).length > 1) q.label = `${q.label} #${n}`;
    const ms = [];
    let plan;
    try {
      await pool.query(`EXPLAIN ${q.sql}`, q.params);
    } catch (e) {
      log(`  skipped (${e.message}): ${q.label}`);
      continue;
    }
    for (let i = 0; i < (q.runs ?? runs); i++) {
      const { rows } = await pool.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${q.sql}`, q.params);
      plan = rows[0]['QUERY PLAN'][0];
      ms.push(plan['Execution Time'] + plan['Planning Time']);
    }
    const { rows: text } = await pool.query(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ${q.sql}`, q.params);
    const touched = TABLES.map((t) => {
      const { seen, removed } = partitionsIn(plan.Plan, parts.get(t));
      return parts.get(t).size && (seen.size || removed) ? `${t} ${seen.size}/${parts.get(t).size}${removed ? ` (${removed} pruned at start)` : ''}` : null;
    }).filter(Boolean);
    const med = [...ms].sort((a, b) => a - b)[Math.floor(ms.length / 2)];
    results.push({ label: q.label, ms: med, touched: touched.length ? touched.join(', ') : 'no partitioned table', sql: q.sql, plan: text.map((r) => r['QUERY PLAN']) });
  }
  await pool.end();
  const body = results.map((r) => `=== ${r.label}: ${r.ms.toFixed(2)} ms; partitions scanned: ${r.touched}\n${r.sql.replace(/\s+/g, ' ').trim()}\n${r.plan.join('\n')}`).join('\n\n');
  fs.mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
  fs.writeFileSync(path.join(ROOT, 'bench', 'results', 'explain-partitions.txt'), `${body}\n`);
  for (const r of results) log(`${r.ms.toFixed(2).padStart(9)} ms  ${r.touched.padEnd(44)} ${r.label}`);
  return results;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  let url = arg('url', process.env.BENCH_DATABASE_URL);
  let stop = async () => {};
  try {
    if (!url) {
      const { startDatabase } = await import('./lib/db.mjs');
      const { generate } = await import('./generate.mjs');
      const os = await import('node:os');
      const db = await startDatabase(console.log);
      stop = db.stop;
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yian-explain-'));
      await generate({ url: db.url, scale: Number(arg('scale', 0.3)), seed: 2026, dataDir, log: console.log });
      url = db.url;
    }
    await explainPartitions({ url, runs: Number(arg('runs', 3)) });
  } catch (e) {
    console.error(e);
    process.exitCode = 1;
  } finally {
    await stop();
  }
}
