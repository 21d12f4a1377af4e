/**
 * Schemas of the `product_policy` (监管策略) and `working_calendar` (工作日历) rule files. The code reads them as
 * the plain values of src/checklists/domain/policy.ts (`policyValues`, `WorkingCalendar`); see docs/policy.md.
 *
 * Every value of a product policy is its own block with a label — `source: <tag>` (standards.md §10, with an
 * optional `note`) or `product_default: <why this value>` — so each number can be traced years later; in the
 * content the block becomes `{ value, label: ValueLabel }`.
 */
import { z } from 'zod';
import { checkLabel, LABEL_SHAPE, labelOf, type LabelFields, type ValueLabel } from './rule-file.coefficients.schema';
import { describe, flag, header, integer, list, map, oneOf, text } from './rule-file.fields';

/** One labelled value: `{ value, source [, note] }` or `{ value, product_default }` → `{ value, label }`. */
export function labelledValue<T extends z.ZodType>(value: T) {
  return map({ value, ...LABEL_SHAPE })
    .superRefine((block, ctx) => checkLabel(block as LabelFields, ctx, 'policy value'))
    .transform((block): { value: z.output<T>; label: ValueLabel } => ({ value: (block as { value: z.output<T> }).value, label: labelOf(block as LabelFields) }));
}

const days = (meaning: string) => labelledValue(integer(1, meaning));
const yesNo = labelledValue(flag);

/** Qingdao: a listed (挂牌督办) major hazard gets a deadline of at most one year [S53]. */
export const LISTED_HAZARD_MAX_DAYS = 365;

/** 监管策略: deadlines, team, draw, reminders, objection window, grade validity, verification independence, 检查码. */
export const productPolicySchema = map({
  kind: z.literal('product_policy'),
  ...header,
  deadlines: map({
    /** the longest deadline an officer may set for a general hazard (calendar days) */
    generalMaxDays: days(' (calendar days)'),
    /** the deadline of a hazard that is major although its item is not major by default (calendar days) */
    majorDefaultDays: days(' (calendar days)'),
    /** no major hazard gets a longer deadline (calendar days) */
    majorMaxDays: days(' (calendar days)'),
    /** the 五到位 rectification plan of a major hazard is due within (calendar days) */
    majorPlanDays: days(' (calendar days)'),
    /** a due date on a rest day moves to the next working day */
    rollToWorkingDay: yesNo,
  }),
  team: map({
    /** the smallest inspection team */
    minSize: labelledValue(integer(1, ' (people)')),
    /** inspector signatures a submission needs */
    minInspectorSignatures: labelledValue(integer(1, ' (signatures)')),
  }),
  draw: map({
    /** the random draw avoids an inspector who inspected the institution within this many months */
    conflictMonths: labelledValue(integer(0, ' (months)')),
  }),
  reminders: map({
    /** reminders go out this many days before a due date, largest first */
    daysBefore: labelledValue(list(integer(0, ' (days before the due date)'))),
  }),
  objection: map({
    /** 陈述申辩: working days after the notice is served within which an institution may object */
    workingDays: days(' (working days)'),
  }),
  suspectedMajor: map({
    /** 疑似重大隐患: a bureau officer confirms or downgrades within this many working days of the submission */
    confirmWorkingDays: days(' (working days)'),
  }),
  grade: map({
    /** an awarded grade is valid for this many years */
    validityYears: labelledValue(integer(1, ' (years)')),
  }),
  verification: map({
    majorExcludesFindingTeam: yesNo,
    generalExcludesFindingTeam: yesNo,
    requestsExcludeFindingTeam: yesNo,
  }),
  /** 检查码 (revision 2026.2; a file without the block reads as INSPECTION_CODES_BEFORE_2026_2, src/checklists/domain/policy.ts) */
  inspectionCodes: map({
    guesses: map({
      /** wrong codes one institution account may type within userWindowMinutes */
      perUser: labelledValue(integer(1, ' (wrong codes)')),
      userWindowMinutes: labelledValue(integer(1, ' (minutes)')),
      /** wrong codes all accounts of one institution may type within institutionWindowHours */
      perInstitution: labelledValue(integer(1, ' (wrong codes)')),
      institutionWindowHours: labelledValue(integer(1, ' (hours)')),
    }),
    /** a submitted visit may be rated within this many calendar days of its submission */
    ratingWindowDays: days(' (calendar days)'),
  }).optional(),
}).superRefine((p, ctx) => {
  const d = p.deadlines;
  if (d.majorMaxDays.value > LISTED_HAZARD_MAX_DAYS) {
    ctx.addIssue({ code: 'custom', path: ['deadlines', 'majorMaxDays', 'value'], message: `must be at most ${LISTED_HAZARD_MAX_DAYS} days (a listed major hazard's deadline is ≤ 1 year [S53]), found ${d.majorMaxDays.value}` });
  }
  if (d.majorDefaultDays.value > d.majorMaxDays.value) {
    ctx.addIssue({ code: 'custom', path: ['deadlines', 'majorDefaultDays', 'value'], message: `must not exceed majorMaxDays (${d.majorMaxDays.value}), found ${d.majorDefaultDays.value}` });
  }
  if (d.majorPlanDays.value > d.majorMaxDays.value) {
    ctx.addIssue({ code: 'custom', path: ['deadlines', 'majorPlanDays', 'value'], message: `the plan cannot be due after the longest major deadline (${d.majorMaxDays.value}), found ${d.majorPlanDays.value}` });
  }
  if (p.team.minInspectorSignatures.value > p.team.minSize.value) {
    ctx.addIssue({ code: 'custom', path: ['team', 'minInspectorSignatures', 'value'], message: `a team of ${p.team.minSize.value} cannot give ${p.team.minInspectorSignatures.value} signatures (at most team.minSize)` });
  }
  const g = p.inspectionCodes?.guesses;
  if (g && g.perInstitution.value < g.perUser.value) {
    ctx.addIssue({ code: 'custom', path: ['inspectionCodes', 'guesses', 'perInstitution', 'value'], message: `an institution's limit cannot be below one account's (perUser ${g.perUser.value}), found ${g.perInstitution.value}` });
  }
  const r = p.reminders.daysBefore.value;
  r.forEach((n, i) => {
    if (i > 0 && n >= r[i - 1]) ctx.addIssue({ code: 'custom', path: ['reminders', 'daysBefore', 'value', i], message: `days must be listed largest first without repeats: ${n} follows ${r[i - 1]}` });
  });
});

