import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { getDayDetail, isWorkday } from 'chinese-days';
import { addDays } from '../../common/calendar';
import { projectRoot } from '../../common/project-root';
import { parseRuleFile } from './rule-file.loader';
import { WorkingCalendarFile } from './rule-file.types';
import { buildWorkingCalendar } from './working-calendar';

const dir = join(projectRoot(), 'checklists');
const files = readdirSync(dir)
  .filter((n) => /^calendar-cn-\d{4}\.yaml$/.test(n))
  .map((n) => parseRuleFile(n, readFileSync(join(dir, n), 'utf8')).content as WorkingCalendarFile);
const calendar = buildWorkingCalendar(files);

/** chinese-days names a day "Tomb-sweeping Day,清明,1"; the notice says 清明节. */
const festivalOf = (date: string): string => getDayDetail(date).name.split(',')[1] ?? '';
const sameFestival = (ours: string, date: string): boolean => festivalOf(date) !== '' && ours.startsWith(festivalOf(date));

function* daysOf(year: number): Generator<string> {
  for (let d = `${year}-01-01`; d.startsWith(`${year}`); d = addDays(d, 1)) yield d;
}

describe('working calendar files', () => {
  it('cover 2025 and 2026, each citing the State Council notice', () => {
    expect(calendar.knownYears).toEqual(expect.arrayContaining([2025, 2026]));
    for (const f of files) {
      expect(f.kind).toBe('working_calendar');
      expect(f.source.document).toBe(`国务院办公厅关于${f.year}年部分节假日安排的通知`);
      expect(f.source.issuer).toBe('国务院办公厅');
    }
  });

  it.each([2025, 2026])('agree with chinese-days on every day of %i (working day or not)', (year) => {
    const disagree = [...daysOf(year)].filter((d) => calendar.isWorkingDay(d) !== isWorkday(d));
    expect(disagree).toEqual([]);
  });

  it('name each holiday and make-up working day as chinese-days does', () => {
    for (const f of files) {
      for (const h of f.holidays) {
        const names = [h.name, ...(h.combinedWith ?? [])];
        for (let d = h.from; d <= h.to; d = addDays(d, 1)) {
          expect({ d, ok: names.some((n) => sameFestival(n, d)) }).toEqual({ d, ok: true });
        }
      }
      for (const w of f.workdays) expect({ d: w.date, ok: sameFestival(w.holiday, w.date) }).toEqual({ d: w.date, ok: true });
    }
  });
});

describe('WorkingCalendar', () => {
  it('counts working days across 国庆 2026 by the calendar file (10-01…10-07 off, Saturday 10-10 a make-up working day)', () => {
    // 10-08 Thu, 10-09 Fri, 10-10 Sat (调休上班), 10-12 Mon, 10-13 Tue
    expect(calendar.addWorkingDays('2026-09-30', 5)).toBe('2026-10-13');
    expect(calendar.isWorkingDay('2026-10-10')).toBe(true);
    expect(calendar.isWorkingDay('2026-10-05')).toBe(false);
    expect(calendar.isWorkingDay('2026-10-11')).toBe(false);
    // Monday–Friday alone would say 10-07
    expect(buildWorkingCalendar([]).addWorkingDays('2026-09-30', 5)).toBe('2026-10-07');
  });

  it('counts across 春节 2026 (02-15…02-23 off, Saturdays 02-14 and 02-28 working)', () => {
    expect(calendar.addWorkingDays('2026-02-13', 1)).toBe('2026-02-14');
    expect(calendar.addWorkingDays('2026-02-14', 1)).toBe('2026-02-24');
    expect(calendar.addWorkingDays('2026-02-24', 4)).toBe('2026-02-28');
  });

  it('adds 0 working days as the day itself and refuses negative or fractional counts', () => {
    expect(calendar.addWorkingDays('2026-10-03', 0)).toBe('2026-10-03');
    expect(() => calendar.addWorkingDays('2026-10-03', -1)).toThrow(RangeError);
    expect(() => calendar.addWorkingDays('2026-10-03', 1.5)).toThrow(RangeError);
  });

  it('moves a rest day to the next working day and keeps a working day', () => {
    expect(calendar.nextWorkingDay('2026-10-01')).toBe('2026-10-08');
    expect(calendar.nextWorkingDay('2026-10-10')).toBe('2026-10-10');
    expect(calendar.nextWorkingDay('2025-10-04')).toBe('2025-10-09');
  });

  it('falls back to Monday–Friday outside the known years, with a warning naming the year', () => {
    expect(calendar.isWorkingDay('2027-10-01')).toBe(true); // a Friday: no 2027 file
    expect(calendar.isWorkingDay('2027-10-02')).toBe(false);
    expect(calendar.warnings('2026-12-20', '2027-01-10')).toEqual([expect.stringContaining('2027 年不在工作日历内')]);
    expect(calendar.warnings('2026-12-20', '2027-01-10')[0]).toContain('周一至周五');
    expect(calendar.warnings('2026-01-01', '2026-12-31')).toEqual([]);
    expect(calendar.warnings('2024-06-01', '2024-06-01')).toHaveLength(1);
  });

  it('refuses two files for the same year', () => {
    const one = files.find((f) => f.year === 2026)!;
    expect(() => buildWorkingCalendar([one, { ...one, code: 'calendar-copy' }])).toThrow(/both cover 2026/);
  });
});
