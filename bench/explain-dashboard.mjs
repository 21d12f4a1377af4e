// Diagnostic: EXPLAIN (ANALYZE, BUFFERS) of each of the dashboard's queries (the repository's own SQL) on a generated
// dataset; each run `--runs` times (median execution time, the buffers of the last run). The period is the dashboard's
// default (the 12 calendar months ending this month) unless `--from YYYY-MM-DD` is given.
//   npm run build && node bench/explain-dashboard.mjs [--scale 0.3] [--url postgres://… (an already generated bench database)]
//     [--runs 5] [--scopes /320400/,/320400/320402/] [--from YYYY-MM-DD]
process.env.BENCH_NO_MAIN = '1';
const fs = await import('node:fs');
const path = await import('node:path');
const pg = (await import('pg')).default;
const { cleanup, WORK, startDatabase, setDb } = await import('./run.mjs');
const { generate } = await import('./generate.mjs');
const { dist, ROOT } = await import('./lib/util.mjs');
const arg = (name, def) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : def; };
const scale = Number(arg('scale', 0.3));
const runs = Number(arg('runs', 5));
try {
  let url = arg('url');
  if (!url) {
    const db = await startDatabase(console.log);
    setDb(db);
    const dataDir = path.join(WORK, 'data');
    fs.mkdirSync(dataDir, { recursive: true });
    await generate({ url: db.url, scale, seed: 2026, dataDir, log: console.log });
    url = db.url;
  }
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  const { DashboardRepository, TREND_MONTHS } = dist('dashboard/dashboard.repository.js');
  const { monthRange, monthsEnding } = dist('dashboard/months.js');
  const { shanghaiDate } = dist('common/calendar.js');
  const today = shanghaiDate(new Date());
  const from = arg('from', monthRange(monthsEnding(today, TREND_MONTHS ?? 12)[0]).first);
  const scopes = arg('scopes', '/320400/').split(',');
  const out = new Map();
  let label = '';
  const repo = new DashboardRepository({ query: async (sql, params) => {
    const r = await pool.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
    const plan = r.rows.map((x) => x['QUERY PLAN']);
    const text = plan.join('\n');
    const key = `${label} ${sql.replace(/\s+/g, ' ').trim().slice(0, 100)}`;
    const e = out.get(key) ?? { ms: [], key, plan };
    e.ms.push(Number(/Execution Time: ([\d.]+)/.exec(text)?.[1]));
    e.plan = plan;
    e.buffers = plan.find((l) => /Buffers:/.test(l))?.trim() ?? '';
    out.set(key, e);
    return [{}];
  } });
  for (const scope of scopes) {
    label = scope;
    for (let i = 0; i < runs; i++) await repo.summary({ divisionPath: scope, from, to: today, today }).catch(() => {});
  }
  const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const rows = [...out.values()].map((e) => ({ ...e, med: med(e.ms) })).sort((a, b) => b.med - a.med);
  const total = rows.reduce((s, e) => s + e.med, 0);
  const text = rows.map((o) => `=== ${o.med} ms: ${o.key}\n${o.plan.join('\n')}`).join('\n\n');
  fs.mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
  fs.writeFileSync(path.join(ROOT, 'bench', 'results', 'explain-dashboard.txt'), `scale ${arg('url') ? '(given database)' : scale}, period ${from} – ${today}\n\n${text}`);
  console.log(`period ${from} – ${today}`);
  console.log(rows.map((o) => `${o.med.toFixed(2).padStart(9)} ms  ${o.buffers.padEnd(36)} ${o.key}`).join('\n'));
  console.log(`${total.toFixed(2).padStart(9)} ms  sum of medians (${runs} runs each; the app runs them in parallel)`);
  await pool.end();
} finally {
  await cleanup();
}
