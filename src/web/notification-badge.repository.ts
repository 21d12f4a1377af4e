import { Injectable } from '@nestjs/common';
import { AuthUser } from '../common/scope';
import { NotificationsRepository } from '../notifications/notifications.repository';

/** 未读通知 for the header: the viewer's unread inbox (the same condition as the inbox, notifications/notifications.repository.ts). */
@Injectable()
export class NotificationBadgeRepository {
  constructor(private readonly notifications: NotificationsRepository) {}

  /** Capped: the header shows "99+". */
  unreadCount(user: AuthUser, cap = 100): Promise<number> {
    return this.notifications.unreadCount(user, cap);
  }
}
