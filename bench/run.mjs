// Yi'an benchmarks (issue 7). `npm run bench` (full, scale 1) or `npm run bench -- --quick` (scale 0.1, short runs).
// Options: --scale N, --seed N, --anchor YYYY-MM-DD, --only a,b (submit,exports,ledger,scores,pdf,queue,dashboard), --keep-logs.
// Results: bench/results/latest.json and latest.md (plus a timestamped copy); the table is printed at the end.
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import pg from 'pg';
import { startDatabase } from './lib/db.mjs';
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
const P = QUICK
  ? { submitSeconds: 5, exportRuns: 3, dashboardRuns: 15, pdfRuns: 10, queueNotices: 30 }
  : { submitSeconds: 20, exportRuns: 3, dashboardRuns: 40, pdfRuns: 30, queueNotices: 120 };

const RESULTS = path.join(ROOT, 'bench', 'results');
fs.mkdirSync(RESULTS, { recursive: true });
const WORK = fs.mkdtempSync(path.join(os.tmpdir(), 'yian-bench-'));
fs.chmodSync(WORK, 0o755);
const LOGS = path.join(RESULTS, 'logs');
fs.mkdirSync(LOGS, { recursive: true });
const log = (...a) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...a);

const rows = [];
/** One result row: the measurement, its baseline from the same run, the target and whether it is met. */
function row(r) {
  rows.push(r);
  log(`${r.name}: ${r.value}  | baseline ${r.baseline ?? '–'}  | ratio ${r.ratio ?? '–'}  | target ${r.target} → ${r.met}`);
}
const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : String(x));
const f0 = (x) => (Number.isFinite(x) ? x.toFixed(0) : String(x));
const fmtRatio = (x) => (Number.isFinite(x) ? `${x.toFixed(2)}×` : '–');
const metStr = (b) => (b === null ? 'n/a' : b ? 'yes' : 'NO');

