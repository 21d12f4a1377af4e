import type { Role } from './roles';

/** The signed-in account, as guards and services see it. */
export interface AuthUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  divisionCode: string;
  divisionPath: string;
  institutionId: string | null;
  /** the name of the account's division, or of its institution (for the page header; set when signed in) */
  placeName?: string;
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

/** A division subtree as a scope (work the caller has already checked to be inside its own scope). */
export function divisionScope(path: string): Scope {
  return { kind: 'division', path };
}

/** Which columns of a query hold a row's division path and institution. */
export interface ScopeColumns {
  /** e.g. `h.division_path` */
  divisionPath: string;
  /** e.g. `h.institution_id`. Without one (a table of divisions), an institution scope sees the rows of its own division. */
  institutionId?: string;
}

/** The scope as one SQL condition, for a QueryBuilder (`sql` + `params`) or for raw SQL (`bind`). */
export interface ScopeCondition {
  /** With a named parameter: `qb.andWhere(c.sql, c.params)`. */
  sql: string;
  params: Record<string, unknown>;
  /** With a positional parameter: appends the value to `values` and returns the condition with its `$n`. */
  bind(values: unknown[]): string;
}

/** Names each condition's parameter apart, so one query may hold several (TypeORM sends them positionally). */
let parameterSeq = 0;

/**
 * The one rendering of a scope in SQL: a division scope is its subtree (the path prefix), an institution scope
 * is its own institution. Every repository method that takes a Scope goes through here.
 */
export function scopeCondition(scope: Scope, columns: ScopeColumns): ScopeCondition {
  const [column, operator, value] = scope.kind === 'division'
    ? [columns.divisionPath, 'LIKE', `${scope.path}%`]
    : columns.institutionId ? [columns.institutionId, '=', scope.institutionId] : [columns.divisionPath, '=', scope.path];
  const name = `scope${(parameterSeq = (parameterSeq + 1) % 1e9)}`;
  return {
    sql: `${column} ${operator} :${name}`,
    params: { [name]: value },
    bind: (values) => `${column} ${operator} $${values.push(value)}`,
  };
}
