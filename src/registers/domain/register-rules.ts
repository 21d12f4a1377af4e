/**
 * 人员与设备台账 — the rules of the staff, certificate and equipment registers, as plain functions (no Nest, no
 * TypeORM): the enumerations (each with a CHECK in migrations/1765220100000-Registers.ts and labels in
 * common/catalog/registers.vocabulary.ts), which statutory tests an equipment kind has, the status chip of an expiry
 * date, which alert threshold is due, and which checklist item an expired certificate or test is a finding
 * candidate for (item codes of checklists/fire-safety-inspection.yaml).
 */
import { addDays, daysBetween } from '../../common/calendar';
import type { FieldIssue } from '../../common/app-error';

/** 岗位 (standards.md §4.5 消控室值班, §4.9 消防安全责任人/管理人, §11 安全员 post and 公示牌 [S32]). */
export const STAFF_ROLES = ['safety_responsible', 'safety_manager', 'safety_officer', 'control_room_operator', 'other'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
/** The posts printed on the 公示牌 with a phone number: their phone is required. */
export const BOARD_ROLES: readonly StaffRole[] = ['safety_responsible', 'safety_officer'];

export const CERTIFICATE_TYPES = ['fire_facility_operator', 'special_equipment', 'electrician', 'safety_training', 'other'] as const;
export type CertificateType = (typeof CERTIFICATE_TYPES)[number];

export const EQUIPMENT_KINDS = ['elevator', 'boiler', 'pressure_vessel', 'oxygen_pipeline', 'fire_system', 'extinguisher'] as const;
export type EquipmentKind = (typeof EQUIPMENT_KINDS)[number];

export const TEST_KINDS = ['periodic_inspection', 'annual_test', 'maintenance_contract', 'service'] as const;
export type TestKind = (typeof TEST_KINDS)[number];

/** The statutory dates each equipment kind carries (the CHECK register_statutory_test_kind_fits says the same). */
export const TESTS_OF: Record<EquipmentKind, readonly TestKind[]> = {
  elevator: ['periodic_inspection'],
  boiler: ['periodic_inspection'],
  pressure_vessel: ['periodic_inspection'],
  oxygen_pipeline: ['periodic_inspection'],
  fire_system: ['annual_test', 'maintenance_contract'],
  extinguisher: ['service'],
};

export const REGISTER_ITEM_KINDS = ['certificate', 'statutory_test'] as const;
export type RegisterItemKind = (typeof REGISTER_ITEM_KINDS)[number];

export const EXPIRY_STATUSES = ['valid', 'expiring', 'expiring_soon', 'expired', 'no_expiry'] as const;
export type ExpiryStatus = (typeof EXPIRY_STATUSES)[number];

/**
 * The status chip of an expiry date on `today` (Shanghai days), with the policy's alert days (largest first, e.g.
 * [30, 7]): expired after the expiry day; 7天内 within the smallest threshold; 30天内 within the largest; else valid.
 * The expiry day itself still counts as valid-through (a certificate valid until 12-31 is good on 12-31).
 */
export function expiryStatus(expiresOn: string | null, today: string, alertDays: readonly number[]): ExpiryStatus {
  if (!expiresOn) return 'no_expiry';
  const left = daysBetween(today, expiresOn);
  if (left < 0) return 'expired';
  const sorted = [...alertDays].sort((a, b) => a - b);
  if (sorted.length && left <= sorted[0]) return 'expiring_soon';
  if (sorted.length && left <= sorted[sorted.length - 1]) return 'expiring';
  return 'valid';
}

/**
 * The alert threshold due on `today` for an item expiring on `expiresOn`: the smallest threshold the days left have
 * reached (so an item entered 5 days before expiry gets the 7-day alert only, never a late "30 days" one); null when
 * none is due or the item has expired. One alert per item, expiry date and threshold (the caller keeps that).
 */
export function dueAlertThreshold(expiresOn: string | null, today: string, alertDays: readonly number[]): number | null {
  if (!expiresOn) return null;
  const left = daysBetween(today, expiresOn);
  if (left < 0) return null;
  const reached = alertDays.filter((d) => left <= d);
  return reached.length ? Math.min(...reached) : null;
}

/** The latest expiry date the alert job must look at: everything expiring within the largest threshold. */
export function alertHorizon(today: string, alertDays: readonly number[]): string {
  return addDays(today, Math.max(0, ...alertDays));
}

/**
 * The checklist item (fire-safety-inspection.yaml) an expired certificate or statutory test is a finding candidate
 * for; null: no item checks it (the inspector still sees it in the register).
 */
export function candidateItemCode(item: { kind: 'certificate'; certType: CertificateType } | { kind: 'statutory_test'; equipmentKind: EquipmentKind; testKind: TestKind }): string | null {
  if (item.kind === 'certificate') {
    switch (item.certType) {
      case 'fire_facility_operator': return 'NET-002'; // 值班人员持证 (消控室24h双人值班, standards.md §4.5)
      case 'special_equipment': return 'BLD-004'; // 特种设备人员资格
      default: return null;
    }
  }
  switch (item.equipmentKind) {
    case 'elevator': return 'BLD-003'; // 电梯合法有效
    case 'boiler': return 'BLD-008'; // 锅炉合法有效
    case 'pressure_vessel':
    case 'oxygen_pipeline': return 'BLD-009'; // 氧气管道（压力管道）合法有效
    case 'fire_system': return 'FFE-005'; // 年度检测与维保
    case 'extinguisher': return 'FFE-004'; // 灭火器（在使用年限内）
  }
}

/** A staff entry's problems: at least one post; the people named on the 公示牌 need a phone. */
export function staffIssues(s: { roles: readonly string[]; phone?: string | null }): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (!s.roles.length) issues.push({ field: 'roles', reason: 'rolesRequired' });
  if (s.roles.some((r) => BOARD_ROLES.includes(r as StaffRole)) && !s.phone?.trim()) issues.push({ field: 'phone', reason: 'staffPhoneRequired' });
  return issues;
}

