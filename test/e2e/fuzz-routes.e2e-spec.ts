/**
 * Hostile-input fuzz over every API route in the OpenAPI document: each query parameter and each body field in
 * turn gets wrong types, odd strings and out-of-range numbers, and so does each path parameter; any 5xx is listed and fails the test (a few requests in flight at once; it guards the promise that bad input never answers 500).
 */
import { randomUUID } from 'node:crypto';
import { Action, can } from '../../src/auth/permissions';
import { Role } from '../../src/common/roles';
import { createAccount, institutionInput, seedDivisions, tokenFor } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';

type Schema = { type?: string; properties?: Record<string, Schema>; items?: Schema; enum?: unknown[]; $ref?: string; required?: string[]; allOf?: Schema[] };
const HOSTILE: unknown[] = [null, true, 0, -1, 1.5, 2147483648, 1e308, -1e308, '', 'x', '-1', '1e309', 'NaN', '2026-02-30', '\u0000', 'x'.repeat(5000), [], [null], {}, { a: 1 }];
/** Requests in flight at once per route and role. */
const IN_FLIGHT = 6;
const QUERY_HOSTILE = ['', '-1', '0', '1e309', '99999999999999999999', 'abc', '%00', '2026-02-30', '[]', 'x'.repeat(3000)];
/** Path segments (already encoded): not a UUID by one character, numbers beyond int, a NUL, an encoded slash, very long. */
const PATH_HOSTILE = ['x', '-1', '0', '1.5', '99999999999999999999', '1e309', '%00', '..%2F..', '%E4%B8%AD', '00000000-0000-0000-0000-00000000000g', 'x'.repeat(3000)];

