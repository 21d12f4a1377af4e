import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ChecklistsModule } from '../checklists/checklists.module';
import { DivisionsModule } from '../divisions/divisions.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { DeviceEventsController, DevicesController } from './devices.controller';
import { DevicesRepository } from './devices.repository';
import { DevicesService } from './devices.service';

/** 消防物联网 / 云值班 (issue 17, item 1). */
@Module({
  imports: [AuditModule, ChecklistsModule, DivisionsModule, NotificationsModule],
  controllers: [DeviceEventsController, DevicesController],
  providers: [DevicesRepository, DevicesService],
  exports: [DevicesService],
})
export class DevicesModule {}
