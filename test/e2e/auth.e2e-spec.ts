import { createAccount, rowCount, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';

describe('sign-in, sessions and accounts', () => {
  let t: TestApp;
  let officer: TestAccount;

  beforeAll(async () => {
    t = await createTestApp({ LOGIN_MAX_FAILURES: '3', LOGIN_WINDOW_MINUTES: '15' });
    await seedDivisions(t.db);
    officer = await createAccount(t, 'bureau_officer', { divisionCode: '320402' });
  });
  afterAll(() => t.close());

  it('stores passwords as argon2id hashes, never in clear', async () => {
    const [row] = await t.db.query('SELECT password_hash FROM app_user WHERE username = $1', [officer.username]);
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(row.password_hash).not.toContain(officer.password);
  });

  it('issues a bearer token that identifies the account', async () => {
    const token = await tokenFor(t, officer);
    const me = await t.http().get('/api/auth/me').set('Authorization', `Bearer ${token}`).expect(200);
    expect(me.body).toMatchObject({ username: officer.username, role: 'bureau_officer', divisionCode: '320402' });
  });

  /** A sign-in "from" an address: the app trusts X-Forwarded-For from loopback, as behind a local reverse proxy. */
  const signInFrom = (ip: string, username: string, password: string, lang?: string) => {
    const req = t.http().post('/api/auth/tokens').set('X-Forwarded-For', ip);
    if (lang) req.set('Accept-Language', lang);
    return req.send({ username, password });
  };

  it('locks a username only from the address that failed (429 there, even for the right password)', async () => {
    const victim = await createAccount(t, 'inspector', { divisionCode: '320402' });
    for (let i = 0; i < 3; i++) {
      const res = await signInFrom('198.51.100.10', victim.username, 'wrong-password-1').expect(401);
      expect(res.body.message).toBe('用户名或密码错误');
    }
    const blocked = await signInFrom('198.51.100.10', victim.username, victim.password).expect(429);
    expect(blocked.body).toMatchObject({ code: 'auth.rate_limited', message: '登录失败次数过多，请 15 分钟后再试' });
    const en = await signInFrom('198.51.100.10', victim.username, victim.password, 'en').expect(429);
    expect(en.body.message).toBe('Too many failed sign-ins; try again in 15 minutes');
    // The same account from another address signs in: an attacker elsewhere cannot lock the owner out.
    await signInFrom('198.51.100.20', victim.username, victim.password).expect(201);
    // Other accounts behind the same address (an office behind one NAT) are unaffected by one user's typos.
    await signInFrom('198.51.100.10', officer.username, officer.password).expect(201);
  });

  it('a success clears the count for its address; a typo later starts from zero', async () => {
    const user = await createAccount(t, 'inspector', { divisionCode: '320402' });
    for (let i = 0; i < 2; i++) await signInFrom('198.51.100.30', user.username, 'wrong-password-1').expect(401);
    await signInFrom('198.51.100.30', user.username, user.password).expect(201);
    for (let i = 0; i < 2; i++) await signInFrom('198.51.100.30', user.username, 'wrong-password-1').expect(401);
    await signInFrom('198.51.100.30', user.username, user.password).expect(201);
  });

  it('slows a username failing from many addresses, except at addresses its owner signed in from', async () => {
    const admin = await createAccount(t, 'bureau_admin', { divisionCode: '320402' });
    await signInFrom('192.0.2.1', admin.username, admin.password).expect(201); // the office
    // A botnet: 4 × LOGIN_MAX_FAILURES failures, each from a different address (none of them locked per pair).
    for (let i = 0; i < 12; i++) await signInFrom(`203.0.113.${i + 1}`, admin.username, 'wrong-password-1').expect(401);
    const fail = (n: number) => t.db.query(
      `INSERT INTO login_attempt (username, ip, succeeded, at) SELECT $1, '203.0.114.' || g, false, now() FROM generate_series(1, $2::int) g`, [admin.username, n]);
    await fail(1); // the 13th: a 2-second wait, so a slow machine cannot outrun it
    const slowed = await signInFrom('203.0.113.99', admin.username, admin.password).expect(429);
    expect(slowed.body).toMatchObject({ code: 'auth.slowed_down', message: expect.stringMatching(/^该账号近期登录失败次数过多，请 \d+ 秒后再试$/) });
    // More failures make the wait longer (doubling, capped), never a hard lock.
    await fail(7);
    const longer = await signInFrom('203.0.113.99', admin.username, admin.password, 'en').expect(429);
    expect(longer.body.message).toMatch(/^Too many recent failed sign-ins for this account; try again in (25\d|256) seconds$/);
    // The owner at the office is not slowed down.
    await signInFrom('192.0.2.1', admin.username, admin.password).expect(201);
  });

  it('answers an unknown username exactly like a wrong password', async () => {
    const res = await t.http().post('/api/auth/tokens').send({ username: 'nobody-here', password: 'whatever-123' }).expect(401);
    expect(res.body.code).toBe('auth.invalid_credentials');
  });

  it('web sign-in sets an httpOnly cookie; writes with the cookie need the CSRF token', async () => {
    const login = await t.http().post('/api/auth/login').send({ username: officer.username, password: officer.password }).expect(200);
    const cookie = login.headers['set-cookie'][0] as string;
    expect(cookie).toMatch(/^yian_session=[^;]+;.*HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const session = cookie.split(';')[0];
    await t.http().get('/api/auth/me').set('Cookie', session).expect(200);
    const noCsrf = await t.http().post('/api/auth/logout').set('Cookie', session).expect(403);
    expect(noCsrf.body.code).toBe('csrf.invalid');
    await t.http().post('/api/auth/logout').set('Cookie', session).set('X-CSRF-Token', login.body.csrfToken).expect(204);
    await t.http().get('/api/auth/me').set('Cookie', session).expect(401);
  });

  it('a web session cookie cannot be replayed as a bearer token', async () => {
    const login = await t.http().post('/api/auth/login').send({ username: officer.username, password: officer.password }).expect(200);
    const raw = (login.headers['set-cookie'][0] as string).split(';')[0].split('=')[1];
    await t.http().get('/api/auth/me').set('Authorization', `Bearer ${raw}`).expect(401);
  });

  describe('account management by a bureau admin', () => {
    let admin: string;
    beforeAll(async () => {
      admin = await tokenFor(t, await createAccount(t, 'bureau_admin', { divisionCode: '320402' }));
    });

    it('creates accounts inside its subtree, audited', async () => {
      const res = await t.http().post('/api/users').set('Authorization', `Bearer ${admin}`)
        .send({ username: 'new.inspector', displayName: '新检查员', role: 'inspector', divisionCode: '320402004', password: 'Strong-pass-2026' }).expect(201);
      expect(res.body).toMatchObject({ username: 'new.inspector', divisionCode: '320402004', role: 'inspector' });
      expect(res.body.passwordHash).toBeUndefined();
      const [audit] = await t.db.query(`SELECT action FROM audit_event WHERE entity_id = $1`, [res.body.id]);
      expect(audit.action).toBe('user.create');
    });

    it('refuses a division outside its subtree and a weak password, naming the fields', async () => {
      const before = await rowCount(t.db, 'app_user');
      const out = await t.http().post('/api/users').set('Authorization', `Bearer ${admin}`)
        .send({ username: 'zl.officer', displayName: '钟楼', role: 'bureau_officer', divisionCode: '320404', password: 'Strong-pass-2026' }).expect(400);
      expect(out.body.details).toEqual([expect.objectContaining({ field: 'divisionCode', reason: 'divisionOutOfScope' })]);
      const short = await t.http().post('/api/users').set('Authorization', `Bearer ${admin}`)
        .send({ username: 'weak.user', displayName: '弱', role: 'inspector', divisionCode: '320402', password: 'short' }).expect(400);
      expect(short.body.details).toEqual([{ field: 'password', reason: 'passwordTooShort', message: 'password: 密码至少 10 位' }]);
      expect(await rowCount(t.db, 'app_user')).toBe(before);
    });

    it.each(['password12', 'Password123', 'qwerty1234', 'aaaaaaaaa1', 'changz2026', 'weak.user1'])('refuses the guessable password %s with a Chinese reason naming the field', async (password) => {
      const before = await rowCount(t.db, 'app_user');
      const res = await t.http().post('/api/users').set('Authorization', `Bearer ${admin}`)
        .send({ username: 'weak.user', displayName: '弱', role: 'inspector', divisionCode: '320402', password }).expect(400);
      expect(res.body).toMatchObject({ code: 'validation.failed', details: [{ field: 'password', reason: 'passwordTooWeak', message: expect.stringMatching(/^password: 密码太容易被猜到/) }] });
      expect(await rowCount(t.db, 'app_user')).toBe(before);
    });

    it('explains a weak password in English on Accept-Language: en', async () => {
      const res = await t.http().post('/api/users').set('Authorization', `Bearer ${admin}`).set('Accept-Language', 'en')
        .send({ username: 'weak.user', displayName: '弱', role: 'inspector', divisionCode: '320402', password: 'Password123' }).expect(400);
      expect(res.body.details[0].message).toMatch(/^password: is too easy to guess/);
    });

    it('applies the policy to a password reset, judged against the account itself, changing nothing when refused', async () => {
      const user = await createAccount(t, 'inspector', { divisionCode: '320402' });
      const refused = await t.http().patch(`/api/users/${user.id}`).set('Authorization', `Bearer ${admin}`)
        .send({ version: 1, password: `${user.username}1` }).expect(400);
      expect(refused.body.details).toEqual([expect.objectContaining({ field: 'password', reason: 'passwordTooWeak' })]);
      await tokenFor(t, user); // the old password still works; the version did not move
      const reset = await t.http().patch(`/api/users/${user.id}`).set('Authorization', `Bearer ${admin}`)
        .send({ version: 1, password: 'Laiyuan-7-Xq-reset' }).expect(200);
      expect(reset.body.version).toBe(2);
      await t.http().post('/api/auth/tokens').send({ username: user.username, password: 'Laiyuan-7-Xq-reset' }).expect(201);
    });

    it('lists only accounts in its subtree', async () => {
      await createAccount(t, 'bureau_officer', { divisionCode: '320404' });
      const res = await t.http().get('/api/users?pageSize=100').set('Authorization', `Bearer ${admin}`).expect(200);
      expect(res.body.items.length).toBeGreaterThan(0);
      expect(res.body.items.every((u: { divisionCode: string }) => u.divisionCode.startsWith('320402'))).toBe(true);
    });

    it('disabling an account ends its sessions', async () => {
      const victim = await createAccount(t, 'inspector', { divisionCode: '320402' });
      const token = await tokenFor(t, victim);
      await t.http().patch(`/api/users/${victim.id}`).set('Authorization', `Bearer ${admin}`).send({ version: 1, status: 'disabled' }).expect(200);
      await t.http().get('/api/auth/me').set('Authorization', `Bearer ${token}`).expect(401);
      const again = await t.http().post('/api/auth/tokens').send({ username: victim.username, password: victim.password }).expect(403);
      expect(again.body.code).toBe('auth.account_disabled');
    });

    it('is refused to officers', async () => {
      await t.http().get('/api/users').set('Authorization', `Bearer ${await tokenFor(t, officer)}`).expect(403);
    });
  });
});
