/**
 * 机构日常安全工作与投诉举报策略 as the rest of the code sees it: plain values of the published `safety_work_policy`
 * rule file (checklists/safety-work-policy.yaml). Every record decided under it pins the version it used
 * (`safety_work_policy_version_id`). Field names here are stable; the YAML shape is the loader's concern.
 */
import { DEVICE_TYPES, INCIDENT_GRADES, type DeviceType, type IncidentGrade } from './rule-file.safety-work.schema';
import type { SafetyWorkPolicyFile } from './rule-file.types';

export { DEVICE_TYPES, INCIDENT_GRADES, type DeviceType, type IncidentGrade };

export interface SafetyWorkValues {
  patrols: {
    /** a night patrol is due every this many hours between nightFromHour and nightToHour (Shanghai time) */
    nightIntervalHours: number;
    nightFromHour: number;
    nightToHour: number;
    /** a patrol finished this many minutes after its slot is late (flagged, not refused) */
    lateAfterMinutes: number;
  };
  drills: { liveDrillMonths: number; trainingMonths: number };
  /** alerts this many days before a certificate or a statutory test expires, largest first */
  registers: { expiryAlertDays: number[] };
  /** the weight of a self-reported hazard in the safety score (1 = like one found by an inspector) */
  selfReported: { scoreWeight: number; deadlineDays: number };
  complaints: {
    perAddressPerHour: number;
    perAddressPerDay: number;
    maxDescriptionChars: number;
    maxPhotos: number;
    maxPhotoBytes: number;
    triageWorkingDays: number;
    replyWorkingDays: number;
  };
  /** hours from the incident to the report, by grade (一般 / 较大 / 重大 / 特别重大) */
  incidents: { reportHours: Record<IncidentGrade, number> };
  /** 消防物联网: the duty clock, impairments, false alarms, the ingestion limits (src/devices) */
  devices: DeviceValues;
}

export interface DeviceValues {
  alarmConfirmMinutes: number;
  impairmentHours: number;
  falseAlarmsForMaintenance: number;
  falseAlarmWindowDays: number;
  dutyWindowDays: number;
  ingest: {
    maxEventsPerRequest: number;
    clockSkewSeconds: number;
    institutionEventsPerSecond: number;
    institutionBurstEvents: number;
    platformEventsPerSecond: number;
    platformBurstEvents: number;
  };
  candidateItems: Record<DeviceType, string>;
}

/** A published version with its identity (pin `versionId` on the record that used it). */
export interface SafetyWorkPolicyVersion {
  versionId: string;
  code: string;
  versionNo: number;
  contentHash: string;
  values: SafetyWorkValues;
}

/** The values of a `safety_work_policy` file, without their labels. */
export function safetyWorkValues(file: SafetyWorkPolicyFile): SafetyWorkValues {
  const v = <T>(block: { value: T }): T => block.value;
  const { patrols: p, drills: d, registers: r, selfReported: s, complaints: c, incidents: i, devices: dv } = file;
  return {
    patrols: { nightIntervalHours: v(p.nightIntervalHours), nightFromHour: v(p.nightFromHour), nightToHour: v(p.nightToHour), lateAfterMinutes: v(p.lateAfterMinutes) },
    drills: { liveDrillMonths: v(d.liveDrillMonths), trainingMonths: v(d.trainingMonths) },
    registers: { expiryAlertDays: [...v(r.expiryAlertDays)] },
    selfReported: { scoreWeight: v(s.scoreWeight), deadlineDays: v(s.deadlineDays) },
    complaints: {
      perAddressPerHour: v(c.perAddressPerHour), perAddressPerDay: v(c.perAddressPerDay), maxDescriptionChars: v(c.maxDescriptionChars),
      maxPhotos: v(c.maxPhotos), maxPhotoBytes: v(c.maxPhotoBytes), triageWorkingDays: v(c.triageWorkingDays), replyWorkingDays: v(c.replyWorkingDays),
    },
    incidents: { reportHours: Object.fromEntries(INCIDENT_GRADES.map((g) => [g, v(i.reportHours[g])])) as Record<IncidentGrade, number> },
    devices: {
      alarmConfirmMinutes: v(dv.alarmConfirmMinutes), impairmentHours: v(dv.impairmentHours), falseAlarmsForMaintenance: v(dv.falseAlarmsForMaintenance),
      falseAlarmWindowDays: v(dv.falseAlarmWindowDays), dutyWindowDays: v(dv.dutyWindowDays),
      ingest: Object.fromEntries(Object.entries(dv.ingest).map(([k, b]) => [k, v(b as { value: number })])) as DeviceValues['ingest'],
      candidateItems: { ...v(dv.candidateItems) } as Record<DeviceType, string>,
    },
  };
}
