// Diagnostic: the dashboard over HTTP and as raw SQL, for one or more builds of the app, on one already generated
// bench database (bench/dashboard-db.mjs), in alternating rounds so that a shared machine's load hits them alike.
//   npm run build && node bench/dashboard-compare.mjs --url postgres://… [--roots /path/a,/path/b] [--runs 40] [--rounds 2]
// Each root is a checkout with a built dist/ (default: this one). The raw SQL is the root's own DashboardRepository on
// a pg pool, for the root's default period (as the service computes it) and for the 365-day period.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { BENCH_PASSWORD } from './generate.mjs';
import { json, request, ROOT, summary, waitForHttp } from './lib/util.mjs';
const arg = (n, d) => { const i = process.argv.indexOf(`--${n}`); return i > 0 ? process.argv[i + 1] : d; };
const url = arg('url');
const roots = arg('roots', ROOT).split(',');
const runs = Number(arg('runs', 40));
const rounds = Number(arg('rounds', 2));
const pool = new pg.Pool({ connectionString: url, max: 10 });
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yian-dash-cmp-'));
const results = new Map();
const add = (k, s) => results.set(k, [...(results.get(k) ?? []), ...s]);
const time = async (fn) => { for (let i = 0; i < 3; i++) await fn(); const t = []; for (let i = 0; i < runs; i++) { const s = performance.now(); await fn(); t.push(performance.now() - s); } return t; };
for (let round = 0; round < rounds; round++) {
  for (const root of roots) {
    const name = path.basename(root);
    const req = createRequire(path.join(root, 'dist', 'src', 'index.js'));
    const d = (p) => req(path.join(root, 'dist', 'src', p));
    const port = 20000 + Math.floor(Math.random() * 20000);
    const base = `http://127.0.0.1:${port}`;
    const log = fs.openSync(path.join(dataDir, `${name}.log`), 'a');
    const child = spawn(process.execPath, ['dist/src/main.js'], { cwd: root, stdio: ['ignore', log, log],
      env: { ...process.env, DATABASE_URL: url, NODE_ENV: 'production', LOG_LEVEL: 'warn', DATA_DIR: dataDir, QUEUE_PREFIX: 'bench', RUN_MIGRATIONS: 'false', SEED_DEMO: 'false', PORT: String(port), PROCESS_ROLE: 'api' } });
    try {
      await waitForHttp(`${base}/health/live`, 90_000, child);
      const tok = (await json(`${base}/api/auth/tokens`, { method: 'POST', body: { username: 'bench-admin', password: BENCH_PASSWORD } })).json.token;
      const login = await request(`${base}/api/auth/login`, { method: 'POST', body: { username: 'bench-admin', password: BENCH_PASSWORD } });
      const cookie = (login.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
      const api = await request(`${base}/api/dashboard`, { headers: { authorization: `Bearer ${tok}` } });
      const period = JSON.parse(api.body);
      add(`${name} GET /dashboard`, await time(async () => { const r = await request(`${base}/dashboard`, { headers: { cookie } }); if (r.status !== 200) throw new Error(`/dashboard ${r.status}`); }));
      add(`${name} GET /api/dashboard`, await time(async () => { const r = await request(`${base}/api/dashboard`, { headers: { authorization: `Bearer ${tok}` } }); if (r.status !== 200) throw new Error(`${r.status}`); }));
      const { DashboardRepository } = d('dashboard/dashboard.repository.js');
      const { addDays } = d('common/calendar.js');
      const repo = new DashboardRepository({ query: (sql, params) => pool.query(sql, params).then((x) => x.rows) });
      add(`${name} raw SQL, default period ${period.from}`, await time(() => repo.summary({ divisionPath: '/320400/', from: period.from, to: period.to, today: period.today })));
      add(`${name} raw SQL, 365 days ${addDays(period.today, -365)}`, await time(() => repo.summary({ divisionPath: '/320400/', from: addDays(period.today, -365), to: period.today, today: period.today })));
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      fs.closeSync(log);
    }
  }
}
const f = (x) => x.toFixed(1);
console.log(`${runs} sequential requests × ${rounds} rounds each, alternating; load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
for (const [k, t] of results) { const s = summary(t); console.log(`${k.padEnd(64)} p50 ${f(s.p50).padStart(7)} ms  p99 ${f(s.p99).padStart(7)} ms`); }
await pool.end();
fs.rmSync(dataDir, { recursive: true, force: true });
