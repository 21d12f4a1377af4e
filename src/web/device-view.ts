/** 消防物联网 / 云值班 page view models: every decision the templates (device-pages.ts) show is made here. */
import { can } from '../auth/permissions';
import { formatChineseDateTime } from '../common/calendar';
import type { Page } from '../common/pagination';
import type { AuthUser } from '../common/scope';
import { label, labelMap } from '../common/vocabulary';
import { ALARM_OUTCOMES, type AlarmState } from '../devices/domain/device-rules';
import type { AlarmRow, CredentialRow, DeviceRow } from '../devices/devices.repository';
import type { DevicesService, IssuedCredential } from '../devices/devices.service';
import type { Column } from '../reports/tabular';
import type { Flash } from './view-common';

export const DEVICE_FIELDS: Record<string, string> = {
  credentialId: '接入凭据', vendorDeviceId: '设备编号', type: '设备类型', location: '安装位置', name: '凭据名称', divisionCode: '行政区划',
  outcome: '确认结果', note: '处置情况',
};

const TONE: Record<AlarmState, string> = { open: 'danger', escalated: 'danger', confirmed: 'okay', confirmed_late: 'warn' };

export interface AlarmLine {
  id: string;
  title: string;
  institution: { id: string; name: string };
  where: string;
  raisedText: string;
  dueText: string;
  dueIso: string;
  stateLabel: string;
  tone: string;
  open: boolean;
  outcomeText: string | null;
  responseText: string | null;
}

function minutesText(from: Date, to: Date): string {
  const seconds = Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000));
  return seconds < 60 ? `${seconds} 秒` : `${Math.round(seconds / 6) / 10} 分钟`;
}

/** A median in minutes (one decimal) as the pages say it. */
export function medianText(minutes: number | null): string {
  return minutes === null ? '—' : minutes < 1 ? '不到 1 分钟' : `${minutes} 分钟`;
}

export function alarmLine(a: AlarmRow & { state: AlarmState }): AlarmLine {
  return {
    id: a.id, title: `${label('deviceEventKind', a.kind)} · ${a.location}`, institution: { id: a.institutionId, name: a.institutionName },
    where: `${label('deviceType', a.deviceType)}（编号 ${a.vendorDeviceId}）${a.detail ? `：${a.detail}` : ''}`,
    raisedText: formatChineseDateTime(a.raisedAt), dueText: formatChineseDateTime(a.confirmDueAt), dueIso: a.confirmDueAt.toISOString(),
    stateLabel: label('alarmState', a.state), tone: TONE[a.state], open: !a.confirmedAt,
    outcomeText: a.outcome ? `${label('alarmOutcome', a.outcome)}（${a.confirmedByName ?? ''}，${formatChineseDateTime(a.confirmedAt!)}）${a.note ? `：${a.note}` : ''}` : null,
    responseText: a.confirmedAt ? `确认用时 ${minutesText(a.receivedAt, a.confirmedAt)}` : null,
  };
}

export interface AlarmsPageView {
  institutionView: boolean;
  mayConfirm: boolean;
  csrf: string;
  flash: Flash;
  tabs: { href: string; label: string; active: boolean }[];
  page: Page<AlarmLine>;
  filters: Record<string, string>;
  outcomes: { value: string; label: string }[];
  overview: Awaited<ReturnType<DevicesService['overview']>> | null;
  devicesHref: string | null;
  mayManagePlatforms: boolean;
}

const STATE_TABS: { state: string; label: string }[] = [
  { state: 'unconfirmed', label: '待确认' }, { state: 'escalated', label: '超时已上报' }, { state: 'confirmed', label: '已确认' }, { state: '', label: '全部' },
];

