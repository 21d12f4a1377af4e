import { readdirSync, readFileSync } from 'node:fs';
import { HAZARD_SORTS } from '../rectification/dto/rectification.dto';
import { JOINT_AGENCIES, PLAN_KINDS, RISK_LEVELS } from '../inspections/domain/plan-rules';
import { STATUS_ACTIONS } from '../institutions/operating-status';
import { CHANGE_KINDS } from '../scoring/domain/subsidy-compare';
import { SCHEDULE_STATUSES } from '../scoring/dto/subsidy-pages.dto';
import { join } from 'node:path';
import { SEVERITIES } from '../checklists/domain/rule-file.types';
import { CHANGE_REQUEST_STATUSES } from '../institutions/change-request';
import { INSTITUTION_KINDS, GAS_SUPPLIES, HOST_BUILDING_USES, PROFIT_STATUSES } from '../institutions/institution-kinds';
import { INSTITUTION_STATUSES, OWNERSHIPS } from '../institutions/institution.entity';
import { projectRoot } from './project-root';
import { NOTIFICATION_AUDIENCES, NOTIFICATION_KINDS } from '../notifications/notification-kinds';
import { DRAFT_CONFLICT_STATUSES } from '../inspections/domain/draft-merge';
import { ROLES } from './roles';
import { PATROL_AREAS, PATROL_KINDS, PATROL_RESULTS, SLOT_STATES } from '../patrols/domain/patrol-rules';
import { ALARM_OUTCOMES, ALARM_STATES, CREDENTIAL_KINDS, DEVICE_EVENT_KINDS, DEVICE_STATUSES } from '../devices/domain/device-rules';
import { DEVICE_TYPES } from '../checklists/domain/safety-work-policy';
import { COMPLAINT_ACTIONS, COMPLAINT_CATEGORIES, COMPLAINT_STATUSES } from '../complaints/domain/complaint';
import { DRILL_FORMS, DRILL_KINDS, DRILL_STATES, EVACUATED_LEVELS, TRAINING_TOPICS } from '../drills/domain/drill-rules';
import { INCIDENT_GRADES, INCIDENT_STATUSES, INCIDENT_TYPES } from '../incidents/domain/incident-rules';
import { CERTIFICATE_TYPES, EQUIPMENT_KINDS, EXPIRY_STATUSES, REGISTER_ITEM_KINDS, STAFF_ROLES, TEST_KINDS } from '../registers/domain/register-rules';
import { CREDIT_FACT_KINDS, CREDIT_LEVELS } from '../checklists/domain/credit-rules';
import { DISHONESTY_STATUSES } from '../credit/domain/dishonesty';
import { EnumName, label, labelEntries, sqlLabelCase, sqlLiteral, VOCABULARY } from './vocabulary';

const root = projectRoot();
const migrations = readdirSync(join(root, 'migrations'))
  .filter((f) => /^\d+-.*\.ts$/.test(f))
  .map((f) => readFileSync(join(root, 'migrations', f), 'utf8'));

/** The values a column's CHECK (column IN (…)) allows, from the migration that creates the table. */
function checkList(table: string, column: string): string[] {
  for (const text of migrations) {
    const start = text.search(new RegExp(`CREATE TABLE ${table} \\(`));
    if (start < 0) continue;
    const body = text.slice(start, text.indexOf('\n      )', start));
    const m = new RegExp(`\\b${column}\\b[^\\n]*CHECK \\(${column} IN \\(([^)]*)\\)\\)`).exec(body);
    if (m) return [...m[1].matchAll(/'([^']*)'/g)].map((v) => v[1]);
  }
  throw new Error(`no CHECK list for ${table}.${column}`);
}

/** Every `hazard.…` action the code writes into the audit log for a hazard (entityType: 'hazard'). */
function hazardAuditActions(): string[] {
  const found = new Set<string>();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.ts') && !p.endsWith('.spec.ts')) {
        const text = readFileSync(p, 'utf8');
        for (const call of text.matchAll(/audit\.record\(em, \{([\s\S]*?)\}\);/g)) {
          if (!call[1].includes("entityType: 'hazard'")) continue;
          for (const a of call[1].matchAll(/'(hazard\.[a-z_]+)'/g)) found.add(a[1]);
          // `hazard.${action}` from the state machine (rectification/domain/hazard-rules.ts)
          if (call[1].includes('`hazard.${action}`')) ['respond', 'accept', 'return'].forEach((a) => found.add(`hazard.${a}`));
        }
      }
    }
  };
  walk(join(root, 'src'));
  return [...found].sort();
}

