// Diagnostic: EXPLAIN ANALYZE of each of the dashboard's queries (the repository's own SQL) on a generated dataset.
//   npm run build && node bench/explain-dashboard.mjs [--scale 0.3]
process.env.BENCH_NO_MAIN = '1';
const fs = await import('node:fs');
const path = await import('node:path');
const pg = (await import('pg')).default;
const { cleanup, WORK, startDatabase, setDb } = await import('./run.mjs');
const { generate } = await import('./generate.mjs');
const { dist, ROOT } = await import('./lib/util.mjs');
const i = process.argv.indexOf('--scale');
const scale = i > 0 ? Number(process.argv[i + 1]) : 0.3;
try {
  const db = await startDatabase(console.log);
  setDb(db);
  const dataDir = path.join(WORK, 'data');
  fs.mkdirSync(dataDir, { recursive: true });
  await generate({ url: db.url, scale, seed: 2026, dataDir, log: console.log });
  const pool = new pg.Pool({ connectionString: db.url, max: 1 });
  const { DashboardRepository } = dist('dashboard/dashboard.repository.js');
  const { shanghaiDate, addDays } = dist('common/calendar.js');
  const out = [];
  const repo = new DashboardRepository({ query: async (sql, params) => {
    const r = await pool.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
    const plan = r.rows.map((x) => x['QUERY PLAN']);
    out.push({ ms: Number(/Execution Time: ([\d.]+)/.exec(plan.join('\n'))?.[1]), sql: sql.replace(/\s+/g, ' ').trim().slice(0, 160), plan });
    return [{}];
  } });
  const today = shanghaiDate(new Date());
  await repo.summary({ divisionPath: '/320400/', from: addDays(today, -365), to: today, today }).catch(() => {});
  out.sort((a, b) => b.ms - a.ms);
  const text = out.map((o) => `=== ${o.ms} ms: ${o.sql}\n${o.plan.join('\n')}`).join('\n\n');
  fs.writeFileSync(path.join(ROOT, 'bench', 'results', 'explain-dashboard.txt'), `scale ${scale}\n\n${text}`);
  console.log(out.map((o) => `${String(o.ms).padStart(9)} ms  ${o.sql}`).join('\n'));
  await pool.end();
} finally {
  await cleanup();
}
