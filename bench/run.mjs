// Yi'an benchmarks (issues 7 and 15). `npm run bench` (full, scale 1) or `npm run bench -- --quick` (scale 0.1, short runs).
// Options: --scale N, --seed N, --anchor YYYY-MM-DD, --durability on|off|both (default both), --growth (scales 0.1, 1, 10),
//   --only a,b (submit,processes,redis,scores,exports,ledger,dashboard,devices,pdf,queue,explain,audit), --projected-scores (the score recompute projected from a sample instead of run in full), --keep-logs.
// Every figure is measured with durability off and on (see bench/lib/db.mjs) against a baseline with the same settings;
// the submission also behind a round-robin proxy with 1, 2 and 4 API processes (and their raw-pg baselines), one worker,
// and with the queues on Redis. Results: bench/results/latest.json and latest.md (plus a timestamped copy), the plans in
// bench/results/explain-*.txt, the growth in bench/results/growth-*.md/.json; the table is printed at the end.
import { spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { crc32, deflateSync } from 'node:zlib';
import pg from 'pg';
import { appConnection, freePort, startDatabase } from './lib/db.mjs';
import { explainAll } from './lib/explain.mjs';
import { redisServerPath, startRedis } from './lib/redis.mjs';
import { BENCH_CLIENTS, BENCH_PASSWORD, generate } from './generate.mjs';
import {
  copyRows, dist, json, memOf, ms, now, prng, request, requireDist, ROOT, spawnNode, stopAllChildren, stopChild, summary, waitForHttp,
} from './lib/util.mjs';

const argv = process.argv.slice(2);
const flag = (n) => argv.includes(`--${n}`);
const opt = (n, d) => { const i = argv.indexOf(`--${n}`); return i >= 0 ? argv[i + 1] : (argv.find((a) => a.startsWith(`--${n}=`))?.split('=')[1] ?? d); };
const QUICK = flag('quick');
const SCALE = Number(opt('scale', QUICK ? 0.1 : 1));
const SEED = Number(opt('seed', 2026));
const ONLY = opt('only') ? new Set(opt('only').split(',')) : null;
const want = (k) => !ONLY || ONLY.has(k);
/** A run that is one scale of --growth: the figures that growth compares, one submission configuration per mode. */
const MEMBER = flag('growth-member');
const DURABILITY = opt('durability', 'both');
if (!['on', 'off', 'both'].includes(DURABILITY)) throw new Error('--durability must be on, off or both');
const MODES = DURABILITY === 'both' ? ['off', 'on'] : [DURABILITY];
const BIG = SCALE >= 3; // the big exports take tens of seconds a run: one timed pair, no warm-up pair
const P = QUICK
  ? { submitSeconds: 5, warmSeconds: 1.5, exportRuns: 3, dashboardRuns: 15, pdfRuns: 10, queueNotices: 30 }
  : { submitSeconds: BIG ? 12 : 20, warmSeconds: 2, exportRuns: BIG ? 1 : 3, dashboardRuns: 40, pdfRuns: 30, queueNotices: 120 };
/**
 * The submission configurations, per durability mode: clients, API processes (each also the number of baseline
 * processes), queue backend. Quick: durability off gets 1 and 2 processes and Redis; durable gets the one-process
 * figure on PostgreSQL; quick leaves out 4 processes and the 8-client diagnostic (it stays under 3 minutes only this
 * way — see docs/adr/0006); scale ≥ 3 leaves out the diagnostic and 4 processes (under 30 minutes).
 */
function submitConfigs(mode) {
  const all = [
    { clients: 8, procs: 1, queue: 'pg', key: 'submit', diag: true },
    { clients: BENCH_CLIENTS, procs: 1, queue: 'pg', key: 'submit' },
    { clients: BENCH_CLIENTS, procs: 2, queue: 'pg', key: 'processes' },
    { clients: BENCH_CLIENTS, procs: 4, queue: 'pg', key: 'processes' },
    { clients: BENCH_CLIENTS, procs: 1, queue: 'redis', key: 'redis' },
  ];
  return all.filter((c) => {
    if (!want(c.key)) return false;
    if (MEMBER) return c.clients === BENCH_CLIENTS && c.procs === 1 && c.queue === 'pg';
    if (QUICK) return !c.diag && c.procs <= 2 && (mode === 'off' || (c.procs === 1 && c.queue === 'pg'));
    // scale ≥ 3 (a run that must stay under 30 minutes): no 8-client diagnostic and no 4 processes (1, 2 and 4
    // processes in both modes are the scale-1 full run's), 12-second windows
    if (BIG) return !c.diag && c.procs <= 2;
    return true;
  });
}

const RESULTS = path.join(ROOT, 'bench', 'results');
fs.mkdirSync(RESULTS, { recursive: true });
const WORK = fs.mkdtempSync(path.join(process.env.BENCH_TMP ?? os.tmpdir(), 'yian-bench-'));
fs.chmodSync(WORK, 0o755);
const LOGS = path.join(RESULTS, 'logs');
fs.mkdirSync(LOGS, { recursive: true });
const log = (...a) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...a);

const rows = [];
let MODE = 'off'; // the durability in force (rows are tagged with it)
/** One result row: the measurement, its baseline from the same run, the target and whether it is met; `metric` (a number, lower is better) is what --growth compares. */
function row(r) {
  const x = { mode: MODE, ...r };
  rows.push(x);
  log(`[durability ${x.mode}] ${x.name}: ${x.value}  | baseline ${x.baseline ?? '–'}  | ratio ${x.ratio ?? '–'}  | target ${x.target} → ${x.met}`);
}
const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : String(x));
const f0 = (x) => (Number.isFinite(x) ? x.toFixed(0) : String(x));
const fmtRatio = (x) => (Number.isFinite(x) ? `${x.toFixed(2)}×` : '–');
const metStr = (b) => (b === null ? 'n/a' : b ? 'yes' : 'NO');

let db = null;
let cleaning = null;
const cleanups = [];
function cleanup() {
  cleaning ??= (async () => {
    await stopAllChildren().catch(() => {});
    for (const f of cleanups.splice(0)) await f().catch(() => {});
    if (db) await db.stop().catch(() => {});
    fs.rmSync(WORK, { recursive: true, force: true });
  })();
  return cleaning;
}
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { log(`${sig}: cleaning up`); cleanup().finally(() => process.exit(130)); });

// ---------------------------------------------------------------- images (as test/support/images.ts)

function png(width, height, rgb) {
  const chunk = (type, data) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13); ihdr.writeUInt32BE(width, 0); ihdr.writeUInt32BE(height, 4); ihdr[8] = 8; ihdr[9] = 2;
  const rowBuf = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => rgb).flat())]);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(Array.from({ length: height }, () => rowBuf)))), chunk('IEND', Buffer.alloc(0))]);
}
const sigImage = (k) => `data:image/png;base64,${png(120, 48, [20 + (k % 200), 20, 20]).toString('base64')}`;

// ---------------------------------------------------------------- machine

async function machine(dbUrl) {
  const c = new pg.Client({ connectionString: dbUrl });
  await c.connect();
  const pgVersion = (await c.query('SHOW server_version')).rows[0].server_version;
  await c.end();
  return {
    cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGB: +(os.totalmem() / 2 ** 30).toFixed(1), node: process.version,
    postgres: pgVersion, platform: `${os.type()} ${os.release()}`, database: db.settings,
  };
}

// ---------------------------------------------------------------- the load client

/** `clients` loops, each POSTing its own queue of requests until `seconds` pass; latency of every 2xx, errors counted. */
async function load({ clients, seconds, next }) {
  const lat = [];
  let errors = 0;
  let exhausted = 0;
  const errorSamples = [];
  const t0 = now();
  const end = Date.now() + seconds * 1000;
  await Promise.all(Array.from({ length: clients }, async (_, c) => {
    while (Date.now() < end) {
      const req = next(c);
      if (!req) { exhausted++; return; }
      const s = now();
      try {
        const r = await request(req.url, { ...req.opts, timeoutMs: 20_000 });
        if (r.status >= 200 && r.status < 300) lat.push(ms(s));
        else { errors++; if (errorSamples.length < 3) errorSamples.push(`${r.status} ${r.body?.slice(0, 300)}`); }
      } catch (e) { errors++; if (errorSamples.length < 3) errorSamples.push(String(e)); }
    }
  }));
  const elapsed = ms(t0) / 1000;
  return { ...summary(lat), ok: lat.length, errors, errorSamples, exhausted, elapsed, rps: lat.length / elapsed };
}

// ---------------------------------------------------------------- preparing assigned inspections with uploaded photos

const PHOTO = png(64, 48, [200, 40, 40]);
const PHOTO_SHA = createHash('sha256').update(PHOTO).digest('hex');

/** n assigned inspections (via COPY) of ~60-item institutions, each with 6 items to fail and their photos already uploaded. */
async function prepareInspections(client, gen, n, tag, r, clients = BENCH_CLIENTS) {
  const insp = [];
  const teams = [];
  const evidence = [];
  for (let k = 0; k < n; k++) {
    const c = k % clients;
    const inst = gen.benchInstitutions[r.int(0, gen.benchInstitutions.length - 1)];
    const lead = gen.benchInspectors[c];
    const partner = gen.benchInspectors[(c + 1) % BENCH_CLIENTS];
    const id = randomUUID();
    // prefer general items (a major finding needs a retrieved 判定标准); take 6 at random
    const pool = r.shuffle(inst.applicable.filter((a) => a.severity === 'general' || gen.criteria.includes(a.majorCriterion)).map((a) => a.code));
    const failCodes = pool.slice(0, 6);
    const photos = {};
    for (const code of failCodes) {
      const item = inst.applicable.find((a) => a.code === code);
      photos[code] = [];
      for (let p = 0; p < Math.max(1, item.photo); p++) {
        const evId = randomUUID();
        photos[code].push(evId);
        evidence.push([evId, p === 0 ? PHOTO_SHA : r.hex(64), 'image/png', PHOTO.length, 'finding', id, code, inst.id, inst.divisionPath, lead.id, new Date()]);
      }
    }
    insp.push([id, 'routine', inst.id, inst.divisionPath, gen.checklistVersionId, 'assigned', lead.id]);
    teams.push([id, lead.id, 'lead'], [id, partner.id, 'member']);
    const byCode = new Map(inst.applicable.map((a) => [a.code, a]));
    const body = {
      submissionId: randomUUID(),
      responses: inst.applicable.map((a) => (photos[a.code]
        ? { itemCode: a.code, result: 'fail', note: '现场发现问题：未按要求落实', location: '2号楼3层东侧走廊', severity: byCode.get(a.code).severity,
            majorCriterion: byCode.get(a.code).severity === 'major' ? a.majorCriterion : undefined, scope: 'single', evidenceIds: photos[a.code] }
        : { itemCode: a.code, result: 'pass' })),
      signatures: [
        { role: 'inspector', userId: lead.id, signerName: lead.displayName, image: sigImage(k * 3) },
        { role: 'inspector', userId: partner.id, signerName: partner.displayName, image: sigImage(k * 3 + 1) },
        { role: 'institution_representative', signerName: '李院长', image: sigImage(k * 3 + 2) },
      ],
    };
    gen.prepared[tag][c].push({ id, body: JSON.stringify(body), userId: lead.id, items: inst.applicable.length });
  }
  await copyRows(client, 'inspection', ['id', 'kind', 'institution_id', 'division_path', 'checklist_version_id', 'status', 'created_by'], insp);
  await copyRows(client, 'inspection_team_member', ['inspection_id', 'user_id', 'role'], teams);
  await copyRows(client, 'evidence', ['id', 'sha256', 'mime', 'size_bytes', 'purpose', 'inspection_id', 'item_code', 'institution_id', 'division_path', 'uploaded_by', 'received_at'], evidence);
}

