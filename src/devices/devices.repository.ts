import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { DeviceType } from '../checklists/domain/safety-work-policy';
import { Scope, scopeCondition } from '../common/scope';
import type { AlarmOutcome, CredentialKind, DeviceEventKind, DeviceStatus } from './domain/device-rules';

export interface CredentialRow {
  id: string;
  keyId: string;
  kind: CredentialKind;
  institutionId: string | null;
  divisionPath: string;
  name: string;
  createdAt: Date;
  revokedAt: Date | null;
}

export interface DeviceRow {
  id: string;
  institutionId: string;
  institutionName: string;
  divisionPath: string;
  credentialId: string;
  credentialName: string;
  vendorDeviceId: string;
  type: DeviceType;
  location: string;
  status: DeviceStatus;
  statusSince: Date;
  lastOccurredAt: Date | null;
  lastReceivedAt: Date | null;
  maintenanceFlaggedAt: Date | null;
  createdAt: Date;
  retiredAt: Date | null;
}

export interface AlarmRow {
  id: string;
  eventId: string;
  deviceId: string;
  vendorDeviceId: string;
  deviceType: DeviceType;
  location: string;
  institutionId: string;
  institutionName: string;
  divisionPath: string;
  kind: 'alarm' | 'valve_closed';
  raisedAt: Date;
  receivedAt: Date;
  confirmDueAt: Date;
  outcome: AlarmOutcome | null;
  note: string | null;
  confirmedByName: string | null;
  confirmedAt: Date | null;
  escalatedAt: Date | null;
  detail: string | null;
}

export interface AlarmFilter {
  state?: 'open' | 'escalated' | 'confirmed' | 'unconfirmed';
  institutionId?: string;
  since?: Date;
}

/** A device locked for an ingestion batch. */
export interface LockedDevice {
  id: string;
  vendorDeviceId: string;
  institutionId: string;
  status: DeviceStatus;
  statusSince: Date;
  lastOccurredAt: Date | null;
}

const DEVICE_COLUMNS = `d.id, d.institution_id AS "institutionId", i.name AS "institutionName", i.division_path AS "divisionPath",
  d.credential_id AS "credentialId", c.name AS "credentialName", d.vendor_device_id AS "vendorDeviceId", d.type, d.location, d.status,
  d.status_since AS "statusSince", d.last_occurred_at AS "lastOccurredAt", d.last_received_at AS "lastReceivedAt",
  d.maintenance_flagged_at AS "maintenanceFlaggedAt", d.created_at AS "createdAt", d.retired_at AS "retiredAt"`;
const DEVICE_FROM = `device d JOIN institution i ON i.id = d.institution_id JOIN device_credential c ON c.id = d.credential_id`;

const ALARM_COLUMNS = `a.id, a.event_id::text AS "eventId", a.device_id AS "deviceId", d.vendor_device_id AS "vendorDeviceId", d.type AS "deviceType",
  d.location, a.institution_id AS "institutionId", i.name AS "institutionName", i.division_path AS "divisionPath", a.kind,
  a.raised_at AS "raisedAt", a.received_at AS "receivedAt", a.confirm_due_at AS "confirmDueAt", a.outcome, a.note,
  u.display_name AS "confirmedByName", a.confirmed_at AS "confirmedAt", a.escalated_at AS "escalatedAt", e.detail`;
const ALARM_FROM = `device_alarm a JOIN device d ON d.id = a.device_id JOIN institution i ON i.id = a.institution_id
  JOIN device_event e ON e.id = a.event_id LEFT JOIN app_user u ON u.id = a.confirmed_by`;

const CREDENTIAL_COLUMNS = `c.id, c.key_id AS "keyId", c.kind, c.institution_id AS "institutionId", c.division_path AS "divisionPath", c.name,
  c.created_at AS "createdAt", c.revoked_at AS "revokedAt"`;

/** 消防物联网: the only SQL of devices, their credentials, events and alarms. */
@Injectable()
export class DevicesRepository {
  constructor(private readonly dataSource: DataSource) {}

  private scoped(scope: Scope, params: unknown[], institutionColumn: string): string {
    return scopeCondition(scope, { divisionPath: 'i.division_path', institutionId: institutionColumn }).bind(params);
  }

  async institution(scope: Scope, institutionId: string): Promise<{ id: string; name: string; divisionPath: string } | null> {
    const params: unknown[] = [institutionId];
    const where = this.scoped(scope, params, 'i.id');
    const [row] = await this.dataSource.query(`SELECT i.id, i.name, i.division_path AS "divisionPath" FROM institution i WHERE i.id = $1 AND ${where}`, params);
    return row ?? null;
  }

