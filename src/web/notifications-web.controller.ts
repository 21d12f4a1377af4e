import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Can, CurrentUser } from '../auth/auth.decorators';
import { AuthUser } from '../common/scope';
import { INBOX_QUERY_KEYS, InboxQuery } from '../notifications/dto/inbox.dto';
import { NotificationsService } from '../notifications/notifications.service';
import { flashBlock, pager } from './components';
import { inboxPage } from './notification-pages';
import { inboxView } from './notification-view';
import { csrfOf, render, uuid } from './render';
import { webQuery } from './web-query';

const OK_MESSAGES: Record<string, string> = { read: '已标为已读。', all_read: '全部通知已标为已读。' };

/**
 * 站内通知 pages, for every role: the inbox (the same service as GET /api/notifications/inbox) and the two POSTs
 * that mark read. Opening the page does not mark anything read.
 */
@ApiExcludeController()
@Controller('notifications')
export class NotificationsWebController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  async inbox(@CurrentUser() user: AuthUser, @Query() raw: Record<string, string>, @Res() res: Response) {
    const { query, filters } = webQuery(InboxQuery, raw, INBOX_QUERY_KEYS);
    const page = await this.notifications.inbox(user, query);
    // The header counts what this page shows (the interceptor counted before the page was read).
    res.locals.unreadNotifications = page.unread;
    const ok = OK_MESSAGES[raw.ok ?? ''];
    render(res, {
      title: '站内通知', user,
      body: inboxPage(inboxView(page, query.unread === 'true'), csrfOf(res), pager(page, '/notifications', filters), flashBlock(ok ? { ok } : undefined)),
    });
  }

  /** 全部标为已读 (literal route before the :id route). */
  @Post('read-all')
  @Can('notification.read')
  async readAll(@CurrentUser() user: AuthUser, @Res() res: Response) {
    await this.notifications.markAllRead(user);
    res.redirect(303, '/notifications?ok=all_read');
  }

  /** 标为已读; with `next=open` (notifications.js, when the row's link is followed) on to the notification's object. */
  @Post(':id/read')
  @Can('notification.read')
  async read(@CurrentUser() user: AuthUser, @Param('id', uuid('notification.not_found')) id: string, @Body() body: Record<string, string>, @Res() res: Response) {
    const { href } = await this.notifications.markRead(user, id);
    res.redirect(303, body?.next === 'open' && href ? href : '/notifications?ok=read');
  }
}
