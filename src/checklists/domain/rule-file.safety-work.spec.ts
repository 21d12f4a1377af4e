import { readFileSync } from 'fs';
import { resolve } from 'path';
import { edit, issuesOf } from './rule-file.fixture';
import { parseRuleFile } from './rule-file.loader';
import { safetyWorkValues } from './safety-work-policy';
import { SafetyWorkPolicyFile } from './rule-file.types';

const POLICY = readFileSync(resolve(__dirname, '../../../checklists/safety-work-policy.yaml'), 'utf8');

describe('safety-work-policy.yaml', () => {
  const file = parseRuleFile('safety-work-policy.yaml', POLICY).content as SafetyWorkPolicyFile;

  it('holds every value of SafetyWorkValues', () => {
    expect(file.code).toBe('safety-work-policy');
    expect(safetyWorkValues(file)).toEqual({
      patrols: { nightIntervalHours: 2, nightFromHour: 22, nightToHour: 6, lateAfterMinutes: 30 },
      drills: { liveDrillMonths: 6, trainingMonths: 6 },
      registers: { expiryAlertDays: [30, 7] },
      selfReported: { scoreWeight: 0.5, deadlineDays: 7 },
      complaints: { perAddressPerHour: 5, perAddressPerDay: 20, maxDescriptionChars: 2000, maxPhotos: 3, maxPhotoBytes: 5242880, triageWorkingDays: 3, replyWorkingDays: 15 },
      incidents: { reportHours: { general: 24, larger: 2, major: 1, especially_major: 1 } },
      devices: {
        alarmConfirmMinutes: 3, impairmentHours: 24, falseAlarmsForMaintenance: 3, falseAlarmWindowDays: 30, dutyWindowDays: 30,
        ingest: { maxEventsPerRequest: 500, clockSkewSeconds: 300, institutionEventsPerSecond: 50, institutionBurstEvents: 500, platformEventsPerSecond: 5000, platformBurstEvents: 20000 },
        candidateItems: { smoke_detector: 'FFE-001', electrical_fire_monitor: 'ELE-007', gas_detector: 'GAS-002', water_pressure: 'FFE-002', alarm_panel_gateway: 'NET-005' },
      },
    });
  });

  it('labels every device value, and refuses a burst smaller than one full request', () => {
    const { ingest, ...rest } = file.devices;
    const labels = [...Object.values(rest), ...Object.values(ingest)].map((v) => (v as { label: { kind: string } }).label.kind);
    expect(labels).toHaveLength(12);
    for (const kind of labels) expect(['source', 'product_default']).toContain(kind);
    expect(issuesOf('s.yaml', edit(POLICY, '    institutionBurstEvents:\n      value: 500', '    institutionBurstEvents:\n      value: 100'))).toEqual([expect.stringMatching(/institutionBurstEvents.*one full request/)]);
  });

  it('labels every value: the half-year drill from the 2026 opinion [S32], the rest mostly product defaults', () => {
    const groups = [file.patrols, file.drills, file.registers, file.selfReported, file.complaints, file.incidents.reportHours] as Array<Record<string, { label: { kind: string } }>>;
    const labels = groups.flatMap((g) => Object.values(g).map((v) => v.label.kind));
    expect(labels).toHaveLength(20);
    for (const kind of labels) expect(['source', 'product_default']).toContain(kind);
    expect(file.drills.liveDrillMonths.label).toMatchObject({ kind: 'source', source: 'S32' });
    expect(file.incidents.reportHours.general.label.kind).toBe('product_default');
  });

  it('refuses alerts not listed largest first, a graver incident with a longer deadline, and an hourly limit above the daily one', () => {
    expect(issuesOf('s.yaml', edit(POLICY, 'value: [30, 7]', 'value: [7, 30]'))).toEqual([expect.stringMatching(/largest first/)]);
    expect(issuesOf('s.yaml', edit(POLICY, '    major:\n      value: 1', '    major:\n      value: 3'))).toEqual([expect.stringMatching(/reportHours\.major.*longer deadline than larger \(2 h\)/)]);
    expect(issuesOf('s.yaml', edit(POLICY, '  perAddressPerHour:\n    value: 5', '  perAddressPerHour:\n    value: 50'))).toEqual([expect.stringMatching(/cannot exceed perAddressPerDay \(20\)/)]);
    expect(issuesOf('s.yaml', edit(POLICY, '  nightFromHour:\n    value: 22', '  nightFromHour:\n    value: 24'))).toEqual([expect.stringMatching(/nightFromHour.*within \[0, 23\]/)]);
  });
});