let db = null;
let cleaning = null;
function cleanup() {
  cleaning ??= (async () => {
    await stopAllChildren().catch(() => {});
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
async function prepareInspections(client, gen, n, tag, r) {
  const insp = [];
  const teams = [];
  const evidence = [];
  for (let k = 0; k < n; k++) {
    const c = k % BENCH_CLIENTS;
    const inst = gen.benchInstitutions[r.int(0, gen.benchInstitutions.length - 1)];
    const lead = gen.benchInspectors[c];
    const partner = gen.benchInspectors[(c + 1) % BENCH_CLIENTS];
    const id = r.uuid();
    // prefer general items (a major finding needs a retrieved 判定标准); take 6 at random
    const pool = r.shuffle(inst.applicable.filter((a) => a.severity === 'general' || gen.criteria.includes(a.majorCriterion)).map((a) => a.code));
    const failCodes = pool.slice(0, 6);
    const photos = {};
    for (const code of failCodes) {
      const item = inst.applicable.find((a) => a.code === code);
      photos[code] = [];
      for (let p = 0; p < Math.max(1, item.photo); p++) {
        const evId = r.uuid();
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

async function main() {
  const started = Date.now();
  log(`mode ${QUICK ? 'quick' : 'full'}, scale ${SCALE}, seed ${SEED}; work dir ${WORK}`);
  db = await startDatabase(log);
  const url = db.url;
  const mach = await machine(url);
  log(`machine: ${mach.cpus} cores, ${mach.memoryGB} GB, Node ${mach.node}, PostgreSQL ${mach.postgres} (${mach.database})`);

  // 1. dataset
  log('generating the dataset…');
  const dataDir = path.join(WORK, 'data');
  fs.mkdirSync(dataDir);
  const gen = await generate({ url, scale: SCALE, seed: SEED, anchor: opt('anchor'), dataDir, log });
  log(`dataset in ${gen.seconds.toFixed(1)} s: ${Object.entries(gen.counts).map(([k, v]) => `${k}=${v}`).join(', ')}`);
  gen.prepared = { app: Array.from({ length: BENCH_CLIENTS }, () => []), base: Array.from({ length: BENCH_CLIENTS }, () => []) };
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  const baseEnv = { DATABASE_URL: url, NODE_ENV: 'production', LOG_LEVEL: 'warn', DATA_DIR: dataDir, QUEUE_PREFIX: 'bench', RUN_MIGRATIONS: 'false', SEED_DEMO: 'false' };
  const extra = {};

  try {
    // 2. notice PDF, warm, in process (+ queue throughput with the real worker)
    if (want('pdf')) await benchPdf();
    if (want('queue')) await benchQueue(pool, gen, dataDir, baseEnv);
    // 3. recompute every score (in-process app from dist) — before the exports/dashboard, which read the scores
    if (want('scores') || want('exports') || want('dashboard')) await benchScores(url, dataDir, pool, gen);

    // 4. the API as in production
    const port = 3000 + Math.floor(Math.random() * 2000) + 20000;
    const apiLog = path.join(LOGS, 'api.log');
    fs.writeFileSync(apiLog, '');
    const base = `http://127.0.0.1:${port}`;
    const startApi = async () => {
      const child = spawnNode(['dist/src/main.js'], { ...baseEnv, PORT: String(port), PROCESS_ROLE: 'api' }, apiLog);
      await waitForHttp(`${base}/health/live`, 60_000, child);
      log(`API up: node dist/src/main.js (pid ${child.pid}, NODE_ENV=production, LOG_LEVEL=warn, PROCESS_ROLE=api)`);
      return child;
    };
    let api = await startApi();
    const tok = async (username) => {
      const r = await json(`${base}/api/auth/tokens`, { method: 'POST', body: { username, password: BENCH_PASSWORD } });
      if (r.status !== 201) throw new Error(`token for ${username}: ${r.status} ${r.body}`);
      return r.json.token;
    };
    const adminToken = await tok(gen.admin);

    if (want('submit')) {
      await benchSubmit({ base, gen, pool, tok, baseEnv, dataDir });
      await stopChild(api); // a fresh process for the read benchmarks (the 20-client run may leave it wedged)
      api = await startApi();
    }
    if (want('exports')) await benchExports({ base, adminToken, pool, api, ledger: false });
    if (want('ledger')) await benchExports({ base, adminToken, pool, api, ledger: true });
    if (want('dashboard')) await benchDashboard({ base, adminToken, pool, gen });
    extra.apiRssAtEndMB = memOf(api.pid);
    await stopChild(api);
  } finally {
    await pool.end().catch(() => {});
  }

  const result = {
    issue: 7, mode: QUICK ? 'quick' : 'full', scale: SCALE, seed: SEED, anchor: gen.anchor, startedAt: new Date(started).toISOString(),
    durationSeconds: Math.round((Date.now() - started) / 1000), machine: mach, dataset: { seconds: gen.seconds, counts: gen.counts, fkChecksDuringLoad: gen.fkChecksDuringLoad },
    rows, extra,
  };
  writeResults(result);
}

// ---------------------------------------------------------------- submission

async function benchSubmit({ base, gen, pool, tok, baseEnv, dataDir }) {
  const clients = BENCH_CLIENTS;
  const perClient = (rate) => Math.ceil(P.submitSeconds * rate) + 10;
  const r = prng(SEED + 7);
  const client = await pool.connect();
  try {
    await prepareInspections(client, gen, clients * perClient(25), 'app', r);
    await prepareInspections(client, gen, clients * perClient(60), 'base', r);
    await client.query('ANALYZE inspection; ANALYZE evidence; ANALYZE inspection_team_member');
  } finally {
    client.release();
  }
  // the photo bytes, where the evidence store expects them (content-addressed)
  const photoPath = path.join(dataDir, 'evidence', PHOTO_SHA.slice(0, 2), PHOTO_SHA.slice(2, 4), PHOTO_SHA);
  fs.mkdirSync(path.dirname(photoPath), { recursive: true });
  fs.writeFileSync(photoPath, PHOTO);
  const tokens = await Promise.all(gen.benchInspectors.map((u) => tok(u.username)));
  const itemsPer = summary(gen.prepared.app.flat().map((x) => x.items));

  const appNext = (c) => {
    const x = gen.prepared.app[c].shift();
    return x && { url: `${base}/api/inspections/${x.id}/submit`, opts: { method: 'POST', body: x.body, headers: { authorization: `Bearer ${tokens[c]}`, 'content-type': 'application/json' } } };
  };
  // the raw-pg baseline, in a child process
  const port = 20000 + Math.floor(Math.random() * 10000);
  const blog = path.join(LOGS, 'baseline.log');
  fs.writeFileSync(blog, '');
  const child = spawnNode(['bench/baseline-server.mjs'], { ...baseEnv, PORT: String(port), EVIDENCE_DIR: path.join(dataDir, 'evidence') }, blog);
  await waitForHttp(`http://127.0.0.1:${port}/health`, 20_000, child);
  const baseNext = (c) => {
    const x = gen.prepared.base[c].shift();
    return x && { url: `http://127.0.0.1:${port}/submit/${x.id}`, opts: { method: 'POST', body: x.body, headers: { 'x-user-id': x.userId, 'content-type': 'application/json' } } };
  };
  const note = (x) => (x.exhausted ? ` (ran out of prepared inspections: ${x.exhausted} clients)` : '') + (x.errors ? ` (${x.errors} errors/timeouts)` : '');
  // 8 clients (below the app's pool of 10 connections) first, then the target's 20
  for (const clients of [8, BENCH_CLIENTS]) {
    log(`submission: ${clients} clients × ${P.submitSeconds} s, baseline (raw pg) then the app (items per inspection: median ${itemsPer.p50}, 6 failed with photos)…`);
    await load({ clients, seconds: Math.min(2, P.submitSeconds / 2), next: baseNext });
    const bl = await load({ clients, seconds: P.submitSeconds, next: baseNext });
    if (bl.errors) log(`  baseline errors: ${bl.errors}: ${bl.errorSamples.join(' | ')}`);
    await load({ clients, seconds: Math.min(2, P.submitSeconds / 2), next: appNext });
    // evidence for a stall: what the app's connections are doing 3 s into the run
    const snapshot = (async () => {
      await new Promise((res) => setTimeout(res, 3000));
      const { rows: act } = await pool.query(`SELECT state, left(regexp_replace(query, '\\s+', ' ', 'g'), 90) AS query, count(*)::int AS n FROM pg_stat_activity
        WHERE application_name = 'yian' AND backend_type = 'client backend' GROUP BY 1, 2 ORDER BY 3 DESC`);
      return act;
    })();
    const app = await load({ clients, seconds: P.submitSeconds, next: appNext });
    const activity = await snapshot;
    log(`  app connections 3 s in: ${activity.map((a) => `${a.n} ${a.state} [${a.query}]`).join('; ')}`);
    if (app.errors) log(`  app errors: ${app.errors}: ${app.errorSamples.join(' | ')}`);
    row({ name: `submit inspection (HTTP, ${clients} clients)`, unit: 'ms', value: `p50 ${f1(app.p50)} / p99 ${f1(app.p99)} ms; ${f1(app.rps)} req/s${note(app)}`,
      baseline: `raw pg: p50 ${f1(bl.p50)} / p99 ${f1(bl.p99)} ms; ${f1(bl.rps)} req/s${note(bl)}`, ratio: `throughput ${fmtRatio(app.rps / bl.rps)} of baseline`,
      target: clients === BENCH_CLIENTS ? 'p99 ≤ 150 ms and ≥ 50 % of baseline throughput' : '(diagnostic: below pool size)',
      met: clients === BENCH_CLIENTS ? metStr(app.p99 <= 150 && app.rps >= 0.5 * bl.rps && !app.errors) : 'n/a',
      raw: { app, baseline: bl, itemsPerInspection: itemsPer.p50, failedItems: 6, appConnections3s: activity } });
  }
  await stopChild(child);
}

// ---------------------------------------------------------------- exports

async function timedCopy(pool, sql) {
  const { to } = requireDist('pg-copy-streams');
  const c = await pool.connect();
  try {
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
    c.release();
  }
}

async function benchExports({ base, adminToken, pool, api, ledger }) {
  const { ExportsRepository } = dist('exports/exports.repository.js');
  const sql = ledger ? ExportsRepository.prototype.hazardLedgerSql("'/320400/%'") : ExportsRepository.prototype.complianceSql("'/320400/%'");
  const urlPath = ledger ? '/api/exports/hazards.csv' : '/api/exports/compliance.csv';
  log(`${urlPath}: ${P.exportRuns} runs each, app vs COPY…`);
  const appTimes = [];
  const copyTimes = [];
  let bytes = 0;
  let copyBytes = 0;
  let peak = 0;
  const before = memOf(api.pid);
  for (let i = 0; i < P.exportRuns + 1; i++) {
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
    if (i > 0) { appTimes.push(t); copyTimes.push(c.ms); } // the first pair warms caches
  }
  const a = summary(appTimes);
  const b = summary(copyTimes);
  const after = memOf(api.pid);
  const ratio = a.p50 / b.p50;
  if (ledger) {
    row({ name: 'hazard-ledger export (all hazards + history)', unit: 'ms', value: `${f0(a.p50)} ms (${(bytes / 2 ** 20).toFixed(1)} MB); server peak RSS ${f0(peak)} MB (before ${f0(before.rss)}, VmHWM ${f0(after.hwm)})`,
      baseline: `COPY TO STDOUT ${f0(b.p50)} ms (${(copyBytes / 2 ** 20).toFixed(1)} MB)`, ratio: fmtRatio(ratio),
      target: '≤ 2 × COPY, peak RSS ≤ 200 MB', met: metStr(ratio <= 2 && peak <= 200), raw: { app: a, copy: b, bytes, peakRssMB: peak, rssBeforeMB: before.rss, hwmAfterMB: after.hwm } });
  } else {
    row({ name: 'compliance-score export (all institutions)', unit: 'ms', value: `${f0(a.p50)} ms (${(bytes / 1024).toFixed(0)} KB)`,
      baseline: `COPY TO STDOUT ${f0(b.p50)} ms`, ratio: fmtRatio(ratio), target: '≤ 1.5 × COPY', met: metStr(ratio <= 1.5), raw: { app: a, copy: b, bytes } });
  }
}

// ---------------------------------------------------------------- scores

async function benchScores(url, dataDir, pool, gen) {
  const { createApp } = dist('bootstrap.js');
  const { loadConfig } = dist('config/env.js');
  const { ScoringService } = dist('scoring/scoring.service.js');
  const { computeSafetyScore } = dist('scoring/domain/safety-score.js');
  const config = loadConfig({ DATABASE_URL: url, NODE_ENV: 'production', LOG_LEVEL: 'warn', PROCESS_ROLE: 'api', RUN_MIGRATIONS: 'false', DATA_DIR: dataDir, PORT: '0', QUEUE_PREFIX: 'bench' });
  const app = await createApp(config);
  await app.init();
  try {
    const scoring = app.get(ScoringService);
    const { rows: all } = await pool.query(`SELECT id FROM institution WHERE status <> 'closed' ORDER BY id`);
    // a sample through the same service first; recomputeAll only when it can finish in reasonable time (or --full-scores)
    const sample = all.filter((_, i) => i % Math.max(1, Math.floor(all.length / 30)) === 0).slice(0, 30);
    const s0 = now();
    for (const { id } of sample) await scoring.recompute(id);
    const perSample = ms(s0) / sample.length;
    let t;
    let n;
    let projected = false;
    if (perSample * all.length <= 120_000 || flag('full-scores')) {
      log(`recomputing every institution's score (ScoringService.recomputeAll, in process; sample says ${f1(perSample)} ms each)…`);
      const s = now();
      n = await scoring.recomputeAll('/');
      t = ms(s);
    } else {
      projected = true;
      n = all.length;
      t = perSample * n;
      log(`recomputeAll would take ≈ ${f0(t / 1000)} s (${f1(perSample)} ms × ${n}, sample of ${sample.length}); not run in full (use --full-scores)`);
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
        const r = prng(SEED + 13);
        const withIds = scored.map((x) => ({ ...x, sid: r.uuid() }));
        const at = new Date();
        await copyRows(c, 'safety_score', ['id', 'institution_id', 'division_path', 'as_of', 'score', 'cap_applied', 'contributions', 'rule_set_version_id', 'computed_at'],
          withIds.map((x) => [x.sid, x.id, x.division_path, asOf, x.r.score, x.r.capApplied, x.r.contributions, rulesVersionId, at]));
        await c.query(`CREATE TEMP TABLE s_new (institution_id uuid, score_id uuid, score numeric, computed_at timestamptz) ON COMMIT DROP`);
        await copyRows(c, 's_new', ['institution_id', 'score_id', 'score', 'computed_at'], withIds.map((x) => [x.id, x.sid, x.r.score, at]));
        await c.query(`INSERT INTO institution_score SELECT * FROM s_new ON CONFLICT (institution_id) DO UPDATE SET score_id = EXCLUDED.score_id, score = EXCLUDED.score, computed_at = EXCLUDED.computed_at`);
        await c.query('COMMIT');
      } finally {
        c.release();
      }
    }
    row({ name: `recompute all safety scores (${n} institutions)`, unit: 's',
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
  row({ name: 'rectification notice PDF (20 hazards, warm)', unit: 'ms', value: `p50 ${f1(a.p50)} / p99 ${f1(a.p99)} ms (${(size / 1024).toFixed(0)} KB)`,
    baseline: `pdfkit, same font, text only: p50 ${f1(b.p50)} ms`, ratio: fmtRatio(a.p50 / b.p50), target: '≤ 100 ms p50', met: metStr(a.p50 <= 100), raw: { app: a, baseline: b, bytes: size } });
  return a;
}

/** N real notices (inspections with 20 hazards) enqueued through the outbox; the real worker (concurrency 2) renders them. */
async function benchQueue(pool, gen, dataDir, baseEnv) {
  const n = P.queueNotices;
  const r = prng(SEED + 11);
  const c = await pool.connect();
  const noticeIds = [];
  try {
    const { rows: [admin] } = await c.query(`SELECT id FROM app_user WHERE username = $1`, [gen.admin]);
    const { rows: items } = await c.query(`SELECT code, category, item FROM checklist_item WHERE version_id = $1`, [gen.checklistVersionId]);
    const itemBy = new Map(items.map((x) => [x.code, x]));
    const insp = []; const hz = []; const notices = [];
    for (let k = 0; k < n; k++) {
      const inst = gen.benchInstitutions[k % gen.benchInstitutions.length];
      const id = r.uuid();
      const at = new Date(Date.now() - 3 * 86_400_000);
      insp.push([id, 'routine', inst.id, inst.divisionPath, gen.checklistVersionId, 'submitted', at, r.uuid(), admin.id, `基准〔2026〕第${k}号`, admin.id]);
      for (const a of inst.applicable.filter((x) => x.severity === 'general').slice(0, 20)) {
        const it = itemBy.get(a.code);
        hz.push([id, inst.id, inst.divisionPath, gen.checklistVersionId, a.code, it.category, it.item.title.zh, 'general', 'single', '2号楼3层东侧走廊', '现场发现问题：未按要求落实',
          it.item.deadlineDays, '2026-12-31', 'open', false, false, 1]);
      }
      const nid = r.uuid();
      noticeIds.push(nid);
      notices.push([nid, id, inst.id, inst.divisionPath, `基准整〔2026〕第${k}号`, admin.id, at, r.hex(32), 'pending']);
    }
    await c.query('BEGIN');
    await copyRows(c, 'inspection', ['id', 'kind', 'institution_id', 'division_path', 'checklist_version_id', 'status', 'submitted_at', 'submission_id', 'submitted_by', 'report_no', 'created_by'], insp);
    await copyRows(c, 'hazard', ['inspection_id', 'institution_id', 'division_path', 'checklist_version_id', 'item_code', 'category', 'title_zh', 'severity', 'scope', 'location', 'note',
      'deadline_days', 'due_date', 'status', 'overdue', 'listed', 'version'], hz);
    await copyRows(c, 'rectification_notice', ['id', 'inspection_id', 'institution_id', 'division_path', 'notice_no', 'issued_by', 'issued_at', 'verify_token', 'pdf_status'], notices);
    await c.query('COMMIT');
    const perNotice = summary(Object.values(hz.reduce((m, h) => ({ ...m, [h[0]]: (m[h[0]] ?? 0) + 1 }), {})));
    // the worker, as in production (node dist/src/worker.js), outbox swept every 200 ms
    const wlog = path.join(LOGS, 'worker.log');
    fs.writeFileSync(wlog, '');
    const worker = spawnNode(['dist/src/worker.js'], { ...baseEnv, LOG_LEVEL: 'log', OUTBOX_INTERVAL_MS: '200' }, wlog);
    const t0 = Date.now();
    while (!fs.readFileSync(wlog, 'utf8').includes('queue worker running')) {
      if (worker.exitCode !== null) throw new Error(`worker exited: ${fs.readFileSync(wlog, 'utf8').slice(-2000)}`);
      if (Date.now() - t0 > 60_000) throw new Error('worker did not start');
      await new Promise((res) => setTimeout(res, 100));
    }
    await new Promise((res) => setTimeout(res, 1000));
    log(`queue: ${n} notice.pdf jobs (${perNotice.p50} hazards each) through the outbox → BullMQ (PostgreSQL backend) → worker (concurrency 2)…`);
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
    await stopChild(worker);
    const pdfP50 = rows.find((x) => x.name.startsWith('rectification notice PDF'))?.raw.app.p50;
    const ideal = pdfP50 ? 1000 / pdfP50 : NaN;
    row({ name: 'notice PDFs on the queue (worker, concurrency 2)', unit: 'notices/s', value: `${f1(done / (t / 1000))} notices/s (${done}/${n} in ${f1(t / 1000)} s${failed ? `, ${failed} failed` : ''})`,
      baseline: Number.isFinite(ideal) ? `render alone, one thread: ${f1(ideal)} notices/s` : '–', ratio: Number.isFinite(ideal) ? fmtRatio((done / (t / 1000)) / ideal) : '–',
      target: '(no target; ≤ 100 ms p50 per notice above)', met: 'n/a', raw: { ms: t, done, failed, hazardsPerNotice: perNotice.p50 } });
  } finally {
    c.release();
  }
}

// ---------------------------------------------------------------- dashboard

async function benchDashboard({ base, adminToken, pool }) {
  const { DashboardRepository } = dist('dashboard/dashboard.repository.js');
  const { shanghaiDate, addDays } = dist('common/calendar.js');
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
  const raw = await measure(() => repo.summary({ divisionPath: '/320400/', from: addDays(today, -365), to: today, today }));
  row({ name: 'bureau dashboard, whole city', unit: 'ms', value: `GET /dashboard p50 ${f1(page.p50)} / p99 ${f1(page.p99)} ms; /api/dashboard p50 ${f1(apiS.p50)} / p99 ${f1(apiS.p99)} ms`,
    baseline: `same SQL on raw pg: p50 ${f1(raw.p50)} / p99 ${f1(raw.p99)} ms`, ratio: fmtRatio(page.p50 / raw.p50), target: 'p50 ≤ 300 ms',
    met: metStr(page.p50 <= 300 && apiS.p50 <= 300), raw: { page, api: apiS, baseline: raw } });
}

// ---------------------------------------------------------------- output

function writeResults(result) {
  const m = result.machine;
  const lines = [
    `# Yi'an benchmarks — ${result.mode} run (scale ${result.scale})`, '',
    `${result.startedAt} · ${m.cpus} × ${m.cpuModel} · ${m.memoryGB} GB · Node ${m.node} · PostgreSQL ${m.postgres} (${m.database}) · ${m.platform}`, '',
    `Dataset (seed ${result.seed}, anchor ${result.anchor}, COPY in ${result.dataset.seconds.toFixed(1)} s): ${Object.entries(result.dataset.counts).filter(([k]) => !k.endsWith('_expected')).map(([k, v]) => `${k} ${v.toLocaleString('en')}`).join(', ')}`, '',
    '| benchmark | result | baseline (same run) | ratio | target | met? |', '|---|---|---|---|---|---|',
    ...result.rows.map((r) => `| ${r.name} | ${r.value} | ${r.baseline ?? '–'} | ${r.ratio ?? '–'} | ${r.target} | ${r.met} |`), '',
    `Run took ${result.durationSeconds} s. The load client shares the machine's cores with the server and PostgreSQL; compare ratios, not absolute numbers.`, '',
  ];
  const md = lines.join('\n');
  const stamp = result.startedAt.replace(/[:.]/g, '-');
  fs.writeFileSync(path.join(RESULTS, 'latest.json'), JSON.stringify(result, null, 2));
  fs.writeFileSync(path.join(RESULTS, 'latest.md'), md);
  fs.writeFileSync(path.join(RESULTS, `${result.mode}-${stamp}.json`), JSON.stringify(result, null, 2));
  fs.writeFileSync(path.join(RESULTS, `${result.mode}-${stamp}.md`), md);
  console.log(`\n${md}`);
  console.log(`results: bench/results/latest.json, bench/results/latest.md (logs in bench/results/logs/)`);
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
  main()
    .catch((e) => { console.error('bench failed:', e?.stack ?? e); process.exitCode = 1; })
    .finally(() => cleanup().then(() => process.exit()));
}