export function alarmsPageView(user: AuthUser, page: Page<AlarmRow & { state: AlarmState }>, filters: Record<string, string>, extra: { csrf: string; flash: Flash; overview: AlarmsPageView['overview'] }): AlarmsPageView {
  const active = filters.state ?? '';
  return {
    institutionView: user.role === 'institution', mayConfirm: can(user, 'alarm.confirm'), csrf: extra.csrf, flash: extra.flash,
    tabs: STATE_TABS.map((t) => ({ href: t.state ? `/alarms?state=${t.state}` : '/alarms', label: t.label, active: t.state === active })),
    page: { ...page, items: page.items.map(alarmLine) }, filters,
    outcomes: ALARM_OUTCOMES.map((o) => ({ value: o, label: label('alarmOutcome', o) })),
    overview: extra.overview, devicesHref: user.institutionId ? `/institutions/${user.institutionId}/devices` : null,
    mayManagePlatforms: can(user, 'device.platform_manage'),
  };
}

export interface DevicesPageView {
  institution: { id: string; name: string };
  mayManage: boolean;
  csrf: string;
  flash: { device?: Flash; credential?: Flash; page?: Flash };
  draft: Record<string, string>;
  issued: IssuedCredential | null;
  duty: Awaited<ReturnType<DevicesService['duty']>>;
  impairmentHours: number;
  devices: (DeviceRow & { impaired: boolean; statusLabel: string; typeLabel: string; sinceText: string; tone: string; lastText: string })[];
  credentials: (CredentialRow & { devices: number; kindLabel: string })[];
  usableCredentials: { id: string; label: string }[];
  types: { value: string; label: string }[];
  events: { kindLabel: string; at: string; where: string; detail: string | null }[];
  ingestUrl: string;
}

export function devicesPageView(user: AuthUser, r: Awaited<ReturnType<DevicesService['registry']>>, extra: { csrf: string; flash: DevicesPageView['flash']; draft?: Record<string, string>; issued?: IssuedCredential | null; publicUrl: string }): DevicesPageView {
  return {
    institution: { id: r.institution.id, name: r.institution.name }, mayManage: can(user, 'device.manage'), csrf: extra.csrf, flash: extra.flash,
    draft: extra.draft ?? {}, issued: extra.issued ?? null, duty: r.duty, impairmentHours: r.policy.impairmentHours,
    devices: r.devices.map((d) => ({
      ...d, statusLabel: label('deviceStatus', d.status), typeLabel: label('deviceType', d.type), sinceText: formatChineseDateTime(d.statusSince),
      tone: d.status === 'online' ? 'okay' : d.impaired ? 'danger' : 'warn', lastText: d.lastReceivedAt ? formatChineseDateTime(d.lastReceivedAt) : '尚未收到事件',
    })),
    credentials: r.credentials.map((c) => ({ ...c, kindLabel: label('credentialKind', c.kind) })),
    usableCredentials: r.usableCredentials.map((c) => ({ id: c.id, label: `${c.name}（${label('credentialKind', c.kind)}，${c.keyId}）` })),
    types: Object.entries(labelMap('deviceType')).map(([value, l]) => ({ value, label: l })),
    events: r.events.map((e) => ({ kindLabel: label('deviceEventKind', e.kind), at: formatChineseDateTime(e.occurredAt), where: `${e.location}（${e.vendorDeviceId}）`, detail: e.detail })),
    ingestUrl: `${extra.publicUrl.replace(/\/+$/, '')}/api/devices/events`,
  };
}

type OverviewRow = Awaited<ReturnType<DevicesService['overview']>>['rows'][number];

/** 物联网值班 export: one line per institution with devices or alarms in the window. */
export const DUTY_COLUMNS: Column<OverviewRow>[] = [
  { key: 'institution', header: '机构', value: (r) => r.institutionName },
  { key: 'division', header: '所属区划', value: (r) => r.divisionName },
  { key: 'devices', header: '登记设备', value: (r) => r.devices },
  { key: 'impaired', header: '离线或故障超时', value: (r) => r.impaired },
  { key: 'alarms', header: '报警次数', value: (r) => r.alarms },
  { key: 'confirmedInTime', header: '按时确认', value: (r) => r.confirmedInTime },
  { key: 'unconfirmed', header: '未确认', value: (r) => r.unconfirmed },
  { key: 'escalated', header: '超时上报', value: (r) => r.escalated },
  { key: 'falseAlarms', header: '误报', value: (r) => r.falseAlarms },
  { key: 'median', header: '确认用时中位数（分钟）', value: (r) => r.medianMinutes },
];
