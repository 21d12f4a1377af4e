import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { dataSourceOptions } from '../../src/database/data-source';
import { AuditService } from '../../src/audit/audit.service';
import { partitionName } from '../../src/partitions/partitions';
import { PartitionArchive } from '../../src/partitions/partitions-archive';
import { PartitionsRepository } from '../../src/partitions/partitions.repository';
import { PartitionsService } from '../../src/partitions/partitions.service';
import { createAccount, institutionInput, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { formItems, submission, uploadPhoto } from '../support/inspection-fixtures';
import { createTestApp, TestApp } from '../support/test-app';
import { readDbInfo } from '../support/test-db';

/** 'YYYY-MM' of the month `k` months from now (China time). */
function monthFromNow(k: number): string {
  const now = new Date(Date.now() + 8 * 3600_000);
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + k, 1));
  return d.toISOString().slice(0, 7);
}

/** 按月分区: the history tables are partitioned by month, kept ahead by the daily job, and a month detaches at once. */
describe('monthly partitions of the history tables', () => {
  let t: TestApp;
  let officer: TestAccount;
  let officerToken: string;
  let adminToken: string;
  let institutionId: string;
  let institutionToken: string;
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const partitionOf = async (table: string, where: string, params: unknown[]) =>
    (await t.ownerQuery(`SELECT tableoid::regclass::text AS p FROM ${table} WHERE ${where}`, params)).map((r) => r.p);

  beforeAll(async () => {
    t = await createTestApp();
    await seedDivisions(t.db);
    officer = await createAccount(t, 'bureau_officer', { divisionCode: '320402' });
    officerToken = await tokenFor(t, officer);
    adminToken = await tokenFor(t, await createAccount(t, 'bureau_admin', { divisionCode: '320402' }));
    institutionId = (await t.http().post('/api/institutions').set(as(officerToken)).send(institutionInput({ name: '分区测试颐养院' })).expect(201)).body.id;
    institutionToken = await tokenFor(t, await createAccount(t, 'institution', { institutionId }));
  });
  afterAll(() => t?.close());

  it('partitions the three tables by month, with keys that carry the partition column', async () => {
    const rows = await t.ownerQuery(`SELECT c.relname AS table, a.attname AS key FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid
      JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0] WHERE p.partstrat = 'r' ORDER BY 1`);
    expect(rows).toEqual(expect.arrayContaining([
      { table: 'audit_event', key: 'occurred_at' }, { table: 'inspection_response', key: 'recorded_at' }, { table: 'notification', key: 'created_at' }]));
    const parts = await t.ownerQuery(`SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'notification'::regclass`);
    const names = parts.map((p) => p.name);
    for (const k of [-12, 0, 1, 2, 3]) expect(names).toContain(partitionName('notification', monthFromNow(k)));
    expect(names).toContain('notification_pdefault');
    const [pk] = await t.ownerQuery(`SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = 'inspection_response_pkey'`);
    expect(pk.def).toBe('PRIMARY KEY (inspection_id, item_code, recorded_at)');
  });

  it('works for a submission, the audit log and the inbox; responses carry their time and division key', async () => {
    const team = [await createAccount(t, 'inspector', { divisionCode: '320402' }), await createAccount(t, 'inspector', { divisionCode: '320402' })];
    const inspectorToken = await tokenFor(t, team[0]);
    const inspectionId = (await t.http().post('/api/inspections').set(as(officerToken))
      .send({ institutionId, kind: 'routine', teamUserIds: team.map((m) => m.id) }).expect(201)).body.id;
    const items = await formItems(t, inspectorToken, inspectionId);
    const failing = items.find((i) => i.severity === 'general' && i.evidence.photoRequiredWhenFailed) ?? items.find((i) => i.severity === 'general')!;
    const photos = failing.evidence.photoRequiredWhenFailed ? [await uploadPhoto(t, inspectorToken, inspectionId, failing.code)] : [];
    const body = submission(items, { [failing.code]: photos }, team);
    await t.http().post(`/api/inspections/${inspectionId}/submit`).set(as(inspectorToken)).send(body).expect(201);
    // The replay answers from the stored submission (read back across partitions).
    await t.http().post(`/api/inspections/${inspectionId}/submit`).set(as(inspectorToken)).send(body).expect(200);

    const responses = await t.ownerQuery(`SELECT r.tableoid::regclass::text AS p, r.city_code, r.recorded_at, i.submitted_at
      FROM inspection_response r JOIN inspection i ON i.id = r.inspection_id WHERE r.inspection_id = $1`, [inspectionId]);
    expect(responses).toHaveLength(items.length);
    expect(new Set(responses.map((r) => r.p))).toEqual(new Set([partitionName('inspection_response', monthFromNow(0))]));
    expect(new Set(responses.map((r) => r.city_code))).toEqual(new Set(['320400']));
    for (const r of responses) expect(Math.abs(r.recorded_at.getTime() - r.submitted_at.getTime())).toBeLessThan(60_000);
    if (photos.length) {
      const links = await t.ownerQuery(`SELECT e.recorded_at, r.recorded_at AS response_at, e.city_code FROM response_evidence e
        JOIN inspection_response r USING (inspection_id, item_code) WHERE e.inspection_id = $1`, [inspectionId]);
      expect(links).toHaveLength(1);
      expect(links[0].recorded_at).toEqual(links[0].response_at);
      expect(links[0].city_code).toBe('320400');
    }
    const [audit] = await t.ownerQuery(`SELECT tableoid::regclass::text AS p, city_code FROM audit_event WHERE entity_id = $1 AND action = 'inspection.submit'`, [inspectionId]);
    expect(audit).toEqual({ p: partitionName('audit_event', monthFromNow(0)), city_code: '320400' });

    const events = await t.http().get(`/api/audit/events?from=${new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10)}`).set(as(adminToken)).expect(200);
    expect(JSON.stringify(events.body)).toContain(inspectionId);
    const verify = await t.http().get('/api/audit/verify').set(as(adminToken)).expect(200);
    expect(verify.body.firstBroken ?? null).toBeNull();

    // A notification, once per dedup key across all months (the key is claimed outside the partitions).
    const insert = (key: string, at: string | null) => t.db.query(
      `INSERT INTO notification (audience, institution_id, division_path, kind, title, body, entity_type, entity_id, dedup_key, created_at)
       VALUES ('institution', $1, '/320400/320402/320402004/', 'notice_served', '分区通知', '分区通知', 'hazard', $2, $3, coalesce($4::timestamptz, now())) RETURNING id`,
      [institutionId, randomUUID(), key, at]);
    const key = `partition-${randomUUID()}`;
    const [first] = await insert(key, null);
    expect(first.id).toBeDefined();
    expect(await insert(key, `${monthFromNow(-2)}-15T12:00:00+08:00`)).toEqual([]);
    const inbox = await t.http().get('/api/notifications/inbox').set(as(institutionToken)).expect(200);
    expect(inbox.body.items.map((n: { id: string }) => n.id)).toContain(first.id);
    await t.http().post(`/api/notifications/${first.id}/read`).set(as(institutionToken)).expect((r) => expect(r.status).toBeLessThan(300));
    const [read] = await t.ownerQuery(`SELECT r.notification_created_at = n.created_at AS same, r.city_code FROM notification_read r JOIN notification n ON n.id = r.notification_id WHERE n.id = $1`, [first.id]);
    expect(read).toEqual({ same: true, city_code: '320400' });
  });

  it('puts a row of a month with no partition in the DEFAULT partition; the job creates months ahead, idempotently, around it', async () => {
    // Far ahead (5 months): no partition yet, the row goes to the DEFAULT partition and stays correct there.
    const [row] = await t.db.query(
      `INSERT INTO notification (audience, institution_id, division_path, kind, title, body, entity_type, entity_id, dedup_key, created_at)
       VALUES ('institution', $1, '/320400/320402/320402004/', 'notice_served', '远期', '远期', 'hazard', $2, $3, $4) RETURNING id`,
      [institutionId, randomUUID(), `far-${randomUUID()}`, `${monthFromNow(5)}-10T09:00:00+08:00`]);
    expect(await partitionOf('notification', 'id = $1', [row.id])).toEqual(['notification_pdefault']);

    // A month ahead missing (dropped here): the daily job, as the app's role, creates it again; a second run changes nothing.
    const third = partitionName('notification', monthFromNow(3));
    await t.ownerQuery(`ALTER TABLE notification DETACH PARTITION ${third}`);
    await t.ownerQuery(`DROP TABLE ${third}`);
    const service = t.app.get(PartitionsService);
    const run1 = await service.ensureJob();
    expect(run1.notification.find((p) => p.partitionName === third)?.action).toBe('created');
    expect(run1.audit_event.map((p) => p.action)).toEqual(['exists', 'exists', 'exists', 'exists']);
    const run2 = await service.ensureAhead();
    expect(Object.values(run2).flat().every((p) => p.action === 'exists')).toBe(true);

    // Further ahead: month +4 is created, month +5 holds a row in the DEFAULT partition and is skipped (not an error).
    const run3 = await t.app.get(PartitionsRepository).ensureMonthsAhead('notification', 6);
    expect(run3.slice(4).map((p) => [p.partitionName, p.action])).toEqual([
      [partitionName('notification', monthFromNow(4)), 'created'],
      [partitionName('notification', monthFromNow(5)), 'skipped: rows in the default partition'],
      [partitionName('notification', monthFromNow(6)), 'created'],
    ]);
    const [acl] = await t.ownerQuery(`SELECT has_table_privilege('yian_app', $1, 'DELETE') AS del, has_table_privilege('yian_app', 'audit_event_p' || $2, 'UPDATE') AS audit_update`,
      [partitionName('notification', monthFromNow(4)), monthFromNow(0).replace('-', '')]);
    expect(acl).toEqual({ del: true, audit_update: false });
    await t.ownerQuery(`DELETE FROM notification WHERE id = $1`, [row.id]);
  });

  it('detaches an old month: its rows leave every query at once, the referencing rows of that month only are deleted', async () => {
    const month = monthFromNow(-10);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const [n] = await t.db.query(
        `INSERT INTO notification (audience, institution_id, division_path, kind, title, body, entity_type, entity_id, dedup_key, created_at)
         VALUES ('institution', $1, '/320400/320402/320402004/', 'notice_served', '旧月', '旧月', 'hazard', $2, $3, $4) RETURNING id`,
        [institutionId, randomUUID(), `old-${randomUUID()}`, `${month}-0${i + 1}T10:00:00+08:00`]);
      ids.push(n.id);
    }
    await t.http().post(`/api/notifications/${ids[0]}/read`).set(as(institutionToken)).expect((r) => expect(r.status).toBeLessThan(300));
    const before = await t.http().get('/api/notifications/inbox?pageSize=100').set(as(institutionToken)).expect(200);
    expect(before.body.items.map((n: { id: string }) => n.id)).toEqual(expect.arrayContaining(ids));

    const owner = await new DataSource(dataSourceOptions(t.ownerUrl, { migrations: [] }, 2)).initialize();
    try {
      const archive = new PartitionArchive(owner, new PartitionsRepository(owner), t.app.get(AuditService));
      await expect(archive.detach('audit_event', month, false)).rejects.toThrow(/尚未提供 \/ archiving audit months needs verification from a checkpoint/);
      const started = Date.now();
      const res = await archive.detach('notification', month, false);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(res.referencingDeleted.notification_read).toBe(1); // the read mark (and the notifications' deliveries: none here)
      // The detach is audited in its own transaction, with what it removed.
      const [event] = await t.ownerQuery(`SELECT action, entity_type, entity_id, after, xid IS NOT NULL AS has_xid FROM audit_event WHERE entity_type = 'partition'`);
      expect(event).toEqual({ action: 'partition.detach', entity_type: 'partition', entity_id: partitionName('notification', month), has_xid: true,
        after: { table: 'notification', month, partition: partitionName('notification', month), dropped: false, referencingDeleted: res.referencingDeleted } });
    } finally {
      await owner.destroy();
    }
    const after = await t.http().get('/api/notifications/inbox?pageSize=100').set(as(institutionToken)).expect(200);
    expect(after.body.items.map((n: { id: string }) => n.id)).not.toEqual(expect.arrayContaining([ids[0]]));
    expect(after.body.total).toBe(before.body.total - 3);
    // The rows are in the detached table, untouched, ready to be dumped and dropped.
    const kept = await t.ownerQuery(`SELECT count(*)::int AS n FROM ${partitionName('notification', month)}`);
    expect(kept[0].n).toBe(3);
  });

  it('upgrade: a database of the previous release keeps every row and value of the history tables', async () => {
    const first = MIGRATIONS.findIndex((m) => m.name === 'DivisionKeys1765200400000');
    expect(first).toBeGreaterThan(0);
    const info = readDbInfo()!;
    const name = `upgrade_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    const admin = new Client({ connectionString: `${info.base}/postgres` });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = `${info.base}/${name}`;
    try {
      const previous = await new DataSource(dataSourceOptions(url, { migrations: MIGRATIONS.slice(0, first) }, 2)).initialize();
      await previous.runMigrations();
      // The previous release's rows: this app's own (submission, audit events, notifications, reads), copied over.
      const tables = ['division', 'institution', 'app_user', 'inspection', 'inspection_team_member', 'evidence', 'inspection_response', 'response_evidence',
        'inspection_signature', 'hazard', 'audit_event', 'notification', 'notification_delivery', 'notification_read'];
      const columnsOf = async (table: string): Promise<string[]> => (await previous.query(
        `SELECT column_name AS c FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 AND is_generated = 'NEVER' ORDER BY ordinal_position`, [table])).map((r: { c: string }) => r.c);
      const snapshot = async (ds: { query: (sql: string) => Promise<unknown[]> }, table: string, cols: string[]) =>
        ((await ds.query(`SELECT json_build_array(${cols.map((c) => `"${c}"`).join(', ')})::text AS r FROM ${table}`)) as { r: string }[]).map((x) => x.r).sort();
      const before: Record<string, string[]> = {};
      const runner = previous.createQueryRunner();
      await runner.query(`SET session_replication_role = replica`);
      for (const table of tables) {
        const cols = await columnsOf(table);
        const rows = await t.ownerQuery(`SELECT coalesce(json_agg(json_build_object(${cols.map((c) => `'${c}', "${c}"`).join(', ')})), '[]') AS rows FROM ${table}`);
        await runner.query(`INSERT INTO ${table} (${cols.map((c) => `"${c}"`).join(', ')})
          SELECT ${cols.map((c) => `"${c}"`).join(', ')} FROM json_populate_recordset(NULL::${table}, $1::json)`, [JSON.stringify(rows[0].rows)]);
        before[table] = await snapshot(runner, table, cols);
      }
      await runner.query(`SET session_replication_role = DEFAULT`);
      await runner.release();
      expect(before.inspection_response.length).toBeGreaterThan(10);
      expect(before.audit_event.length).toBeGreaterThan(10);
      expect(before.notification_read.length).toBeGreaterThan(0);
      const cols: Record<string, string[]> = {};
      for (const table of tables) cols[table] = await columnsOf(table);
      await previous.destroy();

      const upgraded = await new DataSource(dataSourceOptions(url, {}, 2)).initialize();
      try {
        const started = Date.now();
        expect((await upgraded.runMigrations()).map((m) => m.name)).toEqual(MIGRATIONS.slice(first).map((m) => new m().name));
        expect(Date.now() - started).toBeLessThan(15_000);
        for (const table of tables) expect({ table, rows: await snapshot(upgraded, table, cols[table]) }).toEqual({ table, rows: before[table] });
        const [check] = await upgraded.query(`SELECT
            (SELECT count(*) FROM inspection_response r JOIN inspection i ON i.id = r.inspection_id WHERE r.recorded_at <> i.submitted_at)::int AS off_time,
            (SELECT count(*) FROM response_evidence e JOIN inspection_response r USING (inspection_id, item_code) WHERE e.recorded_at <> r.recorded_at)::int AS off_link,
            (SELECT count(*) FROM notification_read r JOIN notification n ON n.id = r.notification_id WHERE r.notification_created_at <> n.created_at)::int AS off_read,
            (SELECT count(DISTINCT city_code) FROM inspection_response)::int AS cities,
            (SELECT count(*) FROM audit_event_pdefault)::int AS in_default,
            (SELECT count(*) FROM notification_dedup)::int AS dedup`);
        expect(check).toEqual({ off_time: 0, off_link: 0, off_read: 0, cities: 1, in_default: 0, dedup: before.notification.length });
      } finally {
        await upgraded.destroy();
      }
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });
});
