import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, RawBodyRequest, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Can, CurrentUser, Public } from '../auth/auth.decorators';
import { AppError } from '../common/app-error';
import { AuthUser } from '../common/scope';
import { AlarmQuery, ConfirmAlarmDto, CreateCredentialDto, CreatePlatformCredentialDto, RegisterDeviceDto } from './dto/device.dto';
import { DevicesService } from './devices.service';

const institutionId = new ParseUUIDPipe({ exceptionFactory: () => AppError.notFound('institution.not_found') });
const deviceId = new ParseUUIDPipe({ exceptionFactory: () => AppError.notFound('device.not_found') });
const alarmId = new ParseUUIDPipe({ exceptionFactory: () => AppError.notFound('device.alarm_not_found') });
const credentialId = new ParseUUIDPipe({ exceptionFactory: () => AppError.notFound('device.credential_not_found') });

/** 设备事件接入: signed by a device credential, not by an account (docs/devices.md). */
@ApiTags('devices 消防物联网')
@Controller('api/devices/events')
@Public()
export class DeviceEventsController {
  constructor(private readonly devices: DevicesService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: '接收设备事件（HMAC 签名，按事件编号幂等，限速）/ ingest signed device events (idempotent, rate-limited)' })
  @ApiHeader({ name: 'X-Yian-Key', required: true }) @ApiHeader({ name: 'X-Yian-Timestamp', required: true }) @ApiHeader({ name: 'X-Yian-Signature', required: true })
  ingest(@Headers('x-yian-key') key: string | undefined, @Headers('x-yian-timestamp') timestamp: string | undefined, @Headers('x-yian-signature') signature: string | undefined, @Req() req: RawBodyRequest<Request>) {
    return this.devices.ingest({ key, timestamp, signature }, req.rawBody, req.body);
  }
}

/** 消防物联网 / 云值班: devices, credentials, alarms and their duty clock. */
@ApiTags('devices 消防物联网')
@ApiBearerAuth()
@Controller('api')
@Can('device.read')
export class DevicesController {
  constructor(private readonly devices: DevicesService) {}

  @Get('institutions/:id/devices')
  @ApiOperation({ summary: '机构的物联网设备、接入凭据、近期事件与云值班记录 / an institution’s devices' })
  registry(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string) {
    return this.devices.registry(user, id);
  }

  @Post('institutions/:id/devices')
  @Can('device.manage')
  @ApiOperation({ summary: '登记设备 / register a device' })
  register(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Body() dto: RegisterDeviceDto) {
    return this.devices.registerDevice(user, id, dto);
  }

  @Post('institutions/:id/device-credentials')
  @Can('device.manage')
  @ApiOperation({ summary: '签发机构网关接入凭据（密钥仅显示这一次）/ issue a gateway credential (the secret is shown once)' })
  issue(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Body() dto: CreateCredentialDto) {
    return this.devices.issueCredential(user, id, dto);
  }

  @Get('device-credentials/platform')
  @Can('device.platform_manage')
  @ApiOperation({ summary: '厂商平台接入凭据 / vendor platform credentials' })
  platform(@CurrentUser() user: AuthUser) {
    return this.devices.platformCredentials(user);
  }

  @Post('device-credentials/platform')
  @Can('device.platform_manage')
  @ApiOperation({ summary: '签发厂商平台接入凭据（覆盖一个行政区划）/ issue a platform credential' })
  issuePlatform(@CurrentUser() user: AuthUser, @Body() dto: CreatePlatformCredentialDto) {
    return this.devices.issuePlatformCredential(user, dto);
  }

  @Post('device-credentials/:id/revoke')
  @Can('device.manage')
  @HttpCode(200)
  @ApiOperation({ summary: '停用接入凭据 / revoke a credential' })
  revoke(@CurrentUser() user: AuthUser, @Param('id', credentialId) id: string) {
    return this.devices.revokeCredential(user, id);
  }

  @Get('devices/:id')
  @ApiOperation({ summary: '一台设备 / one device' })
  device(@CurrentUser() user: AuthUser, @Param('id', deviceId) id: string) {
    return this.devices.device(user, id);
  }

  @Post('devices/:id/retire')
  @Can('device.manage')
  @HttpCode(200)
  @ApiOperation({ summary: '停用设备 / retire a device' })
  retire(@CurrentUser() user: AuthUser, @Param('id', deviceId) id: string) {
    return this.devices.retireDevice(user, id);
  }

  @Post('devices/:id/maintenance-clear')
  @Can('device.manage')
  @HttpCode(200)
  @ApiOperation({ summary: '维保完成，取消“需维保”标记 / clear the maintenance flag' })
  clearMaintenance(@CurrentUser() user: AuthUser, @Param('id', deviceId) id: string) {
    return this.devices.clearMaintenance(user, id);
  }

  @Get('device-overview')
  @ApiOperation({ summary: '物联网值班概况：各机构报警、确认用时、离线设备 / duty overview' })
  overview(@CurrentUser() user: AuthUser) {
    return this.devices.overview(user);
  }

  @Get('alarms')
  @ApiOperation({ summary: '报警（分页；待确认在前）/ alarms' })
  alarms(@CurrentUser() user: AuthUser, @Query() query: AlarmQuery) {
    return this.devices.alarms(user, query);
  }

  @Get('alarms/:id')
  @ApiOperation({ summary: '一次报警 / one alarm' })
  alarm(@CurrentUser() user: AuthUser, @Param('id', alarmId) id: string) {
    return this.devices.alarm(user, id);
  }

  @Post('alarms/:id/confirm')
  @Can('alarm.confirm')
  @HttpCode(200)
  @ApiOperation({ summary: '值班人员确认报警（真实火警 / 误报 / 测试）/ confirm an alarm' })
  confirm(@CurrentUser() user: AuthUser, @Param('id', alarmId) id: string, @Body() dto: ConfirmAlarmDto) {
    return this.devices.confirm(user, id, dto);
  }
}
