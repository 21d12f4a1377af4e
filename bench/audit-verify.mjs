// Audit verification at size: N sealed events (COPY, sealed exactly as the sealer seals them: hash, seq, MAC, a
// checkpoint in the table and in the anchor file), then one full verification through the compiled service.
//   npm run build && node bench/audit-verify.mjs [--events 1000000] [--alg sha256|sm3]
// Prints progress on stderr and one line of JSON on stdout at the end (target: 1 M events verified in ≤ 60 s).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startDatabase } from './lib/db.mjs';
import { copyRows, dist, requireDist } from './lib/util.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const N = Number(arg('events', 1_000_000));
const ALG = arg('alg', 'sha256');
function calibrate() {
  const { createHash } = requireDist('node:crypto');
  const t = process.hrtime.bigint();
  for (let i = 0; i < 20000; i++) createHash('sha256').update('x'.repeat(64)).update('\n').update('y'.repeat(300)).digest('hex');
  return Number((Number(process.hrtime.bigint() - t) / 20000 / 1000).toFixed(2));
}
const log = (m) => process.stderr.write(`[audit-verify] ${m}\n`);

const { eventHash, sealMac, checkpointMac, GENESIS_HASH } = dist('audit/audit-chain.js');
const { AuditRepository } = dist('audit/audit.repository.js');
const { AuditService } = dist('audit/audit.service.js');
const { dataSourceOptions } = dist('database/data-source.js');
const { DataSource } = requireDist('typeorm');

const db = await startDatabase(log);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yian-audit-bench-'));
const key = Buffer.from('bench-audit-key-'.repeat(3));
let exit = 0;
try {
  const ds = await new DataSource(dataSourceOptions(db.url, { extra: { max: 3 } })).initialize();
  await ds.runMigrations();
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  // A fresh database: whatever the migrations wrote is sealed first by nobody — start from an empty chain.
  await c.query(`SET session_replication_role = replica`);
  await c.query(`DELETE FROM audit_seal; DELETE FROM audit_checkpoint; DELETE FROM audit_event`);
  await c.query(`SET session_replication_role = DEFAULT`);

  const t0 = Date.now();
  const start = Date.UTC(2026, 0, 1);
  const actions = ['inspection.submit', 'hazard.respond', 'notice.issue', 'institution.update'];
  const eventOf = (i) => ({
    occurredAt: new Date(start + i * 1000).toISOString(), actorId: null, actorRole: 'inspector', actorName: `inspector${i % 500}`,
    action: actions[i % 4], entityType: 'inspection', entityId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    scopePath: `/320400/3204${String(2 + (i % 6)).padStart(2, '0')}/`, before: i % 4 === 1 ? { status: 'open' } : null,
    after: { status: 'submitted', responses: 60 + (i % 20), hazards: [`A${i % 9}`, `B${i % 7}`] }, requestId: `req-${i}`,
  });
  // events: ids 1..N, one transaction id each (xid 1000 + i, long finished)
  await copyRows(c, 'audit_event', ['id', 'occurred_at', 'actor_id', 'actor_role', 'actor_name', 'action', 'entity_type', 'entity_id', 'scope_path', 'before', 'after', 'request_id', 'xid'],
    (function* () {
      for (let i = 1; i <= N; i++) {
        const e = eventOf(i);
        yield [i, e.occurredAt, null, e.actorRole, e.actorName, e.action, e.entityType, e.entityId, e.scopePath, e.before, e.after, e.requestId, 1000 + i];
      }
    })());
  await c.query(`SELECT setval('audit_event_id_seq', $1)`, [N]);
  const tEvents = Date.now();
  let prev = GENESIS_HASH;
  await copyRows(c, 'audit_seal', ['seq', 'event_id', 'event_xid', 'occurred_at', 'alg', 'prev_hash', 'hash', 'mac'],
    (function* () {
      for (let i = 1; i <= N; i++) {
        const e = eventOf(i);
        const hash = eventHash(prev, e, ALG);
        const s = { seq: String(i), eventId: String(i), alg: ALG, prevHash: prev, hash };
        yield [i, i, 1000 + i, e.occurredAt, ALG, prev, hash, sealMac(key, s)];
        prev = hash;
      }
    })());
  const tSeals = Date.now();
  const values = { id: '1', createdAt: new Date().toISOString(), headSeq: String(N), headHash: prev, alg: ALG, reason: 'bench', prevMac: GENESIS_HASH };
  const cp = { ...values, mac: checkpointMac(key, values) };
  await c.query(`INSERT INTO audit_checkpoint (id, created_at, head_seq, head_hash, alg, reason, prev_mac, mac) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
    [cp.id, cp.createdAt, cp.headSeq, cp.headHash, cp.alg, cp.reason, cp.prevMac, cp.mac]);
  fs.mkdirSync(path.join(dataDir, 'audit'), { recursive: true });
  fs.writeFileSync(path.join(dataDir, 'audit', 'checkpoints.log'), `${JSON.stringify(cp)}\n`);
  await c.query('VACUUM ANALYZE audit_event');
  await c.query('VACUUM ANALYZE audit_seal');
  await c.end();
  const tReady = Date.now();
  log(`${N} events + seals written in ${((tReady - t0) / 1000).toFixed(1)} s; verifying…`);

  const verifier = { key, keyState: async () => ({ key, problem: null }), dataDir, sealPending: async () => 0, kick: () => undefined };
  const v0 = Date.now();
  const report = await new AuditService(new AuditRepository(ds), verifier).verifyChain({ seal: false });
  const verifySeconds = (Date.now() - v0) / 1000;
  await ds.destroy();
  if (!report.ok || report.checked !== N) exit = 1;
  const out = {
    bench: 'audit-verify', events: N, alg: ALG, ok: report.ok, checked: report.checked, firstBroken: report.firstBroken,
    verifySeconds: Number(verifySeconds.toFixed(2)), eventsPerSecond: Math.round(N / verifySeconds), target: 'verify 1 M events <= 60 s',
    meetsTarget: verifySeconds * (1_000_000 / N) <= 60,
    generateSeconds: { events: (tEvents - t0) / 1000, seals: (tSeals - tEvents) / 1000, total: (tReady - t0) / 1000 },
    rssMB: Math.round(process.memoryUsage().rss / 1048576),
    // how loaded the machine was: one bare sha256 of an event-sized input (≈ 1.5 µs on an idle core of these machines)
    calibrationMicrosPerSha256: calibrate(),
    loadAverage: os.loadavg()[0],
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
} catch (err) {
  log(err.stack ?? String(err));
  exit = 2;
} finally {
  fs.rmSync(dataDir, { recursive: true, force: true });
  await db.stop();
}
process.exit(exit);
