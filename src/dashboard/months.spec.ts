import { monthRange, monthsEnding } from './months';

describe('dashboard months', () => {
  it('lists the months ending with a date, across a year end', () => {
    expect(monthsEnding('2026-02-14', 4)).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthsEnding('2026-12-01', 12)[0]).toBe('2026-01');
    expect(monthsEnding('2026-12-31', 1)).toEqual(['2026-12']);
  });

  it('gives a month’s first and last day, leap years included', () => {
    expect(monthRange('2028-02')).toEqual({ first: '2028-02-01', last: '2028-02-29' });
    expect(monthRange('2026-12')).toEqual({ first: '2026-12-01', last: '2026-12-31' });
  });
});
