import { readFileSync } from 'fs';
import { resolve } from 'path';
import * as yaml from 'js-yaml';
import { LEGACY_POLICY_VALUES, PolicyValues } from '../../checklists/domain/policy';
import { parseRuleFile } from '../../checklists/domain/rule-file.loader';
import { InspectionChecklist, WorkingCalendarFile } from '../../checklists/domain/rule-file.types';
import { buildWorkingCalendar } from '../../checklists/domain/working-calendar';
import { deadlineFor, dueDateWithinPolicy, latestDueDate } from './deadlines';

const RULES = resolve(__dirname, '../../../checklists');
const parse = (name: string) => parseRuleFile(name, readFileSync(resolve(RULES, name), 'utf8')).content;
const calendar = buildWorkingCalendar([parse('calendar-cn-2025.yaml'), parse('calendar-cn-2026.yaml')] as WorkingCalendarFile[]);

const policy: PolicyValues = {
  ...LEGACY_POLICY_VALUES,
  deadlines: { generalMaxDays: 60, majorDefaultDays: 30, majorMaxDays: 90, majorPlanDays: 7, rollToWorkingDay: true },
};
/** 10:00 in Shanghai on a date */
const at = (date: string) => new Date(`${date}T02:00:00Z`);
const generalItem = { severity: 'general' as const, deadlineDays: 7 };
const majorItem = { severity: 'major' as const, deadlineDays: 60 };

describe('deadlineFor', () => {
  it('gives a general hazard its item deadline and no plan', () => {
    expect(deadlineFor(generalItem, 'general', policy, calendar, at('2026-11-02'))).toEqual({ deadlineDays: 7, dueDate: '2026-11-09', planDueDate: null });
  });

  it('gives a hazard escalated to major the major default when the general item’s deadline is longer, and a plan due date', () => {
    expect(deadlineFor({ severity: 'general', deadlineDays: 60 }, 'major', policy, calendar, at('2026-11-02'))).toEqual({ deadlineDays: 30, dueDate: '2026-12-02', planDueDate: '2026-11-09' });
  });

  it('never loosens a deadline by escalation: a 0-day item filed or confirmed major stays 0 (立即整改)', () => {
    // ESC-001 (blocked corridor), ESC-002 (locked exit), NET-001: general items with 0 days
    const immediate = { severity: 'general' as const, deadlineDays: 0 };
    expect(deadlineFor(immediate, 'major', policy, calendar, at('2026-10-03'))).toEqual({ deadlineDays: 0, dueDate: '2026-10-03', planDueDate: '2026-10-10' });
    // a general item of 14 days gets min(14, 30) = 14; one of 60 days the major default, 30
    expect(deadlineFor({ severity: 'general', deadlineDays: 14 }, 'major', policy, calendar, at('2026-11-02')).deadlineDays).toBe(14);
    expect(deadlineFor({ severity: 'general', deadlineDays: 60 }, 'major', policy, calendar, at('2026-11-02')).deadlineDays).toBe(30);
  });

  it('gives a major item its own deadline, never above the maximum', () => {
    expect(deadlineFor(majorItem, 'major', policy, calendar, at('2026-11-02')).deadlineDays).toBe(60);
    expect(deadlineFor({ severity: 'major', deadlineDays: 120 }, 'major', policy, calendar, at('2026-11-02')).deadlineDays).toBe(90);
    const tight = { ...policy, deadlines: { ...policy.deadlines, majorMaxDays: 20, majorDefaultDays: 20 } };
    expect(deadlineFor({ severity: 'general', deadlineDays: 45 }, 'major', tight, calendar, at('2026-11-02')).deadlineDays).toBe(20);
  });

  it('moves a due date on a holiday to the next working day by the calendar file (国庆 2026)', () => {
    // found 09-24 + 7 days = 10-01 (国庆) → 10-08; the plan of a major: 09-24 + 7 likewise
    const d = deadlineFor({ severity: 'general', deadlineDays: 7 }, 'major', { ...policy, deadlines: { ...policy.deadlines, majorDefaultDays: 7 } }, calendar, at('2026-09-24'));
    expect(d).toEqual({ deadlineDays: 7, dueDate: '2026-10-08', planDueDate: '2026-10-08' });
    // 09-26 + 14 = 10-10, a Saturday that is a 调休 working day: it stays
    expect(deadlineFor({ severity: 'general', deadlineDays: 14 }, 'general', policy, calendar, at('2026-09-26')).dueDate).toBe('2026-10-10');
    // without rolling: the calendar date as it falls
    const noRoll = { ...policy, deadlines: { ...policy.deadlines, rollToWorkingDay: false } };
    expect(deadlineFor(generalItem, 'general', noRoll, calendar, at('2026-09-24')).dueDate).toBe('2026-10-01');
  });

  it('keeps an immediate fix (0 days) on the day itself, even on a rest day', () => {
    expect(deadlineFor({ severity: 'general', deadlineDays: 0 }, 'general', policy, calendar, at('2026-10-03')).dueDate).toBe('2026-10-03');
  });

  it('counts from the Asia/Shanghai day of the finding', () => {
    // 2026-11-01T20:00Z is 11-02 04:00 in Shanghai
    expect(deadlineFor(generalItem, 'general', policy, calendar, new Date('2026-11-01T20:00:00Z')).dueDate).toBe('2026-11-09');
  });

  it('keeps the shipped checklist within the shipped policy maxima', () => {
    const shipped = parse('product-policy.yaml') as { deadlines: { generalMaxDays: { value: number }; majorMaxDays: { value: number } } };
    const items = (yaml.load(readFileSync(resolve(RULES, 'fire-safety-inspection.yaml'), 'utf8')) as InspectionChecklist).items;
    const over = items.filter((i) => i.deadlineDays > (i.severity === 'major' ? shipped.deadlines.majorMaxDays.value : shipped.deadlines.generalMaxDays.value));
    expect(over.map((i) => i.code)).toEqual([]);
  });
});

