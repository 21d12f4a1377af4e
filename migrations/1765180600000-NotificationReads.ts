import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 未读通知: when each account last opened its notifications page. The bell counts the notifications of the
 * account's audience and scope created after it. Accounts of the previous release start as having seen everything
 * up to the upgrade (their old notifications are not suddenly "new"); an account created later counts from its
 * creation (NULL = never opened the page).
 */
export class NotificationReads1765180600000 implements MigrationInterface {
  name = 'NotificationReads1765180600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE app_user ADD COLUMN notifications_seen_at timestamptz`);
    await q.query(`UPDATE app_user SET notifications_seen_at = now()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE app_user DROP COLUMN notifications_seen_at`);
  }
}
