import { Body, Controller, Get, Inject, Logger, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Can, CurrentUser } from '../auth/auth.decorators';
import { can } from '../auth/permissions';
import { AppError } from '../common/app-error';
import { shanghaiDate } from '../common/calendar';
import { fieldMessage, message } from '../common/messages';
import { AuthUser, scopeOf } from '../common/scope';
import { APP_CONFIG, AppConfig } from '../config/env';
import { AlarmQuery, ConfirmAlarmDto, CreateCredentialDto, CreatePlatformCredentialDto, RegisterDeviceDto } from '../devices/dto/device.dto';
import { DevicesService, IssuedCredential } from '../devices/devices.service';
import { DivisionsService } from '../divisions/divisions.service';
import { csvHeader, csvLine } from '../reports/tabular';
import { alarmPage, alarmsPage, devicesPage, platformCredentialsPage } from './device-pages';
import { alarmLine, alarmsPageView, DEVICE_FIELDS, devicesPageView, DevicesPageView, DUTY_COLUMNS } from './device-view';
import { render, uuid, WebRequest } from './render';
import type { Flash } from './view-common';
import { formDto } from './web-form';
import { webQuery } from './web-query';

const institutionId = uuid('institution.not_found');
const deviceId = uuid('device.not_found');
const alarmId = uuid('device.alarm_not_found');
const credentialId = uuid('device.credential_not_found');
const OK: Record<string, string> = {
  confirmed: '已确认，记录已保存。', device: '设备已登记。', retired: '设备已停用。', maintained: '已取消“需维保”标记。', revoked: '凭据已停用，使用它的请求将被拒收。',
};
const text = (v: unknown) => (typeof v === 'string' ? v : '');

