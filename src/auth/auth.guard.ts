import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { AppError } from '../common/app-error';
import { requestContext } from '../common/request-context';
import { IS_PUBLIC, PERMISSION } from './auth.decorators';
import { SESSION_COOKIE, SessionResolver } from './session-resolver';
import { Action, can, refusalCode } from './permissions';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Signs the request in from a bearer token (API) or the session cookie (web pages), checks the CSRF token
 * on cookie-authenticated writes, and enforces @Can(action) against the permissions table. Registered globally:
 * every route needs a user unless @Public.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(private readonly reflector: Reflector, private readonly auth: SessionResolver) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request & { user?: unknown; sessionToken?: string; csrfToken?: string | null }>();
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const cookie = (req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
    const token = bearer ?? cookie;
    const resolved = token ? await this.auth.resolve(token) : null;
    if (resolved && (bearer ? resolved.session.kind === 'api' : resolved.session.kind === 'web')) {
      req.user = resolved.user;
      req.sessionToken = token;
      req.csrfToken = resolved.session.csrfToken;
      const ctx = requestContext.get();
      if (ctx) ctx.actor = { userId: resolved.user.id, role: resolved.user.role, username: resolved.user.username };
      if (!bearer && !SAFE_METHODS.has(req.method) && !csrfMatches(req, resolved.session.csrfToken)) {
        throw new AppError(403, 'csrf.invalid');
      }
    } else if (!isPublic) {
      throw new AppError(401, 'request.unauthenticated');
    }
    if (isPublic) return true;
    const user = resolved!.user;
    const action = this.reflector.getAllAndOverride<Action | undefined>(PERMISSION, [context.getHandler(), context.getClass()]);
    // Fail closed: a write that declares no permission is refused (test/e2e/permissions.e2e-spec.ts lists any).
    if (!action) {
      if (!SAFE_METHODS.has(req.method)) throw AppError.forbidden();
      return true;
    }
    if (!can(user, action)) throw AppError.forbidden(refusalCode(user, action));
    return true;
  }
}

function csrfMatches(req: Request, expected: string | null): boolean {
  // Multipart bodies are parsed after guards run, so multipart forms carry the token in the query string.
  const multipart = (req.headers['content-type'] ?? '').startsWith('multipart/form-data');
  const sent = req.headers['x-csrf-token'] ?? (req.body as Record<string, unknown> | undefined)?._csrf ?? (multipart ? req.query._csrf : undefined);
  if (!expected || typeof sent !== 'string' || sent.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(sent), Buffer.from(expected));
}
