import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError } from '../common/app-error';
import { Page, pageOf } from '../common/pagination';
import { AuthUser } from '../common/scope';
import { InboxQuery } from './dto/inbox.dto';
import { notificationHref } from './notification-kinds';
import { InboxRow, NotificationsRepository } from './notifications.repository';

/** One inbox entry with the page it leads to. */
export type InboxItem = InboxRow & { href: string | null };

/**
 * 收件箱 — every account's in-app notifications (the institution's, the bureau's of its subtree, and those addressed
 * to the account itself), read state per account. The same service behind the API and the /notifications page.
 */
@Injectable()
export class NotificationsService {
  constructor(private readonly dataSource: DataSource, private readonly repo: NotificationsRepository) {}

  async inbox(user: AuthUser, query: InboxQuery): Promise<Page<InboxItem> & { unread: number }> {
    const { items, total, unread } = await this.repo.inbox(user, (query.page - 1) * query.pageSize, query.pageSize, query.unread === 'true');
    return { ...pageOf(items.map((n) => ({ ...n, href: notificationHref(n.entityType, n.entityId, n.kind) })), total, query), unread };
  }

  unreadCount(user: AuthUser): Promise<number> {
    return this.repo.unreadCount(user);
  }

  /**
   * Marks one notification read for the viewer (again: no change); a notification the viewer does not see is 404.
   * Read marks are the account's own reading state, not a supervisory act: they are not written to the audit trail
   * (as the bell's "seen" time was not).
   */
  async markRead(user: AuthUser, id: string): Promise<{ id: string; href: string | null }> {
    return this.dataSource.transaction(async (em) => {
      const n = await this.repo.findVisible(user, id, em);
      if (!n) throw AppError.notFound('notification.not_found');
      await this.repo.markRead(em, user.id, id);
      return { id, href: notificationHref(n.entityType, n.entityId, n.kind) };
    });
  }

  /** 全部标为已读: everything the viewer sees now is read; later notifications count as unread again. */
  async markAllRead(user: AuthUser): Promise<{ readUntil: Date }> {
    return { readUntil: await this.dataSource.transaction((em) => this.repo.markAllRead(em, user.id)) };
  }
}
