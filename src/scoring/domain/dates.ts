/** Calendar dates as YYYY-MM-DD strings (already in Asia/Shanghai), with UTC-free day arithmetic. */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface Ymd {
  y: number;
  m: number; // 1–12
  d: number;
}

export function parseDate(s: string, what = 'date'): Ymd {
  const match = DATE.exec(s);
  if (!match) throw new RangeError(`${what} must be YYYY-MM-DD, found ${JSON.stringify(s)}`);
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) throw new RangeError(`${what} is not a calendar date: ${s}`);
  return { y, m, d };
}

export function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(y: number, m: number): number {
  return [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
}

/** Day number (days since 1970-01-01) of a date. */
export function dayNumber(s: string): number {
  const { y, m, d } = parseDate(s);
  return Math.round(Date.UTC(y, m - 1, d) / 86_400_000);
}

export function format({ y, m, d }: Ymd): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** The date `months` months earlier, the day clamped to the month's end (2026-03-31 − 1 month = 2026-02-28). */
export function monthsBefore(s: string, months: number): string {
  const { y, m, d } = parseDate(s);
  const index = y * 12 + (m - 1) - months;
  const ny = Math.floor(index / 12);
  const nm = (index % 12) + 1;
  return format({ y: ny, m: nm, d: Math.min(d, daysInMonth(ny, nm)) });
}

/** Inclusive number of days from start to end (same day = 1). */
export function inclusiveDays(start: string, end: string): number {
  return dayNumber(end) - dayNumber(start) + 1;
}

/** The calendar months a period touches, with the period's days in each and the month's length. */
export function monthSlices(start: string, end: string): Array<{ y: number; m: number; days: number; monthDays: number }> {
  const s = parseDate(start, 'period.start');
  const e = parseDate(end, 'period.end');
  const out: Array<{ y: number; m: number; days: number; monthDays: number }> = [];
  let y = s.y;
  let m = s.m;
  while (y < e.y || (y === e.y && m <= e.m)) {
    const monthDays = daysInMonth(y, m);
    const from = y === s.y && m === s.m ? s.d : 1;
    const to = y === e.y && m === e.m ? e.d : monthDays;
    out.push({ y, m, days: to - from + 1, monthDays });
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return out;
}
