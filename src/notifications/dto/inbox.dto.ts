import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQuery } from '../../common/pagination';

/** GET /api/notifications/inbox and the /notifications page: a page of the viewer's inbox, optionally unread only. */
export class InboxQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: '只看未读 / unread only' })
  @IsOptional() @IsIn(['true', 'false'])
  unread?: 'true' | 'false';
}

export const INBOX_QUERY_KEYS = ['page', 'pageSize', 'unread'] as const;
