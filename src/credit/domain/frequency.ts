/**
 * 检查频次 (inspection frequency) set by the credit level: an institution whose level asks for `perYear` inspections
 * a year is *due* when the inspections counted so far this calendar year (Asia/Shanghai) are fewer than the share of
 * the year gone by asks for, rounded up: with 4 a year an institution is due from 1 January until its first
 * inspection, again from the day the year is a quarter gone, and so on; with 1 a year until it has been inspected once;
 * with 0 never. Which inspections count is the rule file's `frequency.countedKinds` (an open inspection counts as
 * planned, a submitted one in the year it was submitted, a cancelled one never) — counted by CreditRepository.
 */
import { daysBetween } from '../../common/calendar';

export interface FrequencyStatus {
  /** inspections a year the level (or a 失信 decision) asks for */
  perYear: number;
  /** counted so far this year (open ones included) */
  counted: number;
  /** what the share of the year gone by asks for, rounded up (never above perYear) */
  expected: number;
  /** fewer counted than expected: the institution should be planned */
  due: boolean;
}

/** The first and last day of the calendar year of `day` (YYYY-MM-DD). */
export function yearOf(day: string): { from: string; to: string } {
  const year = day.slice(0, 4);
  return { from: `${year}-01-01`, to: `${year}-12-31` };
}

/** The status on `day` of an institution with `counted` inspections this year and a level asking for `perYear`. */
export function frequencyStatus(perYear: number, counted: number, day: string): FrequencyStatus {
  const { from, to } = yearOf(day);
  const elapsed = daysBetween(from, day) + 1; // 1 January is day 1: the year's first inspection is due at once
  const length = daysBetween(from, to) + 1;
  const expected = perYear <= 0 ? 0 : Math.min(perYear, Math.ceil((perYear * elapsed) / length));
  return { perYear, counted, expected, due: counted < expected };
}