  // ---------------------------------------------------------------- credentials

  /** For the ingestion check: the credential with its secret (revoked ones too: the caller refuses them). */
  async credentialForIngest(keyId: string): Promise<(CredentialRow & { secret: string }) | null> {
    const [row] = await this.dataSource.query(`SELECT ${CREDENTIAL_COLUMNS}, c.secret FROM device_credential c WHERE c.key_id = $1`, [keyId]);
    return row ?? null;
  }

  async insertCredential(em: EntityManager, c: { keyId: string; kind: CredentialKind; institutionId: string | null; divisionPath: string; name: string; secret: string; createdBy: string }): Promise<CredentialRow> {
    const [row] = await em.query(
      `INSERT INTO device_credential AS c (key_id, kind, institution_id, division_path, name, secret, created_by) VALUES ($1,$2,$3,$4,$5,$6,$7)
       RETURNING ${CREDENTIAL_COLUMNS}`, [c.keyId, c.kind, c.institutionId, c.divisionPath, c.name, c.secret, c.createdBy]);
    return row;
  }

  /** The credentials a device of this institution may report through: its own gateways', and platforms covering it. */
  async usableCredentials(institutionId: string, divisionPath: string): Promise<CredentialRow[]> {
    return this.dataSource.query(
      `SELECT ${CREDENTIAL_COLUMNS} FROM device_credential c
        WHERE c.revoked_at IS NULL AND (c.institution_id = $1 OR (c.kind = 'platform' AND $2 LIKE c.division_path || '%'))
        ORDER BY c.kind, c.created_at`, [institutionId, divisionPath]);
  }

  async institutionCredentials(institutionId: string): Promise<(CredentialRow & { devices: number })[]> {
    return this.dataSource.query(
      `SELECT ${CREDENTIAL_COLUMNS}, (SELECT count(*)::int FROM device d WHERE d.credential_id = c.id AND d.retired_at IS NULL) AS devices
         FROM device_credential c WHERE c.institution_id = $1 ORDER BY c.revoked_at NULLS FIRST, c.created_at`, [institutionId]);
  }

  /** Platform credentials whose division lies within the scope. */
  async platformCredentials(scope: Scope): Promise<(CredentialRow & { devices: number })[]> {
    if (scope.kind !== 'division') return [];
    return this.dataSource.query(
      `SELECT ${CREDENTIAL_COLUMNS}, (SELECT count(*)::int FROM device d WHERE d.credential_id = c.id AND d.retired_at IS NULL) AS devices
         FROM device_credential c WHERE c.kind = 'platform' AND c.division_path LIKE $1 ORDER BY c.revoked_at NULLS FIRST, c.created_at`, [`${scope.path}%`]);
  }

  /** The credential if the scope reaches it: an institution's through its institution, a platform's through its division. */
  async credentialInScope(scope: Scope, id: string, em: EntityManager = this.dataSource.manager): Promise<CredentialRow | null> {
    const params: unknown[] = [id];
    const where = scope.kind === 'institution' ? `c.institution_id = $${params.push(scope.institutionId)}` : `c.division_path LIKE $${params.push(`${scope.path}%`)}`;
    const [row] = await em.query(`SELECT ${CREDENTIAL_COLUMNS} FROM device_credential c WHERE c.id = $1 AND ${where} FOR UPDATE`, params);
    return row ?? null;
  }

  async revokeCredential(em: EntityManager, id: string, at: Date): Promise<boolean> {
    const rows = await em.query(`WITH u AS (UPDATE device_credential SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING id) SELECT id FROM u`, [id, at]);
    return rows.length > 0;
  }

  // ---------------------------------------------------------------- devices

  async insertDevice(em: EntityManager, d: { institutionId: string; credentialId: string; vendorDeviceId: string; type: DeviceType; location: string; createdBy: string }): Promise<string | null> {
    const rows = await em.query(
      `INSERT INTO device (institution_id, credential_id, vendor_device_id, type, location, created_by) VALUES ($1,$2,$3,$4,$5,$6)
       ON CONFLICT (credential_id, vendor_device_id) DO NOTHING RETURNING id`,
      [d.institutionId, d.credentialId, d.vendorDeviceId, d.type, d.location, d.createdBy]);
    return rows[0]?.id ?? null;
  }

