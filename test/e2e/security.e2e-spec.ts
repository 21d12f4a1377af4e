import type { Response } from 'supertest';
import { createAccount, institutionInput, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';

/** Parses a Content-Security-Policy header into directive → sources. */
function csp(res: Response): Record<string, string[]> {
  const header = res.headers['content-security-policy'] as string;
  expect(header).toBeDefined();
  return Object.fromEntries(header.split(';').map((d) => d.trim()).filter(Boolean).map((d) => {
    const [name, ...sources] = d.split(/\s+/);
    return [name, sources];
  }));
}

function setCookies(res: Response): string[] {
  return (res.headers['set-cookie'] as unknown as string[] | undefined) ?? [];
}

/** Everything a CSP without 'unsafe-inline' would block in a page's markup. */
function inlineCode(html: string): string[] {
  return [
    // A data block (<script type="application/json">) is never executed: CSP does not apply to it.
    ...(html.match(/<script(?![^>]*\s(?:src=|type="application\/json"))[^>]*>/gi) ?? []),
    ...(html.match(/<style[\s>]/gi) ?? []),
    ...(html.match(/\sstyle\s*=/gi) ?? []),
    ...(html.match(/\son[a-z]+\s*=/gi) ?? []),
    ...(html.match(/javascript:/gi) ?? []),
  ];
}

describe('web hardening: security headers, no-store caching, login CSRF', () => {
  let t: TestApp;
  let officer: TestAccount;
  let admin: TestAccount;
  let institutionId: string;

  beforeAll(async () => {
    t = await createTestApp();
    await seedDivisions(t.db);
    officer = await createAccount(t, 'bureau_officer', { divisionCode: '320402' });
    admin = await createAccount(t, 'bureau_admin', { divisionCode: '320400' });
    const token = await tokenFor(t, admin);
    institutionId = (await t.http().post('/api/institutions').set('Authorization', `Bearer ${token}`).send(institutionInput()).expect(201)).body.id;
  });
  afterAll(() => t.close());

  /** A signed-in browser session: the session cookie and its CSRF token. */
  async function webSession(account: TestAccount): Promise<{ cookie: string; csrf: string }> {
    const res = await t.http().post('/api/auth/login').send({ username: account.username, password: account.password }).expect(200);
    return { cookie: (res.headers['set-cookie'][0] as string).split(';')[0], csrf: res.body.csrfToken };
  }

  it('pages carry a strict CSP (no inline script or style), frame-ancestors none, nosniff and a Referrer-Policy', async () => {
    const res = await t.http().get('/login').expect(200);
    expect(csp(res)).toEqual(expect.objectContaining({
      'default-src': ["'self'"], 'script-src': ["'self'"], 'script-src-attr': ["'none'"], 'style-src': ["'self'"],
      'img-src': ["'self'", 'data:', 'blob:'], 'connect-src': ["'self'"], 'worker-src': ["'self'"], 'object-src': ["'none'"],
      'base-uri': ["'self'"], 'form-action': ["'self'"], 'frame-ancestors': ["'none'"],
    }));
    expect(res.headers['content-security-policy']).not.toContain('unsafe');
    // Plain HTTP (the default install): no HSTS and no upgrade of asset requests.
    expect(csp(res)['upgrade-insecure-requests']).toBeUndefined();
    expect(res.headers['strict-transport-security']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toBe('same-origin');
    expect(res.headers['permissions-policy']).toContain('microphone=()');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('the same headers are on API answers and on errors', async () => {
    const res = await t.http().get('/api/institutions').expect(401);
    expect(csp(res)['frame-ancestors']).toEqual(["'none'"]);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('no signed-in page contains inline script, style or event handlers', async () => {
    const s = await webSession(officer);
    for (const path of ['/', '/institutions', `/institutions/${institutionId}`, `/institutions/${institutionId}/checklist`, '/inspections', '/hazards', '/notices', '/notifications', '/dashboard']) {
      const res = await t.http().get(path).set('Cookie', s.cookie).set('Accept', 'text/html');
      expect([path, res.status]).toEqual([path, 200]);
      expect([path, inlineCode(res.text)]).toEqual([path, []]);
    }
    for (const path of ['/login', '/public']) {
      const res = await t.http().get(path).expect(200);
      expect([path, inlineCode(res.text)]).toEqual([path, []]);
    }
    // The error page too.
    const missing = await t.http().get('/institutions/00000000-0000-4000-8000-000000000000').set('Cookie', s.cookie).set('Accept', 'text/html').expect(404);
    expect(inlineCode(missing.text)).toEqual([]);
  });

  it('signed-in pages and personal-data API answers are never stored; static assets are cacheable', async () => {
    const s = await webSession(officer);
    const page = await t.http().get('/institutions').set('Cookie', s.cookie).expect(200);
    expect(page.headers['cache-control']).toBe('no-store');
    const api = await t.http().get('/api/auth/me').set('Authorization', `Bearer ${await tokenFor(t, officer)}`).expect(200);
    expect(api.headers['cache-control']).toBe('no-store');
    // A route that sets its own caching cannot weaken it (the service worker script sets no-cache).
    const sw = await t.http().get('/sw.js').expect(200);
    expect(sw.headers['cache-control']).toBe('no-store');
    expect(sw.headers['service-worker-allowed']).toBe('/');
    const css = await t.http().get('/static/app.css').expect(200);
    expect(css.headers['cache-control']).toMatch(/max-age=3600/);
    expect(css.headers['x-content-type-options']).toBe('nosniff');
  });

  it('the API docs (Swagger UI) get inline style only, and load with their scripts', async () => {
    const page = await t.http().get('/api/docs').expect(200);
    expect(page.text).toContain('swagger-ui-init.js');
    expect(inlineCode(page.text).filter((s) => /script|on[a-z]+\s*=|javascript:/i.test(s))).toEqual([]);
    expect(csp(page)).toEqual(expect.objectContaining({ 'script-src': ["'self'"], 'style-src': ["'self'", "'unsafe-inline'"], 'frame-ancestors': ["'none'"] }));
    const init = await t.http().get('/api/docs/swagger-ui-init.js').expect(200);
    expect(init.text).toContain('SwaggerUIBundle');
    // Everywhere else, style stays strict.
    expect(csp(await t.http().get('/api/docs-json').expect(200))['style-src']).toEqual(["'self'"]);
  });

  describe('login CSRF', () => {
    it('refuses a cross-site post to /api/auth/login with 403 in the one error shape, setting no cookie', async () => {
      for (const headers of [{ Origin: 'https://evil.example' }, { Origin: 'null' }, { Referer: 'https://evil.example/form.html' }]) {
        const res = await t.http().post('/api/auth/login').set(headers).set('Accept-Language', 'en')
          .send({ username: officer.username, password: officer.password }).expect(403);
        expect(res.body).toEqual({ statusCode: 403, code: 'csrf.invalid', message: expect.stringMatching(/origin is not trusted/), details: [], requestId: expect.any(String) });
        expect(res.headers['set-cookie']).toBeUndefined();
      }
      // A classic cross-site HTML form (urlencoded) is refused the same way, before anything else looks at it.
      const form = await t.http().post('/api/auth/login').set('Origin', 'https://evil.example').type('form')
        .send({ username: officer.username, password: officer.password }).expect(403);
      expect(form.body.code).toBe('csrf.invalid');
      expect(form.headers['set-cookie']).toBeUndefined();
    });

    it('accepts a same-origin post and an API client without Origin; bearer tokens need no Origin', async () => {
      const same = await t.http().post('/api/auth/login').set('Origin', t.url).set('Referer', `${t.url}/login`)
        .send({ username: officer.username, password: officer.password }).expect(200);
      expect(same.headers['set-cookie'][0]).toMatch(/^yian_session=/);
      const publicUrl = await t.http().post('/api/auth/login').set('Origin', new URL(t.config.PUBLIC_URL).origin)
        .send({ username: officer.username, password: officer.password }).expect(200);
      expect(publicUrl.body.csrfToken).toEqual(expect.any(String));
      await t.http().post('/api/auth/login').send({ username: officer.username, password: officer.password }).expect(200);
      const token = await t.http().post('/api/auth/tokens').send({ username: officer.username, password: officer.password }).expect(201);
      await t.http().get('/api/auth/me').set('Authorization', `Bearer ${token.body.token}`).expect(200);
    });

    it('refuses a cross-site post of the web login form even with a planted token pair', async () => {
      const form = await t.http().get('/login').expect(200);
      const loginCookie = (form.headers['set-cookie'][0] as string).split(';')[0];
      const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
      const body = { _csrf: csrf, next: '/', username: officer.username, password: officer.password };
      const evil = await t.http().post('/login').set('Cookie', loginCookie).set('Origin', 'https://evil.example').type('form').send(body).expect(403);
      expect(evil.text).toContain('来源不可信');
      expect(setCookies(evil).some((c) => c.startsWith('yian_session='))).toBe(false);
      const ok = await t.http().post('/login').set('Cookie', loginCookie).set('Origin', t.url).type('form').send(body).expect(303);
      expect(setCookies(ok).some((c) => c.startsWith('yian_session='))).toBe(true);
    });

    it('keeps one login token per browser until it signs in: a second load of /login does not expire the form on screen', async () => {
      const first = await t.http().get('/login').expect(200);
      const loginCookie = (first.headers['set-cookie'][0] as string).split(';')[0];
      const csrf = /name="_csrf" value="([^"]+)"/.exec(first.text)![1];
      // another tab (or a page fetched in the background and redirected to /login) loads the form again
      const second = await t.http().get('/login?next=/inspections').set('Cookie', loginCookie).expect(200);
      expect(/name="_csrf" value="([^"]+)"/.exec(second.text)![1]).toBe(csrf);
      const ok = await t.http().post('/login').set('Cookie', loginCookie).set('Origin', t.url).type('form')
        .send({ _csrf: csrf, next: '/', username: officer.username, password: officer.password }).expect(303);
      expect(setCookies(ok).some((c) => c.startsWith('yian_session='))).toBe(true);
      expect(setCookies(ok).some((c) => /^yian_login_csrf=;/.test(c))).toBe(true); // spent: the next sign-in gets a new one
      // a cookie that is not one of our tokens is replaced, never echoed into the page
      const odd = await t.http().get('/login').set('Cookie', 'yian_login_csrf=%3Cscript%3E').expect(200);
      const fresh = /name="_csrf" value="([^"]+)"/.exec(odd.text)![1];
      expect(fresh).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(setCookies(odd).some((c) => c.startsWith(`yian_login_csrf=${fresh};`))).toBe(true);
    });
  });
});
