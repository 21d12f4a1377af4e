/**
 * 消防物联网 / 云值班 — the rules of device events, pure: the caller passes the clock and the policy's device values
 * (checklists/safety-work-policy.yaml `devices`). Only node:crypto (HMAC-SHA256) is imported.
 *
 * The ingestion contract (docs/devices.md is its public description, for vendor adapters):
 *   POST /api/devices/events            Content-Type: application/json
 *   X-Yian-Key:       the credential's key id (yk_…)
 *   X-Yian-Timestamp: Unix time in seconds, within the policy's clock skew of the server
 *   X-Yian-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "\n" + the exact body bytes)>
 *   body: { "events": [ { "id", "device", "type", "occurredAt", "detail"? }, … ] }
 * Each event id is the sender's and is unique per credential: sending it again changes nothing and returns the same
 * answer. A batch is all or nothing: one bad event refuses the batch (400 naming it) and nothing is written.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { DeviceType, DeviceValues } from '../../checklists/domain/safety-work-policy';

export const DEVICE_EVENT_KINDS = ['alarm', 'fault', 'offline', 'restored', 'valve_closed'] as const;
export type DeviceEventKind = (typeof DEVICE_EVENT_KINDS)[number];
export const DEVICE_STATUSES = ['online', 'offline', 'fault'] as const;
export type DeviceStatus = (typeof DEVICE_STATUSES)[number];
export const ALARM_OUTCOMES = ['real', 'false', 'test'] as const;
export type AlarmOutcome = (typeof ALARM_OUTCOMES)[number];
export const CREDENTIAL_KINDS = ['institution', 'platform'] as const;
export type CredentialKind = (typeof CREDENTIAL_KINDS)[number];
/** 待确认, 已升级（仍待确认）, 已确认, 超时后确认 */
export const ALARM_STATES = ['open', 'escalated', 'confirmed', 'confirmed_late'] as const;
export type AlarmState = (typeof ALARM_STATES)[number];

export const SIGNATURE_PREFIX = 'sha256=';
const ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;
const MAX_DETAIL = 500;

/** The signature a sender puts in X-Yian-Signature. */
export function signEvents(secret: string, timestamp: string, body: Buffer | string): string {
  return SIGNATURE_PREFIX + createHmac('sha256', secret).update(`${timestamp}\n`).update(body).digest('hex');
}

export type AuthRefusal = 'device.key_missing' | 'device.key_unknown' | 'device.timestamp_invalid' | 'device.timestamp_skew' | 'device.signature_invalid';

/**
 * Checks a request's headers and signature against the credential's secret (null: the key is unknown or revoked).
 * Returns the refusal (all are 401) or null when the request is authentic.
 */
export function authRefusal(
  h: { key?: string; timestamp?: string; signature?: string },
  secret: string | null,
  rawBody: Buffer | undefined,
  now: Date,
  clockSkewSeconds: number,
): AuthRefusal | null {
  if (!h.key || !h.signature || !h.timestamp) return 'device.key_missing';
  if (secret === null) return 'device.key_unknown';
  if (!/^\d{9,11}$/.test(h.timestamp)) return 'device.timestamp_invalid';
  if (Math.abs(now.getTime() / 1000 - Number(h.timestamp)) > clockSkewSeconds) return 'device.timestamp_skew';
  const expected = Buffer.from(signEvents(secret, h.timestamp, rawBody ?? Buffer.alloc(0)));
  const given = Buffer.from(h.signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'device.signature_invalid';
  return null;
}

/**
 * A token bucket per credential (bounded rate): `capacity` events at once, refilled at `perSecond`. In memory, per
 * API process (a deployment with several API processes multiplies the rate by their number; docs/devices.md).
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  /** Takes `n` tokens for `key` and returns 0, or returns the whole seconds to wait (nothing taken). */
  take(key: string, n: number, limit: { perSecond: number; capacity: number }, nowMs: number): number {
    const b = this.buckets.get(key) ?? { tokens: limit.capacity, at: nowMs };
    const tokens = Math.min(limit.capacity, b.tokens + ((nowMs - b.at) / 1000) * limit.perSecond);
    if (tokens < n) {
      this.buckets.set(key, { tokens, at: nowMs });
      return Math.max(1, Math.ceil((n - tokens) / limit.perSecond));
    }
    this.buckets.set(key, { tokens: tokens - n, at: nowMs });
    if (this.buckets.size > 100_000) this.buckets.clear(); // a bound on memory, never reached by real credentials
    return 0;
  }
}

export function rateOf(kind: CredentialKind, ingest: DeviceValues['ingest']): { perSecond: number; capacity: number } {
  return kind === 'platform'
    ? { perSecond: ingest.platformEventsPerSecond, capacity: ingest.platformBurstEvents }
    : { perSecond: ingest.institutionEventsPerSecond, capacity: ingest.institutionBurstEvents };
}

