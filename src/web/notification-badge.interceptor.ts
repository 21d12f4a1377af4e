import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { from, Observable, switchMap } from 'rxjs';
import { AuthUser } from '../common/scope';
import { NotificationBadgeRepository } from './notification-badge.repository';

/**
 * Before a signed-in page (a GET outside /api) renders, counts the viewer's unread notifications into
 * `res.locals.unreadNotifications` for the header, for every role. Reading marks nothing: notifications are marked
 * read on the inbox page (POST). API calls, public pages and writes (which redirect) are left alone.
 */
@Injectable()
export class NotificationBadgeInterceptor implements NestInterceptor {
  constructor(private readonly badges: NotificationBadgeRepository) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    const res = context.switchToHttp().getResponse<Response>();
    const user = req.user;
    if (req.method !== 'GET' || !user || req.path.startsWith('/api/') || req.path.startsWith('/static/')) return next.handle();
    return from(this.badges.unreadCount(user).then((n) => { res.locals.unreadNotifications = n; })).pipe(switchMap(() => next.handle()));
  }
}