/** Each enum of the vocabulary, with the value list of its source of truth (a constant or the DB CHECK list). */
const SOURCES: Record<EnumName, readonly (string | number)[]> = {
  role: [...ROLES, ...checkList('app_user', 'role')],
  gpsSource: checkList('evidence', 'gps_source'),
  institutionKind: [...INSTITUTION_KINDS, ...checkList('institution', 'kind')],
  ownership: [...OWNERSHIPS, ...checkList('institution', 'ownership')],
  institutionStatus: [...INSTITUTION_STATUSES, ...checkList('institution', 'status')],
  gasSupply: GAS_SUPPLIES,
  hostBuildingUse: HOST_BUILDING_USES,
  profitStatus: PROFIT_STATUSES,
  interruptionKind: checkList('institution_interruption', 'kind'),
  changeRequestStatus: [...CHANGE_REQUEST_STATUSES, ...checkList('institution_change_request', 'status')],
  inspectionKind: [...checkList('inspection', 'kind'), ...checkList('inspection_plan', 'kind')],
  inspectionStatus: checkList('inspection', 'status'),
  teamRole: checkList('inspection_team_member', 'role'),
  responseResult: checkList('inspection_response', 'result'),
  severity: [...SEVERITIES, ...checkList('hazard', 'severity'), ...checkList('inspection_response', 'severity')],
  scope: [...checkList('hazard', 'scope'), ...checkList('inspection_response', 'scope')],
  hazardStatus: checkList('hazard', 'status'),
  majorStatus: ['suspected', 'confirmed', 'downgraded'],
  hazardAuditAction: ['inspection.submit', ...hazardAuditActions()],
  documentState: [...checkList('inspection', 'report_status'), ...checkList('rectification_notice', 'pdf_status')],
  gradeDecisionKind: checkList('grade_decision', 'kind'),
  grade: [0, 1, 2, 3, 4, 5],
  planKind: PLAN_KINDS,
  planStatus: checkList('inspection_plan', 'status'),
  jointAgency: JOINT_AGENCIES,
  riskLevel: RISK_LEVELS,
  gradeStanding: ['open', 'in_force', 'superseded', 'revoked', 'expired'],
  subsidyScheduleStatus: [...SCHEDULE_STATUSES, ...checkList('subsidy_schedule', 'status')],
  subsidyChange: CHANGE_KINDS,
  statusAction: STATUS_ACTIONS,
  accountStatus: checkList('app_user', 'status'),
  auditEntityType: ['user', 'auth_session', 'division', 'institution', 'institution_change_request', 'inspection_plan', 'inspection', 'evidence', 'hazard', 'notice', 'grade_assessment', 'subsidy_schedule', 'rule_set', 'rule_set_version', 'partition', 'complaint', 'register_staff', 'register_certificate', 'register_equipment', 'register_statutory_test', 'drill', 'staff_training', 'incident', 'patrol_point', 'patrol', 'self_hazard', 'device', 'device_credential', 'device_alarm', 'credit_dishonesty_decision'],
  accountAuditAction: Object.keys(VOCABULARY.accountAuditAction),
  hazardSort: HAZARD_SORTS,
  hazardTimelineEvent: ['notice.issue', 'notice.acknowledge', 'hazard.reinspection_schedule'],
  notificationKind: NOTIFICATION_KINDS,
  notificationAudience: [...NOTIFICATION_AUDIENCES, ...checkList('notification', 'audience')],
  deliveryStatus: checkList('notification_delivery', 'status'),
  draftConflictStatus: DRAFT_CONFLICT_STATUSES,
  teamAuditAction: Object.keys(VOCABULARY.teamAuditAction),
  complaintCategory: [...COMPLAINT_CATEGORIES, ...checkList('complaint', 'category')],
  complaintStatus: [...COMPLAINT_STATUSES, ...checkList('complaint', 'status')],
  complaintAction: COMPLAINT_ACTIONS,
  complaintOverdue: ['triage', 'reply'],
  drillKind: DRILL_KINDS,
  drillForm: DRILL_FORMS,
  trainingTopic: TRAINING_TOPICS,
  drillState: DRILL_STATES,
  evacuatedLevel: EVACUATED_LEVELS,
  incidentType: INCIDENT_TYPES,
  incidentGrade: INCIDENT_GRADES,
  incidentStatus: INCIDENT_STATUSES,
  staffRole: STAFF_ROLES,
  certificateType: CERTIFICATE_TYPES,
  equipmentKind: EQUIPMENT_KINDS,
  statutoryTestKind: TEST_KINDS,
  expiryStatus: EXPIRY_STATUSES,
  registerItemKind: REGISTER_ITEM_KINDS,
  patrolKind: [...PATROL_KINDS, ...checkList('patrol', 'kind')],
  patrolArea: [...PATROL_AREAS, ...checkList('patrol_point', 'area')],
  patrolResult: [...PATROL_RESULTS, ...checkList('patrol_result', 'result')],
  slotState: SLOT_STATES,
  selfHazardStatus: checkList('self_hazard', 'status'),
  deviceType: [...DEVICE_TYPES, ...checkList('device', 'type')],
  deviceStatus: [...DEVICE_STATUSES, ...checkList('device', 'status')],
  deviceEventKind: [...DEVICE_EVENT_KINDS, ...checkList('device_event', 'kind')],
  alarmOutcome: [...ALARM_OUTCOMES, ...checkList('device_alarm', 'outcome')],
  alarmState: ALARM_STATES,
  credentialKind: [...CREDENTIAL_KINDS, ...checkList('device_credential', 'kind')],
  creditLevel: CREDIT_LEVELS,
  dishonestyStatus: [...DISHONESTY_STATUSES, ...checkList('credit_dishonesty_decision', 'status')],
  creditFactKind: CREDIT_FACT_KINDS,
};