/** 消防物联网 pages: the alarms and their confirmation (the institution's phone, the bureau's on-call inbox), an institution's devices, platform credentials. */
@ApiExcludeController()
@Controller()
@Can('device.read')
export class DeviceWebController {
  private readonly logger = new Logger('DutyExport');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly devices: DevicesService,
    private readonly divisions: DivisionsService,
  ) {}

  @Get('alarms')
  async alarms(@CurrentUser() user: AuthUser, @Query() raw: Record<string, string>, @Req() req: WebRequest, @Res() res: Response) {
    await this.renderAlarms(user, raw, req, res, 200, { ok: raw.ok ? OK[raw.ok] : undefined });
  }

  @Get('alarms/duty.csv')
  async dutyCsv(@CurrentUser() user: AuthUser, @Res() res: Response) {
    if (user.role === 'institution') throw AppError.forbidden();
    const overview = await this.devices.overview(user, 10_000);
    const name = `物联网值班概况_${shanghaiDate(new Date())}.csv`;
    res.setHeader('Cache-Control', 'private, no-store');
    res.setHeader('Content-Disposition', `attachment; filename="duty.csv"; filename*=UTF-8''${encodeURIComponent(name)}`);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.send(csvHeader(DUTY_COLUMNS) + overview.rows.map((r) => csvLine(DUTY_COLUMNS, r)).join(''));
  }

  @Get('alarms/:alarmId')
  async alarm(@CurrentUser() user: AuthUser, @Param('alarmId', alarmId) id: string, @Query('ok') ok: string | undefined, @Req() req: WebRequest, @Res() res: Response) {
    await this.renderAlarm(user, id, req, res, 200, { ok: ok ? OK[ok] : undefined });
  }

  @Post('alarms/:alarmId/confirm')
  @Can('alarm.confirm')
  async confirm(@CurrentUser() user: AuthUser, @Param('alarmId', alarmId) id: string, @Body() body: Record<string, unknown>, @Req() req: WebRequest, @Res() res: Response) {
    const { dto, errors } = formDto(ConfirmAlarmDto, { outcome: text(body.outcome) || undefined, note: text(body.note) }, DEVICE_FIELDS);
    if (errors.length) return this.renderAlarm(user, id, req, res, 400, { errors });
    try {
      await this.devices.confirm(user, id, dto);
      res.redirect(303, `/alarms/${id}?ok=confirmed`);
    } catch (err) {
      if (!userFacing(err)) throw err;
      await this.renderAlarm(user, id, req, res, err.status, { errors: errorLines(err) });
    }
  }

  @Get('devices/:deviceId')
  async device(@CurrentUser() user: AuthUser, @Param('deviceId', deviceId) id: string, @Res() res: Response) {
    const d = await this.devices.device(user, id);
    res.redirect(303, `/institutions/${d.institutionId}/devices#device-${d.id}`);
  }

  @Get('institutions/:id/devices')
  async registry(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Query('ok') ok: string | undefined, @Req() req: WebRequest, @Res() res: Response) {
    await this.renderDevices(user, id, req, res, 200, { page: { ok: ok ? OK[ok] : undefined } });
  }

  @Post('institutions/:id/devices')
  @Can('device.manage')
  async register(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Body() body: Record<string, unknown>, @Req() req: WebRequest, @Res() res: Response) {
    const draft = Object.fromEntries(['credentialId', 'type', 'vendorDeviceId', 'location'].map((k) => [k, text(body[k])]));
    const { dto, errors } = formDto(RegisterDeviceDto, { ...draft, credentialId: draft.credentialId || undefined, type: draft.type || undefined }, DEVICE_FIELDS);
    if (errors.length) return this.renderDevices(user, id, req, res, 400, { device: { errors } }, draft);
    try {
      await this.devices.registerDevice(user, id, dto);
      res.redirect(303, `/institutions/${id}/devices?ok=device#dev-h`);
    } catch (err) {
      if (!userFacing(err)) throw err;
      await this.renderDevices(user, id, req, res, err.status, { device: { errors: errorLines(err) } }, draft);
    }
  }

  /** 签发凭据: answered with the page itself (not a redirect), the only time the secret is shown; never cached. */
  @Post('institutions/:id/device-credentials')
  @Can('device.manage')
  async issue(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Body() body: Record<string, unknown>, @Req() req: WebRequest, @Res() res: Response) {
    const draft = { name: text(body.name) };
    const { dto, errors } = formDto(CreateCredentialDto, draft, DEVICE_FIELDS);
    if (errors.length) return this.renderDevices(user, id, req, res, 400, { credential: { errors } }, draft);
    const issued = await this.devices.issueCredential(user, id, dto);
    res.setHeader('Cache-Control', 'no-store');
    await this.renderDevices(user, id, req, res, 200, { credential: { ok: '凭据已签发。' } }, {}, issued);
  }

  @Post('device-credentials/:credentialId/revoke')
  @Can('device.manage')
  async revoke(@CurrentUser() user: AuthUser, @Param('credentialId', credentialId) id: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const c = await this.devices.revokeCredential(user, id);
    const back = text(body.back);
    const target = back === '/device-credentials' ? '/device-credentials' : c.institutionId ? `/institutions/${c.institutionId}/devices` : '/device-credentials';
    res.redirect(303, `${target}?ok=revoked`);
  }

  @Post('devices/:deviceId/retire')
  @Can('device.manage')
  async retire(@CurrentUser() user: AuthUser, @Param('deviceId', deviceId) id: string, @Res() res: Response) {
    const d = await this.devices.retireDevice(user, id);
    res.redirect(303, `/institutions/${d.institutionId}/devices?ok=retired#dev-h`);
  }

  @Post('devices/:deviceId/maintenance-clear')
  @Can('device.manage')
  async maintained(@CurrentUser() user: AuthUser, @Param('deviceId', deviceId) id: string, @Res() res: Response) {
    const d = await this.devices.clearMaintenance(user, id);
    res.redirect(303, `/institutions/${d.institutionId}/devices?ok=maintained#device-${id}`);
  }

  @Get('device-credentials')
  @Can('device.platform_manage')
  async platform(@CurrentUser() user: AuthUser, @Query('ok') ok: string | undefined, @Req() req: WebRequest, @Res() res: Response) {
    await this.renderPlatform(user, req, res, 200, { ok: ok ? OK[ok] : undefined });
  }

  @Post('device-credentials')
  @Can('device.platform_manage')
  async issuePlatform(@CurrentUser() user: AuthUser, @Body() body: Record<string, unknown>, @Req() req: WebRequest, @Res() res: Response) {
    const draft = { name: text(body.name), divisionCode: text(body.divisionCode) };
    const { dto, errors } = formDto(CreatePlatformCredentialDto, draft, DEVICE_FIELDS);
    if (errors.length) return this.renderPlatform(user, req, res, 400, { errors }, draft);
    try {
      const issued = await this.devices.issuePlatformCredential(user, dto);
      res.setHeader('Cache-Control', 'no-store');
      await this.renderPlatform(user, req, res, 200, { ok: '凭据已签发。' }, {}, issued);
    } catch (err) {
      if (!userFacing(err)) throw err;
      await this.renderPlatform(user, req, res, err.status, { errors: errorLines(err) }, draft);
    }
  }

  private async renderAlarms(user: AuthUser, raw: Record<string, string>, req: WebRequest, res: Response, status: number, flash: Flash) {
    const state = raw.state === undefined ? 'unconfirmed' : raw.state;
    const { query, filters } = webQuery(AlarmQuery, { ...raw, state: state || undefined }, ['state']);
    const [page, overview] = await Promise.all([this.devices.alarms(user, query), user.role === 'institution' ? Promise.resolve(null) : this.devices.overview(user)]);
    const view = alarmsPageView(user, page, raw.state === '' ? {} : filters, { csrf: req.csrfToken ?? '', flash, overview });
    render(res, { status, title: user.role === 'institution' ? '报警确认' : '物联网值班', user, body: alarmsPage(view) });
  }

  private async renderAlarm(user: AuthUser, id: string, req: WebRequest, res: Response, status: number, flash: Flash) {
    const a = await this.devices.alarm(user, id);
    const view = alarmsPageView(user, { items: [], total: 0, page: 1, pageSize: 1 } as never, {}, { csrf: req.csrfToken ?? '', flash, overview: null });
    render(res, { status, title: `报警 · ${a.institutionName}`, user, body: alarmPage({ ...view, alarm: alarmLine(a) }), crumbs: [{ href: '/alarms', label: user.role === 'institution' ? '报警确认' : '物联网值班' }] });
  }

  private async renderDevices(user: AuthUser, id: string, req: WebRequest, res: Response, status: number, flash: DevicesPageView['flash'], draft?: Record<string, string>, issued?: IssuedCredential) {
    const registry = await this.devices.registry(user, id);
    const view = devicesPageView(user, registry, { csrf: req.csrfToken ?? '', flash, draft, issued, publicUrl: this.config.PUBLIC_URL });
    const crumbs = [...(can(user, 'institution.list') ? [{ href: '/institutions', label: '机构名录' }] : []), { href: `/institutions/${id}`, label: registry.institution.name }];
    render(res, { status, title: `消防物联网 · ${registry.institution.name}`, user, body: devicesPage(view), crumbs });
  }

  private async renderPlatform(user: AuthUser, req: WebRequest, res: Response, status: number, flash: Flash, draft: Record<string, string> = {}, issued?: IssuedCredential) {
    const [credentials, divisions] = await Promise.all([this.devices.platformCredentials(user), this.divisions.list(scopeOf(user), { page: 1, pageSize: 200 })]);
    render(res, {
      status, title: '厂商平台接入凭据', user, crumbs: [{ href: '/alarms', label: '物联网值班' }],
      body: platformCredentialsPage({
        csrf: req.csrfToken ?? '', flash, draft, issued: issued ?? null, ingestUrl: `${this.config.PUBLIC_URL.replace(/\/+$/, '')}/api/devices/events`,
        credentials: credentials.map((c) => ({ ...c, kindLabel: '厂商平台' })), divisions: divisions.items.map((d) => ({ code: d.code, name: d.name })),
      }),
    });
  }
}

function userFacing(err: unknown): err is AppError {
  return err instanceof AppError && err.status !== 404 && err.status < 500;
}

function errorLines(err: AppError): string[] {
  return [message(err.code, 'zh', err.params), ...err.fields.map((f) => `${DEVICE_FIELDS[f.field] ?? f.field}：${fieldMessage(f.reason, 'zh', f.args)}`)];
}
