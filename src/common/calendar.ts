/**
 * Dates as people in China read them: all instants are stored in UTC, and calendar days (deadlines, "today")
 * are Asia/Shanghai days. China has no daylight saving, so a day is always UTC+8.
 */
const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000;

/** The Asia/Shanghai calendar date (YYYY-MM-DD) of an instant. */
export function shanghaiDate(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** A calendar date plus n days (n may be negative), across month ends and leap days. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** The due date of a deadline given in calendar days from `at` (0 = the same day: 立即整改). */
export function dueDate(at: Date, days: number): string {
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`deadline days must be a whole number ≥ 0, got ${days}`);
  return addDays(shanghaiDate(at), days);
}

/** The first instant after the due date ends, in Shanghai (the moment a hazard becomes overdue). */
export function endOfDay(date: string): Date {
  return new Date(Date.parse(`${addDays(date, 1)}T00:00:00Z`) - SHANGHAI_OFFSET_MS);
}

/** Whole calendar days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** "2026年11月23日" */
export function formatChineseDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** "2026年11月23日 10:05" in Shanghai time. */
export function formatChineseDateTime(at: Date): string {
  const local = new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString();
  return `${formatChineseDate(local.slice(0, 10))} ${local.slice(11, 16)}`;
}
