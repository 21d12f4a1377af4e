import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 14 — notifications for everyone. A notification may now be addressed to one account (audience 'user', e.g.
 * an inspector's new task); each account marks notifications read one by one (notification_read) or all at once
 * (app_user.notifications_seen_at, the watermark the bell already used: notifications of the previous release stay
 * read or unread as they were). The SMS/e-mail rows gain what a gateway adapter reports back: attempts, when it was
 * sent, why it failed.
 */
export class NotificationsForAll1765190300000 implements MigrationInterface {
  name = 'NotificationsForAll1765190300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE notification
        ADD COLUMN user_id uuid REFERENCES app_user(id),
        DROP CONSTRAINT notification_audience_check,
        ADD CONSTRAINT notification_audience_check CHECK (audience IN ('institution','bureau','user')),
        ADD CONSTRAINT notification_user_audience CHECK ((audience = 'user') = (user_id IS NOT NULL))`);
    await q.query(`CREATE INDEX notification_user_idx ON notification (user_id, created_at DESC) WHERE user_id IS NOT NULL`);
    await q.query(`
      CREATE TABLE notification_read (
        user_id         uuid NOT NULL REFERENCES app_user(id),
        notification_id uuid NOT NULL REFERENCES notification(id),
        read_at         timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, notification_id)
      )`);
    await q.query(`
      ALTER TABLE notification_delivery
        ADD COLUMN attempts        int NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        ADD COLUMN next_attempt_at timestamptz,
        ADD COLUMN sent_at         timestamptz,
        ADD COLUMN failure_reason  varchar(500),
        ADD COLUMN adapter         varchar(32)`);
    // Rows the previous release already marked sent or failed: give them what the constraints below require.
    await q.query(`UPDATE notification_delivery SET sent_at = created_at WHERE status = 'sent' AND sent_at IS NULL`);
    await q.query(`UPDATE notification_delivery SET failure_reason = '上一版本记录为发送失败（原因未记录）' WHERE status = 'failed' AND failure_reason IS NULL`);
    await q.query(`
      ALTER TABLE notification_delivery
        ADD CONSTRAINT notification_delivery_sent CHECK ((status = 'sent') = (sent_at IS NOT NULL)),
        ADD CONSTRAINT notification_delivery_failed CHECK (status <> 'failed' OR failure_reason IS NOT NULL)`);
    await q.query(`CREATE INDEX notification_delivery_pending_idx ON notification_delivery (id) WHERE status = 'pending'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX notification_delivery_pending_idx`);
    await q.query(`ALTER TABLE notification_delivery DROP CONSTRAINT notification_delivery_failed, DROP CONSTRAINT notification_delivery_sent,
      DROP COLUMN adapter, DROP COLUMN failure_reason, DROP COLUMN sent_at, DROP COLUMN next_attempt_at, DROP COLUMN attempts`);
    await q.query(`DROP TABLE notification_read`);
    await q.query(`DELETE FROM notification_delivery d USING notification n WHERE n.id = d.notification_id AND n.audience = 'user'`);
    await q.query(`DELETE FROM notification WHERE audience = 'user'`);
    await q.query(`ALTER TABLE notification DROP CONSTRAINT notification_user_audience, DROP CONSTRAINT notification_audience_check,
      ADD CONSTRAINT notification_audience_check CHECK (audience IN ('institution','bureau')), DROP COLUMN user_id`);
  }
}
