import type { NotificationAudience } from './notification-kinds';

/** The channels a notification is also sent on, outside the app (one notification_delivery row each). */
export type DeliveryChannel = 'sms' | 'email';

/** One pending SMS or e-mail, with the notification it carries. */
export interface PendingDelivery {
  /** notification_delivery.id */
  id: string;
  channel: DeliveryChannel;
  /** attempts made before this one */
  attempts: number;
  createdAt: Date;
  notification: {
    id: string;
    audience: NotificationAudience;
    /** audience 'institution': the institution whose contacts receive it */
    institutionId: string | null;
    /** audience 'user': the account that receives it */
    userId: string | null;
    /** audience 'bureau': the division subtree whose bureau receives it */
    divisionPath: string;
    kind: string;
    title: string;
    body: string;
    entityType: string;
    entityId: string;
  };
}

/**
 * What an adapter reports for one delivery: sent, or failed with a reason. `retryable` asks for another attempt
 * later (a gateway timeout, a rate limit); a failure without it (no phone number, a rejected address) is final.
 */
export type DeliveryOutcome = { status: 'sent' } | { status: 'failed'; reason: string; retryable?: boolean };

/**
 * 短信/邮件网关适配器 — the one interface a gateway implements (docs/notifications.md). The drain job hands each
 * claimed delivery to `send` (outside any transaction) and records the outcome; an adapter never writes to the
 * database itself. It resolves the recipients from the notification's audience (the institution's contact phone,
 * the account's e-mail …), sends, and answers within a few seconds. A thrown error counts as a retryable failure.
 * It must be idempotent on `delivery.id`: after a worker stopped between sending and recording, the same delivery
 * is handed over again once its lease has ended (use the id as the gateway's message id, or remember recent ids).
 */
export interface DeliveryAdapter {
  /** recorded with each outcome (notification_delivery.adapter) */
  readonly name: string;
  send(delivery: PendingDelivery): Promise<DeliveryOutcome>;
}

/** The Nest token of the configured adapter (NOTIFY_ADAPTER). */
export const DELIVERY_ADAPTER = Symbol('DeliveryAdapter');