export interface IncomingEvent {
  eventKey: string;
  deviceKey: string;
  kind: DeviceEventKind;
  occurredAt: Date;
  detail: string | null;
}

export interface FieldIssue {
  field: string;
  reason: string;
  args?: (string | number)[];
}

/**
 * The batch as sent, checked whole: every problem is named by its field (`events[3].type`). An event dated more
 * than the clock skew in the future is refused (a sender's clock that is wrong would start duty clocks that cannot be
 * met); one id twice in a batch is refused too (the sender's bug, not a replay).
 */
export function parseBatch(body: unknown, now: Date, ingest: DeviceValues['ingest']): { events: IncomingEvent[]; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const list = (body as { events?: unknown } | null)?.events;
  if (body === null || typeof body !== 'object' || Array.isArray(body) || !Array.isArray(list)) {
    return { events: [], issues: [{ field: 'events', reason: 'deviceEventsMissing' }] };
  }
  const extra = Object.keys(body).filter((k) => k !== 'events');
  for (const k of extra) issues.push({ field: k, reason: 'whitelistValidation' });
  if (list.length === 0) issues.push({ field: 'events', reason: 'deviceEventsMissing' });
  if (list.length > ingest.maxEventsPerRequest) issues.push({ field: 'events', reason: 'deviceEventsTooMany', args: [ingest.maxEventsPerRequest] });
  if (issues.length) return { events: [], issues };
  const events: IncomingEvent[] = [];
  const seen = new Set<string>();
  const latest = now.getTime() + ingest.clockSkewSeconds * 1000;
  list.forEach((raw, i) => {
    const at = `events[${i}]`;
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return void issues.push({ field: at, reason: 'deviceEventInvalid' });
    const e = raw as Record<string, unknown>;
    for (const k of Object.keys(e)) if (!['id', 'device', 'type', 'occurredAt', 'detail'].includes(k)) issues.push({ field: `${at}.${k}`, reason: 'whitelistValidation' });
    const bad = issues.length;
    if (typeof e.id !== 'string' || !ID_PATTERN.test(e.id)) issues.push({ field: `${at}.id`, reason: 'deviceIdInvalid' });
    else if (seen.has(e.id)) issues.push({ field: `${at}.id`, reason: 'deviceEventRepeated', args: [e.id] });
    if (typeof e.device !== 'string' || !ID_PATTERN.test(e.device)) issues.push({ field: `${at}.device`, reason: 'deviceIdInvalid' });
    if (typeof e.type !== 'string' || !(DEVICE_EVENT_KINDS as readonly string[]).includes(e.type)) issues.push({ field: `${at}.type`, reason: 'isIn', args: [DEVICE_EVENT_KINDS.join(', ')] });
    const occurred = typeof e.occurredAt === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,6})?)?(Z|[+-]\d\d:\d\d)$/.test(e.occurredAt) ? new Date(e.occurredAt) : null;
    if (!occurred || Number.isNaN(occurred.getTime())) issues.push({ field: `${at}.occurredAt`, reason: 'isIso8601' });
    else if (occurred.getTime() > latest) issues.push({ field: `${at}.occurredAt`, reason: 'deviceEventInFuture' });
    if (e.detail !== undefined && e.detail !== null && (typeof e.detail !== 'string' || e.detail.length > MAX_DETAIL)) {
      issues.push({ field: `${at}.detail`, reason: 'maxLength', args: [MAX_DETAIL] });
    }
    if (typeof e.id === 'string') seen.add(e.id);
    if (issues.length === bad) {
      events.push({ eventKey: e.id as string, deviceKey: e.device as string, kind: e.type as DeviceEventKind, occurredAt: occurred!, detail: (e.detail as string | undefined) ?? null });
    }
  });
  return { events: issues.length ? [] : events, issues };
}

/** An alarm, or a gas valve that closed on a leak: someone on duty must look and say what it was. */
export function startsDutyClock(kind: DeviceEventKind): kind is 'alarm' | 'valve_closed' {
  return kind === 'alarm' || kind === 'valve_closed';
}

/** The status an event sets (null: the event leaves the status as it is). */
export function statusAfter(kind: DeviceEventKind): DeviceStatus | null {
  return kind === 'offline' ? 'offline' : kind === 'fault' ? 'fault' : kind === 'restored' ? 'online' : null;
}

export interface DeviceState {
  status: DeviceStatus;
  statusSince: Date;
  lastOccurredAt: Date | null;
}

/**
 * The device after a batch of its events, by their own time: only an event at or after the latest one applied changes
 * the status (a late delivery of an old `offline` cannot mark a restored device offline again). Events in the batch
 * are applied in time order; equal times keep the batch order.
 */
