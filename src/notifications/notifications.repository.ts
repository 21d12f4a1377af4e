import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuthUser } from '../common/scope';
import type { NotificationAudience } from './notification-kinds';
import type { DeliveryChannel, DeliveryOutcome, PendingDelivery } from './delivery-adapter';

/** A notification to write: addressed to an institution, the bureau of a division subtree, or one account. */
export interface NewNotification {
  audience: NotificationAudience;
  institutionId: string | null;
  /** for 'user': the account it is addressed to */
  userId?: string | null;
  divisionPath: string;
  kind: string;
  title: string;
  body: string;
  entityType: string;
  entityId: string;
  /** once per key: writing the same key again changes nothing */
  dedupKey: string;
}

/** 收件箱 — one notification as the viewer's inbox shows it. */
export interface InboxRow {
  id: string;
  kind: string;
  title: string;
  body: string;
  createdAt: Date;
  entityType: string;
  entityId: string;
  read: boolean;
}

/**
 * SQL of notifications (站内通知) and their SMS/e-mail deliveries. What an account sees is decided here, in one
 * condition: notifications addressed to the account itself, plus those of its audience — its own institution's
 * (institution accounts) or its division subtree's bureau notifications (bureau accounts). Inspectors see only
 * their own.
 */
@Injectable()
export class NotificationsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** An in-app notification (once per dedup key) and its pending SMS/e-mail deliveries, in the caller's transaction. */
  async notify(em: EntityManager, n: NewNotification): Promise<boolean> {
    const rows: { id: string }[] = await em.query(
      `INSERT INTO notification (audience, institution_id, user_id, division_path, kind, title, body, entity_type, entity_id, dedup_key)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) RETURNING id`, // a repeated dedup key: notification_dedup_claim skips the row
      [n.audience, n.institutionId, n.userId ?? null, n.divisionPath, n.kind, n.title, n.body, n.entityType, n.entityId, n.dedupKey]);
    if (!rows.length) return false;
    await em.query(`INSERT INTO notification_delivery (notification_id, channel) VALUES ($1, 'sms'), ($1, 'email')`, [rows[0].id]);
    return true;
  }

  /** The viewer's notifications (alias n), as one condition with positional parameters appended to `params`. */
  private visible(user: AuthUser, params: unknown[]): string {
    const own = `(n.audience = 'user' AND n.user_id = $${params.push(user.id)})`;
    if (user.role === 'institution') return `(${own} OR (n.audience = 'institution' AND n.institution_id = $${params.push(user.institutionId)}))`;
    if (user.role === 'bureau_admin' || user.role === 'bureau_officer') {
      return `(${own} OR (n.audience = 'bureau' AND n.division_path LIKE $${params.push(`${user.divisionPath}%`)}))`;
    }
    return own;
  }

  /** Read: marked one by one, or created before the account's last "全部标为已读" (or before the account existed). */
  private readExpr(userParam: string): string {
    return `(EXISTS (SELECT 1 FROM notification_read r WHERE r.user_id = ${userParam} AND r.notification_id = n.id)
             OR n.created_at <= (SELECT COALESCE(u.notifications_seen_at, u.created_at) FROM app_user u WHERE u.id = ${userParam}))`;
  }

  /** One page of the viewer's inbox, newest first, with the total and the unread count. */
  async inbox(user: AuthUser, offset: number, limit: number, unreadOnly = false): Promise<{ items: InboxRow[]; total: number; unread: number }> {
    const params: unknown[] = [];
    const where = this.visible(user, params);
    const me = `$${params.push(user.id)}`;
    const read = this.readExpr(me);
    const filter = unreadOnly ? `AND NOT ${read}` : '';
    const [items, [{ total, unread }]] = await Promise.all([
      this.dataSource.query(
        `SELECT n.id, n.kind, n.title, n.body, n.created_at AS "createdAt", n.entity_type AS "entityType", n.entity_id AS "entityId", ${read} AS read
           FROM notification n WHERE ${where} ${filter} ORDER BY n.created_at DESC, n.id LIMIT ${Number(limit)} OFFSET ${Number(offset)}`, params),
      this.dataSource.query(
        `SELECT count(*) FILTER (WHERE TRUE ${filter})::int AS total, count(*) FILTER (WHERE NOT ${read})::int AS unread FROM notification n WHERE ${where}`, params),
    ]);
    return { items, total, unread };
  }

  /** Unread notifications of the viewer, for the header's count. Capped: the header shows "99+". */
  async unreadCount(user: AuthUser, cap = 100): Promise<number> {
    const params: unknown[] = [];
    const where = this.visible(user, params);
    const read = this.readExpr(`$${params.push(user.id)}`);
    const [{ n }] = await this.dataSource.query(`SELECT count(*)::int AS n FROM (SELECT 1 FROM notification n WHERE ${where} AND NOT ${read} LIMIT ${Number(cap)}) t`, params);
    return n;
  }

  /** The notification if the viewer may see it (null otherwise). */
  async findVisible(user: AuthUser, id: string, em: EntityManager = this.dataSource.manager): Promise<{ id: string; kind: string; entityType: string; entityId: string } | null> {
    const params: unknown[] = [id];
    const where = this.visible(user, params);
    const [row] = await em.query(`SELECT n.id, n.kind, n.entity_type AS "entityType", n.entity_id AS "entityId" FROM notification n WHERE n.id = $1 AND ${where}`, params);
    return row ?? null;
  }

  /** Marks one notification read for the account (marking it again changes nothing). */
  async markRead(em: EntityManager, userId: string, notificationId: string): Promise<void> {
    await em.query(`INSERT INTO notification_read (user_id, notification_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [userId, notificationId]);
  }

  /** 全部标为已读: moves the account's watermark to now; the single marks below it are no longer needed. */
  async markAllRead(em: EntityManager, userId: string): Promise<Date> {
    const [rows] = await em.query(`UPDATE app_user SET notifications_seen_at = now() WHERE id = $1 RETURNING notifications_seen_at AS at`, [userId]);
    const at: Date = rows[0].at;
    await em.query(`DELETE FROM notification_read r USING notification n WHERE r.user_id = $1 AND n.id = r.notification_id AND n.created_at <= $2`, [userId, at]);
    return at;
  }

  // ---------------------------------------------------------------- deliveries (短信 / 邮件)

  /**
   * Pending deliveries older than `before` are not sent any more (a day-old SMS about a deadline misleads); nor is a
   * row whose last attempt was claimed and never answered (its worker stopped while sending, the lease has passed).
   */
  async expirePending(em: EntityManager, before: Date, at: Date, maxAttempts: number): Promise<number> {
    const old = await em.query(
      `UPDATE notification_delivery SET status = 'failed', failure_reason = 'expired: not sent within the delivery window', next_attempt_at = NULL
        WHERE status = 'pending' AND created_at < $1`, [before]);
    const abandoned = await em.query(
      `UPDATE notification_delivery SET status = 'failed', next_attempt_at = NULL,
              failure_reason = left('no outcome recorded for the last attempt (worker stopped while sending)' || COALESCE('; before: ' || failure_reason, ''), 500)
        WHERE status = 'pending' AND attempts >= $2 AND next_attempt_at <= $1`, [at, maxAttempts]);
    return (old[1] ?? 0) + (abandoned[1] ?? 0);
  }

  /**
   * Claims a batch of due pending deliveries with a lease, in one statement that commits at once (no lock is held
   * while they are sent): each row stays `pending`, its next_attempt_at becomes `leaseUntil` (other runs skip it until
   * then) and its attempt is counted. `attempts` in the answer is the count before this attempt.
   */
  async claimBatch(em: EntityManager, at: Date, leaseUntil: Date, limit: number): Promise<PendingDelivery[]> {
    const [rows]: [PendingDelivery[], number] = await em.query(
      `WITH due AS (
         SELECT d.id FROM notification_delivery d
          WHERE d.status = 'pending' AND (d.next_attempt_at IS NULL OR d.next_attempt_at <= $1)
          ORDER BY d.id LIMIT ${Number(limit)} FOR UPDATE SKIP LOCKED)
       UPDATE notification_delivery d SET next_attempt_at = $2, attempts = d.attempts + 1
         FROM due, notification n
        WHERE d.id = due.id AND n.id = d.notification_id
       RETURNING d.id::text AS id, d.channel, d.attempts - 1 AS attempts, d.created_at AS "createdAt",
              json_build_object('id', n.id, 'audience', n.audience, 'institutionId', n.institution_id, 'userId', n.user_id,
                'divisionPath', n.division_path, 'kind', n.kind, 'title', n.title, 'body', n.body,
                'entityType', n.entity_type, 'entityId', n.entity_id) AS notification`, [at, leaseUntil]);
    return rows.sort((a, b) => Number(a.id) - Number(b.id));
  }

  /** Gives claimed rows that were not handed to the adapter back (their attempt not counted), if the lease is still ours. */
  async releaseClaimed(em: EntityManager, ids: string[], leaseUntil: Date): Promise<void> {
    if (!ids.length) return;
    await em.query(
      `UPDATE notification_delivery SET next_attempt_at = NULL, attempts = greatest(attempts - 1, 0)
        WHERE id = ANY($1::bigint[]) AND status = 'pending' AND next_attempt_at = $2`, [ids, leaseUntil]);
  }

  /**
   * Records what the adapter said (its attempt was counted when claimed): sent — always, unless already recorded
   * sent (the message went out); failed for good, or pending again from `retryAt` — only while the lease is still
   * this run's (a later claim after an expired lease decides instead).
   */
  async recordOutcome(em: EntityManager, id: string, leaseUntil: Date, adapter: string, outcome: DeliveryOutcome, at: Date, retryAt: Date | null): Promise<void> {
    if (outcome.status === 'sent') {
      await em.query(`UPDATE notification_delivery SET status = 'sent', sent_at = $2, adapter = $3, failure_reason = NULL, next_attempt_at = NULL WHERE id = $1 AND status <> 'sent'`, [id, at, adapter]);
      return;
    }
    const reason = (outcome.reason ?? '未说明原因').slice(0, 500);
    if (retryAt) {
      await em.query(`UPDATE notification_delivery SET adapter = $2, failure_reason = $3, next_attempt_at = $4 WHERE id = $1 AND status = 'pending' AND next_attempt_at = $5`,
        [id, adapter, reason, retryAt, leaseUntil]);
    } else {
      await em.query(`UPDATE notification_delivery SET status = 'failed', adapter = $2, failure_reason = $3, next_attempt_at = NULL WHERE id = $1 AND status = 'pending' AND next_attempt_at = $4`,
        [id, adapter, reason, leaseUntil]);
    }
  }

  /** Deliveries by status and channel (for the health of the gateway; tests). */
  async deliveryCounts(): Promise<{ channel: DeliveryChannel; status: string; n: number }[]> {
    return this.dataSource.query(`SELECT channel, status, count(*)::int AS n FROM notification_delivery GROUP BY channel, status ORDER BY channel, status`);
  }
}
