import { Module } from '@nestjs/common';
import { DevicesModule } from '../devices/devices.module';
import { DivisionsModule } from '../divisions/divisions.module';
import { DeviceWebController } from './device-web.controller';

/** 消防物联网 / 云值班 pages (issue 17). Loaded by HTTP processes only, like WebModule. */
@Module({
  imports: [DevicesModule, DivisionsModule],
  controllers: [DeviceWebController],
})
export class DevicesWebModule {}
