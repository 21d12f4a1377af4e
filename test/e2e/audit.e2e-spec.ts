import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { AuditSealer } from '../../src/audit/audit-sealer';
import { createAccount, institutionInput, seedDivisions, tokenFor } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');

/** Runs the same entry point as `npm run audit:verify` (through ts-node, since tests do not build dist/). */
async function auditVerifyCli(databaseUrl: string, dataDir: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/audit/audit-verify.cli.ts'], {
      cwd: root, env: { ...process.env, DATABASE_URL: databaseUrl, DATA_DIR: dataDir },
    });
    return { code: 0, out: stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string };
    return { code: e.code, out: e.stdout };
  }
}

describe('audit log: append-only, sealed into a hash chain after commit', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await createTestApp();
    await seedDivisions(t.db);
    admin = await tokenFor(t, await createAccount(t, 'bureau_admin', { divisionCode: '320400' }));
    for (let i = 0; i < 3; i++) {
      const created = await t.http().post('/api/institutions').set('Authorization', `Bearer ${admin}`).send(institutionInput()).expect(201);
      await t.http().patch(`/api/institutions/${created.body.id}`).set('Authorization', `Bearer ${admin}`).send({ version: 1, contactName: `联系人${i}` }).expect(200);
    }
  });
  afterAll(() => t.close());

  it('records who, what, before/after and the request id; the sealer chains it to the previous event', async () => {
    const res = await t.http().patch(`/api/institutions/${(await t.db.query('SELECT id FROM institution LIMIT 1'))[0].id}`)
      .set('Authorization', `Bearer ${admin}`).set('X-Request-Id', 'req-audit-1').send({ version: 2, address: '新地址 8 号' }).expect(200);
    const events = await t.db.query(`SELECT * FROM audit_event ORDER BY id`);
    const last = events[events.length - 1];
    expect(last).toMatchObject({ action: 'institution.update', entity_id: res.body.id, actor_role: 'bureau_admin', request_id: 'req-audit-1' });
    expect(last.after).toEqual({ address: '新地址 8 号' });
    expect(last.before.address).toBe('常州市天宁区红梅街道测试路 1 号');
    expect(last.xid).not.toBeNull();
    // The sealer leaves an event for later while an older transaction is still open (a background job of the app on a
    // loaded machine): seal again until the event is in, at most 20 times.
    const sealed = () => t.db.query(`SELECT seq::int AS seq, event_id::text AS event_id, prev_hash, hash FROM audit_seal ORDER BY seq`);
    let seals = [];
    for (let i = 0; i < 20; i++) {
      await t.app.get(AuditSealer).sealPending();
      seals = await sealed();
      if (seals.length >= events.length) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(seals.map((s: { event_id: string }) => s.event_id)).toEqual(events.map((e: { id: string }) => String(e.id)));
    for (let i = 1; i < seals.length; i++) expect(seals[i]).toMatchObject({ seq: i + 1, prev_hash: seals[i - 1].hash });
  });

  it('the database refuses UPDATE, DELETE and TRUNCATE', async () => {
    await expect(t.ownerQuery(`UPDATE audit_event SET action = 'x' WHERE id = 1`)).rejects.toThrow(/append-only/);
    await expect(t.ownerQuery(`DELETE FROM audit_event WHERE id = 1`)).rejects.toThrow(/append-only/);
    await expect(t.ownerQuery(`TRUNCATE audit_event`)).rejects.toThrow(/append-only/);
  });

  it('verifies through the admin endpoint and the CLI', async () => {
    const res = await t.http().get('/api/audit/verify').set('Authorization', `Bearer ${admin}`).expect(200);
    expect(res.body.ok).toBe(true);
    expect(res.body.checked).toBeGreaterThanOrEqual(7);
    const cli = await auditVerifyCli(t.config.DATABASE_URL, t.config.DATA_DIR);
    expect(cli.code).toBe(0);
    expect(cli.out).toContain('audit chain intact');
  });

  it('detects a row altered directly in the database and names it', async () => {
    const [victim] = await t.db.query(`SELECT id FROM audit_event WHERE action = 'institution.update' ORDER BY id LIMIT 1`);
    // The owner (a superuser) can switch the trigger off; the chain still gives the change away.
    await t.ownerQuery(`ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update`);
    await t.ownerQuery(`UPDATE audit_event SET after = '{"contactName":"篡改"}' WHERE id = $1`, [victim.id]);
    await t.ownerQuery(`ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update`);

    const cli = await auditVerifyCli(t.config.DATABASE_URL, t.config.DATA_DIR);
    expect(cli.code).toBe(1);
    expect(cli.out).toContain(`BROKEN at event #${victim.id} (hash_mismatch)`);
    const res = await t.http().get('/api/audit/verify').set('Authorization', `Bearer ${admin}`).expect(200);
    expect(res.body).toMatchObject({ ok: false, firstBroken: { id: String(victim.id), reason: 'hash_mismatch' } });
  });

  it('lists events scoped to the admin subtree, paginated', async () => {
    const res = await t.http().get('/api/audit/events?entityType=institution&pageSize=5').set('Authorization', `Bearer ${admin}`).expect(200);
    expect(res.body.items).toHaveLength(5);
    expect(res.body.total).toBeGreaterThanOrEqual(7);
    const district = await tokenFor(t, await createAccount(t, 'bureau_admin', { divisionCode: '320404' }));
    const other = await t.http().get('/api/audit/events?entityType=institution').set('Authorization', `Bearer ${district}`).expect(200);
    expect(other.body.total).toBe(0);
  });
});