describe('dueDateWithinPolicy', () => {
  it('refuses a date in the past', () => {
    expect(dueDateWithinPolicy('general', '2026-11-01', '2026-11-02', policy, calendar)).toEqual({ refusal: 'dateInPast' });
  });

  it('refuses a date past the maximum counted from today (the day the deadline is set), naming the latest date', () => {
    expect(latestDueDate('major', '2026-11-02', policy, calendar)).toBe('2027-02-01'); // 2027: Monday–Friday fallback
    expect(dueDateWithinPolicy('major', '2027-02-02', '2026-11-02', policy, calendar)).toEqual({ refusal: 'deadlineAboveMax', latest: '2027-02-01', maxDays: 90 });
    // 11-02 + 60 = 2027-01-01, a Friday: a working day by the Monday–Friday fallback (no 2027 file)
    expect(dueDateWithinPolicy('general', '2027-01-02', '2026-11-02', policy, calendar)).toEqual({ refusal: 'deadlineAboveMax', latest: '2027-01-01', maxDays: 60 });
    // 09-24 + 7 = 10-01 (国庆): the latest date rolls like a computed deadline
    const week = { ...policy, deadlines: { ...policy.deadlines, generalMaxDays: 7 } };
    expect(latestDueDate('general', '2026-09-24', week, calendar)).toBe('2026-10-08');
  });

  it('accepts today and dates up to the maximum', () => {
    expect(dueDateWithinPolicy('general', '2026-11-02', '2026-11-02', policy, calendar)).toBeNull();
    expect(dueDateWithinPolicy('major', '2027-02-01', '2026-11-02', policy, calendar)).toBeNull();
  });

  it('counts from today, not from the finding: a hazard found 100 days ago can still get a new deadline', () => {
    // found 2026-06-01; on 2026-09-09 (100 days later) a return to 2026-09-30 (21 days from today) is within the maximum
    expect(dueDateWithinPolicy('general', '2026-09-30', '2026-09-09', policy, calendar)).toBeNull();
    // and the maximum runs from today: 2026-09-09 + 60 = 2026-11-08 (Sunday) → 2026-11-09
    expect(dueDateWithinPolicy('general', '2026-11-10', '2026-09-09', policy, calendar)).toEqual({ refusal: 'deadlineAboveMax', latest: '2026-11-09', maxDays: 60 });
  });
});
