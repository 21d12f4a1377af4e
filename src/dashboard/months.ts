import { addDays } from '../common/calendar';

/** A calendar month, 'YYYY-MM'. */
export type Month = string;

/** The `n` calendar months ending with the month of `date` (YYYY-MM-DD), oldest first. */
export function monthsEnding(date: string, n: number): Month[] {
  const [y, m] = date.split('-').map(Number);
  return Array.from({ length: n }, (_, i) => {
    const k = y * 12 + (m - 1) - (n - 1 - i);
    return `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`;
  });
}

/** The first and last day of a month (YYYY-MM-DD), both inclusive. */
export function monthRange(month: Month): { first: string; last: string } {
  const [y, m] = month.split('-').map(Number);
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
  return { first: `${month}-01`, last: addDays(next, -1) };
}
