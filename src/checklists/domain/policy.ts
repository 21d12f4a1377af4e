/**
 * The product's supervision policy (监管策略) and the working-day calendar as the rest of the code sees them:
 * plain values read from published rule files (`product_policy`, `working_calendar` under checklists/), never
 * constants in code. Every record that used a policy pins the version it used (`product_policy_version_id`).
 * CONTRACT shared by the issue-12 work streams: field names here are stable; the YAML shape is the loader's concern.
 */
import type { ProductPolicyFile } from './rule-file.types';

/** The values a record was decided under. Days are calendar days unless the name says working days. */
export interface PolicyValues {
  deadlines: {
    /** the longest deadline an officer may set for a general hazard (calendar days) */
    generalMaxDays: number;
    /** the deadline of a major hazard whose item is not major by default (escalated / confirmed major) */
    majorDefaultDays: number;
    /** no major hazard gets a longer deadline than this (calendar days) */
    majorMaxDays: number;
    /** 五到位 plan of a major hazard due within (calendar days) */
    majorPlanDays: number;
    /** a due date that falls on a rest day moves to the next working day */
    rollToWorkingDay: boolean;
  };
  team: { minSize: number; minInspectorSignatures: number };
  draw: { conflictMonths: number };
  reminders: { daysBefore: number[] };
  objection: { workingDays: number };
  /** 疑似重大隐患: a bureau officer confirms or downgrades within this many working days of the submission */
  suspectedMajor: { confirmWorkingDays: number };
  grade: { validityYears: number };
  verification: {
    /** the verifier of a major hazard is not on the team that found it (the responder never verifies) */
    majorExcludesFindingTeam: boolean;
    /** the same for general hazards */
    generalExcludesFindingTeam: boolean;
    /** a member of the finding team never decides an extension or objection on the team's finding */
    requestsExcludeFindingTeam: boolean;
  };
  /** 检查码: the wrong codes an institution may type, and how long after the submission a visit may be rated */
  inspectionCodes: InspectionCodeValues;
}

/**
 * Wrong 检查码 an institution account may type: per account within a short window (a person's typos pass, a script
 * does not), and per institution within a day (several accounts of one institution do not multiply the guesses).
 */
export interface GuessLimits {
  perUser: number;
  userWindowMinutes: number;
  perInstitution: number;
  institutionWindowHours: number;
}

export interface InspectionCodeValues {
  guesses: GuessLimits;
  /** 扫码评价: a submitted visit may be rated within this many calendar days of its submission */
  ratingWindowDays: number;
}

/**
 * The 检查码 values of the release that introduced the codes (they were code constants then), for a policy version
 * published before `inspectionCodes` was a block of the file (revision 2026.1) and for records pinning no version.
 */
export const INSPECTION_CODES_BEFORE_2026_2: InspectionCodeValues = Object.freeze({
  guesses: Object.freeze({ perUser: 5, userWindowMinutes: 15, perInstitution: 20, institutionWindowHours: 24 }),
  ratingWindowDays: 30,
}) as InspectionCodeValues;

/** A published policy version with its identity (pin `versionId` on the record that used it). */
export interface PolicyVersion {
  versionId: string;
  code: string;
  versionNo: number;
  contentHash: string;
  values: PolicyValues;
}

/** Working days (工作日) from a calendar rule file per year; outside the known years: Monday–Friday, with a warning. */
export interface WorkingCalendar {
  /** the years the calendar files cover, ascending */
  readonly knownYears: readonly number[];
  isWorkingDay(date: string): boolean;
  /** the date n working days after `date` (n ≥ 0; 0 = `date` itself) */
  addWorkingDays(date: string, n: number): string;
  /** the first working day on or after `date` */
  nextWorkingDay(date: string): string;
  /** Chinese warnings for dates between from and to that fall outside the known years (empty when covered) */
  warnings(from: string, to: string): string[];
}

/** The values of a `product_policy` file, without their labels. */
export function policyValues(file: ProductPolicyFile): PolicyValues {
  const v = <T>(block: { value: T }): T => block.value;
  const { deadlines: d, team, draw, reminders, objection, suspectedMajor, grade, verification: ver, inspectionCodes: codes } = file;
  return {
    deadlines: {
      generalMaxDays: v(d.generalMaxDays), majorDefaultDays: v(d.majorDefaultDays), majorMaxDays: v(d.majorMaxDays),
      majorPlanDays: v(d.majorPlanDays), rollToWorkingDay: v(d.rollToWorkingDay),
    },
    team: { minSize: v(team.minSize), minInspectorSignatures: v(team.minInspectorSignatures) },
    draw: { conflictMonths: v(draw.conflictMonths) },
    reminders: { daysBefore: [...v(reminders.daysBefore)] },
    objection: { workingDays: v(objection.workingDays) },
    suspectedMajor: { confirmWorkingDays: v(suspectedMajor.confirmWorkingDays) },
    grade: { validityYears: v(grade.validityYears) },
    verification: {
      majorExcludesFindingTeam: v(ver.majorExcludesFindingTeam),
      generalExcludesFindingTeam: v(ver.generalExcludesFindingTeam),
      requestsExcludeFindingTeam: v(ver.requestsExcludeFindingTeam),
    },
    inspectionCodes: codes
      ? {
          guesses: {
            perUser: v(codes.guesses.perUser), userWindowMinutes: v(codes.guesses.userWindowMinutes),
            perInstitution: v(codes.guesses.perInstitution), institutionWindowHours: v(codes.guesses.institutionWindowHours),
          },
          ratingWindowDays: v(codes.ratingWindowDays),
        }
      : INSPECTION_CODES_BEFORE_2026_2,
  };
}

/**
 * The values the code used before policies were data (release before issue 12), for records that pin no policy
 * version (`product_policy_version_id IS NULL`). Where the old code had no rule, the number is the one that changes
 * nothing for such a record: no rest-day roll, no deadline cap below the checklist's own longest deadlines (90 days,
 * general and major). The independence rules (`verification.*`) are not legacy numbers: they hold for every record
 * whatever its pin, so they are true here too (the finder never verifies a major hazard he found). See docs/policy.md.
 */
export const LEGACY_POLICY_VALUES: PolicyValues = Object.freeze({
  deadlines: { generalMaxDays: 90, majorDefaultDays: 30, majorMaxDays: 90, majorPlanDays: 7, rollToWorkingDay: false },
  team: { minSize: 2, minInspectorSignatures: 2 },
  draw: { conflictMonths: 12 },
  reminders: { daysBefore: [3, 1] },
  objection: { workingDays: 5 },
  suspectedMajor: { confirmWorkingDays: 3 },
  grade: { validityYears: 3 },
  // Independence is not a number of the old release: it is in force for every record, whatever its pin (docs/policy.md §4).
  verification: { majorExcludesFindingTeam: true, generalExcludesFindingTeam: true, requestsExcludeFindingTeam: true },
  inspectionCodes: INSPECTION_CODES_BEFORE_2026_2,
}) as PolicyValues;

/** The legacy policy as a version: `versionId` '' (no published version; the record's pin is NULL). */
export const LEGACY_POLICY: PolicyVersion = Object.freeze({ versionId: '', code: 'legacy', versionNo: 0, contentHash: '', values: LEGACY_POLICY_VALUES });
