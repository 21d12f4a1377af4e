import type { Role } from '../users/user.entity';

/** The signed-in account, as guards and services see it. */
export interface AuthUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  divisionCode: string;
  divisionPath: string;
  institutionId: string | null;
}

/**
 * What an account may see. Repositories take a Scope on every read and write, so no caller can forget it:
 * a bureau or inspector account sees its division subtree; an institution account sees only its institution.
 */
export type Scope =
  | { kind: 'division'; path: string }
  | { kind: 'institution'; institutionId: string; path: string };

export function scopeOf(user: AuthUser): Scope {
  if (user.role === 'institution') {
    if (!user.institutionId) throw new Error('institution account without institution');
    return { kind: 'institution', institutionId: user.institutionId, path: user.divisionPath };
  }
  return { kind: 'division', path: user.divisionPath };
}

/** The scope for system work (seeding, scheduled jobs): everything. */
export const SYSTEM_SCOPE: Scope = { kind: 'division', path: '/' };

export function pathWithin(path: string, scope: Scope): boolean {
  return scope.kind === 'division' && path.startsWith(scope.path);
}
