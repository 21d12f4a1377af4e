import { addDays, addMonths, parseDay } from './days';

describe('credit days', () => {
  it('adds months clamped to the month end, both ways', () => {
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
    expect(addMonths('2026-01-15', -13)).toBe('2024-12-15');
    expect(addMonths('2026-12-03', 1)).toBe('2027-01-03');
  });
  it('adds days across a year and refuses a non-day', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(() => parseDay('2026-02-30')).toThrow(RangeError);
  });
});