  async device(scope: Scope, id: string, em: EntityManager = this.dataSource.manager): Promise<DeviceRow | null> {
    const params: unknown[] = [id];
    const where = this.scoped(scope, params, 'd.institution_id');
    const [row] = await em.query(`SELECT ${DEVICE_COLUMNS} FROM ${DEVICE_FROM} WHERE d.id = $1 AND ${where}`, params);
    return row ?? null;
  }

  async devices(institutionId: string, includeRetired: boolean): Promise<DeviceRow[]> {
    return this.dataSource.query(
      `SELECT ${DEVICE_COLUMNS} FROM ${DEVICE_FROM} WHERE d.institution_id = $1 ${includeRetired ? '' : 'AND d.retired_at IS NULL'}
        ORDER BY d.retired_at NULLS FIRST, (d.status = 'online'), d.type, d.location, d.vendor_device_id`, [institutionId]);
  }

  async retireDevice(em: EntityManager, id: string, at: Date): Promise<boolean> {
    const rows = await em.query(`WITH u AS (UPDATE device SET retired_at = $2 WHERE id = $1 AND retired_at IS NULL RETURNING id) SELECT id FROM u`, [id, at]);
    return rows.length > 0;
  }

  async clearMaintenance(em: EntityManager, id: string): Promise<boolean> {
    const rows = await em.query(`WITH u AS (UPDATE device SET maintenance_flagged_at = NULL WHERE id = $1 AND maintenance_flagged_at IS NOT NULL RETURNING id) SELECT id FROM u`, [id]);
    return rows.length > 0;
  }

  /** Devices offline or faulty since before `before`, not retired, in the scope (a finding candidate). */
  async impaired(scope: Scope, before: Date, institutionId?: string): Promise<DeviceRow[]> {
    const params: unknown[] = [before];
    const where = this.scoped(scope, params, 'd.institution_id');
    const one = institutionId ? `AND d.institution_id = $${params.push(institutionId)}` : '';
    return this.dataSource.query(
      `SELECT ${DEVICE_COLUMNS} FROM ${DEVICE_FROM} WHERE d.status <> 'online' AND d.retired_at IS NULL AND d.status_since <= $1 AND ${where} ${one}
        ORDER BY d.status_since LIMIT 500`, params);
  }

  /** The impaired devices not yet reported for this impairment, claimed (reported once per status_since). */
  async claimImpairmentReports(em: EntityManager, before: Date, now: Date): Promise<DeviceRow[]> {
    const claimed: { id: string }[] = await em.query(
      `WITH u AS (UPDATE device SET impairment_notified_at = $2
          WHERE id IN (SELECT id FROM device WHERE status <> 'online' AND retired_at IS NULL AND status_since <= $1
                         AND (impairment_notified_at IS NULL OR impairment_notified_at < status_since) ORDER BY status_since LIMIT 500 FOR UPDATE SKIP LOCKED)
          RETURNING id) SELECT id FROM u`, [before, now]);
    if (!claimed.length) return [];
    return em.query(`SELECT ${DEVICE_COLUMNS} FROM ${DEVICE_FROM} WHERE d.id = ANY($1::uuid[])`, [claimed.map((c) => c.id)]);
  }

  // ---------------------------------------------------------------- ingestion

  /** The credential's devices named in a batch, locked in id order (concurrent batches of one device serialise). */
  async lockDevices(em: EntityManager, credentialId: string, vendorIds: string[]): Promise<LockedDevice[]> {
    return em.query(
      `SELECT d.id, d.vendor_device_id AS "vendorDeviceId", d.institution_id AS "institutionId", d.status, d.status_since AS "statusSince",
              d.last_occurred_at AS "lastOccurredAt"
         FROM device d WHERE d.credential_id = $1 AND d.vendor_device_id = ANY($2::text[]) AND d.retired_at IS NULL ORDER BY d.id FOR UPDATE`,
      [credentialId, vendorIds]);
  }

  /** Appends the events not seen before (by the sender's id); returns the new ones. */
  async insertEvents(em: EntityManager, credentialId: string, rows: { eventKey: string; deviceId: string; institutionId: string; kind: DeviceEventKind; occurredAt: Date; detail: string | null }[], receivedAt: Date): Promise<{ id: string; eventKey: string }[]> {
    return em.query(
      `INSERT INTO device_event (credential_id, event_key, device_id, institution_id, kind, occurred_at, received_at, detail)
       SELECT $1, x.k, x.d, x.i, x.kind, x.at, $2, x.detail
         FROM unnest($3::text[], $4::uuid[], $5::uuid[], $6::text[], $7::timestamptz[], $8::text[]) AS x(k, d, i, kind, at, detail)
       ON CONFLICT (credential_id, event_key) DO NOTHING RETURNING id::text, event_key AS "eventKey"`,
      [credentialId, receivedAt, rows.map((r) => r.eventKey), rows.map((r) => r.deviceId), rows.map((r) => r.institutionId), rows.map((r) => r.kind),
        rows.map((r) => r.occurredAt.toISOString()), rows.map((r) => r.detail)]);
  }