export function deviceAfter(state: DeviceState, events: { kind: DeviceEventKind; occurredAt: Date }[]): DeviceState {
  let next = { ...state };
  const ordered = events.map((e, i) => ({ e, i })).sort((a, b) => a.e.occurredAt.getTime() - b.e.occurredAt.getTime() || a.i - b.i);
  for (const { e } of ordered) {
    if (next.lastOccurredAt && e.occurredAt.getTime() < next.lastOccurredAt.getTime()) continue;
    const status = statusAfter(e.kind);
    next = {
      status: status ?? next.status,
      statusSince: status && status !== next.status ? e.occurredAt : next.statusSince,
      lastOccurredAt: e.occurredAt,
    };
  }
  return next;
}

/** When the person on duty must have confirmed an alarm received at `receivedAt`. */
export function confirmDueAt(receivedAt: Date, alarmConfirmMinutes: number): Date {
  return new Date(receivedAt.getTime() + alarmConfirmMinutes * 60_000);
}

export function alarmState(a: { confirmedAt: Date | null; confirmDueAt: Date; escalatedAt: Date | null }): AlarmState {
  if (a.confirmedAt) return a.confirmedAt.getTime() <= a.confirmDueAt.getTime() ? 'confirmed' : 'confirmed_late';
  return a.escalatedAt ? 'escalated' : 'open';
}

/** A device offline or faulty for at least the policy's hours (a finding candidate and a reminder). */
export function isImpaired(d: { status: DeviceStatus; statusSince: Date }, now: Date, impairmentHours: number): boolean {
  return d.status !== 'online' && now.getTime() - d.statusSince.getTime() >= impairmentHours * 3_600_000;
}

/** Hours, rounded down, a device has been impaired (for the candidate's text). */
export function impairedHours(since: Date, now: Date): number {
  return Math.floor((now.getTime() - since.getTime()) / 3_600_000);
}

export interface DutyRecord {
  alarms: number;
  confirmedInTime: number;
  confirmedLate: number;
  unconfirmed: number;
  falseAlarms: number;
  /** median minutes from receipt to confirmation of the confirmed alarms (null: none confirmed) */
  medianMinutes: number | null;
}

/** The cloud-assisted duty record of a window: how many alarms and how they were answered. */
export function dutyRecord(alarms: { receivedAt: Date; confirmDueAt: Date; confirmedAt: Date | null; outcome: AlarmOutcome | null }[]): DutyRecord {
  const confirmed = alarms.filter((a) => a.confirmedAt);
  const minutes = confirmed.map((a) => (a.confirmedAt!.getTime() - a.receivedAt.getTime()) / 60_000).sort((x, y) => x - y);
  const mid = minutes.length >> 1;
  return {
    alarms: alarms.length,
    confirmedInTime: confirmed.filter((a) => a.confirmedAt!.getTime() <= a.confirmDueAt.getTime()).length,
    confirmedLate: confirmed.filter((a) => a.confirmedAt!.getTime() > a.confirmDueAt.getTime()).length,
    unconfirmed: alarms.length - confirmed.length,
    falseAlarms: alarms.filter((a) => a.outcome === 'false').length,
    medianMinutes: minutes.length ? Math.round((minutes.length % 2 ? minutes[mid] : (minutes[mid - 1] + minutes[mid]) / 2) * 10) / 10 : null,
  };
}

/** The inspector's hint for 常州 NET-901 (物联网“云技术”辅助值班), from the duty record and the devices on record. */
export function dutyAnswerText(r: DutyRecord, devices: { total: number; impaired: number }, windowDays: number, confirmMinutes: number): string {
  if (devices.total === 0) return '平台未登记该机构的消防物联网设备，无云值班数据；请现场核实是否有物联网平台辅助值班。';
  const head = `平台登记物联网设备 ${devices.total} 台${devices.impaired ? `（${devices.impaired} 台离线或故障超时）` : ''}。`;
  if (r.alarms === 0) return `${head}近 ${windowDays} 天无报警。`;
  return `${head}近 ${windowDays} 天报警 ${r.alarms} 次：${confirmMinutes} 分钟内确认 ${r.confirmedInTime} 次，超时确认 ${r.confirmedLate} 次，未确认 ${r.unconfirmed} 次${r.falseAlarms ? `，误报 ${r.falseAlarms} 次` : ''}${r.medianMinutes !== null ? `；确认用时中位数 ${r.medianMinutes} 分钟` : ''}。`;
}

/** The finding candidate's note for an impaired device. */
export function impairmentNote(d: { typeLabel: string; location: string; vendorDeviceId: string; status: DeviceStatus; statusSince: Date }, now: Date, statusLabel: string): string {
  return `物联网设备 ${d.typeLabel}（${d.location}，编号 ${d.vendorDeviceId}）${statusLabel}已 ${impairedHours(d.statusSince, now)} 小时。`;
}

/** Repeated false alarms: the device needs maintenance (flagged once per crossing of the threshold). */
export function needsMaintenance(falseAlarmsInWindow: number, threshold: number): boolean {
  return falseAlarmsInWindow >= threshold;
}

export type CandidateItems = Record<DeviceType, string>;
