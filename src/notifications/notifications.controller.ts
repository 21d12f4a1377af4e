import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Can, CurrentUser } from '../auth/auth.decorators';
import { AuthUser } from '../common/scope';
import { AppError } from '../common/app-error';
import { InboxQuery } from './dto/inbox.dto';
import { NotificationsService } from './notifications.service';

/** 收件箱 API: the viewer's notifications with read state, and marking them read. */
@ApiTags('notifications')
@ApiBearerAuth()
@Controller('api/notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get('inbox')
  @ApiOperation({ summary: '我的通知（含已读状态、链接、未读数）/ the viewer\'s inbox with read state, links and the unread count' })
  inbox(@CurrentUser() user: AuthUser, @Query() query: InboxQuery) {
    return this.notifications.inbox(user, query);
  }

  @Post('read-all')
  @HttpCode(200)
  @Can('notification.read')
  @ApiOperation({ summary: '全部标为已读 / mark everything read' })
  readAll(@CurrentUser() user: AuthUser) {
    return this.notifications.markAllRead(user);
  }

  @Post(':id/read')
  @HttpCode(200)
  @Can('notification.read')
  @ApiOperation({ summary: '标为已读 / mark one notification read' })
  read(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe({ exceptionFactory: () => AppError.notFound('notification.not_found') })) id: string) {
    return this.notifications.markRead(user, id);
  }
}