// ---------------------------------------------------------------- main

/** Starts `n` processes of one kind (API or baseline), each on its own port; resolves when all answer. */
async function startProcs(n, { kind, env, logName }) {
  const procs = await Promise.all(Array.from({ length: n }, async (_, k) => {
    const port = await freePort();
    const file = path.join(LOGS, `${logName}-${k + 1}.log`);
    fs.writeFileSync(file, '');
    const child = kind === 'api'
      ? spawnNode(['dist/src/main.js'], { ...env, PORT: String(port), PROCESS_ROLE: 'api' }, file)
      : spawnNode(['bench/baseline-server.mjs'], { ...env, PORT: String(port) }, file);
    await waitForHttp(`http://127.0.0.1:${port}${kind === 'api' ? '/health/live' : '/health'}`, 90_000, child);
    return { port, child };
  }));
  return procs;
}

/** The round-robin proxy (bench/lib/proxy.mjs) in front of the given upstream ports. */
async function startProxy(ports) {
  const port = await freePort();
  const file = path.join(LOGS, 'proxy.log');
  const child = spawnNode(['bench/lib/proxy.mjs'], { PORT: String(port), UPSTREAMS: ports.join(',') }, file);
  await waitForHttp(`http://127.0.0.1:${port}/__proxy`, 10_000, child);
  return { base: `http://127.0.0.1:${port}`, child };
}

async function startWorker(env, name = 'worker') {
  const wlog = path.join(LOGS, `${name}.log`);
  fs.writeFileSync(wlog, '');
  const worker = spawnNode(['dist/src/worker.js'], { ...env, PROCESS_ROLE: 'worker', LOG_LEVEL: 'log', OUTBOX_INTERVAL_MS: '200' }, wlog);
  const t0 = Date.now();
  while (!fs.readFileSync(wlog, 'utf8').includes('queue worker running')) {
    if (worker.exitCode !== null) throw new Error(`worker exited: ${fs.readFileSync(wlog, 'utf8').slice(-2000)}`);
    if (Date.now() - t0 > 90_000) throw new Error('worker did not start');
    await new Promise((res) => setTimeout(res, 100));
  }
  return worker;
}

/** CPU seconds (user + system) a process has used so far (Linux). */
function cpuOf(pid) {
  try {
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch { return NaN; }
}

/** CPU seconds of every PostgreSQL process on the machine (the embedded cluster's postmaster and backends). */
function postgresCpu() {
  let total = 0;
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (!fs.readFileSync(`/proc/${d}/comm`, 'utf8').startsWith('postgres')) continue;
      // utime + stime + cutime + cstime: a backend that exits is reaped by the postmaster, whose children's
      // times then hold it (without them a pool closing idle connections made the sum go down)
      const f = fs.readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1].split(' ');
      total += (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / 100;
    } catch { /* gone */ }
  }
  return total;
}

/**
 * Where the machine's CPU goes during a measured run: CPU seconds per request of the servers measured (all their
 * threads, so sharp's and libuv's pools count), PostgreSQL, the worker, the proxy and this process (the load client).
 * PostgreSQL's figure is every postgres process on the machine (run the bench alone), backends that exited included.
 */
function cpuMeter(pids) {
  const read = () => ({ servers: pids.servers.reduce((a, p) => a + (cpuOf(p) || 0), 0), postgres: postgresCpu(), worker: cpuOf(pids.worker) || 0,
    proxy: cpuOf(pids.proxy) || 0, client: (process.cpuUsage().user + process.cpuUsage().system) / 1e6 });
  const a = read();
  return (requests) => {
    const b = read();
    const per = (k) => +(((b[k] - a[k]) * 1000) / Math.max(1, requests)).toFixed(2);
    return { servers: per('servers'), postgres: per('postgres'), worker: per('worker'), proxy: per('proxy'), client: per('client') };
  };
}
/**
 * Waits until the worker has nothing left from the run before: the outbox relayed and the worker idle (< 5 % of a
 * core over half a second), at most `maxS` seconds. Without it, one side's report and score jobs would be rendered
 * during the next side's measurement and their CPU counted there. Returns the seconds waited.
 */
async function workerQuiet(pool, worker, maxS) {
  const t0 = Date.now();
  for (;;) {
    const c0 = cpuOf(worker.pid);
    await new Promise((r) => setTimeout(r, 500));
    const busy = cpuOf(worker.pid) - c0;
    const { rows: [o] } = await pool.query('SELECT count(*)::int AS n FROM outbox WHERE dispatched_at IS NULL');
    const quiet = o.n === 0 && busy < 0.025;
    if (quiet || Date.now() - t0 > maxS * 1000) return { seconds: (Date.now() - t0) / 1000, quiet };
  }
}
/** How long the submission runs wait for the worker (bounded: a full drain of 20 s of reports takes minutes). */
const DRAIN = QUICK ? { warm: 2, after: 4 } : BIG ? { warm: 3, after: 6 } : { warm: 4, after: 12 };
const fmtCpu = (c) => c ? `CPU ms/request: server ${c.servers}, PostgreSQL ${c.postgres}, worker ${c.worker}, proxy ${c.proxy}, load client ${c.client}` : '';