describe('vocabulary', () => {
  it.each(Object.keys(SOURCES) as EnumName[])('every value of %s has a zh and an en label', (name) => {
    const terms = VOCABULARY[name] as Record<string, { zh: string; en: string }>;
    const values = [...new Set(SOURCES[name].map(String))];
    expect(values.length).toBeGreaterThan(0);
    const missing = values.filter((v) => !terms[v]?.zh?.trim() || !terms[v]?.en?.trim());
    expect(missing).toEqual([]);
  });

  it('covers every enum it lists (no vocabulary enum without a source list)', () => {
    expect(Object.keys(VOCABULARY).sort()).toEqual(Object.keys(SOURCES).sort());
  });

  it('finds the hazard audit actions the code writes', () => {
    expect(hazardAuditActions()).toEqual(expect.arrayContaining(['hazard.accept', 'hazard.escalate', 'hazard.objection_uphold', 'hazard.plan_submit']));
  });

  it('labels in zh by default and in en on request', () => {
    expect(label('scope', 'single')).toBe('单处');
    expect(label('hazardStatus', 'closed', 'en')).toBe('closed');
    expect(label('grade', 0)).toBe('未评级');
  });

  it('falls back visibly to the raw value, never to another label', () => {
    expect(label('institutionKind', 'new_kind')).toBe('new_kind');
    expect(label('role', 'toString')).toBe('toString');
    expect(label('role', null)).toBe('');
    expect(label('role', undefined)).toBe('');
  });

  it('lists the labels in order for selects', () => {
    expect(labelEntries('scope')).toEqual([['single', '单处'], ['multiple', '多处'], ['widespread', '普遍']]);
  });

  it('generates a SQL CASE with every label and the raw value as ELSE', () => {
    const sql = sqlLabelCase('h.status', 'hazardStatus');
    expect(sql).toBe("CASE h.status WHEN 'open' THEN '待整改' WHEN 'responded' THEN '已回复待复核' WHEN 'returned' THEN '已退回' WHEN 'closed' THEN '已销号' ELSE h.status::text END");
  });

  it('escapes literals and refuses anything but a column reference', () => {
    expect(sqlLiteral("it's")).toBe("'it''s'");
    expect(sqlLiteral('a\\b')).toBe("'a\\b'");
    expect(() => sqlLiteral('a\0b')).toThrow();
    expect(() => sqlLabelCase("h.status; DROP TABLE hazard; --", 'hazardStatus')).toThrow();
    expect(() => sqlLabelCase("x' OR '1", 'hazardStatus')).toThrow();
  });
});
