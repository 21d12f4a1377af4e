/**
 * Schema of the `safety_work_policy` rule file (机构日常安全工作与投诉举报策略, checklists/safety-work-policy.yaml):
 * the numbers of the institution's own safety work (patrols, drills, training, the registers' expiry alerts,
 * self-reported hazards), of the public's complaints (abuse limits, triage and reply deadlines) and of incident
 * reports (the reporting deadline by grade). Read as plain values by `safetyWorkValues` (safety-work-policy.ts);
 * every value carries its label (`source: <tag>` or `product_default: <why>`), as in the product policy.
 */
import { z } from 'zod';
import { header, integer, list, map, number, text } from './rule-file.fields';
import { labelledValue } from './rule-file.policy.schema';

/** 突发事件 grades of 民发〔2025〕32号 (standards.md §11), least severe first. */
export const INCIDENT_GRADES = ['general', 'larger', 'major', 'especially_major'] as const;
export type IncidentGrade = (typeof INCIDENT_GRADES)[number];

/** 消防物联网设备类型 (src/devices): what a device registry entry may be. */
export const DEVICE_TYPES = ['smoke_detector', 'electrical_fire_monitor', 'gas_detector', 'water_pressure', 'alarm_panel_gateway'] as const;
export type DeviceType = (typeof DEVICE_TYPES)[number];

const count = (meaning: string, min = 1) => labelledValue(integer(min, meaning));

export const safetyWorkPolicySchema = map({
  kind: z.literal('safety_work_policy'),
  ...header,
  patrols: map({
    /** a night patrol (夜间巡查) is due every this many hours between nightFrom and nightTo */
    nightIntervalHours: count(' (hours)'),
    /** the night, as hours of the Shanghai day: from nightFromHour (e.g. 22) to nightToHour (e.g. 6) */
    nightFromHour: labelledValue(number({ min: 0, max: 23, maxDecimals: 0, meaning: ' (hour of day)' })),
    nightToHour: labelledValue(number({ min: 0, max: 23, maxDecimals: 0, meaning: ' (hour of day)' })),
    /** a patrol finished this many minutes after its slot is late (flagged, not refused) */
    lateAfterMinutes: count(' (minutes)'),
  }),
  drills: map({
    /** at least one live drill (实战演练) in every this many months */
    liveDrillMonths: count(' (months)'),
    /** every staff member is trained (消防安全培训) at least once in this many months */
    trainingMonths: count(' (months)'),
  }),
  registers: map({
    /** certificates and statutory tests: alerts this many days before they expire, largest first */
    expiryAlertDays: labelledValue(list(integer(1, ' (days before expiry)'))),
  }),
  selfReported: map({
    /** the weight of a self-reported hazard in the safety score (1 = like one found by an inspector) */
    scoreWeight: labelledValue(number({ min: 0, max: 1, maxDecimals: 2 })),
    /** days the institution gives itself to rectify a hazard its own patrol found (the due date of a 自查隐患) */
    deadlineDays: count(' (days)'),
  }),
  complaints: map({
    /** complaints accepted from one network address per hour, and per day */
    perAddressPerHour: count(' (complaints)'),
    perAddressPerDay: count(' (complaints)'),
    /** the longest description (characters) */
    maxDescriptionChars: count(' (characters)'),
    /** photos per complaint, and the largest photo (bytes) */
    maxPhotos: count(' (photos)', 0),
    maxPhotoBytes: count(' (bytes)'),
    /** the bureau triages (accepts, merges, refers or rejects) within this many working days */
    triageWorkingDays: count(' (working days)'),
    /** and replies to the complainant within this many working days of the complaint */
    replyWorkingDays: count(' (working days)'),
  }),
  devices: map({
    /** an alarm (or a gas valve that closed) is confirmed by the person on duty within this many minutes, else it escalates */
    alarmConfirmMinutes: count(' (minutes)'),
    /** a device offline or faulty for this many hours becomes a finding candidate and is reported */
    impairmentHours: count(' (hours)'),
    /** this many false alarms of one device within falseAlarmWindowDays flag it for maintenance */
    falseAlarmsForMaintenance: count(' (false alarms)'),
    falseAlarmWindowDays: count(' (days)'),
    /** the days of record behind the cloud-assisted duty answer shown to the inspector (常州 NET-901) */
    dutyWindowDays: count(' (days)'),
    ingest: map({
      /** events in one signed request */
      maxEventsPerRequest: count(' (events)'),
      /** a request's X-Yian-Timestamp may differ from the server's clock by this many seconds */
      clockSkewSeconds: count(' (seconds)'),
      /** the sustained rate and the burst one credential may send (token bucket), by credential kind */
      institutionEventsPerSecond: count(' (events per second)'),
      institutionBurstEvents: count(' (events)'),
      platformEventsPerSecond: count(' (events per second)'),
      platformBurstEvents: count(' (events)'),
    }),
    /** the inspection item a device type's impairment is a finding candidate for */
    candidateItems: labelledValue(map(Object.fromEntries(DEVICE_TYPES.map((t) => [t, text(/^[A-Z]{2,4}-\d{3}$/, 'item code')])) as Record<DeviceType, ReturnType<typeof text>>)),
  }),
  incidents: map({
    /** an incident is reported to the bureau within this many hours of its occurrence, by grade */
    reportHours: map({
      general: count(' (hours)'),
      larger: count(' (hours)'),
      major: count(' (hours)'),
      especially_major: count(' (hours)'),
    }),
  }),
}).superRefine((p, ctx) => {
  const a = p.registers.expiryAlertDays.value;
  a.forEach((n, i) => {
    if (i > 0 && n >= a[i - 1]) ctx.addIssue({ code: 'custom', path: ['registers', 'expiryAlertDays', 'value', i], message: `days must be listed largest first without repeats: ${n} follows ${a[i - 1]}` });
  });
  if (p.complaints.perAddressPerHour.value > p.complaints.perAddressPerDay.value) {
    ctx.addIssue({ code: 'custom', path: ['complaints', 'perAddressPerHour', 'value'], message: `cannot exceed perAddressPerDay (${p.complaints.perAddressPerDay.value})` });
  }
  if (p.complaints.triageWorkingDays.value > p.complaints.replyWorkingDays.value) {
    ctx.addIssue({ code: 'custom', path: ['complaints', 'triageWorkingDays', 'value'], message: `triage cannot be due after the reply (${p.complaints.replyWorkingDays.value} working days)` });
  }
  const ing = p.devices.ingest;
  for (const kind of ['institution', 'platform'] as const) {
    if (ing[`${kind}BurstEvents`].value < ing.maxEventsPerRequest.value) {
      ctx.addIssue({ code: 'custom', path: ['devices', 'ingest', `${kind}BurstEvents`, 'value'], message: `must allow one full request (maxEventsPerRequest ${ing.maxEventsPerRequest.value})` });
    }
  }
  const h = p.incidents.reportHours;
  INCIDENT_GRADES.forEach((g, i) => {
    if (i > 0 && h[g].value > h[INCIDENT_GRADES[i - 1]].value) {
      ctx.addIssue({ code: 'custom', path: ['incidents', 'reportHours', g, 'value'], message: `a graver incident cannot have a longer deadline than ${INCIDENT_GRADES[i - 1]} (${h[INCIDENT_GRADES[i - 1]].value} h)` });
    }
  });
});
