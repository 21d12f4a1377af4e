import { createAccount, institutionInput, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';

/** 账号 and 审计日志 pages, and the API they stand on: one-time passwords, disable, reset, last sign-in, scope. */
describe('account and audit pages', () => {
  let t: TestApp;
  let admin: TestAccount;
  let farAdmin: TestAccount;
  let officer: TestAccount;
  let adminCookie: string;
  let institutionId: string;

  const session = async (account: Pick<TestAccount, 'username' | 'password'>) => {
    const res = await t.http().post('/api/auth/login').send({ username: account.username, password: account.password }).expect(200);
    return (res.headers['set-cookie'][0] as string).split(';')[0];
  };
  const get = (cookie: string, url: string) => t.http().get(url).set('Cookie', cookie).set('Accept', 'text/html');
  const csrfOf = (text: string) => /name="_csrf" value="([^"]+)"/.exec(text)![1];
  /** Posts a form as the browser would: the CSRF token of the page it is on, url-encoded. */
  const post = async (cookie: string, url: string, form: Record<string, string>, from: string) => {
    const page = await get(cookie, from).expect(200);
    return t.http().post(url).set('Cookie', cookie).set('Accept', 'text/html').type('form').send({ _csrf: csrfOf(page.text), ...form });
  };
  const passwordOn = (text: string) => /id="otp"[^>]*value="([^"]+)"/.exec(text)?.[1] ?? null;
  const versionOn = (text: string) => /name="version" value="(\d+)"/.exec(text)![1];

  /** Creates an account through the form; returns its id and the one-time password the result page showed. */
  const createThroughPage = async (form: Record<string, string>) => {
    const res = await post(adminCookie, '/accounts', form, '/accounts/new');
    expect(res.status).toBe(303);
    const location = res.headers.location as string;
    expect(location).toMatch(/^\/accounts\/[0-9a-f-]{36}\/issued\?reason=created$/);
    const shown = await get(adminCookie, location).expect(200);
    return { id: location.split('/')[2], password: passwordOn(shown.text)!, location, text: shown.text };
  };

  beforeAll(async () => {
    t = await createTestApp();
    await seedDivisions(t.db);
    admin = await createAccount(t, 'bureau_admin', { divisionCode: '320402' });
    farAdmin = await createAccount(t, 'bureau_admin', { divisionCode: '320404' });
    officer = await createAccount(t, 'bureau_officer', { divisionCode: '320402' });
    const token = await tokenFor(t, officer);
    institutionId = (await t.http().post('/api/institutions').set('Authorization', `Bearer ${token}`).send(institutionInput({ name: '账号测试颐养院' })).expect(201)).body.id;
    adminCookie = await session(admin);
  });
  afterAll(() => t?.close());

  it('creates an account from the form, shows its one-time password once, and the account signs in with it', async () => {
    const created = await createThroughPage({ username: 'hm.inspector', displayName: '红梅检查员', role: 'inspector', divisionCode: '320402004', institutionId: '' });
    expect(created.password).toMatch(/^[A-Za-z2-9]{4}(-[A-Za-z2-9]{4}){3}$/);
    expect(created.text).toContain('此密码只显示这一次');
    expect(created.text).toContain('复制');
    const again = await get(adminCookie, created.location).expect(200);
    expect(passwordOn(again.text)).toBeNull();
    expect(again.text).not.toContain(created.password);
    expect(again.text).toContain('不会再次显示');

    const [row] = await t.db.query(`SELECT password_hash, last_sign_in_at FROM app_user WHERE id = $1`, [created.id]);
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(row.password_hash).not.toContain(created.password);
    expect(row.last_sign_in_at).toBeNull();
    const [audit] = await t.db.query(`SELECT action, actor_name, after FROM audit_event WHERE entity_id = $1`, [created.id]);
    expect(audit).toMatchObject({ action: 'user.create', actor_name: admin.username });
    expect(JSON.stringify(audit.after)).not.toContain(created.password);

    await session({ username: 'hm.inspector', password: created.password });
    const [after] = await t.db.query(`SELECT last_sign_in_at FROM app_user WHERE id = $1`, [created.id]);
    expect(after.last_sign_in_at).not.toBeNull();
    const detail = await get(adminCookie, `/accounts/${created.id}`).expect(200);
    expect(detail.text).toContain('最近登录');
    expect(detail.text).not.toContain('从未登录');
  });

  it('creates an institution account bound to an institution of the subtree', async () => {
    const created = await createThroughPage({ username: 'zhanghu.inst', displayName: '账号测试院管理员', role: 'institution', divisionCode: '320402', institutionId });
    const me = await t.http().post('/api/auth/tokens').send({ username: 'zhanghu.inst', password: created.password }).expect(201);
    expect(me.body.user).toMatchObject({ role: 'institution', institutionId });
  });

  it('refuses a form naming the field, keeping what was typed', async () => {
    const res = await post(adminCookie, '/accounts', { username: 'x', displayName: '太短', role: 'inspector', divisionCode: '320402' }, '/accounts/new');
    expect(res.status).toBe(400);
    expect(res.text).toContain('用户名：');
    expect(res.text).toContain('value="太短"');
    const outside = await post(adminCookie, '/accounts', { username: 'zl.someone', displayName: '钟楼', role: 'inspector', divisionCode: '320404' }, '/accounts/new');
    expect(outside.status).toBe(400);
    expect(outside.text).toContain('行政区划：');
  });

  it('disables with a confirmation: the sessions end and sign-in is refused; re-enabling restores it', async () => {
    const victim = await createAccount(t, 'inspector', { divisionCode: '320402' });
    const token = await tokenFor(t, victim);
    const cookie = await session(victim);
    const confirmPage = await get(adminCookie, `/accounts/${victim.id}/disable`).expect(200);
    expect(confirmPage.text).toContain('确认停用');
    const unticked = await post(adminCookie, `/accounts/${victim.id}/disable`, { version: versionOn(confirmPage.text) }, `/accounts/${victim.id}/disable`);
    expect(unticked.status).toBe(400);
    expect(unticked.text).toContain('请勾选确认');
    await t.http().get('/api/auth/me').set('Authorization', `Bearer ${token}`).expect(200);

    const done = await post(adminCookie, `/accounts/${victim.id}/disable`, { version: versionOn(confirmPage.text), confirm: 'on' }, `/accounts/${victim.id}/disable`);
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe(`/accounts/${victim.id}?ok=disabled`);
    await t.http().get('/api/auth/me').set('Authorization', `Bearer ${token}`).expect(401);
    expect((await get(cookie, '/').expect(303)).headers.location).toBe('/login');
    const refused = await t.http().post('/api/auth/tokens').send({ username: victim.username, password: victim.password }).expect(403);
    expect(refused.body.code).toBe('auth.account_disabled');
    const [audit] = await t.db.query(`SELECT before, after FROM audit_event WHERE entity_id = $1 AND action = 'user.disable'`, [victim.id]);
    expect(audit.before.status).toBe('active');
    expect(audit.after.status).toBe('disabled');

    const detail = await get(adminCookie, `/accounts/${victim.id}?ok=disabled`).expect(200);
    expect(detail.text).toContain('账号已停用，它的所有会话已结束');
    expect(detail.text).toContain('<span class="tag warn">已停用</span>');
    const enabled = await post(adminCookie, `/accounts/${victim.id}/enable`, { version: versionOn(detail.text) }, `/accounts/${victim.id}`);
    expect(enabled.status).toBe(303);
    await tokenFor(t, victim);
  });

  it('does not let an admin disable itself', async () => {
    const me = await get(adminCookie, `/accounts/${admin.id}`).expect(200);
    expect(me.text).not.toContain(`/accounts/${admin.id}/disable`);
    const res = await t.http().post(`/api/users/${admin.id}/disable`).set('Authorization', `Bearer ${await tokenFor(t, admin)}`).send({ version: 1 }).expect(400);
    expect(res.body.details).toEqual([expect.objectContaining({ field: 'status', reason: 'cannotDisableSelf' })]);
  });

  it('resets a password to a new one-time password shown once; the old password and sessions end', async () => {
    const user = await createAccount(t, 'bureau_officer', { divisionCode: '320402' });
    const token = await tokenFor(t, user);
    const confirmPage = await get(adminCookie, `/accounts/${user.id}/reset-password`).expect(200);
    const res = await post(adminCookie, `/accounts/${user.id}/reset-password`, { version: versionOn(confirmPage.text), confirm: 'on' }, `/accounts/${user.id}/reset-password`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/accounts/${user.id}/issued?reason=reset`);
    const shown = await get(adminCookie, res.headers.location).expect(200);
    const password = passwordOn(shown.text)!;
    expect(password).toBeTruthy();
    expect(passwordOn((await get(adminCookie, res.headers.location).expect(200)).text)).toBeNull();
    await t.http().get('/api/auth/me').set('Authorization', `Bearer ${token}`).expect(401);
    await t.http().post('/api/auth/tokens').send({ username: user.username, password: user.password }).expect(401);
    await t.http().post('/api/auth/tokens').send({ username: user.username, password }).expect(201);
    const [audit] = await t.db.query(`SELECT actor_name FROM audit_event WHERE entity_id = $1 AND action = 'user.password_reset'`, [user.id]);
    expect(audit.actor_name).toBe(admin.username);
  });

  it('the API returns a generated one-time password once, and resets through POST …/password-reset', async () => {
    const token = await tokenFor(t, admin);
    const created = await t.http().post('/api/users').set('Authorization', `Bearer ${token}`)
      .send({ username: 'api.generated', displayName: '接口生成', role: 'inspector', divisionCode: '320402' }).expect(201);
    expect(created.body.oneTimePassword).toMatch(/^[A-Za-z2-9-]{19}$/);
    expect(created.body.passwordHash).toBeUndefined();
    const fetched = await t.http().get(`/api/users/${created.body.id}`).set('Authorization', `Bearer ${token}`).expect(200);
    expect(fetched.body.oneTimePassword).toBeUndefined();
    expect(fetched.body.lastSignInAt).toBeNull();
    const reset = await t.http().post(`/api/users/${created.body.id}/password-reset`).set('Authorization', `Bearer ${token}`).send({ version: 1 }).expect(200);
    expect(reset.body.oneTimePassword).not.toBe(created.body.oneTimePassword);
    await t.http().post('/api/auth/tokens').send({ username: 'api.generated', password: reset.body.oneTimePassword }).expect(201);
    const stale = await t.http().post(`/api/users/${created.body.id}/disable`).set('Authorization', `Bearer ${token}`).send({ version: 1 }).expect(409);
    expect(stale.body.code).toBe('user.version_conflict');
  });

  it('lists with search and filters, paginated, within the subtree only', async () => {
    const list = await get(adminCookie, '/accounts?q=%E7%BA%A2%E6%A2%85').expect(200); // 红梅
    expect(list.text).toContain('hm.inspector');
    expect(list.text).not.toContain(officer.username);
    const byRole = await get(adminCookie, '/accounts?role=institution').expect(200);
    expect(byRole.text).toContain('zhanghu.inst');
    expect(byRole.text).toContain('账号测试颐养院');
    expect(byRole.text).not.toContain('hm.inspector');
    const byDivision = await get(adminCookie, '/accounts?divisionCode=320402004').expect(200);
    expect(byDivision.text).toContain('hm.inspector');
    expect(byDivision.text).not.toContain(officer.username);
    const api = await t.http().get('/api/users?status=active&q=hm.&pageSize=5').set('Authorization', `Bearer ${await tokenFor(t, admin)}`).expect(200);
    expect(api.body.items.map((u: { username: string }) => u.username)).toEqual(['hm.inspector']);

    const far = await session(farAdmin);
    const farList = await get(far, '/accounts').expect(200);
    expect(farList.text).not.toContain('hm.inspector');
    expect(farList.text).not.toContain(admin.username);
    const [{ id }] = await t.db.query(`SELECT id FROM app_user WHERE username = 'hm.inspector'`);
    await get(far, `/accounts/${id}`).expect(404);
    const farAudit = await get(far, `/audit?actor=${admin.username}`).expect(200);
    expect(farAudit.text).toContain('没有符合条件的事件');
  });

  it('refuses an officer the accounts and audit pages (403)', async () => {
    const cookie = await session(officer);
    for (const url of ['/accounts', '/accounts/new', `/accounts/${admin.id}`, '/audit']) await get(cookie, url).expect(403);
    const home = await get(cookie, '/').expect(200);
    expect(home.text).not.toContain('href="/accounts"');
  });

  it('filters the audit log by actor, action, entity and day, with before and after side by side', async () => {
    const byActor = await get(adminCookie, `/audit?actor=${admin.username}`).expect(200);
    expect(byActor.text).toContain('创建账号');
    expect(byActor.text).toContain('停用账号');
    expect(byActor.text).toContain('<th scope="col">变更前</th>');
    const events = (byActor.text.match(/data-event="/g) ?? []).length;
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM audit_event WHERE actor_name = $1`, [admin.username]);
    expect(events).toBe(Math.min(n, 20));
    expect(byActor.text).not.toMatch(new RegExp(`data-event="[0-9]+"[\\s\\S]*?<span class="audit-actor">${officer.username}<`));

    const disable = await get(adminCookie, '/audit?action=user.disable').expect(200);
    expect(disable.text).toMatch(/<tr class="audit-changed"><th scope="row"><code>status<\/code><\/th><td>active<\/td><td>disabled<\/td><\/tr>/);
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const inRange = await get(adminCookie, `/audit?from=${today}&to=${today}&entityType=user`).expect(200);
    expect(inRange.text).toContain('创建账号');
    const before = await get(adminCookie, `/audit?to=2020-01-01`).expect(200);
    expect(before.text).toContain('没有符合条件的事件');
    await get(adminCookie, '/audit?from=2026-02-30').expect(400);

    const api = await t.http().get(`/api/audit/events?actor=${admin.username}&action=user.create`).set('Authorization', `Bearer ${await tokenFor(t, admin)}`).expect(200);
    expect(api.body.items.length).toBeGreaterThan(0);
    expect(api.body.items.every((e: { actorName: string; action: string }) => e.actorName === admin.username && e.action === 'user.create')).toBe(true);
  });

  it('verifies the chain from the page, keeps the result, and names the first broken event', async () => {
    const first = await get(adminCookie, '/audit').expect(200);
    expect(first.text).toContain('本辖区还没有校验过审计链');
    await get(adminCookie, '/audit/verify').expect(404); // a write: never a GET
    const run = await post(adminCookie, '/audit/verify', {}, '/audit');
    expect(run.status).toBe(303);
    expect(run.headers.location).toBe('/audit?verified=1#verification');
    const ok = await get(adminCookie, '/audit?verified=1').expect(200);
    expect(ok.text).toContain('data-verification="ok"');
    expect(ok.text).toContain('审计链完整');
    const status = await t.http().get('/api/audit/status').set('Authorization', `Bearer ${await tokenFor(t, admin)}`).expect(200);
    expect(status.body.lastVerification).toMatchObject({ ok: true, scopePath: '/320400/320402/' });

    const [victim] = await t.db.query(`SELECT id FROM audit_event WHERE action = 'user.create' AND scope_path LIKE '/320400/320402/%' ORDER BY id LIMIT 1`);
    await t.ownerQuery(`ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update`);
    await t.ownerQuery(`UPDATE audit_event SET actor_name = 'someone-else' WHERE id = $1`, [victim.id]);
    await t.ownerQuery(`ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update`);
    expect((await post(adminCookie, '/audit/verify', {}, '/audit')).status).toBe(303);
    const broken = await get(adminCookie, '/audit?verified=1').expect(200);
    expect(broken.text).toContain('data-verification="broken"');
    expect(broken.text).toContain(`事件 #${victim.id}`);
    const home = await get(adminCookie, '/').expect(200);
    expect(home.text).toContain(`事件 #${victim.id}`);
  });

  it('shows the admin home with accounts by role, disabled, recent, and the audit status', async () => {
    const home = await get(adminCookie, '/').expect(200);
    expect(home.text).toContain('账号总数');
    expect(home.text).toContain('href="/accounts?role=inspector"');
    expect(home.text).toContain('href="/accounts?status=disabled"');
    expect(home.text).toContain('最近创建的账号');
    expect(home.text).toContain('api.generated');
    expect(home.text).toContain('本辖区最近一条事件');
    expect(home.text).toContain('辖区养老机构');
    const officerHome = await get(await session(officer), '/').expect(200);
    expect(officerHome.text).not.toContain('账号总数');
    expect(officerHome.text).toContain('辖区养老机构');
  });
});
