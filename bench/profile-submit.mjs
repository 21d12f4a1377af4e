// Diagnostic: where the time of POST /api/inspections/:id/submit goes. A small dataset (scale 0.05) on a fresh embedded
// PostgreSQL, the app built in process (createApp from dist, production settings).
//  1. one submission traced: every SQL statement it sends, in order (the pg client's query() counted in this process);
//  2. statements per submission and ms per submission with 1 and 20 clients (PROFILE_SECONDS each, default 6);
//  PROFILE_DURABLE=1: with fsync, synchronous_commit and full_page_writes on (PostgreSQL's defaults) instead of off.
//  PROFILE_AB=/path/a,/path/b (each a built tree: dist/ and node_modules/): instead, each tree's app in a child
//     process on its own copy of this database (one cluster; migrated by this tree: give trees whose schema it
//     holds), the load alternating
//     between them in bursts of PROFILE_SECONDS/2 (PROFILE_ROUNDS rounds, 1 and 20 clients), so that a busy machine
//     slows all of them alike; medians per tree and the ratio to the first.
//  3. with PROFILE_CPU=1, the V8 profiler on at 8 clients for 8 s: bench/results/profile-submit.cpuprofile (open in
//     Chrome DevTools) and self time by function and by package.
// Figures go to bench/results/profile-submit.txt. The load client runs in the same process: compare runs of one
// machine, not absolute numbers.   npm run build && node bench/profile-submit.mjs
process.env.BENCH_NO_MAIN = '1';
const { Session } = await import('node:inspector/promises');
const fs = await import('node:fs');
const path = await import('node:path');
const pg = (await import('pg')).default;
const { cleanup, load, prepareInspections, PHOTO, PHOTO_SHA, WORK, startDatabase, setDb } = await import('./run.mjs');
const { generate, BENCH_PASSWORD } = await import('./generate.mjs');
const { dist, json, prng, ROOT } = await import('./lib/util.mjs');

const SECONDS = Number(process.env.PROFILE_SECONDS ?? 6);
const CPU = process.env.PROFILE_CPU === '1';
const DURABLE = process.env.PROFILE_DURABLE === '1';
/** PROFILE_AB=dirA,dirB,…: built trees of the app (each with its dist/) compared on one database, in alternating bursts. */
const AB = (process.env.PROFILE_AB ?? '').split(',').filter(Boolean);
const ROUNDS = Number(process.env.PROFILE_ROUNDS ?? 4);
const PER_CLIENT = 200;

// Every statement the app sends goes through pg's Client.prototype.query (TypeORM's driver uses it).
let trace = null;
const BACKGROUND = /^(-- Fast set-based bulk insert|UPDATE outbox SET dispatched_at|SELECT id, topic, job_id, payload FROM outbox)/;
let statements = 0;
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (config, ...rest) {
  statements++;
  if (trace) trace.push({ pid: this.processID, t: performance.now(), text: String(typeof config === 'string' ? config : config?.text ?? '').replace(/\s+/g, ' ').trim().slice(0, 110) });
  return query.call(this, config, ...rest);
};