async function main() {
  const started = Date.now();
  if (ONLY && [...ONLY].every((k) => k === 'audit')) return auditOnly(started); // its own events and database
  log(`mode ${QUICK ? 'quick' : MEMBER ? 'growth member' : 'full'}, scale ${SCALE}, seed ${SEED}, durability ${MODES.join(' then ')}; work dir ${WORK}`);
  const load0 = os.loadavg();
  db = await startDatabase(log);
  const ownerUrl = db.url;
  const mach = await machine(ownerUrl);
  log(`machine: ${mach.cpus} cores, ${mach.memoryGB} GB, Node ${mach.node}, PostgreSQL ${mach.postgres}; load average ${load0.map((x) => x.toFixed(2)).join(' ')}`);
  const timings = {};
  const phase = async (name, fn, { fatal = false } = {}) => {
    const t = Date.now();
    try {
      return await fn();
    } catch (e) {
      // one figure failing (a request cut off, a process that did not start) must not cost the rest of a long run
      if (fatal) throw e;
      log(`${name} FAILED: ${e?.stack ?? e}`);
      row({ key: `failed.${name}`, name: `${name}: FAILED`, unit: '', value: String(e?.message ?? e).slice(0, 200), baseline: '–', ratio: '–', target: '–', met: 'NO' });
      return null;
    } finally {
      timings[name] = +(((Date.now() - t) / 1000) + (timings[name] ?? 0)).toFixed(1);
    }
  };

  // 1. dataset: loaded once with durability off, then measured in each mode (the switch makes it durable first)
  log('generating the dataset…');
  const dataDir = path.join(WORK, 'data');
  fs.mkdirSync(dataDir);
  const gen = await phase('dataset', () => generate({ url: ownerUrl, scale: SCALE, seed: SEED, anchor: opt('anchor'), dataDir, log }), { fatal: true });
  log(`dataset in ${gen.seconds.toFixed(1)} s (${JSON.stringify(gen.phases)}): ${Object.entries(gen.counts).map(([k, v]) => `${k}=${v}`).join(', ')}`);
  const conn = await appConnection(ownerUrl, log);
  log(`the app connects as ${conn.role}`);
  const pool = new pg.Pool({ connectionString: ownerUrl, max: 4 });
  const baseEnv = { DATABASE_URL: conn.url, ...(conn.ownerUrl ? { DATABASE_OWNER_URL: conn.ownerUrl } : {}), NODE_ENV: 'production', LOG_LEVEL: 'warn',
    DATA_DIR: dataDir, QUEUE_PREFIX: 'bench', RUN_MIGRATIONS: 'false', SEED_DEMO: 'false' };
  const extra = { appRole: conn.role, durabilitySwitchSeconds: {}, redis: null };
  const setMode = async (mode) => {
    if (db.durability === mode && MODE === mode) return;
    const t = await db.setDurability(mode);
    MODE = mode;
    extra.durabilitySwitchSeconds[mode] = +((extra.durabilitySwitchSeconds[mode] ?? 0) + t).toFixed(1);
    log(`durability ${mode}: ${db.settings} (switch took ${t.toFixed(1)} s${mode === 'on' ? ': CHECKPOINT + sync' : ''})`);
  };
  const redisBin = redisServerPath();
  if (!redisBin) log('Redis: skipped, redis-server not found');

  try {
    // 2. read figures (and the score recompute), each mode in turn, before any submission adds rows
    for (const [mi, mode] of MODES.entries()) {
      if (!['scores', 'exports', 'ledger', 'dashboard', 'devices'].some(want)) break;
      await setMode(mode);
      if (want('scores') || want('exports') || want('dashboard')) await phase(`scores ${mode}`, () => benchScores(baseEnv, dataDir, pool, gen));
      if (!['exports', 'ledger', 'dashboard', 'devices'].some(want)) continue;
      // at a big scale the read-only figures (which write nothing) only in the first mode: the ledger alone takes minutes a run
      if ((BIG || SCALE >= 1 && MEMBER) && mi > 0) { log(`scale ${SCALE}: exports, ledger and dashboard measured with durability ${MODES[0]} only`); continue; }
      const [api] = await startProcs(1, { kind: 'api', env: baseEnv, logName: 'api' });
      const base = `http://127.0.0.1:${api.port}`;
      const adminToken = await token(base, gen.admin);
      if (want('exports')) await phase(`exports ${mode}`, () => benchExports({ base, adminToken, pool, api: api.child, ledger: false }));
      // quick: the ledger (a read that writes nothing, seconds a run since the history is partitioned) in the first mode only
      if (want('ledger') && !(QUICK && mi > 0)) await phase(`ledger ${mode}`, () => benchExports({ base, adminToken, pool, api: api.child, ledger: true }));
      if (want('dashboard')) await phase(`dashboard ${mode}`, () => benchDashboard({ base, adminToken, pool }));
      if (want('devices') && !(QUICK && mi > 0)) await phase(`devices ${mode}`, () => benchDevices({ base, pool, tag: mode }));
      extra[`apiRssAtEndMB_${mode}`] = memOf(api.child.pid);
      await stopChild(api.child);
    }
    // 3. the plans (durability does not change them)
    if (want('explain') && !ONLY?.has('submit')) {
      await setMode(MODES[0]);
      extra.explain = await phase('explain', () => explainAll({ pool, resultsDir: RESULTS, label: `scale ${SCALE}`, analyze: SCALE < 1 }));
      if (extra.explain) log(`plans: bench/results/explain-ledger-scale-${SCALE}.txt, explain-dashboard-scale-${SCALE}.txt; ${extra.explain.ledger.map((x) => `${x.name}: ${f1(x.ms)} ms, ${x.pruning}`).join(' | ')}`);
      if (extra.explain) row({ key: 'explain.ledger', name: 'hazard ledger, one district, last 30 days (EXPLAIN ANALYZE)', unit: 'ms', value: `${f1(extra.explain.ledger[1].ms)} ms; ${extra.explain.ledger[1].pruning}`,
        baseline: '–', ratio: '–', target: '(plans in bench/results/explain-*.txt)', met: 'n/a', metric: extra.explain.ledger[1].ms, basis: 'hazard', raw: extra.explain });
    }
    // 4. the notice PDF (no database: measured once)
    if (want('pdf')) await phase('pdf', () => benchPdf());
    // 5. write figures: first the queue runs of every mode, then the submission matrices. A queue run times notices on
    // an idle queue; after a submission window the worker has minutes of report PDFs queued (a 20-second window
    // queues far more than it renders), and at scale 10 the durable queue run, timed behind that backlog, rendered
    // 0 of 40 notices in its 10-minute cap.
    const groups = [];
    for (const mode of MODES) {
      for (const queue of ['pg', 'redis']) {
        // the durable PostgreSQL queue runs at a fraction of a notice per second on this machine: full runs only
        const queueWanted = want('queue') && (queue === 'pg' || (want('redis') && !MEMBER && !QUICK)) && (mode === 'off' || (!QUICK && !MEMBER));
        if (queueWanted) groups.push({ mode, queue, configs: [], queueWanted });
      }
    }
    for (const mode of MODES) for (const queue of ['pg', 'redis']) groups.push({ mode, queue, configs: submitConfigs(mode).filter((c) => c.queue === queue), queueWanted: false });
    for (const { mode, queue, configs, queueWanted } of groups) {
      if (!configs.length && !queueWanted) continue;
      await setMode(mode);
      {
        let env = baseEnv;
        let redis = null;
        if (queue === 'redis') {
          if (!redisBin) {
            if (!rows.some((x) => x.key === 'redis' && x.mode === MODE)) row({ key: 'redis', name: 'submission and queue on Redis', unit: '', value: 'Redis: skipped, redis-server not found', baseline: '–', ratio: '–', target: '–', met: 'n/a' });
            continue;
          }
          redis = await startRedis(path.join(WORK, `redis-${mode}`), mode, path.join(LOGS, 'redis.log'));
          extra.redis = { version: redisBin, [mode]: redis.settings };
          env = { ...baseEnv, REDIS_URL: redis.url };
          log(`redis-server on port ${redis.port} (${redis.settings})`);
        }
        try {
          await phase(queueWanted ? `queue ${queue} ${mode}` : `writes ${queue} ${mode}`, () => benchWriteGroup({ configs, queueWanted, gen, pool, env, dataDir, queue }));
        } finally {
          if (redis) await redis.stop();
        }
      }
    }
    // 6. the audit chain's verification (bench/audit-verify.mjs: its own events and database)
    // (it makes its own events and database: in --growth only the scale-1 member runs it)
    if (want('audit') && (!MEMBER || SCALE === 1)) await phase('audit', () => benchAuditVerify());
  } finally {
    await pool.end().catch(() => {});
  }

  const result = {
    issue: 15, mode: QUICK ? 'quick' : MEMBER ? 'growth-member' : 'full', scale: SCALE, seed: SEED, anchor: gen.anchor, durability: MODES,
    startedAt: new Date(started).toISOString(), durationSeconds: Math.round((Date.now() - started) / 1000), machine: { ...mach, loadAverageAtStart: load0, loadAverageAtEnd: os.loadavg() },
    dataset: { seconds: gen.seconds, phases: gen.phases, counts: gen.counts, fkChecksDuringLoad: gen.fkChecksDuringLoad }, timings, rows, extra,
  };
  writeResults(result);
  return result;
}

/** `--only audit`: no data set, only bench/audit-verify.mjs folded into a table. */
async function auditOnly(started) {
  const load0 = os.loadavg();
  await benchAuditVerify();
  const result = {
    issue: 15, mode: QUICK ? 'quick' : 'full', scale: SCALE, seed: SEED, anchor: '–', durability: [], startedAt: new Date(started).toISOString(),
    durationSeconds: Math.round((Date.now() - started) / 1000),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGB: +(os.totalmem() / 2 ** 30).toFixed(1), node: process.version, postgres: '(bench/audit-verify.mjs)', platform: `${os.type()} ${os.release()}`, loadAverageAtStart: load0, loadAverageAtEnd: os.loadavg() },
    dataset: { seconds: 0, phases: {}, counts: {} }, timings: {}, rows, extra: { appRole: '–', durabilitySwitchSeconds: {} },
  };
  writeResults(result);
  return result;
}

async function token(base, username) {
  const r = await json(`${base}/api/auth/tokens`, { method: 'POST', body: { username, password: BENCH_PASSWORD } });
  if (r.status !== 201) throw new Error(`token for ${username}: ${r.status} ${r.body}`);
  return r.json.token;
}

// ---------------------------------------------------------------- submission

/**
 * The submission benchmark for one queue backend in the current durability mode: one worker (PROCESS_ROLE=worker)
 * throughout, up to 4 API processes and 4 raw-pg baseline servers started once; for each configuration a round-robin
 * proxy in front of the first `procs` of each kind, the baseline measured first, then the app, on freshly prepared
 * inspections. The worker's CPU during each side's run is recorded: both sides' outbox rows reach it alike.
 */
const expected = { app: 80, base: 220 }; // req/s guesses for sizing the prepared inspections; then the last measured × 1.5