describe('fuzz every route', () => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  const accounts: Record<string, Awaited<ReturnType<typeof createAccount>>> = {};
  let institutionId: string;
  const failures: string[] = [];
  const sent = { full: 0, refused: 0, requests: 0 };

  beforeAll(async () => {
    t = await createTestApp();
    await seedDivisions(t.db);
    accounts.bureau_admin = await createAccount(t, 'bureau_admin', { divisionCode: '320400' });
    accounts.bureau_officer = await createAccount(t, 'bureau_officer', { divisionCode: '320402' });
    accounts.inspector = await createAccount(t, 'inspector', { divisionCode: '320402' });
    const officer = await tokenFor(t, accounts.bureau_officer);
    institutionId = (await t.http().post('/api/institutions').set('Authorization', `Bearer ${officer}`).send(institutionInput()).expect(201)).body.id;
    accounts.institution = await createAccount(t, 'institution', { institutionId });
    await signInAll();
  });
  /** A token per role, again after the logout route has revoked them. */
  const signInAll = async () => {
    for (const [role, account] of Object.entries(accounts)) tokens[role] = await tokenFor(t, account);
  };
  afterAll(() => t.close());

  it('no 5xx', async () => {
    const doc = (await t.http().get('/api/docs-json').expect(200)).body;
    const resolve = (s: Schema | undefined): Schema => {
      if (!s) return {};
      if (s.$ref) return resolve(doc.components.schemas[s.$ref.split('/').pop()!]);
      if (s.allOf) return s.allOf.map(resolve).reduce((a, b) => ({ ...a, ...b, properties: { ...a.properties, ...b.properties } }), {});
      return s;
    };
    const sample = (s: Schema, depth = 0): unknown => {
      s = resolve(s);
      if (s.enum) return s.enum[0];
      if (s.type === 'object' || s.properties) return Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, depth > 3 ? undefined : sample(v, depth + 1)]));
      if (s.type === 'array') return [sample(s.items ?? {}, depth + 1)];
      if (s.type === 'integer' || s.type === 'number') return 1;
      if (s.type === 'boolean') return true;
      return 'abc';
    };
    for (const [route, ops] of Object.entries(doc.paths as Record<string, Record<string, { 'x-permission'?: Action; 'x-public'?: boolean; parameters?: { name: string; in: string }[]; requestBody?: { content: Record<string, { schema: Schema }> } }>>)) {
      for (const [method, op] of Object.entries(ops)) {
        const fixed = (name: string) => (name === 'id' && route.startsWith('/api/institutions') ? institutionId : name === 'code' ? 'fire-safety-inspection' : name === 'versionNo' ? '1' : randomUUID());
        const values = new Map([...route.matchAll(/\{(\w+)\}/g)].map((m) => [m[1], fixed(m[1])]));
        const urlWith = (name?: string, value?: string) => route.replace(/\{(\w+)\}/g, (_m, n: string) => (n === name ? value! : values.get(n)!));
        const url = urlWith();
        const bodySchema = op.requestBody?.content['application/json']?.schema;
        const known: Record<string, () => unknown> = {
          'post /api/institutions': () => institutionInput(),
          'patch /api/institutions/{id}': () => ({ version: 1, contactName: '王五' }),
          'post /api/users': () => ({ username: `fz${randomUUID().slice(0, 8)}`, displayName: '模糊', role: 'bureau_officer', divisionCode: '320402', password: 'Fuzz-Passw0rd-2026' }),
          'post /api/grade-assessments': () => ({ institutionId, noSeriousAccident: true, registrationInOrder: true }),
          'post /api/subsidy-schedules': () => ({ divisionCode: '320402', periodStart: '2026-01-01', periodEnd: '2026-12-31' }),
          'post /api/auth/tokens': () => ({ username: 'nobody', password: 'nothing-here' }),
          'post /api/auth/login': () => ({ username: 'nobody', password: 'nothing-here' }),
        };
        const base = known[`${method} ${route}`]?.() as Record<string, unknown> ?? (bodySchema ? (sample(bodySchema) as Record<string, unknown>) : undefined);
        const cases: { query?: string; body?: unknown; url?: string }[] = [{ body: base }];
        for (const name of values.keys()) for (const v of PATH_HOSTILE) cases.push({ url: urlWith(name, v), body: base });
        for (const p of (op.parameters ?? []).filter((x) => x.in === 'query')) for (const v of QUERY_HOSTILE) cases.push({ query: `${p.name}=${encodeURIComponent(v).replace('%2500', '%00')}`, body: base });
        if (base && typeof base === 'object') for (const k of Object.keys(base)) for (const v of HOSTILE) cases.push({ body: { ...base, [k]: v } });
        if (base) cases.push({ body: [] }, { body: 'x' }, { body: 1 });
        const logout = `${method} ${route}` === 'post /api/auth/logout';
        for (const role of Object.keys(tokens)) {
          // A role the route's declared permission refuses is stopped by the auth guard, which Nest runs before any
          // pipe: no query or body reaches validation or a service, so the first case stands for all of them.
          const refused = op['x-permission'] !== undefined && !can({ role: role as Role }, op['x-permission']);
          // A few requests in flight at once (the server answers each on its own; a 5xx is a 5xx however it is reached).
          const one = async (c: { query?: string; body?: unknown; url?: string }) => {
            sent.requests++;
            const target = c.url ?? url;
            const req = (t.http() as unknown as Record<string, (u: string) => import('supertest').Test>)[method](`${target}${c.query ? `?${c.query}` : ''}`).set('Authorization', `Bearer ${tokens[role]}`);
            const res = c.body === undefined ? await req : await req.set('Content-Type', 'application/json').send(JSON.stringify(c.body));
            // A valid token is never refused as unauthenticated (but by the logout route, which revokes it; a public
            // route answers 401 for its own credentials): a 401 would mean the cases after it tested the sign-in check
            // and nothing else.
            if (res.status === 401 && !logout && !op['x-public']) failures.push(`401 ${method.toUpperCase()} ${target.slice(0, 120)} as ${role}: the token no longer works`);
            if (refused && res.status !== 403 && !logout) failures.push(`${res.status}, not 403, ${method.toUpperCase()} ${target.slice(0, 120)} as ${role} (its permission ${op['x-permission']} refuses the role)`);
            if (res.status >= 500) failures.push(`${res.status} ${method.toUpperCase()} ${target.slice(0, 120)}${c.query ? `?${c.query.slice(0, 60)}` : ''} as ${role} body=${JSON.stringify(c.body)?.slice(0, 160)}`);
          };
          const mine = refused ? cases.slice(0, 1) : cases;
          if (refused) sent.refused++;
          else sent.full++;
          for (let i = 0; i < mine.length; i += IN_FLIGHT) await Promise.all(mine.slice(i, i + IN_FLIGHT).map(one));
          if (logout) await signInAll();
        }
      }
    }
    console.log(`fuzz: ${sent.requests} requests, ${sent.full} route×role fuzzed in full, ${sent.refused} refused by permission`);
    if (failures.length) console.log(failures.join('\n'));
    // Most routes are fuzzed in full for some role (a guard that stopped everyone would make this test vacuous).
    expect(sent.full).toBeGreaterThan(sent.refused / 2);
    expect(failures).toEqual([]);
  }, 600_000);
});