const out = [];
const say = (s) => { console.log(s); out.push(s); };
try {
  const db = await startDatabase(console.log);
  setDb(db);
  const dataDir = path.join(WORK, 'data');
  fs.mkdirSync(dataDir, { recursive: true });
  const gen = await generate({ url: db.url, scale: 0.05, seed: 7, dataDir, log: console.log });
  gen.prepared = { app: Array.from({ length: 20 }, () => []), base: Array.from({ length: 20 }, () => []) };
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });
  const c = await pool.connect();
  await prepareInspections(c, gen, 20 * PER_CLIENT, 'app', prng(1));
  // A/B: each tree gets a copy of this database (same data, same prepared inspections; its own number series).
  for (let k = 0; k < AB.length; k++) gen.prepared[`ab${k}`] = gen.prepared.app.map((q) => [...q]);
  c.release();
  const photo = path.join(dataDir, 'evidence', PHOTO_SHA.slice(0, 2), PHOTO_SHA.slice(2, 4), PHOTO_SHA);
  fs.mkdirSync(path.dirname(photo), { recursive: true });
  fs.writeFileSync(photo, PHOTO);

  if (DURABLE) {
    // The embedded cluster's durable defaults (the generator loaded the data with durability off): CHECKPOINT first.
    if (db.setDurability) await db.setDurability('on');
    else { // a cluster started without the durability flags on its command line
      const a = new pg.Client({ connectionString: db.url });
      await a.connect();
      for (const k of ['fsync', 'synchronous_commit', 'full_page_writes']) await a.query(`ALTER SYSTEM SET ${k} = on`);
      await a.query('SELECT pg_reload_conf()');
      await a.query('CHECKPOINT');
      await a.end();
      await new Promise((r) => setTimeout(r, 500));
    }
    const a = new pg.Client({ connectionString: db.url });
    await a.connect();
    say(`durability on: ${(await a.query("SELECT current_setting('fsync') || '/' || current_setting('synchronous_commit') AS s")).rows[0].s} (fsync/synchronous_commit)`);
    await a.end();
  }
  if (AB.length) {
    await pool.end();
    await compareTrees(db, gen, dataDir);
    await cleanup();
    process.exit(0);
  }
  const { createApp } = dist('bootstrap.js');
  const { loadConfig } = dist('config/env.js');
  const app = await createApp(loadConfig({ DATABASE_URL: db.url, NODE_ENV: 'production', LOG_LEVEL: 'warn', PROCESS_ROLE: 'api', RUN_MIGRATIONS: 'false', DATA_DIR: dataDir, PORT: '0', QUEUE_PREFIX: 'prof' }));
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${app.getHttpServer().address().port}`;
  const tokens = await Promise.all(gen.benchInspectors.map(async (u) => (await json(`${base}/api/auth/tokens`, { method: 'POST', body: { username: u.username, password: BENCH_PASSWORD } })).json.token));
  // Client k submits inspector k's inspections (inspector k leads them); with one client, inspector 0's.
  const next = (k) => {
    const x = gen.prepared.app[k].shift();
    return x && { url: `${base}/api/inspections/${x.id}/submit`, opts: { method: 'POST', body: x.body, headers: { authorization: `Bearer ${tokens[k]}` } } };
  };
  await load({ clients: 20, seconds: 2, next });

  // 1. one submission, traced (after warm-up: the checklist and policy caches are full, as in steady state)
  const one = gen.prepared.app[1][0];
  const req = next(1);
  trace = [];
  const tReq = performance.now();
  const res1 = await fetch(req.url, { method: 'POST', body: req.opts.body, headers: { ...req.opts.headers, 'content-type': 'application/json' } });
  await res1.text();
  const reqMs = performance.now() - tReq;
  // The queue's and the outbox relay's own statements (they run in this process too) are left out.
  // A transaction (START…COMMIT on one connection) with one of them in it is the background's as a whole.
  const open = new Map();
  for (const s of trace) {
    if (s.text === 'START TRANSACTION') open.set(s.pid, [s]);
    else if (open.has(s.pid)) open.get(s.pid).push(s);
    if (BACKGROUND.test(s.text)) s.bg = true;
    if (s.text === 'COMMIT' || s.text === 'ROLLBACK') {
      const tx = open.get(s.pid);
      if (!tx) s.bg = true; // the end of a transaction begun before the trace
      else if (tx.some((x) => x.bg)) for (const x of tx) x.bg = true;
      open.delete(s.pid);
    }
  }
  const t0 = trace.find((s) => !s.bg)?.t ?? 0;
  const traced = trace.filter((s) => !s.bg).map((s) => `+${(s.t - t0).toFixed(1).padStart(6)} ms [${s.pid}] ${s.text}`);
  trace = null;
  const begin = traced.findIndex((s) => s.endsWith('START TRANSACTION')), commit = traced.findLastIndex((s) => s.endsWith('COMMIT'));
  say(`(the request took ${reqMs.toFixed(1)} ms; times are when each statement was sent)`);
  say(`one submission (HTTP ${res1.status}, ${one.items} items, 6 failed with photos, 3 signatures): ${traced.length} statements, ${commit - begin + 1} from START TRANSACTION to COMMIT`);
  traced.forEach((s, i) => say(`${String(i + 1).padStart(3)}  ${s}`));
  // The background's rate (relay polls, queue), subtracted from the counts under load below.
  const idle0 = statements;
  await new Promise((r) => setTimeout(r, 3000));
  const idleRate = (statements - idle0) / 3;

  // 2. statements and ms per submission at 1 and 20 clients
  say('');
  for (const clients of [1, 20]) {
    const s0 = statements;
    const r = await load({ clients, seconds: SECONDS, next });
    const per = r.ok ? (statements - s0 - idleRate * r.elapsed) / r.ok : NaN;
    say(`${String(clients).padStart(2)} client(s) (background ${idleRate.toFixed(1)} statements/s subtracted): ${r.ok} submissions in ${r.elapsed.toFixed(1)} s, ${r.rps.toFixed(1)} req/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, ${per.toFixed(1)} statements/submission, errors ${r.errors}${r.exhausted ? `, exhausted ${r.exhausted}` : ''}${r.errorSamples.length ? ` ${r.errorSamples[0]}` : ''}`);
  }

  // 3. V8 profile
  if (CPU) {
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
    const res = await load({ clients: 8, seconds: 8, next });
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    say(`\n8 clients (profiled): ${res.rps.toFixed(1)} req/s, p50 ${res.p50.toFixed(1)} ms, p99 ${res.p99.toFixed(1)} ms, errors ${res.errors}`);
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
    say([`self time by package (${(total / 1e6).toFixed(1)} s sampled, load client in the same process):`, ...top(byPkg, 15), '', 'top functions:', ...top(byFn, 30)].join('\n'));
  }
  fs.mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
  fs.writeFileSync(path.join(ROOT, 'bench', 'results', 'profile-submit.txt'), out.join('\n') + '\n');
  await app.close();
  await pool.end();
} finally {
  await cleanup();
}

/** The A/B mode: one child process per tree, the same load in alternating bursts. */
async function compareTrees(db, gen, dataDir) {
  const { spawn } = await import('node:child_process');
  const launcher = `
    const path = require('node:path');
    const root = process.argv[1];
    const d = (p) => require(path.join(root, 'dist', 'src', p));
    (async () => {
      const app = await d('bootstrap.js').createApp(d('config/env.js').loadConfig(JSON.parse(process.env.AB_CONFIG)));
      await app.listen(0, '127.0.0.1');
      process.stdout.write('PORT ' + app.getHttpServer().address().port + '\\n');
    })().catch((e) => { console.error(e); process.exit(1); });`;
  const apps = [];
  const admin = new pg.Client({ connectionString: db.url.replace(/\/[^/]+$/, '/postgres') });
  await admin.connect();
  const name = new URL(db.url).pathname.slice(1);
  for (const k of AB.keys()) await admin.query(`CREATE DATABASE ab${k} TEMPLATE ${name}`);
  await admin.end();
  for (const [k, dir] of AB.entries()) {
    const child = spawn(process.execPath, ['-e', launcher, dir], {
      cwd: dir, stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, AB_CONFIG: JSON.stringify({ DATABASE_URL: db.url.replace(/\/[^/]+$/, `/ab${k}`), NODE_ENV: 'production', LOG_LEVEL: 'error', PROCESS_ROLE: 'api', RUN_MIGRATIONS: 'false', DATA_DIR: dataDir, PORT: '0', QUEUE_PREFIX: `ab${k}` }) },
    });
    const port = await new Promise((resolve, reject) => {
      let buf = '';
      child.stdout.on('data', (b) => { buf += b; const m = /PORT (\d+)/.exec(buf); if (m) resolve(Number(m[1])); });
      child.on('exit', (code) => reject(new Error(`${dir}: exited ${code}`)));
    });
    const base = `http://127.0.0.1:${port}`;
    const tokens = await Promise.all(gen.benchInspectors.map(async (u) => (await json(`${base}/api/auth/tokens`, { method: 'POST', body: { username: u.username, password: BENCH_PASSWORD } })).json.token));
    const queue = gen.prepared[`ab${k}`];
    const next = (c) => {
      const x = queue[c].shift();
      return x && { url: `${base}/api/inspections/${x.id}/submit`, opts: { method: 'POST', body: x.body, headers: { authorization: `Bearer ${tokens[c]}` } } };
    };
    apps.push({ dir, child, next, runs: { 1: [], 20: [] } });
  }
  for (const a of apps) await load({ clients: 20, seconds: 1.5, next: a.next }); // warm-up
  for (const clients of [1, 20]) {
    for (let r = 0; r < ROUNDS; r++) {
      for (const a of (r % 2 ? [...apps].reverse() : apps)) a.runs[clients].push(await load({ clients, seconds: SECONDS / 2, next: a.next }));
    }
  }
  const med = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
  say(`A/B, one database copy per tree in one cluster${DURABLE ? ', durability on' : ', durability off'}, ${ROUNDS} alternating bursts of ${SECONDS / 2} s per tree and client count (medians):`);
  for (const clients of [1, 20]) {
    const ref = med(apps[0].runs[clients].map((x) => x.rps));
    for (const a of apps) {
      const runs = a.runs[clients];
      const rps = med(runs.map((x) => x.rps));
      say(`${String(clients).padStart(2)} client(s)  ${a.dir.padEnd(28)} ${rps.toFixed(1).padStart(6)} req/s (${(rps / ref).toFixed(2)}×)  p50 ${med(runs.map((x) => x.p50)).toFixed(1)} ms  p99 ${med(runs.map((x) => x.p99)).toFixed(1)} ms  errors ${runs.reduce((n, x) => n + x.errors, 0)}${runs.some((x) => x.exhausted) ? ' (ran out of inspections)' : ''}`);
    }
  }
  for (const a of apps) a.child.kill('SIGTERM');
  fs.writeFileSync(path.join(ROOT, 'bench', 'results', 'profile-submit-ab.txt'), out.join('\n') + '\n');
}
