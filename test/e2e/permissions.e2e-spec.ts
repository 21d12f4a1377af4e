/**
 * Every route's permission is data: a mutating route (POST, PUT, PATCH, DELETE) declares `@Can(action)` from the
 * table in src/auth/permissions.ts, or is explicitly `@Public()` (sign-in only). Walked twice: the Nest router's
 * registered routes (web controllers too, which Swagger leaves out) and the OpenAPI document. Then every route
 * with a permission is called as every role the table leaves out: the guard must answer 403 in the one error shape.
 */
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, ModulesContainer } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import { IS_PUBLIC, PERMISSION } from '../../src/auth/auth.decorators';
import { Action, can, isAction, PERMISSIONS, rolesFor } from '../../src/auth/permissions';
import { ROLES, type Role } from '../../src/common/roles';
import { createAccount, institutionInput, seedDivisions, tokenFor } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';

/** The only writes anyone may make without signing in: signing in. */
const PUBLIC_WRITES = ['POST /api/auth/login', 'POST /api/auth/tokens', 'POST /api/devices/events', 'POST /login', 'POST /public/complaints', 'POST /public/complaints/track'];
const SWAGGER_EXCLUDE_CONTROLLER = 'swagger/apiExcludeController';
const SWAGGER_EXCLUDE_ENDPOINT = 'swagger/apiExcludeEndpoint';

interface Route {
  method: string;
  path: string;
  controller: string;
  handler: string;
  action?: unknown;
  /** declared on the method itself, not inherited from the controller */
  ownAction: boolean;
  isPublic: boolean;
  inOpenApi: boolean;
}

