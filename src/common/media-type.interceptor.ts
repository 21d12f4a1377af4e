import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { Observable } from 'rxjs';
import { AppError } from './app-error';

/** The metadata key `@ApiConsumes` writes (`API_CONSUMES` in @nestjs/swagger, not exported from its entry point). */
const API_CONSUMES = 'swagger/apiConsumes';

/**
 * The JSON API takes JSON bodies; a route that takes a file says so with `@ApiConsumes('multipart/form-data')`
 * and then takes multipart too. Anything else with a body (form posts, text/plain) answers 415, so a form on
 * another site cannot post to the API and form fields never reach DTOs as strings. The server-rendered pages
 * (outside /api) keep their HTML form posts. Runs before route interceptors, so before any upload is parsed.
 */
@Injectable()
export class MediaTypeInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<Request>();
    if (!req.path.startsWith('/api/') || !hasBody(req)) return next.handle();
    const consumes = this.reflector.getAllAndOverride<string[] | undefined>(API_CONSUMES, [context.getHandler(), context.getClass()]) ?? [];
    const allowed = ['application/json', ...consumes.filter((t) => t !== 'application/json')];
    if (!req.is(allowed)) {
      throw new AppError(415, 'request.unsupported_media_type', {}, [{ field: 'Content-Type', reason: 'unsupportedMediaType', args: [allowed.join(', ')] }]);
    }
    return next.handle();
  }
}

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}