/** A certificate's dates: the expiry (if any) not before the issue. */
export function certificateIssues(c: { issuedOn: string; expiresOn?: string | null }): FieldIssue[] {
  return c.expiresOn && c.expiresOn < c.issuedOn ? [{ field: 'expiresOn', reason: 'expiresBeforeIssued', args: [c.issuedOn] }] : [];
}

/** A statutory test's problems: the kind fits the equipment, the validity not before the test. */
export function testIssues(t: { equipmentKind: EquipmentKind; testKind: TestKind; lastDoneOn?: string | null; expiresOn: string }, labels: { test: (k: string) => string; equipment: (k: string) => string }): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const allowed = TESTS_OF[t.equipmentKind];
  if (!allowed.includes(t.testKind)) {
    issues.push({ field: 'testKind', reason: 'testKindNotForEquipment', args: [labels.test(t.testKind), labels.equipment(t.equipmentKind), allowed.map(labels.test).join('、')] });
  }
  if (t.lastDoneOn && t.expiresOn < t.lastDoneOn) issues.push({ field: 'expiresOn', reason: 'expiresBeforeDone', args: [t.lastDoneOn] });
  return issues;
}

/** 到期提醒 — the notification's text: it names the date (not "还有 N 天", wrong the day after it was written). */
export function expiryAlertText(a: { what: string; holder: string; expiresOn: string; thresholdDays: number }, formatDate: (d: string) => string): { title: string; body: string } {
  return {
    title: `${a.what}将于 ${formatDate(a.expiresOn)} 到期`,
    body: `${a.holder}的${a.what}有效期至 ${formatDate(a.expiresOn)}（${a.thresholdDays} 天内到期提醒）。请及时办理复审、检验或续签，并在人员与设备台账中更新日期；过期未更新的，将在下次检查时作为相关检查项的待确认问题。`,
  };
}