// ------------------------------------------------------------------ working_calendar

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

function isCalendarDate(v: string): boolean {
  const [y, m, d] = v.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/** A calendar date "YYYY-MM-DD". */
export const isoDate = z
  .string()
  .regex(DATE_PATTERN, { error: (iss) => `expected a date "YYYY-MM-DD", found ${describe(iss.input)}`, abort: true })
  .refine(isCalendarDate, { error: (iss) => `${String(iss.input)} is not a calendar date`, abort: true });

/** The festivals of 《全国年节及纪念日放假办法》 for all citizens (全体公民放假的节日). */
export const HOLIDAY_NAMES = ['元旦', '春节', '清明节', '劳动节', '端午节', '中秋节', '国庆节'] as const;
export type HolidayName = (typeof HOLIDAY_NAMES)[number];

const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();

/** One year of the State Council's 放假调休 arrangement: holidays and 调休 make-up working days. */
export const workingCalendarSchema = map({
  kind: z.literal('working_calendar'),
  ...header,
  year: integer(2000),
  /** the State Council General Office notice (国务院办公厅关于YYYY年部分节假日安排的通知) */
  source: map({
    document: text(),
    issuer: text(),
    issued: isoDate,
    number: text().optional(),
    /** verified = checked against the official text; unverified = seen in secondary copies only, or not found */
    numberStatus: oneOf(['verified', 'unverified']),
    note: text().optional(),
  }),
  /** 放假 (rest days, weekends inside the range included), inclusive ranges */
  holidays: list(
    map({
      name: oneOf(HOLIDAY_NAMES),
      /** another festival taken in the same range (2025: 国庆节 with 中秋节) */
      combinedWith: list(oneOf(HOLIDAY_NAMES)).optional(),
      from: isoDate,
      to: isoDate,
    }),
  ),
  /** 调休上班: weekend days that are working days */
  workdays: z
    .array(map({ date: isoDate, holiday: oneOf(HOLIDAY_NAMES) }))
    .default([]),
}).superRefine((c, ctx) => {
  const y = String(c.year);
  if (c.source.number === undefined && c.source.numberStatus === 'verified') {
    ctx.addIssue({ code: 'custom', path: ['source', 'numberStatus'], message: 'a verified source must give its number' });
  }
  const ranges: Array<{ from: string; to: string; i: number }> = [];
  c.holidays.forEach((h, i) => {
    if (h.from > h.to) ctx.addIssue({ code: 'custom', path: ['holidays', i, 'to'], message: `ends (${h.to}) before it starts (${h.from})` });
    if (h.from.slice(0, 4) !== y && h.to.slice(0, 4) !== y) ctx.addIssue({ code: 'custom', path: ['holidays', i, 'from'], message: `${h.from}…${h.to} is not in ${y}` });
    const overlap = ranges.find((r) => r.from <= h.to && h.from <= r.to);
    if (overlap) ctx.addIssue({ code: 'custom', path: ['holidays', i, 'from'], message: `overlaps holiday #${overlap.i + 1} (${overlap.from}…${overlap.to})` });
    ranges.push({ from: h.from, to: h.to, i });
  });
  const seen = new Set<string>();
  c.workdays.forEach((w, i) => {
    const at = ['workdays', i, 'date'];
    if (seen.has(w.date)) ctx.addIssue({ code: 'custom', path: at, message: `duplicate make-up working day ${w.date}` });
    seen.add(w.date);
    const wd = weekday(w.date);
    if (wd !== 0 && wd !== 6) ctx.addIssue({ code: 'custom', path: at, message: `${w.date} is a weekday; a make-up working day (调休上班) is a Saturday or Sunday` });
    const inside = ranges.find((r) => r.from <= w.date && w.date <= r.to);
    if (inside) ctx.addIssue({ code: 'custom', path: at, message: `${w.date} lies inside holiday #${inside.i + 1} (${inside.from}…${inside.to})` });
  });
});
