import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../common/project-root';
import {
  alertHorizon, candidateItemCode, certificateIssues, CERTIFICATE_TYPES, dueAlertThreshold, EQUIPMENT_KINDS, REGISTER_ITEM_KINDS, STAFF_ROLES, TEST_KINDS, expiryAlertText, expiryStatus, staffIssues, testIssues, TESTS_OF,
} from './register-rules';

const DAYS = [30, 7];
const TODAY = '2026-12-02';

describe('register rules', () => {
  it.each([
    [null, 'no_expiry'],
    ['2027-06-01', 'valid'],
    ['2027-01-01', 'expiring'], // 30 days left
    ['2027-01-02', 'valid'], // 31 days left
    ['2026-12-09', 'expiring_soon'], // 7 days left
    ['2026-12-02', 'expiring_soon'], // the expiry day itself is still valid-through
    ['2026-12-01', 'expired'],
  ])('expiry %s is %s on 2026-12-02', (expiresOn, status) => {
    expect(expiryStatus(expiresOn, TODAY, DAYS)).toBe(status);
  });

  it('sends the smallest threshold reached, once the days left reach it; none after expiry', () => {
    expect(dueAlertThreshold('2027-01-15', TODAY, DAYS)).toBeNull(); // 44 days
    expect(dueAlertThreshold('2027-01-01', TODAY, DAYS)).toBe(30);
    expect(dueAlertThreshold('2026-12-20', TODAY, DAYS)).toBe(30);
    expect(dueAlertThreshold('2026-12-09', TODAY, DAYS)).toBe(7);
    // entered 3 days before expiry: the 7-day alert only, never a late "30 days" one
    expect(dueAlertThreshold('2026-12-05', TODAY, DAYS)).toBe(7);
    expect(dueAlertThreshold('2026-12-01', TODAY, DAYS)).toBeNull();
    expect(dueAlertThreshold(null, TODAY, DAYS)).toBeNull();
    expect(alertHorizon(TODAY, DAYS)).toBe('2027-01-01');
  });

  it('maps expired certificates and tests to the checklist items that check them', () => {
    expect(candidateItemCode({ kind: 'certificate', certType: 'fire_facility_operator' })).toBe('NET-002');
    expect(candidateItemCode({ kind: 'certificate', certType: 'special_equipment' })).toBe('BLD-004');
    expect(candidateItemCode({ kind: 'certificate', certType: 'other' })).toBeNull();
    expect(candidateItemCode({ kind: 'statutory_test', equipmentKind: 'elevator', testKind: 'periodic_inspection' })).toBe('BLD-003');
    expect(candidateItemCode({ kind: 'statutory_test', equipmentKind: 'boiler', testKind: 'periodic_inspection' })).toBe('BLD-008');
    expect(candidateItemCode({ kind: 'statutory_test', equipmentKind: 'oxygen_pipeline', testKind: 'periodic_inspection' })).toBe('BLD-009');
    expect(candidateItemCode({ kind: 'statutory_test', equipmentKind: 'pressure_vessel', testKind: 'periodic_inspection' })).toBe('BLD-009');
    expect(candidateItemCode({ kind: 'statutory_test', equipmentKind: 'fire_system', testKind: 'maintenance_contract' })).toBe('FFE-005');
    expect(candidateItemCode({ kind: 'statutory_test', equipmentKind: 'extinguisher', testKind: 'service' })).toBe('FFE-004');
    // every enumerated value has an answer (no undefined)
    for (const certType of CERTIFICATE_TYPES) expect(candidateItemCode({ kind: 'certificate', certType })).not.toBeUndefined();
    for (const equipmentKind of EQUIPMENT_KINDS) for (const testKind of TESTS_OF[equipmentKind]) expect(candidateItemCode({ kind: 'statutory_test', equipmentKind, testKind })).toMatch(/^[A-Z]+-\d{3}$/);
  });

  it('asks a phone of the people on the board and at least one post', () => {
    expect(staffIssues({ roles: ['safety_officer'], phone: '' })).toEqual([{ field: 'phone', reason: 'staffPhoneRequired' }]);
    expect(staffIssues({ roles: ['control_room_operator'], phone: null })).toEqual([]);
    expect(staffIssues({ roles: [], phone: '13812345678' })).toEqual([{ field: 'roles', reason: 'rolesRequired' }]);
  });

  it('checks dates and that a test fits its equipment', () => {
    expect(certificateIssues({ issuedOn: '2026-01-01', expiresOn: '2025-12-31' })).toEqual([{ field: 'expiresOn', reason: 'expiresBeforeIssued', args: ['2026-01-01'] }]);
    expect(certificateIssues({ issuedOn: '2026-01-01', expiresOn: null })).toEqual([]);
    const labels = { test: (k: string) => k, equipment: (k: string) => k };
    expect(testIssues({ equipmentKind: 'elevator', testKind: 'service', lastDoneOn: null, expiresOn: '2027-01-01' }, labels)).toEqual([
      { field: 'testKind', reason: 'testKindNotForEquipment', args: ['service', 'elevator', 'periodic_inspection'] }]);
    expect(testIssues({ equipmentKind: 'fire_system', testKind: 'annual_test', lastDoneOn: '2027-02-01', expiresOn: '2027-01-01' }, labels)).toEqual([
      { field: 'expiresOn', reason: 'expiresBeforeDone', args: ['2027-02-01'] }]);
  });

  it('names the date in the alert, not a count of days', () => {
    const t = expiryAlertText({ what: '消防设施操作员证书', holder: '张三', expiresOn: '2026-12-09', thresholdDays: 7 }, (d) => d);
    expect(t.title).toBe('消防设施操作员证书将于 2026-12-09 到期');
    expect(t.body).toContain('张三');
  });

  it('lists the same values as the migration\'s CHECKs', () => {
    const sql = readFileSync(join(projectRoot(), 'migrations', '1765220100000-Registers.ts'), 'utf8');
    const check = (column: string) => [...new RegExp(`CHECK \\(${column} IN \\(([^)]*)\\)\\)`).exec(sql)![1].matchAll(/'([^']*)'/g)].map((m) => m[1]);
    expect(check('cert_type')).toEqual([...CERTIFICATE_TYPES]);
    expect(check('kind')).toEqual([...EQUIPMENT_KINDS]);
    expect(check('test_kind')).toEqual([...TEST_KINDS]);
    expect(check('item_kind')).toEqual([...REGISTER_ITEM_KINDS]);
    expect(sql).toContain(`const STAFF_ROLES = [${STAFF_ROLES.map((r) => `'${r}'`).join(', ')}]`);
  });
});
