import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Scope, scopeCondition } from '../common/scope';

/** 未读通知 for the bell: the same audience and scope as the notifications page, newer than the account's last visit. */
@Injectable()
export class NotificationBadgeRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Notifications of the scope's audience created after the account last opened /notifications (or was created). Capped: the bell shows "99+". */
  async unreadCount(scope: Scope, userId: string, cap = 100): Promise<number> {
    const params: unknown[] = [scope.kind === 'institution' ? 'institution' : 'bureau', userId];
    const where = scopeCondition(scope, { divisionPath: 'division_path', institutionId: 'institution_id' }).bind(params);
    const [{ n }] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM (
         SELECT 1 FROM notification
          WHERE audience = $1 AND ${where}
            AND created_at > (SELECT COALESCE(notifications_seen_at, created_at) FROM app_user WHERE id = $2)
          LIMIT ${Number(cap)}) t`, params);
    return n;
  }

  async markSeen(userId: string): Promise<void> {
    await this.dataSource.query(`UPDATE app_user SET notifications_seen_at = now() WHERE id = $1`, [userId]);
  }
}
