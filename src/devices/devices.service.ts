import { Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { can } from '../auth/permissions';
import { SafetyWorkPolicyService } from '../checklists/safety-work-policy.service';
import type { DeviceValues } from '../checklists/domain/safety-work-policy';
import { AppError } from '../common/app-error';
import { formatChineseDateTime } from '../common/calendar';
import { pageOf } from '../common/pagination';
import { AuthUser, Scope, scopeOf, SYSTEM_SCOPE } from '../common/scope';
import { label } from '../common/vocabulary';
import { DivisionsService } from '../divisions/divisions.service';
import { NotificationsRepository } from '../notifications/notifications.repository';
import { OnJob } from '../outbox/on-job.decorator';
import { JOBS, MAINTENANCE_QUEUE, type JobContext } from '../outbox/job-names';
import {
  alarmState, authRefusal, confirmDueAt, deviceAfter, dutyAnswerText, dutyRecord, impairmentNote, needsMaintenance, parseBatch, rateOf,
  startsDutyClock, TokenBuckets,
} from './domain/device-rules';
import { AlarmQuery, ConfirmAlarmDto, CreateCredentialDto, CreatePlatformCredentialDto, RegisterDeviceDto } from './dto/device.dto';
import { AlarmRow, CredentialRow, DevicesRepository } from './devices.repository';

/** What the ingestion endpoint answers: the same for a batch sent again (each event's record and alarm). */
export interface IngestResult {
  received: number;
  events: { id: string; recordId: string; alarmId: string | null }[];
}

/** 常州 NET-901 (物联网“云技术”辅助值班, checklists/local-changzhou.yaml): the item the duty record informs. */
export const DUTY_ITEM_CODE = 'NET-901';

/** A credential as issued: the secret is shown this once and never again. */
export type IssuedCredential = CredentialRow & { secret: string };

const KEY_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
/** How long a credential looked up for ingestion is trusted before it is read again (a revocation takes effect within this). */
const CREDENTIAL_CACHE_MS = 10_000;

function keyId(): string {
  const bytes = randomBytes(20);
  return `yk_${Array.from(bytes, (b) => KEY_ALPHABET[b % KEY_ALPHABET.length]).join('')}`;
}

/**
 * 消防物联网 / 云值班: the device registry, the signed ingestion of device events, the duty clock of every alarm
 * (confirmed by the institution's person on duty, or escalated to the bureau once), impairments that become finding
 * candidates, and the duty record the inspector sees for 常州 NET-901. docs/devices.md.
 */
@Injectable()
export class DevicesService {
  private readonly logger = new Logger(DevicesService.name);
  private readonly buckets = new TokenBuckets();
  private readonly credentialCache = new Map<string, { at: number; row: Promise<(CredentialRow & { secret: string }) | null> }>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly repo: DevicesRepository,
    private readonly policy: SafetyWorkPolicyService,
    private readonly divisions: DivisionsService,
    private readonly notifications: NotificationsRepository,
    private readonly audit: AuditService,
  ) {}

  /** The server's clock (a test moves it to run the duty clock out). */
  now: () => Date = () => new Date();

  private async values(): Promise<{ versionId: string; devices: DeviceValues }> {
    const p = await this.policy.current();
    return { versionId: p.versionId, devices: p.values.devices };
  }

  // ---------------------------------------------------------------- ingestion

  private credential(key: string): Promise<(CredentialRow & { secret: string }) | null> {
    const hit = this.credentialCache.get(key);
    if (hit && Date.now() - hit.at < CREDENTIAL_CACHE_MS) return hit.row;
    const row = this.repo.credentialForIngest(key);
    row.catch(() => this.credentialCache.delete(key));
    if (this.credentialCache.size > 10_000) this.credentialCache.clear();
    this.credentialCache.set(key, { at: Date.now(), row });
    return row;
  }

  /**
   * One signed batch of events: authenticated (401), within the credential's rate (429), well formed and naming
   * only the credential's registered devices (400, nothing written) — then, in one transaction, the new events are
   * appended, every new alarm starts its duty clock and tells the institution, and the devices' states follow.
   */
  async ingest(headers: { key?: string; timestamp?: string; signature?: string }, rawBody: Buffer | undefined, body: unknown): Promise<IngestResult> {
    const now = this.now();
    const { versionId, devices: policy } = await this.values();
    const credential = headers.key && /^yk_[a-z0-9]{20}$/.test(headers.key) ? await this.credential(headers.key) : null;
    const usable = credential && !credential.revokedAt ? credential : null;
    const refusal = authRefusal(headers, usable?.secret ?? null, rawBody, now, policy.ingest.clockSkewSeconds);
    if (refusal) throw new AppError(401, refusal);
    const { events, issues } = parseBatch(body, now, policy.ingest);
    const wait = this.buckets.take(usable!.id, Math.max(1, events.length), rateOf(usable!.kind, policy.ingest), now.getTime());
    if (wait) throw new AppError(429, 'device.rate_limited', { seconds: wait });
    if (issues.length) throw AppError.validation(issues);

    return this.dataSource.transaction(async (em) => {
      const deviceKeys = [...new Set(events.map((e) => e.deviceKey))];
      const locked = new Map((await this.repo.lockDevices(em, usable!.id, deviceKeys)).map((d) => [d.vendorDeviceId, d]));
      const unknown = events.map((e, i) => ({ e, i })).filter(({ e }) => !locked.has(e.deviceKey));
      if (unknown.length) throw AppError.validation(unknown.slice(0, 20).map(({ e, i }) => ({ field: `events[${i}].device`, reason: 'deviceUnknown', args: [e.deviceKey] })));

      const rows = events.map((e) => ({ ...e, deviceId: locked.get(e.deviceKey)!.id, institutionId: locked.get(e.deviceKey)!.institutionId }));
      const inserted = await this.repo.insertEvents(em, usable!.id, rows, now);
      if (inserted.length) {
        const fresh = new Set(inserted.map((r) => r.eventKey));
        const idOf = new Map(inserted.map((r) => [r.eventKey, r.id]));
        const newRows = rows.filter((r) => fresh.has(r.eventKey));
        const due = confirmDueAt(now, policy.alarmConfirmMinutes);
        const alarms = await this.repo.insertAlarms(em, newRows.filter((r) => startsDutyClock(r.kind)).map((r) => ({
          eventId: idOf.get(r.eventKey)!, deviceId: r.deviceId, institutionId: r.institutionId, kind: r.kind as 'alarm' | 'valve_closed', raisedAt: r.occurredAt, confirmDueAt: due,
        })), now, versionId);
        const states = [...locked.values()].map((d) => {
          const own = newRows.filter((r) => r.deviceId === d.id);
          if (!own.length) return null;
          return { id: d.id, ...deviceAfter({ status: d.status, statusSince: d.statusSince, lastOccurredAt: d.lastOccurredAt }, own) };
        }).filter((s): s is NonNullable<typeof s> => s !== null);
        await this.repo.updateDeviceStates(em, states, now);
        for (const a of alarms) await this.tellInstitution(em, a.id, due);
      }
      const answers = new Map((await this.repo.eventsByKeys(em, usable!.id, events.map((e) => e.eventKey))).map((r) => [r.eventKey, r]));
      return { received: events.length, events: events.map((e) => ({ id: e.eventKey, recordId: answers.get(e.eventKey)!.id, alarmId: answers.get(e.eventKey)!.alarmId })) };
    });
  }

  /** 物联网报警: the institution's accounts are told at once (the page shows the duty clock). */
  private async tellInstitution(em: Parameters<DevicesRepository['confirmAlarm']>[0], alarmId: string, due: Date) {
    const a = (await this.repo.alarm(SYSTEM_SCOPE, alarmId, em))!;
    await this.notifications.notify(em, {
      audience: 'institution', institutionId: a.institutionId, divisionPath: a.divisionPath, kind: 'alarm.raised',
      title: `${label('deviceEventKind', a.kind)}：${a.location}`,
      body: `${label('deviceType', a.deviceType)}（编号 ${a.vendorDeviceId}）于 ${formatChineseDateTime(a.raisedAt)} 报警。请值班人员立即到场核实，并于 ${formatChineseDateTime(due)} 前确认（真实火警 / 误报 / 测试），逾时将上报主管部门。`,
      entityType: 'device_alarm', entityId: a.id, dedupKey: `alarm-raised-${a.id}`,
    });
  }

  // ---------------------------------------------------------------- duty clock

  /**
   * 值班人员确认: the institution's account says what the alarm was. Once only (409 after); late confirmations are
   * kept and shown as late. Repeated false alarms of a device flag it for maintenance and tell the institution.
   */
  async confirm(user: AuthUser, alarmId: string, dto: ConfirmAlarmDto): Promise<AlarmRow & { state: string }> {
    const scope = scopeOf(user);
    const { devices: policy } = await this.values();
    const now = this.now();
    return this.dataSource.transaction(async (em) => {
      const alarm = await this.repo.alarm(scope, alarmId, em, true);
      if (!alarm) throw AppError.notFound('device.alarm_not_found');
      if (alarm.confirmedAt) throw AppError.conflict('device.alarm_confirmed');
      if (!(await this.repo.confirmAlarm(em, alarmId, { outcome: dto.outcome, note: dto.note ?? null, userId: user.id, at: now }))) throw AppError.conflict('device.alarm_confirmed');
      const late = now.getTime() > alarm.confirmDueAt.getTime();
      await this.audit.record(em, {
        action: 'device_alarm.confirm', entityType: 'device_alarm', entityId: alarmId, scopePath: alarm.divisionPath,
        after: { outcome: dto.outcome, note: dto.note ?? null, late, escalated: !!alarm.escalatedAt },
      });
      if (dto.outcome === 'false') {
        const since = new Date(now.getTime() - policy.falseAlarmWindowDays * 86_400_000);
        const count = await this.repo.falseAlarmsSince(em, alarm.deviceId, since);
        if (needsMaintenance(count, policy.falseAlarmsForMaintenance) && (await this.repo.flagMaintenance(em, alarm.deviceId, now))) {
          await this.audit.record(em, { action: 'device.maintenance_flag', entityType: 'device', entityId: alarm.deviceId, scopePath: alarm.divisionPath, after: { falseAlarms: count, windowDays: policy.falseAlarmWindowDays } });
          await this.notifications.notify(em, {
            audience: 'institution', institutionId: alarm.institutionId, divisionPath: alarm.divisionPath, kind: 'device.maintenance',
            title: `设备频繁误报，请安排维保：${alarm.location}`,
            body: `${label('deviceType', alarm.deviceType)}（编号 ${alarm.vendorDeviceId}）近 ${policy.falseAlarmWindowDays} 天误报 ${count} 次。请联系维保单位检修，检修后在设备页面取消“需维保”标记。`,
            entityType: 'device', entityId: alarm.deviceId, dedupKey: `device-maintenance-${alarm.deviceId}-${now.toISOString()}`,
          });
        }
      }
      const after = (await this.repo.alarm(scope, alarmId, em))!;
      return { ...after, state: alarmState(after) };
    });
  }

  /**
   * The sweep, every minute: alarms whose clock ran out unconfirmed are escalated — exactly once each — to the bureau's
   * on-call inbox (and the institution is told); devices impaired beyond the policy's hours are reported once per
   * impairment to the institution and the bureau. Returns what it did.
   */
  @OnJob({ queue: MAINTENANCE_QUEUE, name: JOBS.devicesSweep })
  devicesSweepJob(data: { at?: string }, job: JobContext): Promise<{ escalated: number; impaired: number }> {
    return this.sweep(new Date(data.at ?? job.timestamp));
  }

  async sweep(now = this.now()): Promise<{ escalated: number; impaired: number }> {
    const { devices: policy } = await this.values();
    const escalated = await this.dataSource.transaction(async (em) => {
      const due = await this.repo.escalateDue(em, now);
      for (const a of due) {
        const what = `${a.institutionName}：${label('deviceEventKind', a.kind)}超时未确认`;
        const body = `${label('deviceType', a.deviceType)}（${a.location}，编号 ${a.vendorDeviceId}）于 ${formatChineseDateTime(a.raisedAt)} 报警，应于 ${formatChineseDateTime(a.confirmDueAt)} 前确认，至今未确认。请联系机构值班人员核实处置。`;
        for (const audience of ['bureau', 'institution'] as const) {
          await this.notifications.notify(em, {
            audience, institutionId: audience === 'institution' ? a.institutionId : null, divisionPath: a.divisionPath, kind: 'alarm.escalated',
            title: audience === 'bureau' ? what : `报警超时未确认，已上报主管部门：${a.location}`, body,
            entityType: 'device_alarm', entityId: a.id, dedupKey: `alarm-escalated-${a.id}-${audience}`,
          });
        }
        await this.audit.record(em, { action: 'device_alarm.escalate', entityType: 'device_alarm', entityId: a.id, scopePath: a.divisionPath, after: { confirmDueAt: a.confirmDueAt.toISOString(), escalatedAt: now.toISOString() } });
      }
      return due.length;
    });
    const impaired = await this.dataSource.transaction(async (em) => {
      const rows = await this.repo.claimImpairmentReports(em, new Date(now.getTime() - policy.impairmentHours * 3_600_000), now);
      for (const d of rows) {
        const note = impairmentNote({ ...d, typeLabel: label('deviceType', d.type) }, now, label('deviceStatus', d.status));
        for (const audience of ['institution', 'bureau'] as const) {
          await this.notifications.notify(em, {
            audience, institutionId: audience === 'institution' ? d.institutionId : null, divisionPath: d.divisionPath, kind: 'device.impaired',
            title: `${audience === 'bureau' ? `${d.institutionName}：` : ''}设备${label('deviceStatus', d.status)}超过 ${policy.impairmentHours} 小时：${d.location}`,
            body: `${note}请尽快检修恢复；检查时将作为检查发现候选。`,
            entityType: 'device', entityId: d.id, dedupKey: `device-impaired-${d.id}-${d.statusSince.toISOString()}-${audience}`,
          });
        }
      }
      return rows.length;
    });
    if (escalated || impaired) this.logger.log(`device sweep: ${escalated} alarm(s) escalated, ${impaired} impairment(s) reported`);
    return { escalated, impaired };
  }

  // ---------------------------------------------------------------- registry

  private async institution(user: AuthUser, institutionId: string) {
    const found = await this.repo.institution(scopeOf(user), institutionId);
    if (!found) throw AppError.notFound('institution.not_found');
    return found;
  }

  async registry(user: AuthUser, institutionId: string, now = this.now()) {
    const institution = await this.institution(user, institutionId);
    const { devices: policy } = await this.values();
    const [devices, credentials, usable, events, duty] = await Promise.all([
      this.repo.devices(institutionId, false), can(user, 'device.manage') ? this.repo.institutionCredentials(institutionId) : Promise.resolve([]),
      can(user, 'device.manage') ? this.repo.usableCredentials(institutionId, institution.divisionPath) : Promise.resolve([]),
      this.repo.recentEvents(institutionId, 20), this.duty(institutionId, now),
    ]);
    const impairedBefore = now.getTime() - policy.impairmentHours * 3_600_000;
    return {
      institution, policy,
      devices: devices.map((d) => ({ ...d, impaired: d.status !== 'online' && d.statusSince.getTime() <= impairedBefore })),
      credentials, usableCredentials: usable, events, duty,
    };
  }

  async issueCredential(user: AuthUser, institutionId: string, dto: CreateCredentialDto): Promise<IssuedCredential> {
    const institution = await this.institution(user, institutionId);
    const secret = randomBytes(32).toString('hex');
    return this.dataSource.transaction(async (em) => {
      const row = await this.repo.insertCredential(em, { keyId: keyId(), kind: 'institution', institutionId, divisionPath: institution.divisionPath, name: dto.name, secret, createdBy: user.id });
      await this.audit.record(em, { action: 'device_credential.issue', entityType: 'device_credential', entityId: row.id, scopePath: institution.divisionPath, after: { kind: 'institution', institutionId, name: dto.name, keyId: row.keyId } });
      return { ...row, secret };
    });
  }

  /** A vendor platform's credential for a division subtree (the administrator's; its devices are the platform's institutions'). */
  async issuePlatformCredential(user: AuthUser, dto: CreatePlatformCredentialDto): Promise<IssuedCredential> {
    const division = await this.divisions.requireWithin(scopeOf(user), dto.divisionCode, 'divisionCode');
    const secret = randomBytes(32).toString('hex');
    return this.dataSource.transaction(async (em) => {
      const row = await this.repo.insertCredential(em, { keyId: keyId(), kind: 'platform', institutionId: null, divisionPath: division.path, name: dto.name, secret, createdBy: user.id });
      await this.audit.record(em, { action: 'device_credential.issue', entityType: 'device_credential', entityId: row.id, scopePath: division.path, after: { kind: 'platform', divisionCode: dto.divisionCode, name: dto.name, keyId: row.keyId } });
      return { ...row, secret };
    });
  }

  async platformCredentials(user: AuthUser) {
    return this.repo.platformCredentials(scopeOf(user));
  }

  async revokeCredential(user: AuthUser, credentialId: string): Promise<CredentialRow> {
    return this.dataSource.transaction(async (em) => {
      const c = await this.repo.credentialInScope(scopeOf(user), credentialId, em);
      if (!c || (c.kind === 'platform' && !can(user, 'device.platform_manage'))) throw AppError.notFound('device.credential_not_found');
      if (!(await this.repo.revokeCredential(em, credentialId, this.now()))) return c;
      this.credentialCache.delete(c.keyId);
      await this.audit.record(em, { action: 'device_credential.revoke', entityType: 'device_credential', entityId: credentialId, scopePath: c.divisionPath, before: { name: c.name, keyId: c.keyId } });
      return { ...c, revokedAt: this.now() };
    });
  }

  async registerDevice(user: AuthUser, institutionId: string, dto: RegisterDeviceDto) {
    const institution = await this.institution(user, institutionId);
    const usable = await this.repo.usableCredentials(institutionId, institution.divisionPath);
    if (!usable.some((c) => c.id === dto.credentialId)) throw AppError.validation([{ field: 'credentialId', reason: 'credentialNotUsable' }]);
    return this.dataSource.transaction(async (em) => {
      const id = await this.repo.insertDevice(em, { institutionId, credentialId: dto.credentialId, vendorDeviceId: dto.vendorDeviceId, type: dto.type, location: dto.location, createdBy: user.id });
      if (!id) throw new AppError(409, 'device.duplicate', {}, [{ field: 'vendorDeviceId', reason: 'deviceDuplicate' }]);
      await this.audit.record(em, { action: 'device.register', entityType: 'device', entityId: id, scopePath: institution.divisionPath, after: { institutionId, ...dto } });
      return (await this.repo.device(scopeOf(user), id, em))!;
    });
  }

  async device(user: AuthUser, id: string) {
    const d = await this.repo.device(scopeOf(user), id);
    if (!d) throw AppError.notFound('device.not_found');
    return d;
  }

  async retireDevice(user: AuthUser, id: string) {
    const d = await this.device(user, id);
    return this.dataSource.transaction(async (em) => {
      if (await this.repo.retireDevice(em, id, this.now())) {
        await this.audit.record(em, { action: 'device.retire', entityType: 'device', entityId: id, scopePath: d.divisionPath, before: { vendorDeviceId: d.vendorDeviceId, location: d.location } });
      }
      return (await this.repo.device(scopeOf(user), id, em))!;
    });
  }

  /** 维保完成: the institution clears the maintenance flag of a device after repeated false alarms. */
  async clearMaintenance(user: AuthUser, id: string) {
    const d = await this.device(user, id);
    return this.dataSource.transaction(async (em) => {
      if (await this.repo.clearMaintenance(em, id)) {
        await this.audit.record(em, { action: 'device.maintenance_clear', entityType: 'device', entityId: id, scopePath: d.divisionPath, before: { maintenanceFlaggedAt: d.maintenanceFlaggedAt?.toISOString() ?? null } });
      }
      return (await this.repo.device(scopeOf(user), id, em))!;
    });
  }

  // ---------------------------------------------------------------- reading

  async alarms(user: AuthUser, query: AlarmQuery) {
    const [items, total] = await this.repo.alarms(scopeOf(user), { state: query.state, institutionId: query.institutionId }, (query.page - 1) * query.pageSize, query.pageSize);
    return pageOf(items.map((a) => ({ ...a, state: alarmState(a) })), total, query);
  }

  async alarm(user: AuthUser, id: string) {
    const a = await this.repo.alarm(scopeOf(user), id);
    if (!a) throw AppError.notFound('device.alarm_not_found');
    return { ...a, state: alarmState(a) };
  }

  /** 物联网值班概况 of the user's scope over the policy's duty window (the dashboard's card and the bureau's page). */
  async overview(user: AuthUser, limit = 50, now = this.now()) {
    const { devices: policy } = await this.values();
    const since = new Date(now.getTime() - policy.dutyWindowDays * 86_400_000);
    const result = await this.repo.overview(scopeOf(user), since, new Date(now.getTime() - policy.impairmentHours * 3_600_000), limit);
    return { ...result, windowDays: policy.dutyWindowDays, confirmMinutes: policy.alarmConfirmMinutes, impairmentHours: policy.impairmentHours };
  }

  /** The duty record of one institution over the policy's window (for NET-901 and the institution's page). */
  async duty(institutionId: string, now = this.now()) {
    const { devices: policy } = await this.values();
    const w = await this.repo.dutyWindow(institutionId, new Date(now.getTime() - policy.dutyWindowDays * 86_400_000), new Date(now.getTime() - policy.impairmentHours * 3_600_000));
    const record = dutyRecord(w.alarms);
    return { record, devices: w.devices, windowDays: policy.dutyWindowDays, text: dutyAnswerText(record, w.devices, policy.dutyWindowDays, policy.alarmConfirmMinutes) };
  }

  /**
   * The inspection form's hints from the devices, by item code: each impaired device is a finding candidate for
   * the item its type maps to (policy `candidateItems`), and 常州 NET-901 gets the duty record when the form has that
   * item (`withDuty`; the offline bundle builds every assigned form, so the record is read only where it is shown).
   */
  async findingCandidates(scope: Scope, institutionId: string, now = this.now(), withDuty = true): Promise<Map<string, { notes: string[]; info: boolean }>> {
    const { devices: policy } = await this.values();
    const [impaired, duty] = await Promise.all([
      this.repo.impaired(scope, new Date(now.getTime() - policy.impairmentHours * 3_600_000), institutionId),
      withDuty ? this.duty(institutionId, now) : Promise.resolve(null),
    ]);
    const out = new Map<string, { notes: string[]; info: boolean }>();
    const add = (code: string, note: string, info: boolean) => {
      const before = out.get(code);
      out.set(code, { notes: [...(before?.notes ?? []), note], info: (before?.info ?? true) && info });
    };
    for (const d of impaired) add(policy.candidateItems[d.type], impairmentNote({ ...d, typeLabel: label('deviceType', d.type) }, now, label('deviceStatus', d.status)), false);
    // the duty record informs the inspector's judgement of NET-901; it is not a finding by itself
    if (duty) add(DUTY_ITEM_CODE, `云值班记录：${duty.text}`, true);
    return out;
  }
}
