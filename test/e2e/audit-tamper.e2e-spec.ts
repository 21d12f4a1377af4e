import * as fs from 'node:fs';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { eventHash, GENESIS_HASH } from '../../src/audit/audit-chain';
import { anchorPath } from '../../src/audit/audit-key';
import { AuditSealer } from '../../src/audit/audit-sealer';
import { AuditRepository } from '../../src/audit/audit.repository';
import { AuditService, ChainReport } from '../../src/audit/audit.service';
import { loadConfig } from '../../src/config/env';
import { dataSourceOptions } from '../../src/database/data-source';
import { MIGRATIONS } from '../../migrations';
import { createAccount, institutionInput, seedDivisions, tokenFor } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Tampering directly in the database, as its owner would (a superuser who can switch the append-only triggers off):
 * every tamper is caught and the first broken event named; the newest events deleted are caught through the
 * checkpoints and the anchor file outside the database.
 */
describe('audit chain: tamper evidence, sealing after commit', () => {
  let t: TestApp;
  let admin: string;
  let sealer: AuditSealer;
  let audit: AuditService;
  let owner: Client;

  /** The one place that knows how to reach the database as its owner (switch here when TestApp gives an owner handle). */
  async function ownerClient(): Promise<Client> {
    const c = new Client({ connectionString: t.ownerUrl });
    await c.connect();
    // Triggers off for this session only: the append-only guards do not fire (what a superuser can do).
    await c.query(`SET session_replication_role = replica`);
    return c;
  }
  const sql = async <T = any>(text: string, params: unknown[] = []): Promise<T[]> => (await owner.query(text, params)).rows;

  const ANCHOR = () => anchorPath(t.config.DATA_DIR);
  let pristine: { anchor: string };
  /** Keeps the three audit tables and the anchor file as they are now, to put back after each tamper. */
  async function snapshot(): Promise<void> {
    await sql(`DROP TABLE IF EXISTS pg_temp.ev0, pg_temp.seal0, pg_temp.cp0`);
    await sql(`CREATE TEMP TABLE ev0 AS SELECT * FROM audit_event`);
    await sql(`CREATE TEMP TABLE seal0 AS SELECT * FROM audit_seal`);
    await sql(`CREATE TEMP TABLE cp0 AS SELECT * FROM audit_checkpoint`);
    pristine = { anchor: fs.readFileSync(ANCHOR(), 'utf8') };
  }
  async function restore(): Promise<void> {
    await sql(`BEGIN`);
    try {
      await sql(`DELETE FROM audit_seal; DELETE FROM audit_checkpoint; DELETE FROM audit_event`);
      for (const [table, copy] of [['audit_event', 'ev0'], ['audit_seal', 'seal0'], ['audit_checkpoint', 'cp0']]) {
        // generated columns (e.g. a division key) are computed again
        const cols = (await sql<{ c: string }>(`SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position) AS c FROM information_schema.columns
          WHERE table_schema = 'public' AND table_name = $1 AND is_generated = 'NEVER'`, [table]))[0].c;
        await sql(`INSERT INTO ${table} (${cols}) SELECT ${cols} FROM ${copy}`);
      }
      await sql(`COMMIT`);
    } catch (err) {
      await sql(`ROLLBACK`);
      throw err;
    }
    fs.writeFileSync(ANCHOR(), pristine.anchor);
  }
  const verify = (): Promise<ChainReport> => audit.verifyChain({ seal: false });
  const seals = () => sql<{ seq: string; event_id: string; prev_hash: string; hash: string; alg: 'sha256' | 'sm3' }>(
    `SELECT s.seq::text, s.event_id::text, s.prev_hash, s.hash, s.alg FROM audit_seal s ORDER BY s.seq`);
  const eventFields = async (id: string) => {
    const [e] = await sql(`SELECT * FROM audit_event WHERE id = $1`, [id]);
    return {
      occurredAt: new Date(e.occurred_at).toISOString(), actorId: e.actor_id, actorRole: e.actor_role, actorName: e.actor_name, action: e.action,
      entityType: e.entity_type, entityId: e.entity_id, scopePath: e.scope_path, before: e.before, after: e.after, requestId: e.request_id,
    };
  };
  /** What an attacker without the key can do: recompute every hash from `fromSeq` on (renumbering as given). */
  async function rechainFrom(fromSeq: number): Promise<void> {
    const all = await seals();
    let prev = fromSeq > 1 ? all[fromSeq - 2].hash : GENESIS_HASH;
    for (const s of all.filter((x) => Number(x.seq) >= fromSeq)) {
      const hash = eventHash(prev, await eventFields(s.event_id), s.alg);
      await sql(`UPDATE audit_seal SET prev_hash = $2, hash = $3 WHERE seq = $1`, [s.seq, prev, hash]);
      prev = hash;
    }
  }

  beforeAll(async () => {
    t = await createTestApp();
    sealer = t.app.get(AuditSealer);
    audit = t.app.get(AuditService);
    await seedDivisions(t.db);
    admin = await tokenFor(t, await createAccount(t, 'bureau_admin', { divisionCode: '320400' }));
    owner = await ownerClient();
  });
  afterAll(async () => {
    await owner?.end();
    await t.close();
  });

  it('seals 20 concurrent state changes from many requests into one gapless chain, within about a second', async () => {
    const created = await Promise.all(Array.from({ length: 20 }, () =>
      t.http().post('/api/institutions').set('Authorization', `Bearer ${admin}`).send(institutionInput()).expect(201)));
    expect(created).toHaveLength(20);
    // The background sealer (kicked after each write, and every 300 ms) gets there by itself.
    const deadline = Date.now() + 3000;
    let unsealed = -1;
    while (Date.now() < deadline) {
      [{ n: unsealed }] = await sql(`SELECT count(*)::int AS n FROM audit_event e WHERE NOT EXISTS (SELECT 1 FROM audit_seal s WHERE s.event_id = e.id)`);
      if (unsealed === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(unsealed).toBe(0);
    const [{ n, max }] = await sql(`SELECT count(*)::int AS n, max(seq)::int AS max FROM audit_seal`);
    expect(max).toBe(n);
    expect(n).toBeGreaterThanOrEqual(20);
    await sealer.stop(); // from here on, nothing seals behind the tampering's back
    expect(await sealer.checkpointNow('test')).not.toBeNull();
    const report = await verify();
    expect(report).toMatchObject({ ok: true, firstBroken: null, checked: n, head: { seq: String(n) } });
    expect(report.anchored).toBeGreaterThanOrEqual(1);
    await snapshot();
  });

  const cases: [string, () => Promise<{ id: string; reason: string | RegExp }>][] = [
    ['alteration', async () => {
      const [s] = (await seals()).slice(5, 6);
      await sql(`UPDATE audit_event SET after = '{"name":"篡改"}' WHERE id = $1`, [s.event_id]);
      return { id: s.event_id, reason: 'hash_mismatch' };
    }],
    ['deletion', async () => {
      const [s] = (await seals()).slice(5, 6);
      await sql(`DELETE FROM audit_event WHERE id = $1`, [s.event_id]);
      return { id: s.event_id, reason: 'event_missing' };
    }],
    ['deletion with its seal', async () => {
      const [s, next] = (await seals()).slice(5, 7);
      await sql(`DELETE FROM audit_event WHERE id = $1`, [s.event_id]);
      await sql(`DELETE FROM audit_seal WHERE seq = $1`, [s.seq]);
      return { id: next.event_id, reason: 'seq_gap' };
    }],
    ['reordering', async () => {
      const [a, b] = (await seals()).slice(5, 7);
      // (in three steps: event_id is unique)
      await sql(`UPDATE audit_seal SET event_id = -1 WHERE seq = $1`, [a.seq]);
      await sql(`UPDATE audit_seal SET event_id = $2 WHERE seq = $1`, [b.seq, a.event_id]);
      await sql(`UPDATE audit_seal SET event_id = $2 WHERE seq = $1`, [a.seq, b.event_id]);
      await sql(`UPDATE audit_seal s SET occurred_at = e.occurred_at FROM audit_event e WHERE e.id = s.event_id AND s.seq IN ($1, $2)`, [a.seq, b.seq]);
      return { id: b.event_id, reason: 'hash_mismatch' };
    }],
    ['insertion of an event behind the head', async () => {
      const [s] = (await seals()).slice(5, 6);
      const [{ id }] = await sql(`INSERT INTO audit_event (occurred_at, actor_role, actor_name, action, entity_type, entity_id, scope_path, xid)
        SELECT occurred_at, actor_role, actor_name, 'institution.update', entity_type, entity_id, scope_path, xid FROM audit_event WHERE id = $1 RETURNING id::text`, [s.event_id]);
      return { id, reason: 'not_sealed' };
    }],
    ['a correctly chained row appended at the end (no valid MAC)', async () => {
      const all = await seals();
      const head = all[all.length - 1];
      const [{ id, occurred_at: at }] = await sql(`INSERT INTO audit_event (occurred_at, actor_role, actor_name, action, entity_type, entity_id, scope_path, xid)
        VALUES (date_trunc('milliseconds', now()), 'system', 'system', 'institution.update', 'institution', 'x', '/320400/', pg_current_xact_id()) RETURNING id::text, occurred_at`);
      const hash = eventHash(head.hash, await eventFields(id), head.alg);
      await sql(`INSERT INTO audit_seal (seq, event_id, occurred_at, alg, prev_hash, hash, mac) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [Number(head.seq) + 1, id, at, head.alg, head.hash, hash, 'f'.repeat(64)]);
      return { id, reason: 'mac_mismatch' };
    }],
    ['the last 3 rows deleted (tail truncation)', async () => {
      const all = await seals();
      const gone = all.slice(-3);
      await sql(`DELETE FROM audit_seal WHERE seq >= $1`, [gone[0].seq]);
      await sql(`DELETE FROM audit_event WHERE id = ANY($1::bigint[])`, [gone.map((s) => s.event_id)]);
      return { id: all[all.length - 4].event_id, reason: 'tail_truncated' };
    }],
    ['the last 3 rows and the checkpoints deleted (the anchor file still has them)', async () => {
      const all = await seals();
      const gone = all.slice(-3);
      await sql(`DELETE FROM audit_seal WHERE seq >= $1`, [gone[0].seq]);
      await sql(`DELETE FROM audit_event WHERE id = ANY($1::bigint[])`, [gone.map((s) => s.event_id)]);
      await sql(`DELETE FROM audit_checkpoint WHERE head_seq >= $1`, [gone[0].seq]);
      return { id: all[all.length - 4].event_id, reason: 'tail_truncated' };
    }],
    ['a row altered and the rest re-chained', async () => {
      const [s] = (await seals()).slice(5, 6);
      await sql(`UPDATE audit_event SET after = '{"name":"篡改"}' WHERE id = $1`, [s.event_id]);
      await rechainFrom(Number(s.seq));
      return { id: s.event_id, reason: 'mac_mismatch' };
    }],
    ['a row deleted and the rest re-chained', async () => {
      const all = await seals();
      const [s, next] = all.slice(5, 7);
      await sql(`DELETE FROM audit_event WHERE id = $1`, [s.event_id]);
      await sql(`DELETE FROM audit_seal WHERE seq = $1`, [s.seq]);
      await sql(`UPDATE audit_seal SET seq = seq - 1 WHERE seq > $1`, [s.seq]);
      await rechainFrom(Number(s.seq));
      return { id: next.event_id, reason: 'mac_mismatch' };
    }],
    ['the newest checkpoint deleted (the anchor file catches it)', async () => {
      await sql(`DELETE FROM audit_checkpoint WHERE id = (SELECT max(id) FROM audit_checkpoint)`);
      const all = await seals();
      return { id: all[all.length - 1].event_id, reason: 'checkpoint_missing' };
    }],
    ['a checkpoint altered', async () => {
      await sql(`UPDATE audit_checkpoint SET head_seq = head_seq - 1 WHERE id = (SELECT max(id) FROM audit_checkpoint)`);
      return { id: '', reason: /checkpoint_mismatch|tail_truncated/ };
    }],
  ];

  it.each(cases)('detects %s and names the first broken event', async (_name, tamper) => {
    try {
      const expected = await tamper();
      const report = await verify();
      expect(report.ok).toBe(false);
      if (expected.reason instanceof RegExp) expect(report.firstBroken!.reason).toMatch(expected.reason);
      else expect(report.firstBroken).toEqual({ id: expected.id, reason: expected.reason });
    } finally {
      await restore();
    }
    expect((await verify()).ok).toBe(true);
  });

  it('publishes the daily head on the public feed (yesterday’s last checkpoint)', async () => {
    expect((await t.http().get('/public/feed.json').expect(200)).body).toHaveProperty('auditHead', null); // none before today
    const tomorrow = await audit.dailyHead(new Date(Date.now() + 86_400_000));
    const [last] = await sql(`SELECT head_seq::text AS seq, head_hash AS hash FROM audit_checkpoint c ORDER BY c.id DESC LIMIT 1`);
    expect(tomorrow).toMatchObject({ headSeq: last.seq, headHash: last.hash });
  });

  it('reports events that wait too long for the sealer (a warning, not a break)', async () => {
    await sql(`INSERT INTO audit_event (occurred_at, actor_role, actor_name, action, entity_type, entity_id, scope_path, xid)
      VALUES (now() - interval '10 minutes', 'system', 'system', 'institution.update', 'institution', 'x', '/320400/', pg_current_xact_id())`);
    const report = await verify();
    expect(report.ok).toBe(true);
    expect(report.unsealed).toMatchObject({ total: 1, stale: 1 });
    expect(report.warnings.join(' ')).toMatch(/not sealed/);
    expect(report.warningCodes).toEqual([{ code: 'unsealed_stale', count: 1 }]);
    await restore();
  });

  it('a lost or wrong key stops sealing (never a new key under the chain) and makes the chain "not verifiable", not broken; the app serves on', async () => {
    const repo = t.app.get(AuditRepository);
    const dataDir = `${t.config.DATA_DIR}/lost-key`; // a DATA_DIR without secrets/ under the existing chain
    fs.mkdirSync(dataDir, { recursive: true });
    const lost = new AuditSealer(loadConfig({ ...process.env, DATABASE_URL: t.config.DATABASE_URL, DATA_DIR: dataDir, AUDIT_HMAC_KEY: '', PROCESS_ROLE: 'api' }), t.db, repo);
    expect(await lost.keyState()).toEqual({ key: null, problem: 'key_missing' });
    expect(fs.existsSync(`${dataDir}/secrets/audit-hmac.key`)).toBe(false);
    const svc = new AuditService(repo, lost);
    await t.db.transaction((em) => svc.record(em, { action: 'institution.update', entityType: 'institution', entityId: 'k', scopePath: '/320400/', after: { k: 1 } }));
    expect(await lost.sealPending()).toBe(0);
    expect(await lost.checkpointNow('test')).toBeNull();
    const report = await svc.verifyChain({ seal: false });
    expect(report).toMatchObject({ ok: false, firstBroken: null, checked: 0, keyProblem: 'key_missing' });
    expect(report.warnings[0]).toMatch(/^审计密钥缺失.*DATA_DIR\/secrets\/audit-hmac\.key.* \/ audit key missing/);
    expect(await svc.sealingBacklog()).toMatchObject({ pending: 1, stopped: 'key_missing' });

    const wrong = new AuditSealer(loadConfig({ ...process.env, DATABASE_URL: t.config.DATABASE_URL, DATA_DIR: dataDir, AUDIT_HMAC_KEY: 'w'.repeat(40), PROCESS_ROLE: 'api' }), t.db, repo);
    expect((await wrong.keyState()).problem).toBe('key_mismatch');
    expect(await wrong.sealPending()).toBe(0);
    expect(await new AuditService(repo, wrong).verifyChain({ seal: false })).toMatchObject({ ok: false, firstBroken: null, keyProblem: 'key_mismatch' });
    expect((await sql(`SELECT count(*)::int AS n FROM audit_seal s JOIN audit_event e ON e.id = s.event_id WHERE e.entity_id = 'k'`))[0].n).toBe(0);

    await t.http().get('/health/live').expect(200); // the app serves; only sealing stops
    await restore();
  });

  it('detects a restored cluster whose transaction ids run behind the chain head', async () => {
    const repo = t.app.get(AuditRepository);
    const [{ xid }] = await sql(`SELECT pg_current_xact_id()::text AS xid`);
    expect(await repo.xidBehind(xid)).toBe(false);
    expect(await repo.xidBehind(String(BigInt(xid) + 10_000_000n))).toBe(true);
    expect(await repo.xidBehind(null)).toBe(false);
  });

  it('SM3: a change of AUDIT_HASH seals new events with SM3, and old and new verify together', async () => {
    const sm3 = new AuditSealer(loadConfig({ ...process.env, DATABASE_URL: t.config.DATABASE_URL, DATA_DIR: t.config.DATA_DIR, AUDIT_HASH: 'sm3', PROCESS_ROLE: 'api' }),
      t.db, t.app.get(AuditRepository));
    const sm3Audit = new AuditService(t.app.get(AuditRepository), sm3);
    await t.db.transaction((em) => sm3Audit.recordMany(em, [
      { action: 'institution.update', entityType: 'institution', entityId: 'a', scopePath: '/320400/', after: { 名称: '甲' } },
      { action: 'institution.update', entityType: 'institution', entityId: 'b', scopePath: '/320400/', after: { 名称: '乙' } },
    ]));
    expect(await sm3.sealPending()).toBe(2);
    expect(await sm3.checkpointNow('test')).toMatchObject({ alg: 'sm3' });
    const algs = await sql(`SELECT alg, count(*)::int AS n FROM audit_seal GROUP BY alg ORDER BY alg`);
    expect(algs).toEqual([{ alg: 'sha256', n: expect.any(Number) }, { alg: 'sm3', n: 2 }]);
    expect(await verify()).toMatchObject({ ok: true });
    // and an SM3 event altered is caught like any other
    const [last] = (await seals()).slice(-1);
    await sql(`UPDATE audit_event SET after = '{"名称":"丙"}' WHERE id = $1`, [last.event_id]);
    expect((await verify()).firstBroken).toEqual({ id: last.event_id, reason: 'hash_mismatch' });
    await restore();
  });

  it('upgrade: events of the previous release keep their hashes, and the new chain continues from their head', async () => {
    const dbName = `upgrade_${Date.now()}`;
    await sql(`CREATE DATABASE ${dbName}`);
    const url = Object.assign(new URL(t.ownerUrl), { pathname: `/${dbName}` }).toString();
    const before = MIGRATIONS.findIndex((m) => m.name === 'AuditSealing1765200000000');
    const old = await new DataSource({ ...dataSourceOptions(url, { extra: { max: 2 } }), migrations: MIGRATIONS.slice(0, before) }).initialize();
    try {
      await old.runMigrations();
      // three events written the way the previous release wrote them: chained under its lock, in id order
      let prev = GENESIS_HASH;
      for (let i = 0; i < 3; i++) {
        const fields = { occurredAt: new Date(Date.now() - 60_000 + i).toISOString(), actorId: null, actorRole: 'system', actorName: 'system', action: 'legacy.event',
          entityType: 'institution', entityId: `L${i}`, scopePath: '/320400/', before: null, after: { i }, requestId: null };
        const hash = eventHash(prev, fields);
        await old.query(`INSERT INTO audit_event (occurred_at, actor_role, actor_name, action, entity_type, entity_id, scope_path, after, prev_hash, hash)
          VALUES ($1, 'system', 'system', 'legacy.event', 'institution', $2, '/320400/', $3, $4, $5)`, [fields.occurredAt, fields.entityId, JSON.stringify(fields.after), prev, hash]);
        prev = hash;
      }
    } finally {
      await old.destroy();
    }
    const ds = await new DataSource({ ...dataSourceOptions(url, { extra: { max: 3 } }), migrations: MIGRATIONS }).initialize();
    try {
      await ds.runMigrations();
      const repo = new AuditRepository(ds);
      const dataDir = `${t.config.DATA_DIR}/upgrade`;
      fs.mkdirSync(dataDir, { recursive: true });
      const up = new AuditSealer(loadConfig({ ...process.env, DATABASE_URL: url, DATA_DIR: dataDir, PROCESS_ROLE: 'api' }), ds, repo);
      const svc = new AuditService(repo, up);
      expect(await up.sealPending()).toBe(3); // the legacy chain adopted as it is
      await ds.transaction((em) => svc.record(em, { action: 'institution.update', entityType: 'institution', entityId: 'N1', scopePath: '/320400/', after: { n: 1 } }));
      await ds.transaction((em) => svc.record(em, { action: 'institution.update', entityType: 'institution', entityId: 'N2', scopePath: '/320400/', after: { n: 2 } }));
      expect(await up.sealPending()).toBe(2);
      await up.checkpointNow('test');
      const chain = await ds.query(`SELECT s.seq::int AS seq, s.prev_hash, s.hash, e.hash AS legacy_hash FROM audit_seal s JOIN audit_event e ON e.id = s.event_id ORDER BY s.seq`);
      expect(chain.map((r: { seq: number }) => r.seq)).toEqual([1, 2, 3, 4, 5]);
      expect(chain.slice(0, 3).every((r: { hash: string; legacy_hash: string }) => r.hash === r.legacy_hash)).toBe(true);
      expect(chain[3].prev_hash).toBe(chain[2].hash);
      expect(await svc.verifyChain()).toMatchObject({ ok: true, checked: 5, head: { seq: '5' } });
    } finally {
      await ds.destroy();
      await sql(`DROP DATABASE ${dbName} WITH (FORCE)`);
    }
  });
});
