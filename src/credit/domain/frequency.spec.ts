import { FREQUENCY_INSPECTION_KINDS } from '../../checklists/domain/credit-rules';
import { INSPECTION_KINDS } from '../../inspections/inspection.entity';
import { frequencyStatus, yearOf } from './frequency';

describe('检查频次 by credit level', () => {
  it('four a year: due from 1 January until the first inspection, again once a quarter of the year is gone', () => {
    expect(frequencyStatus(4, 0, '2026-01-01')).toEqual({ perYear: 4, counted: 0, expected: 1, due: true });
    expect(frequencyStatus(4, 1, '2026-01-01').due).toBe(false);
    // 2026 has 365 days: day 92 (2 April) is the first past a quarter (91.25 days): the second is expected from then
    expect(frequencyStatus(4, 1, '2026-04-01')).toMatchObject({ expected: 1, due: false });
    expect(frequencyStatus(4, 1, '2026-04-02')).toMatchObject({ expected: 2, due: true });
    expect(frequencyStatus(4, 4, '2026-12-31')).toMatchObject({ expected: 4, due: false });
    expect(frequencyStatus(4, 3, '2026-12-31')).toMatchObject({ expected: 4, due: true });
  });

  it('one a year: due all year until inspected once; zero a year: never due; more counted is never due', () => {
    expect(frequencyStatus(1, 0, '2026-12-31')).toMatchObject({ expected: 1, due: true });
    expect(frequencyStatus(1, 1, '2026-06-30').due).toBe(false);
    expect(frequencyStatus(0, 0, '2026-06-30')).toEqual({ perYear: 0, counted: 0, expected: 0, due: false });
    expect(frequencyStatus(2, 5, '2026-12-31').due).toBe(false);
  });

  it('counts the calendar year of the day, leap years included', () => {
    expect(yearOf('2028-02-29')).toEqual({ from: '2028-01-01', to: '2028-12-31' });
    // 2028 has 366 days: half the year is day 183 (1 July); with 2 a year the second is expected from then
    expect(frequencyStatus(2, 1, '2028-06-30').expected).toBe(1);
    expect(frequencyStatus(2, 1, '2028-07-01').expected).toBe(1);
    expect(frequencyStatus(2, 1, '2028-07-02').expected).toBe(2);
  });

  it('a rule file may count every inspection kind there is (the two lists are kept equal)', () => {
    expect([...FREQUENCY_INSPECTION_KINDS]).toEqual([...INSPECTION_KINDS]);
  });
});
