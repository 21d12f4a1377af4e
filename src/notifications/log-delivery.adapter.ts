import { Logger } from '@nestjs/common';
import type { DeliveryAdapter, DeliveryOutcome, PendingDelivery } from './delivery-adapter';

/**
 * NOTIFY_ADAPTER=log (the default) — the development / demo adapter: writes each SMS / e-mail to the log instead of
 * a gateway and reports it sent, so the row is marked `sent` with adapter = 'log' (it does not wait for a gateway;
 * nothing reaches a phone). A deployment with a gateway sets NOTIFY_ADAPTER; rows already marked by 'log' are not
 * sent again. The in-app inbox works either way.
 */
export class LogDeliveryAdapter implements DeliveryAdapter {
  readonly name = 'log';
  private readonly logger = new Logger('NotificationDelivery');

  async send(d: PendingDelivery): Promise<DeliveryOutcome> {
    const n = d.notification;
    const to = n.audience === 'user' ? `user ${n.userId}` : n.audience === 'institution' ? `institution ${n.institutionId}` : `bureau ${n.divisionPath}`;
    this.logger.log(`${d.channel} #${d.id} to ${to}: ${n.title}`);
    return { status: 'sent' };
  }
}