  async insertAlarms(em: EntityManager, rows: { eventId: string; deviceId: string; institutionId: string; kind: 'alarm' | 'valve_closed'; raisedAt: Date; confirmDueAt: Date }[], receivedAt: Date, policyVersionId: string): Promise<{ id: string; eventId: string }[]> {
    if (!rows.length) return [];
    return em.query(
      `INSERT INTO device_alarm (event_id, device_id, institution_id, kind, raised_at, received_at, confirm_due_at, safety_work_policy_version_id)
       SELECT x.e, x.d, x.i, x.kind, x.at, $1, x.due, $2
         FROM unnest($3::bigint[], $4::uuid[], $5::uuid[], $6::text[], $7::timestamptz[], $8::timestamptz[]) AS x(e, d, i, kind, at, due)
       RETURNING id, event_id::text AS "eventId"`,
      [receivedAt, policyVersionId, rows.map((r) => r.eventId), rows.map((r) => r.deviceId), rows.map((r) => r.institutionId), rows.map((r) => r.kind),
        rows.map((r) => r.raisedAt.toISOString()), rows.map((r) => r.confirmDueAt.toISOString())]);
  }

  async updateDeviceStates(em: EntityManager, rows: { id: string; status: DeviceStatus; statusSince: Date; lastOccurredAt: Date | null }[], receivedAt: Date): Promise<void> {
    if (!rows.length) return;
    await em.query(
      `UPDATE device d SET status = x.status, status_since = x.since, last_occurred_at = x.last, last_received_at = $1
         FROM unnest($2::uuid[], $3::text[], $4::timestamptz[], $5::timestamptz[]) AS x(id, status, since, last) WHERE d.id = x.id`,
      [receivedAt, rows.map((r) => r.id), rows.map((r) => r.status), rows.map((r) => r.statusSince.toISOString()), rows.map((r) => r.lastOccurredAt?.toISOString() ?? null)]);
  }

  /** The answer of a batch, the same whether its events are new or replayed: each event's record and alarm. */
  async eventsByKeys(em: EntityManager, credentialId: string, keys: string[]): Promise<{ id: string; eventKey: string; alarmId: string | null }[]> {
    return em.query(
      `SELECT e.id::text, e.event_key AS "eventKey", a.id AS "alarmId" FROM device_event e LEFT JOIN device_alarm a ON a.event_id = e.id
        WHERE e.credential_id = $1 AND e.event_key = ANY($2::text[])`, [credentialId, keys]);
  }

  async recentEvents(institutionId: string, limit: number): Promise<{ id: string; kind: DeviceEventKind; occurredAt: Date; receivedAt: Date; vendorDeviceId: string; location: string; detail: string | null }[]> {
    return this.dataSource.query(
      `SELECT e.id::text, e.kind, e.occurred_at AS "occurredAt", e.received_at AS "receivedAt", d.vendor_device_id AS "vendorDeviceId", d.location, e.detail
         FROM device_event e JOIN device d ON d.id = e.device_id WHERE e.institution_id = $1 ORDER BY e.occurred_at DESC, e.id DESC LIMIT $2`, [institutionId, limit]);
  }

  // ---------------------------------------------------------------- alarms

  async alarms(scope: Scope, filter: AlarmFilter, offset: number, limit: number): Promise<[AlarmRow[], number]> {
    const params: unknown[] = [];
    const conditions = [this.scoped(scope, params, 'a.institution_id')];
    if (filter.institutionId) conditions.push(`a.institution_id = $${params.push(filter.institutionId)}`);
    if (filter.since) conditions.push(`a.raised_at >= $${params.push(filter.since)}`);
    if (filter.state === 'open') conditions.push(`a.confirmed_at IS NULL AND a.escalated_at IS NULL`);
    if (filter.state === 'escalated') conditions.push(`a.confirmed_at IS NULL AND a.escalated_at IS NOT NULL`);
    if (filter.state === 'unconfirmed') conditions.push(`a.confirmed_at IS NULL`);
    if (filter.state === 'confirmed') conditions.push(`a.confirmed_at IS NOT NULL`);
    const where = conditions.join(' AND ');
    const [{ total }] = await this.dataSource.query(`SELECT count(*)::int AS total FROM device_alarm a JOIN institution i ON i.id = a.institution_id WHERE ${where}`, params);
    const rows = await this.dataSource.query(
      `SELECT ${ALARM_COLUMNS} FROM ${ALARM_FROM} WHERE ${where}
        ORDER BY (a.confirmed_at IS NULL) DESC, a.raised_at DESC, a.id LIMIT $${params.push(limit)} OFFSET $${params.push(offset)}`, params);
    return [rows, total];
  }

