import { inclusiveDays, monthSlices, monthsBefore } from './dates';
import { fmt, Ratio } from './exact';

describe('Ratio: exact decimals, rounded half away from zero', () => {
  it('reads numbers as their decimal text', () => {
    expect(Ratio.from(0.1).add(0.2).cmp(Ratio.from(0.3))).toBe(0);
    expect(Ratio.from(2).mul(1.5).mul(0.6).round(2)).toBe(1.8); // 1.7999999999999998 in floating point
    expect(Ratio.from(1e-7).mul(1e7).round(0)).toBe(1);
  });

  it('rounds halves away from zero and never returns −0', () => {
    expect(Ratio.from(99.55).round(1)).toBe(99.6);
    expect(Ratio.from(-150.015).round(2)).toBe(-150.02);
    expect(Ratio.from(0.004).round(2)).toBe(0);
    expect(Object.is(Ratio.from(-0.004).round(2), 0)).toBe(true);
    expect(Ratio.of(110600, 31).roundScaled(0)).toBe(3568n);
  });

  it('formats with a real minus sign', () => {
    expect([fmt(-1.8), fmt(0), fmt(1.5)]).toEqual(['−1.8', '0', '1.5']);
  });
});

describe('dates', () => {
  it('counts months back with the day clamped to the month end', () => {
    expect(monthsBefore('2026-03-31', 1)).toBe('2026-02-28');
    expect(monthsBefore('2024-03-31', 1)).toBe('2024-02-29');
    expect(monthsBefore('2026-03-01', 12)).toBe('2025-03-01');
    expect(monthsBefore('2026-01-15', 14)).toBe('2024-11-15');
  });

  it('slices a period into calendar months', () => {
    expect(inclusiveDays('2026-01-15', '2026-03-31')).toBe(76);
    expect(monthSlices('2025-12-20', '2026-02-10')).toEqual([
      { y: 2025, m: 12, days: 12, monthDays: 31 },
      { y: 2026, m: 1, days: 31, monthDays: 31 },
      { y: 2026, m: 2, days: 10, monthDays: 28 },
    ]);
  });
});
