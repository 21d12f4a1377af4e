import { addDays, daysBetween, dueDate, endOfDay, formatChineseDateTime, shanghaiDate } from './calendar';

describe('Asia/Shanghai calendar days', () => {
  it('takes the Shanghai date across the UTC boundary: 16:00 UTC is already the next day in Shanghai', () => {
    expect(shanghaiDate(new Date('2026-11-23T15:59:59Z'))).toBe('2026-11-23');
    expect(shanghaiDate(new Date('2026-11-23T16:00:00Z'))).toBe('2026-11-24');
  });

  it('counts deadlines in Shanghai days: a finding at 01:30 Shanghai (17:30 UTC the day before) is due 7 days after the Shanghai date', () => {
    expect(dueDate(new Date('2026-11-22T17:30:00Z'), 7)).toBe('2026-11-30');
    expect(dueDate(new Date('2026-11-22T15:30:00Z'), 7)).toBe('2026-11-29');
  });

  it('0 days means the same day (立即整改)', () => {
    expect(dueDate(new Date('2026-11-23T02:00:00Z'), 0)).toBe('2026-11-23');
  });

  it('crosses month and year ends', () => {
    expect(addDays('2026-01-31', 1)).toBe('2026-02-01');
    expect(addDays('2026-12-25', 30)).toBe('2027-01-24');
    expect(dueDate(new Date('2026-11-30T04:00:00Z'), 30)).toBe('2026-12-30');
  });

  it('handles leap days: 2028 has 29 February, 2027 does not', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2028-02-29', 1)).toBe('2028-03-01');
    expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
    expect(dueDate(new Date('2028-02-01T00:00:00Z'), 28)).toBe('2028-02-29');
    expect(daysBetween('2028-02-01', '2028-03-01')).toBe(29);
  });

  it('a due date ends at midnight Shanghai time (16:00 UTC)', () => {
    expect(endOfDay('2026-11-30').toISOString()).toBe('2026-11-30T16:00:00.000Z');
  });

  it('rejects negative or fractional deadlines', () => {
    expect(() => dueDate(new Date(), -1)).toThrow(RangeError);
    expect(() => dueDate(new Date(), 1.5)).toThrow(RangeError);
  });

  it('formats for Chinese documents', () => {
    expect(formatChineseDateTime(new Date('2026-11-23T02:05:00Z'))).toBe('2026年11月23日 10:05');
  });
});