  async alarm(scope: Scope, id: string, em: EntityManager = this.dataSource.manager, lock = false): Promise<AlarmRow | null> {
    const params: unknown[] = [id];
    const where = this.scoped(scope, params, 'a.institution_id');
    const [row] = await em.query(`SELECT ${ALARM_COLUMNS} FROM ${ALARM_FROM} WHERE a.id = $1 AND ${where} ${lock ? 'FOR UPDATE OF a' : ''}`, params);
    return row ?? null;
  }

  async confirmAlarm(em: EntityManager, id: string, c: { outcome: AlarmOutcome; note: string | null; userId: string; at: Date }): Promise<boolean> {
    const rows = await em.query(
      `WITH u AS (UPDATE device_alarm SET outcome = $2, note = $3, confirmed_by = $4, confirmed_at = $5 WHERE id = $1 AND confirmed_at IS NULL RETURNING id) SELECT id FROM u`,
      [id, c.outcome, c.note, c.userId, c.at]);
    return rows.length > 0;
  }

  async falseAlarmsSince(em: EntityManager, deviceId: string, since: Date): Promise<number> {
    const [{ n }] = await em.query(`SELECT count(*)::int AS n FROM device_alarm WHERE device_id = $1 AND outcome = 'false' AND raised_at >= $2`, [deviceId, since]);
    return n;
  }

  /** Flags the device for maintenance unless it is flagged already; true when this call flagged it. */
  async flagMaintenance(em: EntityManager, deviceId: string, at: Date): Promise<boolean> {
    const rows = await em.query(`WITH u AS (UPDATE device SET maintenance_flagged_at = $2 WHERE id = $1 AND maintenance_flagged_at IS NULL RETURNING id) SELECT id FROM u`, [deviceId, at]);
    return rows.length > 0;
  }

  /**
   * 升级: the alarms whose clock ran out unconfirmed, marked escalated in one statement — an alarm is escalated by
   * exactly one run, however many run at once (the row's `escalated_at IS NULL` is re-checked under its lock).
   */
  async escalateDue(em: EntityManager, now: Date): Promise<AlarmRow[]> {
    const claimed: { id: string }[] = await em.query(
      `WITH u AS (UPDATE device_alarm SET escalated_at = $1
          WHERE id IN (SELECT id FROM device_alarm WHERE confirmed_at IS NULL AND escalated_at IS NULL AND confirm_due_at <= $1 ORDER BY confirm_due_at LIMIT 500 FOR UPDATE SKIP LOCKED)
            AND escalated_at IS NULL AND confirmed_at IS NULL
          RETURNING id) SELECT id FROM u`, [now]);
    if (!claimed.length) return [];
    return em.query(`SELECT ${ALARM_COLUMNS} FROM ${ALARM_FROM} WHERE a.id = ANY($1::uuid[]) ORDER BY a.confirm_due_at`, [claimed.map((c) => c.id)]);
  }

  /** The alarms of a window for the duty record (常州 NET-901), and the institution's devices. */
  async dutyWindow(institutionId: string, since: Date, impairedBefore: Date): Promise<{ alarms: { receivedAt: Date; confirmDueAt: Date; confirmedAt: Date | null; outcome: AlarmOutcome | null }[]; devices: { total: number; impaired: number } }> {
    const [alarms, [devices]] = await Promise.all([
      this.dataSource.query(`SELECT received_at AS "receivedAt", confirm_due_at AS "confirmDueAt", confirmed_at AS "confirmedAt", outcome FROM device_alarm WHERE institution_id = $1 AND raised_at >= $2`, [institutionId, since]),
      this.dataSource.query(`SELECT count(*)::int AS total, count(*) FILTER (WHERE status <> 'online' AND status_since <= $2)::int AS impaired FROM device WHERE institution_id = $1 AND retired_at IS NULL`, [institutionId, impairedBefore]),
    ]);
    return { alarms, devices };
  }

