import { createAccount, institutionInput, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';

/** 站内通知 page: the same scope as GET /api/notifications, a page at a time, each row linking to its entity. */
describe('the notifications page', () => {
  let t: TestApp;
  let own: TestAccount;
  let other: TestAccount;
  let officer: TestAccount;
  let farOfficer: TestAccount;
  let ownId: string;

  const session = async (account: TestAccount) => {
    const res = await t.http().post('/api/auth/login').send({ username: account.username, password: account.password }).expect(200);
    return (res.headers['set-cookie'][0] as string).split(';')[0];
  };
  const page = async (account: TestAccount, query = '') =>
    (await t.http().get(`/notifications${query}`).set('Cookie', await session(account)).set('Accept', 'text/html').expect(200)).text;
  const rows = (text: string) => (text.split('<main')[1].match(/<li class="inbox-item/g) ?? []).length;

  beforeAll(async () => {
    t = await createTestApp();
    await seedDivisions(t.db);
    officer = await createAccount(t, 'bureau_officer', { divisionCode: '320402' });
    farOfficer = await createAccount(t, 'bureau_officer', { divisionCode: '320404' });
    const token = await tokenFor(t, officer);
    ownId = (await t.http().post('/api/institutions').set('Authorization', `Bearer ${token}`).send(institutionInput({ name: '通知测试甲院' })).expect(201)).body.id;
    const otherId = (await t.http().post('/api/institutions').set('Authorization', `Bearer ${token}`).send(institutionInput({ name: '通知测试乙院' })).expect(201)).body.id;
    own = await createAccount(t, 'institution', { institutionId: ownId });
    other = await createAccount(t, 'institution', { institutionId: otherId });
    const [{ path }] = await t.db.query(`SELECT path FROM division WHERE code = '320402004'`);
    for (let n = 0; n < 23; n++) {
      await t.db.query(
        `INSERT INTO notification (audience, institution_id, division_path, kind, title, body, entity_type, entity_id, dedup_key, created_at)
         VALUES ('institution', $1, $2, 'notice_issued', $3, '请在期限内整改', 'notice', gen_random_uuid(), $4, now() - make_interval(mins => $5))`,
        [ownId, path, `甲院通知${n}`, `test-own-${n}`, n]);
    }
    await t.db.query(
      `INSERT INTO notification (audience, institution_id, division_path, kind, title, body, entity_type, entity_id, dedup_key)
       VALUES ('institution', $1, $2, 'notice_issued', '乙院通知', '请在期限内整改', 'notice', gen_random_uuid(), 'test-other'),
              ('bureau', NULL, $2, 'hazard_responded', '甲院已提交整改情况', '消防通道畅通', 'hazard', '00000000-0000-4000-8000-000000000001', 'test-bureau')`,
      [otherId, path]);
  });
  afterAll(() => t?.close());

  it('shows an institution its own notifications, newest first, twenty a page', async () => {
    const first = await page(own);
    expect(first).toContain('共 23 条，第 1 / 2 页');
    expect(rows(first)).toBe(20);
    expect(first.indexOf('甲院通知0<')).toBeLessThan(first.indexOf('甲院通知1<'));
    expect(first).not.toContain('乙院通知');
    expect(first).not.toContain('甲院已提交整改情况');
    expect(first).toMatch(/href="\/notices\/[0-9a-f-]{36}"/);
    expect(first).toContain('href="/notifications?page=2"');
    const second = await page(own, '?page=2');
    expect(rows(second)).toBe(3);
    expect(second).toContain('甲院通知22<');
  });

  it('shows the bureau the notifications of its subtree, and nothing of another district', async () => {
    const mine = await page(officer);
    expect(mine).toContain('甲院已提交整改情况');
    expect(mine).toContain('href="/hazards/00000000-0000-4000-8000-000000000001"');
    expect(mine).not.toContain('甲院通知');
    expect(await page(farOfficer)).toContain('暂无通知');
    expect(await page(other)).toContain('共 1 条');
  });

  it('refuses a page number the API would refuse, inside the frame', async () => {
    const res = await t.http().get('/notifications?page=0').set('Cookie', await session(own)).set('Accept', 'text/html').expect(400);
    expect(res.text).toContain('出错了（400）');
    expect(res.text).toContain('aria-label="主导航"');
  });

  it('counts unread notifications on the bell until they are marked read (opening the page marks nothing)', async () => {
    const cookie = await session(own);
    const get = async (path: string) => (await t.http().get(path).set('Cookie', cookie).set('Accept', 'text/html').expect(200)).text;
    const badge = (text: string) => /<span class="bell-count" aria-hidden="true">([^<]+)<\/span>/.exec(text)?.[1] ?? null;
    const readAll = async () => {
      const csrf = /name="_csrf" value="([^"]+)"/.exec(await get('/notifications'))![1];
      await t.http().post('/notifications/read-all').set('Cookie', cookie).type('form').send({ _csrf: csrf }).expect(303);
    };
    await readAll();
    expect(badge(await get('/notices'))).toBeNull();
    await new Promise((r) => setTimeout(r, 20)); // the new ones come strictly after the visit
    const [{ path }] = await t.db.query(`SELECT path FROM division WHERE code = '320402004'`);
    for (const n of [1, 2]) {
      await t.db.query(
        `INSERT INTO notification (audience, institution_id, division_path, kind, title, body, entity_type, entity_id, dedup_key, created_at)
         VALUES ('institution', $1, $2, 'notice_issued', $3, '请在期限内整改', 'notice', gen_random_uuid(), $4, clock_timestamp())`,
        [ownId, path, `甲院新通知${n}`, `test-unread-${n}`]);
    }
    const before = await get('/notices');
    expect(badge(before)).toBe('2');
    expect(before).toContain('（2 条未读）');
    // Another institution's and the bureau's notifications are not this account's: the other institution counts its own one only.
    expect(badge(await (await t.http().get('/').set('Cookie', await session(other)).set('Accept', 'text/html').expect(200)).text)).toBe('1');
    expect(badge(await get('/notifications'))).toBe('2');
    await readAll();
    expect(badge(await get('/notices'))).toBeNull();
  });
});
