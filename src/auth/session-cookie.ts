import type { Response } from 'express';
import { SESSION_COOKIE } from './session-resolver';

/** httpOnly + SameSite=Lax: scripts cannot read it and other sites cannot post with it; writes also need the CSRF token. */
export function setSessionCookie(res: Response, token: string, expiresAt: Date, secure: boolean): void {
  res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure, expires: expiresAt, path: '/' });
}

export function clearSessionCookie(res: Response): void {
  res.clearCookie(SESSION_COOKIE, { path: '/' });
}
