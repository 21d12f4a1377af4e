// Diagnostic: where the time of POST /api/inspections/:id/submit goes. A small dataset (scale 0.05) on a fresh embedded
// PostgreSQL, the app built in process (createApp from dist, production settings) with the V8 profiler on, 8 clients for
// 8 s (below the pool size of 10). Writes bench/results/profile-submit.cpuprofile (open in Chrome DevTools) and prints
// self time by function and by package.   npm run build && BENCH_NO_MAIN=1 node bench/profile-submit.mjs
process.env.BENCH_NO_MAIN = '1';
const { Session } = await import('node:inspector/promises');
const fs = await import('node:fs');
const path = await import('node:path');
const pg = (await import('pg')).default;
const { cleanup, load, prepareInspections, PHOTO, PHOTO_SHA, WORK, startDatabase, setDb } = await import('./run.mjs');
const { generate, BENCH_PASSWORD } = await import('./generate.mjs');
const { dist, json, prng, ROOT } = await import('./lib/util.mjs');

try {
  const db = await startDatabase(console.log);
  setDb(db);
  const dataDir = path.join(WORK, 'data');
  fs.mkdirSync(dataDir, { recursive: true });
  const gen = await generate({ url: db.url, scale: 0.05, seed: 7, dataDir, log: console.log });
  gen.prepared = { app: Array.from({ length: 20 }, () => []), base: Array.from({ length: 20 }, () => []) };
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });
  const c = await pool.connect();
  await prepareInspections(c, gen, 20 * 120, 'app', prng(1));
  c.release();
  const photo = path.join(dataDir, 'evidence', PHOTO_SHA.slice(0, 2), PHOTO_SHA.slice(2, 4), PHOTO_SHA);
  fs.mkdirSync(path.dirname(photo), { recursive: true });
  fs.writeFileSync(photo, PHOTO);

  const { createApp } = dist('bootstrap.js');
  const { loadConfig } = dist('config/env.js');
  const app = await createApp(loadConfig({ DATABASE_URL: db.url, NODE_ENV: 'production', LOG_LEVEL: 'warn', PROCESS_ROLE: 'api', RUN_MIGRATIONS: 'false', DATA_DIR: dataDir, PORT: '0', QUEUE_PREFIX: 'prof' }));
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${app.getHttpServer().address().port}`;
  const tokens = await Promise.all(gen.benchInspectors.map(async (u) => (await json(`${base}/api/auth/tokens`, { method: 'POST', body: { username: u.username, password: BENCH_PASSWORD } })).json.token));
  const next = (k) => {
    const x = gen.prepared.app[k].shift();
    return x && { url: `${base}/api/inspections/${x.id}/submit`, opts: { method: 'POST', body: x.body, headers: { authorization: `Bearer ${tokens[k]}` } } };
  };
  await load({ clients: 8, seconds: 2, next });
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  const res = await load({ clients: 8, seconds: 8, next });
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  console.log(`8 clients: ${res.rps.toFixed(1)} req/s, p50 ${res.p50.toFixed(1)} ms, p99 ${res.p99.toFixed(1)} ms, errors ${res.errors}`);
  fs.writeFileSync(path.join(ROOT, 'bench', 'results', 'profile-submit.cpuprofile'), JSON.stringify(profile));

  // self time per node → per function and per package
  const dt = new Map();
  for (let i = 0; i < profile.samples.length; i++) dt.set(profile.samples[i], (dt.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0));
  const total = [...dt.values()].reduce((a, b) => a + b, 0);
  const byFn = new Map();
  const byPkg = new Map();
  for (const n of profile.nodes) {
    const t = dt.get(n.id) ?? 0;
    if (!t) continue;
    const url = n.callFrame.url || '(native)';
    const fn = `${n.callFrame.functionName || '(anonymous)'} ${url.replace(`file://${ROOT}/`, '')}:${n.callFrame.lineNumber + 1}`;
    byFn.set(fn, (byFn.get(fn) ?? 0) + t);
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
    const pkg = m ? m[1] : url.includes('/dist/') ? 'app (dist/)' : url.startsWith('node:') ? 'node core' : n.callFrame.functionName.startsWith('(') ? n.callFrame.functionName : 'other';
    byPkg.set(pkg, (byPkg.get(pkg) ?? 0) + t);
  }
  const top = (m, k) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k).map(([name, t]) => `${((100 * t) / total).toFixed(1).padStart(5)} %  ${name}`);
  const out = [`self time by package (${(total / 1e6).toFixed(1)} s sampled, load client in the same process):`, ...top(byPkg, 15), '', 'top functions:', ...top(byFn, 30)].join('\n');
  fs.writeFileSync(path.join(ROOT, 'bench', 'results', 'profile-submit.txt'), out);
  console.log(out);
  await app.close();
  await pool.end();
} finally {
  await cleanup();
}