function joinPath(...parts: (string | undefined)[]): string {
  const joined = parts.filter((p) => p && p !== '/').map((p) => p!.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/');
  return `/${joined}`;
}

/** The routes Nest registered, read from the same metadata the router uses. */
function registeredRoutes(t: TestApp): Route[] {
  const discovery = new DiscoveryService(t.app.get(ModulesContainer));
  const scanner = new MetadataScanner();
  const routes: Route[] = [];
  for (const wrapper of discovery.getControllers()) {
    const cls = wrapper.metatype as (new (...args: never[]) => object) | undefined;
    if (!cls?.prototype) continue;
    const classPaths = ([] as string[]).concat(Reflect.getMetadata(PATH_METADATA, cls) ?? '/');
    for (const name of scanner.getAllMethodNames(cls.prototype)) {
      const handler = (cls.prototype as Record<string, unknown>)[name] as object;
      const methodPath = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
      if (methodPath === undefined) continue;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod;
      const ownAction = Reflect.getMetadata(PERMISSION, handler);
      const action = ownAction ?? Reflect.getMetadata(PERMISSION, cls);
      const isPublic = Boolean(Reflect.getMetadata(IS_PUBLIC, handler) ?? Reflect.getMetadata(IS_PUBLIC, cls));
      const inOpenApi = !Reflect.getMetadata(SWAGGER_EXCLUDE_CONTROLLER, cls)?.[0] && !Reflect.getMetadata(SWAGGER_EXCLUDE_ENDPOINT, handler)?.disable;
      for (const cp of classPaths) {
        for (const mp of ([] as string[]).concat(methodPath)) {
          routes.push({
            method: RequestMethod[method], path: joinPath(cp, mp),
            controller: cls.name, handler: name, action, ownAction: ownAction !== undefined, isPublic, inOpenApi,
          });
        }
      }
    }
  }
  return routes;
}

const key = (r: { method: string; path: string }) => `${r.method} ${r.path}`;
const isMutating = (method: string) => ['POST', 'PUT', 'PATCH', 'DELETE', 'ALL'].includes(method);

describe('permissions as data', () => {
  let t: TestApp;
  let routes: Route[];
  const tokens = {} as Record<Role, string>;

  beforeAll(async () => {
    t = await createTestApp();
    await seedDivisions(t.db);
    tokens.bureau_admin = await tokenFor(t, await createAccount(t, 'bureau_admin', { divisionCode: '320400' }));
    tokens.bureau_officer = await tokenFor(t, await createAccount(t, 'bureau_officer', { divisionCode: '320402' }));
    tokens.inspector = await tokenFor(t, await createAccount(t, 'inspector', { divisionCode: '320402' }));
    const institutionId = (await t.http().post('/api/institutions').set('Authorization', `Bearer ${tokens.bureau_officer}`).send(institutionInput()).expect(201)).body.id;
    tokens.institution = await tokenFor(t, await createAccount(t, 'institution', { institutionId }));
    routes = registeredRoutes(t);
  });
  afterAll(() => t.close());

  it('finds the routes of the API and of the web pages', () => {
    expect(routes.length).toBeGreaterThan(60);
    expect(routes.map(key)).toEqual(expect.arrayContaining(['POST /api/hazards/:id/verifications', 'POST /hazards/:id/verify', 'POST /api/auth/login', 'POST /logout']));
    expect(routes.filter((r) => !r.inOpenApi).map((r) => r.controller)).toEqual(expect.arrayContaining(['WebController', 'RectificationWebController', 'ChangeRequestWebController']));
  });

  it('every mutating route of the router declares a permission on the route itself, or is public sign-in', () => {
    const missing = routes.filter((r) => isMutating(r.method) && !r.isPublic && !r.ownAction).map((r) => `${key(r)} (${r.controller}.${r.handler})`);
    expect(missing).toEqual([]);
    const unknown = routes.filter((r) => r.action !== undefined && !isAction(r.action)).map((r) => `${key(r)}: ${String(r.action)}`);
    expect(unknown).toEqual([]);
    const both = routes.filter((r) => r.isPublic && r.action !== undefined).map(key);
    expect(both).toEqual([]);
    expect(routes.filter((r) => isMutating(r.method) && r.isPublic).map(key).sort()).toEqual(PUBLIC_WRITES);
  });

  it('every mutating operation of the OpenAPI document names its permission (x-permission) or is public (x-public), as the router does', async () => {
    const doc = (await t.http().get('/api/docs-json').expect(200)).body as { paths: Record<string, Record<string, { 'x-permission'?: string; 'x-public'?: boolean }>> };
    const byKey = new Map(routes.map((r) => [key(r), r]));
    const problems: string[] = [];
    let mutating = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const k = `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`;
        const route = byKey.get(k);
        if (!route) problems.push(`${k}: in the document but not in the router`);
        if (!isMutating(method.toUpperCase())) continue;
        mutating++;
        const action = op['x-permission'];
        if (op['x-public'] === true) {
          if (!PUBLIC_WRITES.includes(k)) problems.push(`${k}: public write`);
        } else if (!isAction(action)) {
          problems.push(`${k}: no x-permission`);
        } else if (route && route.action !== action) {
          problems.push(`${k}: x-permission ${action} but the route checks ${String(route.action)}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(mutating).toBe(routes.filter((r) => r.inOpenApi && isMutating(r.method)).length);
  });

  it('the guard refuses every role the table leaves out, before anything else, with 403 in the one error shape', async () => {
    const failures: string[] = [];
    let checked = 0;
    for (const r of routes.filter((x) => isAction(x.action))) {
      const action = r.action as Action;
      const url = r.path.replace(/:(\w+)/g, () => randomUUID());
      for (const role of ROLES.filter((x) => !rolesFor(action).includes(x))) {
        const res = await (t.http() as unknown as Record<string, (u: string) => import('supertest').Test>)[r.method.toLowerCase()](url)
          .set('Authorization', `Bearer ${tokens[role]}`);
        checked++;
        const shaped = res.body?.statusCode === 403 && typeof res.body.code === 'string' && typeof res.body.message === 'string' && typeof res.body.requestId === 'string';
        if (res.status !== 403 || !shaped) failures.push(`${key(r)} (${action}) as ${role}: ${res.status} ${JSON.stringify(res.body).slice(0, 120)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(80);
  }, 120_000);

  it('one table: each role listed is a real role, and the services ask the same function', () => {
    for (const [action, roles] of Object.entries(PERMISSIONS)) {
      expect({ action, unknown: roles.filter((r) => !(ROLES as readonly string[]).includes(r)) }).toEqual({ action, unknown: [] });
    }
    // The questions a newcomer asks, answered by the table.
    expect(ROLES.filter((role) => can({ role }, 'hazard.verify'))).toEqual(['bureau_admin', 'bureau_officer', 'inspector']);
    expect(ROLES.filter((role) => can({ role }, 'subsidy.approve'))).toEqual(['bureau_admin']);
    expect(ROLES.filter((role) => can({ role }, 'notice.acknowledge'))).toEqual(['institution']);
  });
});
