import type { AuthUser } from '../common/scope';

/** The session cookie of the web pages (the API takes bearer tokens). */
export const SESSION_COOKIE = 'yian_session';

export interface ResolvedSession {
  user: AuthUser;
  session: { id: string; kind: 'web' | 'api'; csrfToken: string | null };
}

/**
 * What the guard needs from sign-in: the account behind a token. Implemented by the sessions module (above every
 * feature, since signing in is audited), so this folder — decorators, guard, permissions — stays beneath them all.
 */
export abstract class SessionResolver {
  abstract resolve(token: string): Promise<ResolvedSession | null>;
}
