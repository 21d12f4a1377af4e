import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { AppError } from '../common/app-error';
import { APP_CONFIG, AppConfig } from '../config/env';

/**
 * Login CSRF defence for sign-in posts (there is no session, hence no CSRF token, yet): a browser always sends
 * `Origin` on a POST (or at least `Referer`), so a form on another site posting our login is recognised and refused.
 * Requests with neither header come from API clients (curl, scripts), which cannot be driven by another site.
 */
export function isSameOriginRequest(req: Request, publicUrl: string): boolean {
  const origin = req.headers.origin ?? originOf(req.headers.referer);
  if (origin === undefined) return true;
  const own = new Set([originOf(publicUrl), `${req.protocol}://${req.get('host') ?? ''}`]);
  return own.has(origin);
}

function originOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return 'null';
  }
}

/** Refuses a cross-site post before its body is validated or a password is checked (403 `csrf.invalid`). */
@Injectable()
export class SameOriginGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    if (!isSameOriginRequest(context.switchToHttp().getRequest<Request>(), this.config.PUBLIC_URL)) throw new AppError(403, 'csrf.invalid');
    return true;
  }
}
