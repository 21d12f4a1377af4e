import { createAccount, institutionInput, seedDivisions, tokenFor } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';

/** `GET /api/audit/verify` verifies the one city-wide chain and reports on the caller's own subtree. */
describe('audit verification, scoped to the admin’s subtree', () => {
  let t: TestApp;
  let city: string;
  let tianning: string;
  let zhonglou: string;
  const count = async (prefix: string) => (await t.db.query(`SELECT count(*)::int AS n FROM audit_event WHERE scope_path LIKE $1`, [`${prefix}%`]))[0].n;
  const verify = async (token: string) => (await t.http().get('/api/audit/verify').set('Authorization', `Bearer ${token}`).expect(200)).body;
  async function tamper(id: string): Promise<void> {
    await t.ownerQuery(`ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update`);
    await t.ownerQuery(`UPDATE audit_event SET after = '{"contactName":"篡改"}' WHERE id = $1`, [id]);
    await t.ownerQuery(`ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update`);
  }

  beforeAll(async () => {
    t = await createTestApp();
    await seedDivisions(t.db);
    city = await tokenFor(t, await createAccount(t, 'bureau_admin', { divisionCode: '320400' }));
    tianning = await tokenFor(t, await createAccount(t, 'bureau_admin', { divisionCode: '320402' }));
    zhonglou = await tokenFor(t, await createAccount(t, 'bureau_admin', { divisionCode: '320404' }));
    for (const divisionCode of ['320402004', '320402004', '320402004', '320404001']) {
      await t.http().post('/api/institutions').set('Authorization', `Bearer ${city}`).send(institutionInput({ divisionCode })).expect(201);
    }
  });
  afterAll(() => t.close());

  it('an intact chain: each admin counts only the events of its own subtree', async () => {
    const [tn, zl, all] = [await count('/320400/320402/'), await count('/320400/320404/'), await count('/320400/')];
    expect(tn).toBeGreaterThanOrEqual(3);
    expect(zl).toBeGreaterThanOrEqual(1);
    expect(await verify(tianning)).toMatchObject({ ok: true, scopePath: '/320400/320402/', checked: tn, unverified: 0, firstBroken: null, brokenOutsideScope: false });
    expect(await verify(zhonglou)).toMatchObject({ ok: true, checked: zl, unverified: 0 });
    expect(await verify(city)).toMatchObject({ ok: true, checked: all });
  });

  it('a break in another district: not ok, the event not named, later events of the subtree unverified', async () => {
    const [victim] = await t.db.query(`SELECT id FROM audit_event WHERE scope_path LIKE '/320400/320402/%' ORDER BY id LIMIT 1 OFFSET 1`);
    await tamper(victim.id);
    const after = (prefix: string) => t.db.query(`SELECT count(*)::int AS n FROM audit_event WHERE id >= $1 AND scope_path LIKE $2`, [victim.id, `${prefix}%`]).then((r) => r[0].n);
    const before = (prefix: string) => t.db.query(`SELECT count(*)::int AS n FROM audit_event WHERE id < $1 AND scope_path LIKE $2`, [victim.id, `${prefix}%`]).then((r) => r[0].n);

    expect(await verify(tianning)).toMatchObject({
      ok: false, scopePath: '/320400/320402/', checked: await before('/320400/320402/'), unverified: await after('/320400/320402/'),
      firstBroken: { id: String(victim.id), reason: 'hash_mismatch' }, brokenOutsideScope: false,
    });
    const zl = await verify(zhonglou);
    expect(zl).toMatchObject({
      ok: false, scopePath: '/320400/320404/', checked: await before('/320400/320404/'), unverified: await after('/320400/320404/'),
      firstBroken: null, brokenOutsideScope: true,
    });
    expect(zl.unverified).toBeGreaterThanOrEqual(1);
    expect(await verify(city)).toMatchObject({ ok: false, firstBroken: { id: String(victim.id) }, brokenOutsideScope: false });
  });
});
