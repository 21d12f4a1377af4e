// What the audit chain's global lock cost the write path: 20 clients run small state changes (a few statements and
// one audit event each), alternating rounds of the first release's path (pg_advisory_xact_lock + read the last hash +
// INSERT with the hash, held to commit) and the sealed path (INSERT with pg_current_xact_id(), no lock), with
// durability off and on. Same cluster, same data; compare the ratios within one run (the machine is shared).
//   npm run build && node bench/audit-lock-cost.mjs [--clients 20] [--seconds 4] [--rounds 3]
import pg from 'pg';
import { startDatabase } from './lib/db.mjs';
import { dist, requireDist } from './lib/util.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const CLIENTS = arg('clients', 20);
const SECONDS = arg('seconds', 4);
const ROUNDS = arg('rounds', 3);
const log = (m) => process.stderr.write(`[audit-lock-cost] ${m}\n`);
const { eventHash, GENESIS_HASH } = dist('audit/audit-chain.js');
const { dataSourceOptions } = dist('database/data-source.js');
const { DataSource } = requireDist('typeorm');

const COLS = 'occurred_at, actor_id, actor_role, actor_name, action, entity_type, entity_id, scope_path, before, after, request_id';
async function change(c, mode, i) {
  await c.query('BEGIN');
  // the change itself: a few statements, as a small state change makes
  await c.query('UPDATE bench_row SET n = n + 1, at = now() WHERE id = $1', [i % 1000]);
  await c.query('INSERT INTO bench_log (row_id, payload) VALUES ($1, $2), ($1, $3)', [i % 1000, `a${i}`, `b${i}`]);
  const fields = { occurredAt: new Date().toISOString(), actorId: null, actorRole: 'inspector', actorName: 'bench', action: 'bench.change',
    entityType: 'bench', entityId: String(i), scopePath: '/320400/320402/', before: null, after: { n: i }, requestId: null };
  if (mode === 'lock') {
    await c.query('SELECT pg_advisory_xact_lock(7310001)');
    const prev = (await c.query('SELECT hash FROM legacy_audit_event ORDER BY id DESC LIMIT 1')).rows[0]?.hash ?? GENESIS_HASH;
    await c.query(`INSERT INTO legacy_audit_event (${COLS}, prev_hash, hash) VALUES ($1, NULL, $2, $3, $4, $5, $6, $7, NULL, $8, NULL, $9, $10)`,
      [fields.occurredAt, fields.actorRole, fields.actorName, fields.action, fields.entityType, fields.entityId, fields.scopePath, JSON.stringify(fields.after), prev, eventHash(prev, fields)]);
  } else {
    await c.query(`INSERT INTO audit_event (${COLS}, xid) VALUES ($1, NULL, $2, $3, $4, $5, $6, $7, NULL, $8, NULL, pg_current_xact_id())`,
      [fields.occurredAt, fields.actorRole, fields.actorName, fields.action, fields.entityType, fields.entityId, fields.scopePath, JSON.stringify(fields.after)]);
  }
  await c.query('COMMIT');
}

async function round(clients, mode) {
  const lat = [];
  const until = Date.now() + SECONDS * 1000;
  let k = 0;
  await Promise.all(clients.map(async (c) => {
    while (Date.now() < until) {
      const t = process.hrtime.bigint();
      await change(c, mode, k++);
      lat.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  }));
  lat.sort((a, b) => a - b);
  return { tps: lat.length / SECONDS, p50: lat[Math.floor(lat.length * 0.5)], p99: lat[Math.floor(lat.length * 0.99)] };
}

const db = await startDatabase(log);
const out = { bench: 'audit-lock-cost', clients: CLIENTS, seconds: SECONDS, rounds: ROUNDS, results: {} };
try {
  const ds = await new DataSource(dataSourceOptions(db.url, { extra: { max: 2 } })).initialize();
  await ds.runMigrations();
  await ds.destroy();
  const setup = new pg.Client({ connectionString: db.url });
  await setup.connect();
  await setup.query(`CREATE TABLE bench_row (id int PRIMARY KEY, n int NOT NULL DEFAULT 0, at timestamptz)`);
  await setup.query(`INSERT INTO bench_row (id) SELECT generate_series(0, 999)`);
  await setup.query(`CREATE TABLE bench_log (id bigserial PRIMARY KEY, row_id int NOT NULL, payload text, at timestamptz DEFAULT now())`);
  // the first release's table, indexes included (the sealed path writes audit_event as migrated now)
  await setup.query(`CREATE TABLE legacy_audit_event (id bigserial PRIMARY KEY, occurred_at timestamptz NOT NULL, actor_id uuid, actor_role varchar(24) NOT NULL,
    actor_name varchar(64) NOT NULL, action varchar(64) NOT NULL, entity_type varchar(40) NOT NULL, entity_id varchar(64) NOT NULL, scope_path text,
    before jsonb, after jsonb, request_id varchar(64), prev_hash char(64) NOT NULL, hash char(64) NOT NULL UNIQUE)`);
  for (const cols of ['entity_type, entity_id', 'scope_path text_pattern_ops', 'actor_name', 'action', 'occurred_at']) {
    await setup.query(`CREATE INDEX ON legacy_audit_event (${cols})`);
  }
  await setup.end();
  const clients = await Promise.all(Array.from({ length: CLIENTS }, async () => {
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    return c;
  }));
  for (const durability of ['off', 'on']) {
    await db.setDurability(durability);
    const acc = { lock: [], sealed: [] };
    await round(clients, 'sealed'); // warm-up
    for (let r = 0; r < ROUNDS; r++) for (const mode of ['lock', 'sealed']) acc[mode].push(await round(clients, mode));
    const med = (xs, f) => xs.map((x) => x[f]).sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const res = Object.fromEntries(Object.entries(acc).map(([m, xs]) => [m, { tps: Math.round(med(xs, 'tps')), p50: Number(med(xs, 'p50').toFixed(1)), p99: Number(med(xs, 'p99').toFixed(1)) }]));
    res.throughputRatio = Number((res.sealed.tps / res.lock.tps).toFixed(2));
    out.results[`durability_${durability}`] = res;
    log(`durability ${durability}: ${JSON.stringify(res)}`);
  }
  await Promise.all(clients.map((c) => c.end()));
  process.stdout.write(`${JSON.stringify(out)}\n`);
} finally {
  await db.stop();
}
