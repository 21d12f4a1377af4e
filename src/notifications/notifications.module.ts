import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/env';
import { DELIVERY_ADAPTER, DeliveryAdapter } from './delivery-adapter';
import { DeliveryService } from './delivery.service';
import { LogDeliveryAdapter } from './log-delivery.adapter';
import { NotificationsController } from './notifications.controller';
import { NotificationsRepository } from './notifications.repository';
import { NotificationsService } from './notifications.service';

/** The adapter NOTIFY_ADAPTER names (a gateway adds its class here and its name to EnvDto's list). */
export function deliveryAdapterFor(config: Pick<AppConfig, 'NOTIFY_ADAPTER'>): DeliveryAdapter {
  switch (config.NOTIFY_ADAPTER) {
    case 'log': return new LogDeliveryAdapter();
  }
}

/**
 * 站内通知 and their SMS/e-mail deliveries, beneath every feature (like the outbox): the services where an event
 * happens write its notification with NotificationsRepository.notify in their own transaction; the inbox API and
 * the delivery drain job live here (the inbox pages are in the web module).
 */
@Global()
@Module({
  controllers: [NotificationsController],
  providers: [
    NotificationsRepository, NotificationsService, DeliveryService,
    { provide: DELIVERY_ADAPTER, inject: [APP_CONFIG], useFactory: deliveryAdapterFor },
  ],
  exports: [NotificationsRepository, NotificationsService],
})
export class NotificationsModule {}
