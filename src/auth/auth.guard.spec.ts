import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '../common/roles';
import { Can, Public } from './auth.decorators';
import { AuthGuard } from './auth.guard';
import type { SessionResolver } from './session-resolver';

class Routes {
  @Can('hazard.verify') verify(): void {}
  @Can('change_request.file') file(): void {}
  @Public() login(): void {}
  undeclared(): void {}
}

function contextFor(handler: keyof Routes, method: string): ExecutionContext {
  const req = { method, headers: { authorization: 'Bearer t' }, cookies: {}, query: {} };
  return {
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => req }),
  } as unknown as ExecutionContext;
}

function guardFor(role: Role): AuthGuard {
  const auth = { resolve: async () => ({ user: { id: 'u', username: 'u', displayName: 'u', role, divisionCode: '320402', divisionPath: '/32/', institutionId: null }, session: { id: 's', kind: 'api', csrfToken: null } }) };
  return new AuthGuard(new Reflector(), auth as unknown as SessionResolver);
}

describe('AuthGuard and the permissions table', () => {
  it('lets a role the table lists take the action, and refuses the others with 403', async () => {
    await expect(guardFor('inspector').canActivate(contextFor('verify', 'POST'))).resolves.toBe(true);
    await expect(guardFor('institution').canActivate(contextFor('verify', 'POST'))).rejects.toMatchObject({ status: 403, code: 'request.forbidden' });
  });

  it('says what to do instead where the table has a refusal for the role', async () => {
    await expect(guardFor('bureau_officer').canActivate(contextFor('file', 'POST'))).rejects.toMatchObject({ status: 403, code: 'change_request.bureau_edits_directly' });
    await expect(guardFor('inspector').canActivate(contextFor('file', 'POST'))).rejects.toMatchObject({ status: 403, code: 'request.forbidden' });
  });

  it('fails closed: a write without a declared permission is refused; a read is not', async () => {
    await expect(guardFor('bureau_admin').canActivate(contextFor('undeclared', 'POST'))).rejects.toMatchObject({ status: 403 });
    await expect(guardFor('bureau_admin').canActivate(contextFor('undeclared', 'GET'))).resolves.toBe(true);
    await expect(guardFor('institution').canActivate(contextFor('login', 'POST'))).resolves.toBe(true);
  });
});
