/** Calendar days as YYYY-MM-DD strings (Asia/Shanghai), for the credit rules: month and day arithmetic. Pure. */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** Checks a day; `what` names it in the error. */
export function parseDay(s: string, what = 'date'): { y: number; m: number; d: number } {
  const match = DATE.exec(s);
  if (!match) throw new RangeError(`${what} must be YYYY-MM-DD, found ${JSON.stringify(s)}`);
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) throw new RangeError(`${what} is not a calendar date: ${s}`);
  return { y, m, d };
}

/** The day `months` months later (negative: earlier), clamped to the month's end (2026-03-31 − 1 month = 2026-02-28). */
export function addMonths(s: string, months: number): string {
  const { y, m, d } = parseDay(s);
  const index = y * 12 + (m - 1) + months;
  const ny = Math.floor(index / 12);
  const nm = index - ny * 12 + 1;
  return `${String(ny).padStart(4, '0')}-${String(nm).padStart(2, '0')}-${String(Math.min(d, daysInMonth(ny, nm))).padStart(2, '0')}`;
}

export function addDays(s: string, days: number): string {
  const { y, m, d } = parseDay(s);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}