async function benchWriteGroup({ configs, queueWanted, gen, pool, env, dataDir, queue }) {
  const maxProcs = configs.length ? Math.max(...configs.map((c) => c.procs)) : 0;
  const photoPath = path.join(dataDir, 'evidence', PHOTO_SHA.slice(0, 2), PHOTO_SHA.slice(2, 4), PHOTO_SHA);
  fs.mkdirSync(path.dirname(photoPath), { recursive: true });
  fs.writeFileSync(photoPath, PHOTO);
  const r = prng(SEED + 7 + rows.length);
  /** Assigned inspections for one configuration (COPY), sized from the last measured throughput. */
  const prepare = async (cfg) => {
    gen.prepared = { app: Array.from({ length: BENCH_CLIENTS }, () => []), base: Array.from({ length: BENCH_CLIENTS }, () => []) };
    const need = (side) => Math.ceil((expected[side] * (P.submitSeconds + P.warmSeconds)) / cfg.clients) * cfg.clients + cfg.clients * 5;
    const c = await pool.connect();
    try {
      await prepareInspections(c, gen, need('app'), 'app', r, cfg.clients);
      await prepareInspections(c, gen, need('base'), 'base', r, cfg.clients);
      await c.query('ANALYZE inspection; ANALYZE evidence; ANALYZE inspection_team_member');
    } finally {
      c.release();
    }
  };
  // the worker, the API processes and the baseline servers boot together while the first configuration is prepared
  const t0 = Date.now();
  const [worker, apis, bases] = await Promise.all([
    startWorker(env),
    startProcs(maxProcs, { kind: 'api', env, logName: 'api' }),
    startProcs(maxProcs, { kind: 'baseline', env: { ...env, EVIDENCE_DIR: path.join(dataDir, 'evidence') }, logName: 'baseline' }),
    configs.length ? prepare(configs[0]) : null,
  ]);
  log(`${queue === 'redis' ? 'queues on Redis' : 'queues on PostgreSQL'}: 1 worker, ${maxProcs} API + ${maxProcs} baseline processes up in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const itemsPer = { p50: NaN };
  try {
    if (queueWanted) await benchQueue(pool, gen, queue, worker);
    if (!configs.length) return;
    // a bearer token per inspector (valid in every API process)
    gen.tokens ??= await Promise.all(gen.benchInspectors.map((u) => token(`http://127.0.0.1:${apis[0].port}`, u.username)));
    const tokens = gen.tokens;
    for (const [ci, cfg] of configs.entries()) {
      const { clients, procs } = cfg;
      if (ci > 0) await prepare(cfg);
      itemsPer.p50 = summary(gen.prepared.app.flat().map((x) => x.items)).p50;
      const label = `${clients} clients, ${procs} API process${procs > 1 ? 'es' : ''}${queue === 'redis' ? ', queues on Redis' : ''}`;
      log(`submission: ${label} × ${P.submitSeconds} s, baseline (raw pg, ${procs} process${procs > 1 ? 'es' : ''}) then the app (items per inspection: median ${itemsPer.p50}, 6 failed with photos)…`);
      const measure = async (side, ups, next) => {
        const proxy = await startProxy(ups.slice(0, procs).map((x) => x.port));
        try {
          await load({ clients, seconds: P.warmSeconds, next: next(proxy.base) });
          const before = await workerQuiet(pool, worker, DRAIN.warm);
          const w0 = cpuOf(worker.pid);
          const meter = cpuMeter({ servers: ups.slice(0, procs).map((x) => x.child.pid), worker: worker.pid, proxy: proxy.child.pid });
          const snapshot = side === 'app' && procs === 1 ? (async () => {
            await new Promise((res) => setTimeout(res, Math.min(3000, P.submitSeconds * 500)));
            return (await pool.query(`SELECT state, left(regexp_replace(query, '\\s+', ' ', 'g'), 90) AS query, count(*)::int AS n FROM pg_stat_activity
              WHERE application_name = 'yian' AND backend_type = 'client backend' GROUP BY 1, 2 ORDER BY 3 DESC`)).rows;
          })() : Promise.resolve(null);
          const res = await load({ clients, seconds: P.submitSeconds, next: next(proxy.base) });
          res.workerCpu = (cpuOf(worker.pid) - w0) / res.elapsed;
          // the worker's figure includes a bounded wait after the run (what this run queued: reports, scores)
          res.workerQuietAtStart = before.quiet;
          // (the worker's own cost per submission: measured on the main configuration, one API process, queues on PostgreSQL)
          res.drain = await workerQuiet(pool, worker, procs === 1 && queue === 'pg' && !cfg.diag ? DRAIN.after : 0);
          res.cpu = meter(res.ok + res.errors);
          log(`  ${side === 'app' ? 'app' : 'baseline'}: ${fmtCpu(res.cpu)} (${before.quiet ? 'worker idle at the start' : "worker still busy at the start with the jobs of the run before: the PostgreSQL and worker figures include some of them"}; the worker's includes ${f1(res.drain.seconds)} s after the run${res.drain.quiet ? ', then idle' : ', still busy'})`);
          res.activity = await snapshot;
          const spread = await json(`${proxy.base}/__proxy`);
          res.perProcess = spread.json?.served;
          if (res.errors) log(`  ${side} errors: ${res.errors}: ${res.errorSamples.join(' | ')}`);
          expected[side] = Math.max(20, res.rps * 1.5);
          return res;
        } finally {
          await stopChild(proxy.child);
        }
      };
      const bl = await measure('base', bases, (base) => (k) => {
        const x = gen.prepared.base[k].shift();
        return x && { url: `${base}/submit/${x.id}`, opts: { method: 'POST', body: x.body, headers: { 'x-user-id': x.userId, 'content-type': 'application/json' } } };
      });
      const app = await measure('app', apis, (base) => (k) => {
        const x = gen.prepared.app[k].shift();
        return x && { url: `${base}/api/inspections/${x.id}/submit`, opts: { method: 'POST', body: x.body, headers: { authorization: `Bearer ${tokens[k]}`, 'content-type': 'application/json' } } };
      });
      if (app.activity) log(`  app connections ${Math.min(3, P.submitSeconds / 2)} s in: ${app.activity.map((a) => `${a.n} ${a.state} [${a.query}]`).join('; ')}`);
      const note = (x) => (x.exhausted ? ` (ran out of prepared inspections: ${x.exhausted} clients)` : '') + (x.errors ? ` (${x.errors} errors/timeouts)` : '');
      const ratio = app.rps / bl.rps;
      const main20 = !cfg.diag && procs === 1 && queue === 'pg';
      let target;
      let met;
      if (cfg.diag) { target = '(diagnostic: below pool size)'; met = 'n/a'; } else if (main20 && MODE === 'off') {
        target = 'p99 ≤ 150 ms and ≥ 70 % of baseline throughput'; met = metStr(app.p99 <= 150 && ratio >= 0.7 && !app.errors);
      } else if (main20 || queue === 'redis') {
        target = '≥ 70 % of baseline throughput (same settings)'; met = metStr(ratio >= 0.7 && !app.errors);
      } else {
        // judged against the one-process row of the same mode and backend
        const one = rows.find((x) => x.key === 'submit.20' && x.mode === MODE && x.raw?.queue === queue && x.raw?.procs === 1);
        const appScale = one ? app.rps / one.raw.app.rps : NaN;
        const baseScale = one ? bl.rps / one.raw.baseline.rps : NaN;
        target = procs === 2 ? '≥ 1.5× one process (where the baseline scales likewise)' : '(diagnostic: 4 processes on 2 cores)';
        met = procs !== 2 || !one ? 'n/a' : baseScale >= 1.5 ? metStr(appScale >= 1.5) : `${appScale >= baseScale * 0.9 ? 'yes' : 'NO'} (machine-bound: baseline scales ${fmtRatio(baseScale)})`;
        target += one ? `; app ${fmtRatio(appScale)}, baseline ${fmtRatio(baseScale)} of one process` : '';
      }
      row({ key: cfg.diag ? 'submit.8' : procs === 1 && queue === 'pg' ? 'submit.20' : `submit.20.${procs}p.${queue}`, name: `submit inspection (HTTP, ${label})`, unit: 'ms',
        value: `p50 ${f1(app.p50)} / p99 ${f1(app.p99)} ms; ${f1(app.rps)} req/s${note(app)}`,
        baseline: `raw pg: p50 ${f1(bl.p50)} / p99 ${f1(bl.p99)} ms; ${f1(bl.rps)} req/s${note(bl)}`, ratio: `throughput ${fmtRatio(ratio)} of baseline`,
        target, met, metric: app.p50, basis: 'inspection_response',
        raw: { app, baseline: bl, clients, procs, queue, itemsPerInspection: itemsPer.p50, failedItems: 6, workerCpuApp: app.workerCpu, workerCpuBaseline: bl.workerCpu } });
    }
  } finally {
    await Promise.all([...apis, ...bases].map((x) => stopChild(x.child)));
    await stopChild(worker);
  }
}

// ---------------------------------------------------------------- exports

async function timedCopy(pool, sql, timeoutMs = 0) {
  const { to } = requireDist('pg-copy-streams');
  const c = await pool.connect();
  try {
    await c.query(`SET statement_timeout = ${Math.round(timeoutMs)}`);
    const s = now();
    let bytes = 0;
    await new Promise((resolve, reject) => {
      const st = c.query(to(`COPY (${sql}) TO STDOUT WITH (FORMAT csv, HEADER true)`));
      st.on('data', (d) => { bytes += d.length; });
      st.on('end', resolve);
      st.on('error', reject);
    });
    return { ms: ms(s), bytes };
  } finally {
    await c.query('SET statement_timeout = 0').catch(() => {});
    c.release();
  }
}

async function benchExports({ base, adminToken, pool, api, ledger }) {
  const { ExportsRepository } = dist('exports/exports.repository.js');
  // the SQL exactly as the CSV endpoint sends it to COPY (csv = true: with the formula guard on free-text cells)
  const sql = ledger ? ExportsRepository.prototype.hazardLedgerSql("'/320400/%'", true) : ExportsRepository.prototype.complianceSql("'/320400/%'", true);
  const urlPath = ledger ? '/api/exports/hazards.csv' : '/api/exports/compliance.csv';
  // first the COPY alone, with a cap (it also warms the caches): a query that cannot finish in time is reported, not
  // waited for; a slow one (> 15 s) gets one timed pair instead of P.exportRuns
  const capS = Number(opt('export-cap', 300));
  let first = null;
  try {
    // at scale ≥ 3 no warm-up COPY (the ledger's takes 80 s there): one pair, the app first on the colder cache
    if (!BIG) first = await timedCopy(pool, sql, capS * 1000);
  } catch (e) {
    if (!/statement timeout/.test(e.message)) throw e;
    row({ key: ledger ? 'ledger' : 'exports', name: ledger ? 'hazard-ledger export (all hazards + history)' : 'compliance-score export (all institutions)', unit: 'ms',
      value: `not measured: COPY of the same SQL did not finish in ${capS} s (see the plan in bench/results/explain-ledger-scale-${SCALE}.txt)`, baseline: `COPY > ${capS} s`, ratio: '–',
      target: '≤ 1.5 × COPY, peak RSS ≤ 200 MB', met: 'NO', raw: { copyTimedOutSeconds: capS } });
    return;
  }
  const runs = !first || first.ms > 15_000 ? 1 : P.exportRuns;
  log(`${urlPath}: ${runs} run${runs > 1 ? 's' : ''} each, app vs COPY (${first ? `first COPY ${f0(first.ms)} ms` : 'no warm-up at this scale: the app runs first'})…`);
  const appTimes = [];
  const copyTimes = [];
  let bytes = 0;
  let copyBytes = 0;
  let peak = 0;
  const before = memOf(api.pid);
  for (let i = 0; i < (runs === 1 ? 1 : runs + 1); i++) {
    let sampling = true;
    const sampler = (async () => { while (sampling) { peak = Math.max(peak, memOf(api.pid).rss); await new Promise((r) => setTimeout(r, 20)); } })();
    const s = now();
    const r = await request(`${base}${urlPath}`, { headers: { authorization: `Bearer ${adminToken}` }, discard: true });
    const t = ms(s);
    sampling = false;
    await sampler;
    if (r.status !== 200) throw new Error(`${urlPath}: ${r.status}`);
    bytes = r.size;
    const c = await timedCopy(pool, sql);
    copyBytes = c.bytes;
    if (i > 0 || runs === 1) { appTimes.push(t); copyTimes.push(c.ms); } // the first pair warms the app (one slow pair: the COPY above did, or nothing)
  }
  const a = summary(appTimes);
  const b = summary(copyTimes);
  const after = memOf(api.pid);
  const ratio = a.p50 / b.p50;
  if (ledger) {
    row({ key: 'ledger', metric: a.p50, basis: 'hazard', name: 'hazard-ledger export (all hazards + history)', unit: 'ms', value: `${f0(a.p50)} ms (${(bytes / 2 ** 20).toFixed(1)} MB); server peak RSS ${f0(peak)} MB (before ${f0(before.rss)}, VmHWM ${f0(after.hwm)})`,
      baseline: `COPY TO STDOUT ${f0(b.p50)} ms (${(copyBytes / 2 ** 20).toFixed(1)} MB)`, ratio: fmtRatio(ratio),
      target: '≤ 1.5 × COPY, peak RSS ≤ 200 MB', met: metStr(ratio <= 1.5 && peak <= 200), raw: { app: a, copy: b, bytes, peakRssMB: peak, rssBeforeMB: before.rss, hwmAfterMB: after.hwm } });
  } else {
    row({ key: 'exports', metric: a.p50, basis: 'institution', name: 'compliance-score export (all institutions)', unit: 'ms', value: `${f0(a.p50)} ms (${(bytes / 1024).toFixed(0)} KB)`,
      baseline: `COPY TO STDOUT ${f0(b.p50)} ms`, ratio: fmtRatio(ratio), target: '≤ 1.5 × COPY', met: metStr(ratio <= 1.5), raw: { app: a, copy: b, bytes } });
  }
}