  /**
   * 物联网值班概况 for a scope: per institution with devices or alarms in the window, the alarms, their answers and the
   * median response, the devices and the impaired ones. Ordered by the unconfirmed and escalated first.
   */
  async overview(scope: Scope, since: Date, impairedBefore: Date, limit: number): Promise<{
    totals: { institutions: number; devices: number; offline: number; impaired: number; alarms: number; unconfirmed: number; escalated: number; confirmedInTime: number; falseAlarms: number; medianMinutes: number | null };
    rows: { institutionId: string; institutionName: string; divisionPath: string; divisionName: string; devices: number; impaired: number; alarms: number; unconfirmed: number; escalated: number; confirmedInTime: number; falseAlarms: number; medianMinutes: number | null }[];
  }> {
    const params: unknown[] = [since, impairedBefore];
    const where = this.scoped(scope, params, 'i.id');
    const sql = `
      WITH dv AS (SELECT d.institution_id, count(*)::int AS devices, count(*) FILTER (WHERE d.status <> 'online')::int AS offline,
                         count(*) FILTER (WHERE d.status <> 'online' AND d.status_since <= $2)::int AS impaired
                    FROM device d WHERE d.retired_at IS NULL GROUP BY d.institution_id),
           al AS (SELECT a.institution_id, count(*)::int AS alarms, count(*) FILTER (WHERE a.confirmed_at IS NULL)::int AS unconfirmed,
                         count(*) FILTER (WHERE a.escalated_at IS NOT NULL)::int AS escalated,
                         count(*) FILTER (WHERE a.confirmed_at <= a.confirm_due_at)::int AS "confirmedInTime",
                         count(*) FILTER (WHERE a.outcome = 'false')::int AS "falseAlarms",
                         percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM a.confirmed_at - a.received_at) / 60)
                           FILTER (WHERE a.confirmed_at IS NOT NULL) AS median
                    FROM device_alarm a WHERE a.raised_at >= $1 GROUP BY a.institution_id)
      SELECT i.id AS "institutionId", i.name AS "institutionName", i.division_path AS "divisionPath", dn.name AS "divisionName",
             coalesce(dv.devices, 0) AS devices, coalesce(dv.offline, 0) AS offline, coalesce(dv.impaired, 0) AS impaired,
             coalesce(al.alarms, 0) AS alarms, coalesce(al.unconfirmed, 0) AS unconfirmed, coalesce(al.escalated, 0) AS escalated,
             coalesce(al."confirmedInTime", 0) AS "confirmedInTime", coalesce(al."falseAlarms", 0) AS "falseAlarms", round(al.median::numeric, 1)::float AS "medianMinutes"
        FROM institution i JOIN division dn ON dn.code = i.division_code LEFT JOIN dv ON dv.institution_id = i.id LEFT JOIN al ON al.institution_id = i.id
       WHERE (dv.institution_id IS NOT NULL OR al.institution_id IS NOT NULL) AND ${where}`;
    const rows = await this.dataSource.query(`${sql} ORDER BY unconfirmed DESC, escalated DESC, impaired DESC, alarms DESC, i.name LIMIT $${params.push(limit)}`, params);
    const [totals] = await this.dataSource.query(
      `WITH x AS (${sql})
       SELECT count(*)::int AS institutions, coalesce(sum(devices), 0)::int AS devices, coalesce(sum(offline), 0)::int AS offline, coalesce(sum(impaired), 0)::int AS impaired,
              coalesce(sum(alarms), 0)::int AS alarms, coalesce(sum(unconfirmed), 0)::int AS unconfirmed, coalesce(sum(escalated), 0)::int AS escalated,
              coalesce(sum("confirmedInTime"), 0)::int AS "confirmedInTime", coalesce(sum("falseAlarms"), 0)::int AS "falseAlarms" FROM x`, params.slice(0, -1));
    const medianParams: unknown[] = [since];
    const medianWhere = this.scoped(scope, medianParams, 'i.id');
    const [median] = await this.dataSource.query(
      `SELECT round((percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM a.confirmed_at - a.received_at) / 60))::numeric, 1)::float AS m
         FROM device_alarm a JOIN institution i ON i.id = a.institution_id WHERE a.confirmed_at IS NOT NULL AND a.raised_at >= $1 AND ${medianWhere}`, medianParams);
    return { totals: { ...totals, medianMinutes: median?.m ?? null }, rows };
  }
}
