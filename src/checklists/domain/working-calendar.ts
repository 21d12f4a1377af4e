/**
 * 工作日历: working days from the `working_calendar` rule files (one per year: the State Council's holidays and
 * 调休 make-up working days). A date of a year no file covers falls back to Monday–Friday, and `warnings`
 * says so, naming the year, wherever a deadline crosses it. Pure: built from parsed file content only.
 */
import { addDays } from '../../common/calendar';
import type { WorkingCalendar } from './policy';
import type { WorkingCalendarFile } from './rule-file.types';

const isWeekend = (date: string): boolean => {
  const wd = new Date(`${date}T00:00:00Z`).getUTCDay();
  return wd === 0 || wd === 6;
};

/** How far `addWorkingDays` looks ahead before deciding the input cannot be right (no year is all rest days). */
const MAX_SCAN_DAYS = 366 * 20;

class FileCalendar implements WorkingCalendar {
  readonly knownYears: readonly number[];
  private readonly rest = new Set<string>();
  private readonly work = new Set<string>();

  constructor(files: readonly Pick<WorkingCalendarFile, 'year' | 'holidays' | 'workdays' | 'code'>[]) {
    const years = new Map<number, string>();
    for (const f of files) {
      const other = years.get(f.year);
      if (other) throw new Error(`working calendars ${other} and ${f.code} both cover ${f.year}`);
      years.set(f.year, f.code);
      for (const h of f.holidays) for (let d = h.from; d <= h.to; d = addDays(d, 1)) this.rest.add(d);
      for (const w of f.workdays) this.work.add(w.date);
    }
    this.knownYears = Object.freeze([...years.keys()].sort((a, b) => a - b));
  }

  isWorkingDay(date: string): boolean {
    if (this.work.has(date)) return true;
    if (this.rest.has(date)) return false;
    return !isWeekend(date);
  }

  addWorkingDays(date: string, n: number): string {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days must be a whole number ≥ 0, got ${n}`);
    let d = date;
    for (let left = n, scanned = 0; left > 0; scanned++) {
      if (scanned > MAX_SCAN_DAYS) throw new RangeError(`no ${n} working days after ${date} within ${MAX_SCAN_DAYS} days`);
      d = addDays(d, 1);
      if (this.isWorkingDay(d)) left--;
    }
    return d;
  }

  nextWorkingDay(date: string): string {
    let d = date;
    for (let scanned = 0; !this.isWorkingDay(d); scanned++) {
      if (scanned > MAX_SCAN_DAYS) throw new RangeError(`no working day after ${date} within ${MAX_SCAN_DAYS} days`);
      d = addDays(d, 1);
    }
    return d;
  }

  warnings(from: string, to: string): string[] {
    const [a, b] = from <= to ? [from, to] : [to, from];
    const out: string[] = [];
    const known = this.knownYears.length ? this.knownYears.map((y) => `${y}`).join('、') : '无';
    for (let y = Number(a.slice(0, 4)); y <= Number(b.slice(0, 4)); y++) {
      if (!this.knownYears.includes(y)) {
        out.push(`${y} 年不在工作日历内（已有：${known} 年），该年按周一至周五计算工作日，未计法定节假日与调休，请核对日期。`);
      }
    }
    return out;
  }
}

/** The calendar of the given years (no files: Monday–Friday everywhere, with a warning for every year). */
export function buildWorkingCalendar(files: readonly Pick<WorkingCalendarFile, 'year' | 'holidays' | 'workdays' | 'code'>[]): WorkingCalendar {
  return new FileCalendar(files);
}