// ---------------------------------------------------------------- scores

async function benchScores(env, dataDir, pool, gen) {
  const { createApp } = dist('bootstrap.js');
  const { loadConfig } = dist('config/env.js');
  const { ScoringService } = dist('scoring/scoring.service.js');
  const { computeSafetyScore } = dist('scoring/domain/safety-score.js');
  const config = loadConfig({ ...env, PROCESS_ROLE: 'api', DATA_DIR: dataDir, PORT: '0' });
  const app = await createApp(config);
  await app.init();
  try {
    const scoring = app.get(ScoringService);
    const { rows: all } = await pool.query(`SELECT id FROM institution WHERE status <> 'closed' ORDER BY id`);
    // a sample through the same service first (one recompute at a time, as after a submission), then recomputeAll
    const sample = all.filter((_, i) => i % Math.max(1, Math.floor(all.length / 30)) === 0).slice(0, 30);
    const s0 = now();
    for (const { id } of sample) await scoring.recompute(id);
    const perSample = ms(s0) / sample.length;
    let t;
    let n;
    let projected = false;
    // recomputeAll is set-based (two reads, batched writes): its cost is not the sample's × N, so it is run in full
    // (the nightly job's path); --projected-scores takes the sample's projection instead
    if (!flag('projected-scores')) {
      log(`recomputing every institution's score (ScoringService.recomputeAll, in process; sample says ${f1(perSample)} ms each)…`);
      const s = now();
      n = await scoring.recomputeAll('/');
      t = ms(s);
    } else {
      projected = true;
      n = all.length;
      t = perSample * n;
      log(`recomputeAll projected from one recompute at a time: ≈ ${f0(t / 1000)} s (${f1(perSample)} ms × ${n}, sample of ${sample.length}; --projected-scores)`);
    }
    // baseline: the same inputs read set-based (two queries) and scored in JS — the floor of any implementation
    const [{ content: rules }] = (await pool.query(`SELECT v.content FROM rule_set s JOIN rule_set_version v ON v.id = s.current_version_id WHERE s.kind = 'scoring_rules'`)).rows;
    const [{ id: rulesVersionId }] = (await pool.query(`SELECT v.id FROM rule_set s JOIN rule_set_version v ON v.id = s.current_version_id WHERE s.kind = 'scoring_rules'`)).rows;
    const s2 = now();
    const { rows: ins } = await pool.query(`SELECT institution_id, id, (submitted_at AT TIME ZONE 'Asia/Shanghai')::date::text AS "submittedOn"
        FROM inspection WHERE status = 'submitted' ORDER BY institution_id, submitted_at DESC`);
    const { rows: hz } = await pool.query(`
        SELECT h.institution_id, h.id, h.inspection_id AS "inspectionId", h.item_code AS "itemCode", h.title_zh AS "titleZh", h.severity, h.scope, h.status,
               h.closure_reason AS "closureReason", h.overdue, coalesce(v.n, 0)::int AS "returnedCount",
               (i.submitted_at AT TIME ZONE 'Asia/Shanghai')::date::text AS "foundOn"
          FROM hazard h JOIN inspection i ON i.id = h.inspection_id
          LEFT JOIN (SELECT hazard_id, count(*) AS n FROM hazard_verification WHERE NOT accepted GROUP BY hazard_id) v ON v.hazard_id = h.id
         ORDER BY h.institution_id, h.created_at, h.item_code`);
    const group = (arr) => { const m = new Map(); for (const x of arr) { let g = m.get(x.institution_id); if (!g) m.set(x.institution_id, (g = [])); g.push(x); } return m; };
    const gi = group(ins);
    const gh = group(hz);
    const asOf = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const { rows: ids } = await pool.query(`SELECT id, division_path FROM institution WHERE status <> 'closed'`);
    const scored = ids.map(({ id, division_path }) => ({ id, division_path, r: computeSafetyScore({ asOf, inspections: gi.get(id) ?? [], hazards: gh.get(id) ?? [] }, rules) }));
    const tb = ms(s2);
    if (projected) {
      // the read benchmarks need every institution scored: store the baseline's (same function, same inputs) results
      const c = await pool.connect();
      try {
        await c.query('BEGIN');
        // random ids, not the seeded generator's: its uuid is a function of one 32-bit state, and at scale 10 a
        // seeded stream runs into the data set's own (inspection_pkey / safety_score_pkey collisions)
        const withIds = scored.map((x) => ({ ...x, sid: randomUUID() }));
        const at = new Date();
        await copyRows(c, 'safety_score', ['id', 'institution_id', 'division_path', 'as_of', 'score', 'cap_applied', 'contributions', 'rule_set_version_id', 'computed_at'],
          withIds.map((x) => [x.sid, x.id, x.division_path, asOf, x.r.score, x.r.capApplied, x.r.contributions, rulesVersionId, at]));
        await c.query(`CREATE TEMP TABLE s_new (institution_id uuid, score_id uuid, score numeric, computed_at timestamptz) ON COMMIT DROP`);
        await copyRows(c, 's_new', ['institution_id', 'score_id', 'score', 'computed_at'], withIds.map((x) => [x.id, x.sid, x.r.score, at]));
        await c.query(`INSERT INTO institution_score SELECT * FROM s_new ON CONFLICT (institution_id) DO UPDATE SET score_id = EXCLUDED.score_id, score = EXCLUDED.score, computed_at = EXCLUDED.computed_at`);
        await c.query('COMMIT');
      } catch (e) {
        await c.query('ROLLBACK').catch(() => {}); // never hand the pool a connection in an aborted transaction
        throw e;
      } finally {
        c.release();
      }
    }
    row({ key: 'scores', metric: t, basis: 'institution', name: `recompute all safety scores (${n} institutions)`, unit: 's',
      value: `${projected ? '≈ ' : ''}${f1(t / 1000)} s total, ${f1(t / n)} ms per institution${projected ? ` (projected from ${sample.length} via ScoringService.recompute)` : ''}`,
      baseline: `set-based read + score in JS: ${f1(tb / 1000)} s`, ratio: fmtRatio(t / tb), target: `≤ 10 s for 3,000${SCALE !== 1 ? ` (scaled: ≤ ${f1(10 * SCALE)} s)` : ''}`,
      met: metStr(t / 1000 <= 10 * SCALE), raw: { ms: t, institutions: n, baselineMs: tb, projected, sampleMsPerInstitution: perSample } });
  } finally {
    await app.close();
  }
}

// ---------------------------------------------------------------- notice PDF

function syntheticNotice(n = 20) {
  const basis = '《养老机构服务安全基本规范》（GB 38600—2019）第6.4条；《中华人民共和国消防法》第二十八条：任何单位、个人不得损坏、挪用或者擅自拆除、停用消防设施、器材，不得埋压、圈占、遮挡消火栓或者占用防火间距。';
  return {
    noticeNo: '常天民安整〔2026〕第0012号', bureauName: '常州市天宁区民政局',
    institution: { name: '常州市天宁区红梅颐养院', address: '常州市天宁区红梅街道竹林西路188号', creditCode: '52320402MJ5767496T' },
    inspection: { date: new Date('2026-11-20T02:00:00Z'), kindLabel: '双随机抽查', reportNo: '常天民安检〔2026〕第0031号' },
    issuedAt: new Date('2026-11-21T02:00:00Z'),
    hazards: Array.from({ length: n }, (_, i) => ({
      no: i + 1, itemCode: `ESC-${String(i + 1).padStart(3, '0')}`, title: `疏散通道堆放杂物，占用疏散宽度（第${i + 1}处）：现场发现轮椅、被褥和纸箱堆放`,
      basis, location: `颐康大厦东楼${(i % 6) + 1}层东侧走廊（失能老人居住区）`, severityLabel: i % 5 === 0 ? '重大隐患（MZ2023-4.2）' : '一般隐患',
      dueDate: '2026-12-23', deadlineDays: i % 5 === 0 ? 0 : 30, interim: i % 5 === 0 ? '立即清除堆放物品，恢复疏散宽度；整改完成前每两小时巡查一次并做好记录。' : null,
    })),
    majorCount: 4,
    howToRespond: ['请登录颐安系统“机构端”，在“整改通知”中签收本通知书，并逐项填写整改情况，上传整改后照片。', '确有困难不能按期完成的，应在整改期限届满前在线申请延期。',
      '对检查认定的隐患有异议的，可在签收本通知书之日起 5 个工作日内在线提出陈述和申辩。', '整改完成后由检查人员复核，符合要求的予以销号。'],
    verifyUrl: 'http://localhost:3000/verify/notice/0123456789abcdef0123456789abcdef', contact: null,
  };
}

async function benchPdf() {
  const { renderRectificationNotice } = dist('reports/notice.pdf.js');
  const data = syntheticNotice(20);
  for (let i = 0; i < 3; i++) await renderRectificationNotice(data); // warm (font load, JIT)
  const t = [];
  let size = 0;
  for (let i = 0; i < P.pdfRuns; i++) { const s = now(); size = (await renderRectificationNotice(data)).length; t.push(ms(s)); }
  // baseline: pdfkit with the same embedded font writing the same text, no layout (tables, line breaking, page numbers)
  const PDFDocument = requireDist('pdfkit');
  const font = fs.readFileSync(requireDist.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf'));
  const plain = () => new Promise((resolve) => {
    const doc = new PDFDocument({ size: 'A4' });
    const chunks = [];
    doc.on('data', (c) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.registerFont('cjk', font);
    doc.font('cjk').fontSize(16).text(data.noticeNo).fontSize(10).text(data.institution.name);
    for (const h of data.hazards) doc.text(`${h.no} ${h.itemCode} ${h.title} ${h.basis} ${h.location} ${h.severityLabel} ${h.dueDate} ${h.interim ?? ''}`);
    for (const p of data.howToRespond) doc.text(p);
    doc.end();
  });
  for (let i = 0; i < 3; i++) await plain();
  const tb = [];
  for (let i = 0; i < P.pdfRuns; i++) { const s = now(); await plain(); tb.push(ms(s)); }
  const a = summary(t);
  const b = summary(tb);
  row({ key: 'pdf', mode: 'any', metric: a.p50, name: 'rectification notice PDF (20 hazards, warm; no database)', unit: 'ms', value: `p50 ${f1(a.p50)} / p99 ${f1(a.p99)} ms (${(size / 1024).toFixed(0)} KB)`,
    baseline: `pdfkit, same font, text only: p50 ${f1(b.p50)} ms`, ratio: fmtRatio(a.p50 / b.p50), target: '≤ 100 ms p50', met: metStr(a.p50 <= 100), raw: { app: a, baseline: b, bytes: size } });
  return a;
}

/** N real notices (inspections with 20 hazards) enqueued through the outbox; the real worker (concurrency 2) renders them. */
async function benchQueue(pool, gen, queue, worker) {
  const n = MODE === 'on' ? Math.min(P.queueNotices, 40) : P.queueNotices;
  const run = rows.length + 1; // each run its own ids and document numbers
  const r = prng(SEED + 11 + run * 101);
  const c = await pool.connect();
  const noticeIds = [];
  try {
    const { rows: [admin] } = await c.query(`SELECT id FROM app_user WHERE username = $1`, [gen.admin]);
    const { rows: items } = await c.query(`SELECT code, category, item FROM checklist_item WHERE version_id = $1`, [gen.checklistVersionId]);
    const itemBy = new Map(items.map((x) => [x.code, x]));
    const insp = []; const hz = []; const notices = [];
    for (let k = 0; k < n; k++) {
      const inst = gen.benchInstitutions[k % gen.benchInstitutions.length];
      const id = randomUUID();
      const at = new Date(Date.now() - 3 * 86_400_000);
      insp.push([id, 'routine', inst.id, inst.divisionPath, gen.checklistVersionId, 'submitted', at, randomUUID(), admin.id, `基准${run}〔2026〕第${k}号`, admin.id]);
      for (const a of inst.applicable.filter((x) => x.severity === 'general').slice(0, 20)) {
        const it = itemBy.get(a.code);
        hz.push([id, inst.id, inst.divisionPath, gen.checklistVersionId, a.code, it.category, it.item.title.zh, 'general', 'single', '2号楼3层东侧走廊', '现场发现问题：未按要求落实',
          it.item.deadlineDays, '2026-12-31', 'open', false, false, 1]);
      }
      const nid = randomUUID();
      noticeIds.push(nid);
      notices.push([nid, id, inst.id, inst.divisionPath, `基准${run}整〔2026〕第${k}号`, admin.id, at, r.hex(32), 'pending']);
    }
    await c.query('BEGIN');
    await copyRows(c, 'inspection', ['id', 'kind', 'institution_id', 'division_path', 'checklist_version_id', 'status', 'submitted_at', 'submission_id', 'submitted_by', 'report_no', 'created_by'], insp);
    await copyRows(c, 'hazard', ['inspection_id', 'institution_id', 'division_path', 'checklist_version_id', 'item_code', 'category', 'title_zh', 'severity', 'scope', 'location', 'note',
      'deadline_days', 'due_date', 'status', 'overdue', 'listed', 'version'], hz);
    await copyRows(c, 'rectification_notice', ['id', 'inspection_id', 'institution_id', 'division_path', 'notice_no', 'issued_by', 'issued_at', 'verify_token', 'pdf_status'], notices);
    await c.query('COMMIT');
    const perNotice = summary(Object.values(hz.reduce((m, h) => ({ ...m, [h[0]]: (m[h[0]] ?? 0) + 1 }), {})));
    // the group's worker, as in production (node dist/src/worker.js, PROCESS_ROLE=worker), outbox swept every 200 ms
    log(`queue: ${n} notice.pdf jobs (${perNotice.p50} hazards each) through the outbox → BullMQ (${queue === 'redis' ? 'Redis' : 'PostgreSQL backend'}) → worker (concurrency 2)…`);
    const s = now();
    await c.query(`INSERT INTO outbox (topic, job_id, payload) SELECT 'notice.pdf', 'notice-pdf-' || id, json_build_object('noticeId', id) FROM unnest($1::uuid[]) AS id`, [noticeIds]);
    let done = 0;
    let failed = 0;
    const deadline = Date.now() + 10 * 60_000;
    while (done + failed < n && Date.now() < deadline) {
      await new Promise((res) => setTimeout(res, 50));
      const { rows: [x] } = await c.query(`SELECT count(*) FILTER (WHERE pdf_status = 'rendered')::int AS done, count(*) FILTER (WHERE pdf_status = 'failed')::int AS failed
        FROM rectification_notice WHERE id = ANY($1)`, [noticeIds]);
      ({ done, failed } = x);
    }
    const t = ms(s);
    const pdfP50 = rows.find((x) => x.name.startsWith('rectification notice PDF'))?.raw.app.p50;
    const ideal = pdfP50 ? 1000 / pdfP50 : NaN;
    row({ key: `queue.${queue}`, metric: t / Math.max(1, done), name: `notice PDFs on the queue (worker, concurrency 2; queues on ${queue === 'redis' ? 'Redis' : 'PostgreSQL'})`, unit: 'notices/s', value: `${f1(done / (t / 1000))} notices/s (${done}/${n} in ${f1(t / 1000)} s${failed ? `, ${failed} failed` : ''})`,
      baseline: Number.isFinite(ideal) ? `render alone, one thread: ${f1(ideal)} notices/s` : '–', ratio: Number.isFinite(ideal) ? fmtRatio((done / (t / 1000)) / ideal) : '–',
      target: '(no target; ≤ 100 ms p50 per notice above)', met: 'n/a', raw: { ms: t, done, failed, hazardsPerNotice: perNotice.p50 } });
  } finally {
    c.release();
  }
}

// ---------------------------------------------------------------- dashboard

async function benchDashboard({ base, adminToken, pool }) {
  const { DashboardRepository } = dist('dashboard/dashboard.repository.js');
  const { shanghaiDate } = dist('common/calendar.js');
  // the web page needs the session cookie
  const login = await request(`${base}/api/auth/login`, { method: 'POST', body: { username: 'bench-admin', password: BENCH_PASSWORD } });
  const cookie = (login.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
  const measure = async (fn) => {
    for (let i = 0; i < 3; i++) await fn();
    const t = [];
    for (let i = 0; i < P.dashboardRuns; i++) { const s = now(); await fn(); t.push(ms(s)); }
    return summary(t);
  };
  log(`dashboard: ${P.dashboardRuns} sequential requests each…`);
  const apiS = await measure(async () => { const r = await request(`${base}/api/dashboard`, { headers: { authorization: `Bearer ${adminToken}` } }); if (r.status !== 200) throw new Error(`dashboard ${r.status} ${r.body}`); });
  const page = await measure(async () => { const r = await request(`${base}/dashboard`, { headers: { cookie } }); if (r.status !== 200) throw new Error(`/dashboard ${r.status}`); });
  // baseline: the repository's own 8 queries on a raw pg pool (same SQL, same parallelism, no HTTP/Nest/TypeORM)
  const repo = new DashboardRepository({ query: (sql, params) => pool.query(sql, params).then((x) => x.rows) });
  const today = shanghaiDate(new Date());
  // the page's default period: the 12 calendar months of the trend chart (month-aligned, so the summaries answer it)
  const { monthsEnding, monthRange } = dist('dashboard/months.js');
  const { TREND_MONTHS } = dist('dashboard/dashboard.repository.js');
  const from = monthRange(monthsEnding(today, TREND_MONTHS)[0]).first;
  const raw = await measure(() => repo.summary({ divisionPath: '/320400/', from, to: today, today }));
  row({ key: 'dashboard', metric: page.p50, basis: 'hazard', name: 'bureau dashboard, whole city', unit: 'ms', value: `GET /dashboard p50 ${f1(page.p50)} / p99 ${f1(page.p99)} ms; /api/dashboard p50 ${f1(apiS.p50)} / p99 ${f1(apiS.p99)} ms`,
    baseline: `same SQL on raw pg: p50 ${f1(raw.p50)} / p99 ${f1(raw.p99)} ms`, ratio: fmtRatio(page.p50 / raw.p50),
    target: SCALE <= 1 ? 'p50 ≤ 100 ms' : 'p50 ≤ 150 ms (1.5 × the scale-1 target; --growth compares with scale 1)',
    met: metStr(Math.max(page.p50, apiS.p50) <= (SCALE <= 1 ? 100 : 150)), raw: { page, api: apiS, baseline: raw } });
}

// ---------------------------------------------------------------- device events (issue 17)

/**
 * 消防物联网: signed batches of device events through POST /api/devices/events (HMAC check, idempotency by event id,
 * the devices' state and the duty clock of each alarm written in one transaction), 4 clients each with its own
 * platform credential and 50 devices, against the same rows appended by a raw-pg multi-row INSERT from 4 connections.
 * Also one event per request (a gateway that does not batch), as information.
 */
async function benchDevices({ base, pool, tag }) {
  const { createHmac } = await import('node:crypto');
  const CLIENTS = 4;
  const DEVICES = 50;
  const BATCH = 100;
  const seconds = P.submitSeconds;
  const [{ id: adminId }] = (await pool.query(`SELECT id FROM app_user WHERE username = 'bench-admin'`)).rows;
  const institutions = (await pool.query(`SELECT id FROM institution ORDER BY id LIMIT $1`, [CLIENTS])).rows.map((r) => r.id);
  const clients = [];
  for (let c = 0; c < CLIENTS; c++) {
    const keyId = `yk_bench${tag}${String(c).padStart(2, '0')}${'0'.repeat(20)}`.slice(0, 23);
    const secret = createHash('sha256').update(`bench-device-${tag}-${c}`).digest('hex');
    const [{ id: credentialId }] = (await pool.query(
      `INSERT INTO device_credential (key_id, kind, division_path, name, secret, created_by) VALUES ($1, 'platform', '/', $2, $3, $4) RETURNING id`,
      [keyId, `bench platform ${tag} ${c}`, secret, adminId])).rows;
    const institutionId = institutions[c % institutions.length];
    const devices = Array.from({ length: DEVICES }, (_, d) => `B${c}-SD-${d}`);
    await pool.query(
      `INSERT INTO device (institution_id, credential_id, vendor_device_id, type, location, created_by)
       SELECT $1, $2, v, 'smoke_detector', '压测', $3 FROM unnest($4::text[]) AS v`, [institutionId, credentialId, adminId, devices]);
    clients.push({ keyId, secret, credentialId, institutionId, devices, seq: 0, deviceIds: (await pool.query(`SELECT id FROM device WHERE credential_id = $1 ORDER BY vendor_device_id`, [credentialId])).rows.map((r) => r.id) });
  }
  const kinds = (i) => (i % 100 === 0 ? 'alarm' : i % 3 === 0 ? 'fault' : 'restored');
  const batchOf = (cl, n) => {
    const at = new Date().toISOString();
    return Array.from({ length: n }, () => { const i = cl.seq++; return { id: `b-${i}`, device: cl.devices[i % DEVICES], type: kinds(i), occurredAt: at }; });
  };
  const signed = (cl, events) => {
    const body = JSON.stringify({ events });
    const ts = String(Math.floor(Date.now() / 1000));
    return { url: `${base}/api/devices/events`, opts: { method: 'POST', body, headers: { 'x-yian-key': cl.keyId, 'x-yian-timestamp': ts, 'x-yian-signature': `sha256=${createHmac('sha256', cl.secret).update(`${ts}\n`).update(body).digest('hex')}` } } };
  };
  // warm-up, then the timed windows
  await load({ clients: CLIENTS, seconds: P.warmSeconds, next: (c) => signed(clients[c], batchOf(clients[c], BATCH)) });
  const batched = await load({ clients: CLIENTS, seconds, next: (c) => signed(clients[c], batchOf(clients[c], BATCH)) });
  const single = await load({ clients: CLIENTS, seconds: Math.max(2, seconds / 2), next: (c) => signed(clients[c], batchOf(clients[c], 1)) });
  const replay = await (async () => {
    const cl = clients[0];
    const events = batchOf(cl, BATCH);
    const first = await request(signed(cl, events).url, signed(cl, events).opts);
    const again = await request(signed(cl, events).url, signed(cl, events).opts);
    return first.status === 200 && again.status === 200 && first.body === again.body;
  })();
  // baseline: the same rows appended by raw pg, a multi-row INSERT of 100 per statement from 4 connections
  let baseSeq = 0;
  const baseLat = [];
  const end = Date.now() + seconds * 1000;
  const t0 = now();
  let baseRows = 0;
  await Promise.all(clients.map(async (cl) => {
    const conn = await pool.connect();
    try {
      while (Date.now() < end) {
        const keys = Array.from({ length: BATCH }, () => `raw-${baseSeq++}`);
        const s = now();
        await conn.query(
          `INSERT INTO device_event (credential_id, event_key, device_id, institution_id, kind, occurred_at, detail)
           SELECT $1, k, d, $2, 'restored', now(), NULL FROM unnest($3::text[], $4::uuid[]) AS x(k, d) ON CONFLICT (credential_id, event_key) DO NOTHING`,
          [cl.credentialId, cl.institutionId, keys, keys.map((_, i) => cl.deviceIds[i % DEVICES])]);
        baseLat.push(ms(s));
        baseRows += BATCH;
      }
    } finally { conn.release(); }
  }));
  const baseRate = baseRows / (ms(t0) / 1000);
  const rate = batched.rps * BATCH;
  row({ key: 'devices', metric: rate ? 1000 / rate : null, basis: 'device', name: 'device events ingested through HTTP (signed batches of 100, 4 clients)', unit: 'events/s',
    value: `${f0(rate)} events/s (${f1(batched.rps)} batches/s, p50 ${f1(batched.p50)} / p99 ${f1(batched.p99)} ms, ${batched.errors} errors); one event per request: ${f0(single.rps)} events/s; replay answered the same: ${replay ? 'yes' : 'NO'}`,
    baseline: `raw-pg INSERT of the same rows: ${f0(baseRate)} events/s`, ratio: fmtRatio(rate / baseRate),
    target: '≥ 1,000 events/s', met: metStr(rate >= 1000 && !batched.errors && replay), raw: { batched, single, baseline: { rate: baseRate, latency: summary(baseLat) } } });
}

// ---------------------------------------------------------------- audit verify (bench/audit-verify.mjs)

/** Runs the audit chain's own benchmark (it makes its events in its own database) and takes its one JSON line. */
async function benchAuditVerify() {
  const script = path.join(ROOT, 'bench', 'audit-verify.mjs');
  const events = Number(opt('audit-events', QUICK ? 50_000 : 1_000_000));
  const limit = (60 * events) / 1_000_000;
  const target = `1 M events ≤ 60 s${events !== 1_000_000 ? ` (scaled: ${f0(events).replace(/\B(?=(\d{3})+$)/g, ',')} ≤ ${f1(limit)} s)` : ''}`;
  if (!fs.existsSync(script)) {
    row({ key: 'audit', mode: 'any', name: 'audit chain verify', unit: 's', value: 'skipped: bench/audit-verify.mjs not there', baseline: '–', ratio: '–', target, met: 'n/a' });
    return;
  }
  log(`audit verify: node bench/audit-verify.mjs --events ${events}…`);
  const file = path.join(LOGS, 'audit-verify.log');
  const out = await new Promise((resolve) => {
    const child = spawn(process.execPath, [script, '--events', String(events)], { cwd: ROOT, env: { ...process.env, BENCH_TMP: WORK }, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (d) => { text += d; });
    child.stderr.on('data', (d) => fs.appendFileSync(file, d));
    const t = setTimeout(() => child.kill('SIGTERM'), 15 * 60_000);
    child.on('exit', (code) => { clearTimeout(t); fs.appendFileSync(file, text); resolve({ code, text }); });
  });
  const line = out.text.trim().split('\n').reverse().find((l) => l.trim().startsWith('{'));
  let j = null;
  try { j = JSON.parse(line); } catch { /* no JSON line */ }
  if (!j) {
    row({ key: 'audit', mode: 'any', name: 'audit chain verify', unit: 's', value: `failed (exit ${out.code}; see bench/results/logs/audit-verify.log)`, baseline: '–', ratio: '–', target, met: 'NO' });
    return;
  }
  const n = j.events ?? j.n ?? events;
  const secs = j.verifySeconds ?? j.seconds ?? (j.verifyMs ?? j.ms) / 1000;
  const per = n / secs;
  const baseSecs = j.baselineSeconds ?? (j.baselineMs ? j.baselineMs / 1000 : NaN);
  row({ key: 'audit', mode: j.durability ?? 'any', metric: secs * 1000, basis: null, name: `audit chain verify (${n.toLocaleString('en')} events${j.algorithm ? `, ${j.algorithm}` : ''})`, unit: 's',
    value: `${f1(secs)} s (${f0(per)} events/s)${j.ok === false || j.valid === false ? ' — NOT VALID' : ''}`,
    baseline: Number.isFinite(baseSecs) ? `${j.baselineLabel ?? 'baseline'}: ${f1(baseSecs)} s` : '–', ratio: Number.isFinite(baseSecs) ? fmtRatio(secs / baseSecs) : '–',
    target, met: metStr((secs * 1_000_000) / n <= 60 && j.ok !== false && j.valid !== false), raw: j });
}

// ---------------------------------------------------------------- output

const MODE_LABEL = { off: 'off', on: 'durable', any: '–' };

function table(result) {
  return ['| benchmark | durability | result | baseline (same run, same settings) | ratio | target | met? |', '|---|---|---|---|---|---|---|',
    ...result.rows.map((r) => `| ${r.name} | ${MODE_LABEL[r.mode] ?? r.mode} | ${r.value} | ${r.baseline ?? '–'} | ${r.ratio ?? '–'} | ${r.target} | ${r.met} |`)];
}

/** What durability costs each figure measured in both modes: the durable metric over the non-durable one. */
function durabilityTable(result) {
  const by = new Map();
  for (const r of result.rows) if (Number.isFinite(r.metric) && (r.mode === 'on' || r.mode === 'off')) by.set(`${r.key}|${r.mode}`, r);
  const keys = [...new Set(result.rows.filter((r) => r.mode === 'on').map((r) => r.key))].filter((k) => by.has(`${k}|off`) && by.has(`${k}|on`));
  if (!keys.length) return [];
  const out = ['', '**What durability costs** (same dataset, same run; the durable figure over the non-durable one; submissions: p50 latency and throughput):', '',
    '| figure | durability off | durable | durable / off |', '|---|---|---|---|'];
  for (const k of keys) {
    const a = by.get(`${k}|off`);
    const b = by.get(`${k}|on`);
    const thr = a.raw?.app?.rps ? `; ${f1(a.raw.app.rps)} → ${f1(b.raw.app.rps)} req/s (baseline ${f1(a.raw.baseline.rps)} → ${f1(b.raw.baseline.rps)})` : '';
    out.push(`| ${b.name} | ${f1(a.metric)} | ${f1(b.metric)} | ${fmtRatio(b.metric / a.metric)}${thr} |`);
  }
  return out;
}

function writeResults(result) {
  const m = result.machine;
  const ph = result.dataset.phases ?? {};
  const lines = [
    `# Yi'an benchmarks — ${result.mode} run (scale ${result.scale}, durability ${result.durability.join(' and ')})`, '',
    `${result.startedAt} · ${m.cpus} × ${m.cpuModel} · ${m.memoryGB} GB · Node ${m.node} · PostgreSQL ${m.postgres} (embedded; the same cluster switched between durability off = fsync, synchronous_commit, full_page_writes off and durable = all three on; shared_buffers 512MB in both) · ${m.platform} · load average at start ${m.loadAverageAtStart.map((x) => x.toFixed(2)).join(' ')}, at end ${m.loadAverageAtEnd.map((x) => x.toFixed(2)).join(' ')}`, '',
    `Dataset (seed ${result.seed}, anchor ${result.anchor}, loaded in ${result.dataset.seconds.toFixed(1)} s with durability off: app init ${ph.init} s, building rows ${ph.js} s, COPY ${ph.copy} s, secondary indexes ${ph.indexes} s, summaries rebuild ${ph.summaries} s, VACUUM ANALYZE ${ph.vacuumAnalyze} s): ${Object.entries(result.dataset.counts).filter(([k]) => !k.endsWith('_expected')).map(([k, v]) => `${k} ${v.toLocaleString('en')}`).join(', ')}`, '',
    `The app connects as ${result.extra.appRole}. Switching to durable (CHECKPOINT + sync of the loaded data) took ${result.extra.durabilitySwitchSeconds.on ?? '–'} s.${result.extra.redis ? ` Redis ${JSON.stringify(result.extra.redis)}.` : ''}`, '',
    ...table(result), ...durabilityTable(result), '',
    `Run took ${result.durationSeconds} s (${Object.entries(result.timings).map(([k, v]) => `${k} ${v} s`).join(', ')}). The load client, the proxy, the worker and the servers share the machine's cores with PostgreSQL; compare ratios, not absolute numbers.`, '',
  ];
  const md = lines.join('\n');
  const stamp = result.startedAt.replace(/[:.]/g, '-');
  // a full run measures every figure a growth member does (and more): it is also this scale's member, so
  // `--growth --growth-reuse` within 6 hours takes it instead of generating the scale again
  if (result.mode === 'growth-member' || (result.mode === 'full' && !ONLY)) {
    fs.mkdirSync(path.join(RESULTS, 'growth-members'), { recursive: true });
    fs.writeFileSync(path.join(RESULTS, 'growth-members', `scale-${result.scale}.json`), JSON.stringify(result, null, 2));
    fs.writeFileSync(path.join(RESULTS, 'growth-members', `scale-${result.scale}.md`), md);
  }
  if (result.mode !== 'growth-member') {
    fs.writeFileSync(path.join(RESULTS, 'latest.json'), JSON.stringify(result, null, 2));
    fs.writeFileSync(path.join(RESULTS, 'latest.md'), md);
  }
  fs.writeFileSync(path.join(RESULTS, `${result.mode}-${stamp}.json`), JSON.stringify(result, null, 2));
  fs.writeFileSync(path.join(RESULTS, `${result.mode}-${stamp}.md`), md);
  console.log(`\n${md}`);
  console.log(`results: bench/results/${result.mode === 'growth-member' ? `growth-members/scale-${result.scale}` : 'latest'}.json/.md (logs in bench/results/logs/); total ${result.durationSeconds} s`);
}

// ---------------------------------------------------------------- growth (--growth)

const GROWTH_LABEL = { scores: 'recompute all scores', exports: 'compliance export', ledger: 'hazard-ledger export', dashboard: 'dashboard', 'submit.20': 'submission (20 clients, p50)',
  'queue.pg': 'notice PDF on the queue (per notice)', 'explain.ledger': 'ledger, one district, 30 days', pdf: 'notice PDF' };

/** How each figure grows between consecutive scales, against how its rows grow; targets that are about growth judged here. */
export function growthReport(members) {
  members.sort((a, b) => a.scale - b.scale);
  const lines = [`# Yi'an benchmarks — growth over scales ${members.map((x) => x.scale).join(', ')}`, '',
    `Members: ${members.map((x) => `scale ${x.scale} (${x.startedAt}, ${x.durationSeconds} s, dataset ${x.dataset.seconds.toFixed(0)} s, load average ${x.machine.loadAverageAtStart[0].toFixed(2)})`).join('; ')}.`, '',
    '| figure | durability | ' + members.map((x) => `scale ${x.scale}`).join(' | ') + ' | growth | target | met? |', '|---|---|' + members.map(() => '---|').join('') + '---|---|---|'];
  const out = [];
  const keys = [...new Set(members.flatMap((x) => x.rows.filter((r) => Number.isFinite(r.metric) && GROWTH_LABEL[r.key]).map((r) => `${r.key}|${r.mode}`)))];
  for (const km of keys) {
    const [key, mode] = km.split('|');
    const pts = members.map((x) => ({ scale: x.scale, r: x.rows.find((r) => r.key === key && r.mode === mode), counts: x.dataset.counts }));
    const growth = [];
    for (let i = 1; i < pts.length; i++) {
      const a = pts[i - 1];
      const b = pts[i];
      if (!a.r || !b.r) continue;
      const basis = b.r.basis;
      const rowsX = basis && a.counts[basis] ? b.counts[basis] / a.counts[basis] : b.scale / a.scale;
      growth.push({ from: a.scale, to: b.scale, x: b.r.metric / a.r.metric, rowsX, basis });
    }
    let target = '–';
    let met = 'n/a';
    const s1 = pts.find((p) => p.scale === 1)?.r;
    const s10 = pts.find((p) => p.scale === 10)?.r;
    if (key === 'dashboard' && s1 && s10) { target = 'p50 ≤ 100 ms at scale 1, ≤ 1.5× that at scale 10'; met = metStr(s1.metric <= 100 && s10.metric <= 1.5 * s1.metric); }
    if (key === 'scores' && growth.length) { target = 'grows at most linearly'; met = metStr(growth.every((g) => g.x <= g.rowsX * 1.15)); }
    if ((key === 'exports' || key === 'ledger') && s10) { target = '≤ 1.5× COPY and ≤ 200 MB RSS at scale 10'; met = s10.met; }
    const fmt = (r) => (r ? `${f1(r.metric)} ms` : '–');
    const g = growth.map((x) => `${x.x.toFixed(1)}× for ${x.rowsX.toFixed(1)}× ${x.basis ? `${x.basis} rows` : 'scale'} (${x.from}→${x.to})`).join('; ');
    lines.push(`| ${GROWTH_LABEL[key]} | ${MODE_LABEL[mode] ?? mode} | ${pts.map((p) => fmt(p.r)).join(' | ')} | ${g || '–'} | ${target} | ${met} |`);
    out.push({ key, mode, label: GROWTH_LABEL[key], points: pts.map((p) => ({ scale: p.scale, metric: p.r?.metric ?? null, value: p.r?.value ?? null })), growth, target, met });
  }
  lines.push('', 'In words: ' + out.filter((o) => o.growth.length).map((o) => `${o.label}${o.mode === 'on' ? ' (durable)' : o.mode === 'off' ? '' : ''}: ${o.growth.map((x) => `${x.x.toFixed(1)}× for ${x.rowsX.toFixed(0)}× rows`).join(', ')}`).join('; ') + '.', '');
  return { md: lines.join('\n'), json: { members: members.map((x) => ({ scale: x.scale, startedAt: x.startedAt, durationSeconds: x.durationSeconds, dataset: x.dataset, machine: x.machine })), figures: out } };
}

async function runGrowth() {
  const scales = (opt('growth-scales', '0.1,1,10')).split(',').map(Number);
  const dir = path.join(RESULTS, 'growth-members');
  fs.mkdirSync(dir, { recursive: true });
  const members = [];
  const started = Date.now();
  const stamp = new Date(started).toISOString().replace(/[:.]/g, '-');
  for (const scale of scales) {
    const file = path.join(dir, `scale-${scale}.json`);
    if (flag('growth-reuse') && fs.existsSync(file) && Date.now() - fs.statSync(file).mtimeMs < 6 * 3600_000) {
      log(`growth: scale ${scale} reused from ${path.relative(ROOT, file)} (--growth-reuse)`);
    } else {
      log(`growth: scale ${scale}…`);
      const args = [...(scale >= 3 ? ['--max-old-space-size=12288'] : []), path.join(ROOT, 'bench', 'run.mjs'), '--scale', String(scale), '--growth-member', '--durability', DURABILITY,
        ...['only', 'seed', 'anchor', 'export-cap', 'audit-events'].flatMap((k) => (opt(k) ? [`--${k}`, opt(k)] : []))];
      const t0 = Date.now();
      const code = await new Promise((resolve) => spawn(process.execPath, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, BENCH_NO_REEXEC: '1' } }).on('exit', resolve));
      log(`growth: scale ${scale} finished in ${((Date.now() - t0) / 1000).toFixed(0)} s (exit ${code})`);
      if (code !== 0) { log(`growth: scale ${scale} failed; the report covers the scales before it`); break; }
    }
    members.push(JSON.parse(fs.readFileSync(file, 'utf8')));
    if (members.length >= 2) {
      const g = growthReport([...members]);
      fs.writeFileSync(path.join(RESULTS, `growth-${stamp}.md`), g.md);
      fs.writeFileSync(path.join(RESULTS, `growth-${stamp}.json`), JSON.stringify(g.json, null, 2));
      fs.writeFileSync(path.join(RESULTS, 'growth-latest.md'), g.md);
      fs.writeFileSync(path.join(RESULTS, 'growth-latest.json'), JSON.stringify(g.json, null, 2));
      console.log(`\n${g.md}`);
    }
  }
  log(`growth: total ${((Date.now() - started) / 1000).toFixed(0)} s; bench/results/growth-latest.md`);
}

// a pool left idle somewhere in this process (e.g. the queue backend of the in-process app) sees the database stop
process.on('uncaughtException', (e) => {
  if (cleaning) return; // connections dropping while the database stops
  console.error('uncaught:', e);
  cleanup().finally(() => process.exit(1));
});

export { cleanup, load, prepareInspections, PHOTO, PHOTO_SHA, WORK, startDatabase };
export const setDb = (d) => { db = d; };

if (!process.env.BENCH_NO_MAIN) {
  const heapGB = v8.getHeapStatistics().heap_size_limit / 2 ** 30;
  if (!flag('growth') && SCALE >= 3 && heapGB < 8 && !process.env.BENCH_NO_REEXEC) {
    // the generator keeps a scale's hazards and events in memory: a bigger heap, same arguments
    log(`scale ${SCALE}: restarting with a 12 GB heap (was ${heapGB.toFixed(1)} GB)`);
    fs.rmSync(WORK, { recursive: true, force: true });
    spawn(process.execPath, ['--max-old-space-size=12288', ...process.argv.slice(1)], { stdio: 'inherit', env: { ...process.env, BENCH_NO_REEXEC: '1' } })
      .on('exit', (code) => process.exit(code ?? 1));
  } else {
    const t0 = Date.now();
    (flag('growth') ? runGrowth() : main())
      .catch((e) => { console.error('bench failed:', e?.stack ?? e); process.exitCode = 1; })
      .finally(() => cleanup().then(() => { log(`total ${((Date.now() - t0) / 1000).toFixed(0)} s`); process.exit(); }));
  }
}
