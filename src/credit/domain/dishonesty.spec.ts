import { allowedDishonestyActions, decideDishonesty, inForce, objectionDueOn, repairableFrom, type DishonestyState } from './dishonesty';

const decided: DishonestyState = { status: 'decided', decidedOn: '2026-03-01', objectionDueOn: objectionDueOn('2026-03-01', 15) };
const ctx = (today: string, lastDeductionOn: string | null = null) => ({ today, repairCleanMonths: 12, lastDeductionOn });

describe('失信 decision lifecycle', () => {
  it('the objection deadline is objectionDays after the decision, inclusive', () => {
    expect(decided.objectionDueOn).toBe('2026-03-16');
    expect(decideDishonesty(decided, 'object', 'institution', ctx('2026-03-16'))).toEqual({ next: 'objected' });
    expect(decideDishonesty(decided, 'object', 'institution', ctx('2026-03-17'))).toEqual({ refusal: 'objection_closed' });
    expect(decideDishonesty(decided, 'object', 'bureau', ctx('2026-03-02'))).toEqual({ refusal: 'not_yours' });
  });

  it('an objection is upheld or withdrawn by the bureau, once', () => {
    const objected = { ...decided, status: 'objected' as const };
    expect(decideDishonesty(objected, 'uphold', 'bureau', ctx('2026-03-20'))).toEqual({ next: 'upheld' });
    expect(decideDishonesty(objected, 'withdraw', 'bureau', ctx('2026-03-20'))).toEqual({ next: 'withdrawn' });
    expect(decideDishonesty(objected, 'uphold', 'institution', ctx('2026-03-20'))).toEqual({ refusal: 'not_yours' });
    expect(decideDishonesty(decided, 'uphold', 'bureau', ctx('2026-03-20'))).toEqual({ refusal: 'not_objected' });
    expect(decideDishonesty(objected, 'object', 'institution', ctx('2026-03-05'))).toEqual({ refusal: 'not_decided' });
  });

  it('repair only after the clean period, counted from the decision or the last deduction since', () => {
    expect(repairableFrom(decided, ctx('x'))).toBe('2027-03-01');
    expect(decideDishonesty(decided, 'repair', 'bureau', ctx('2027-02-28'))).toEqual({ refusal: 'not_clean_yet' });
    expect(decideDishonesty(decided, 'repair', 'bureau', ctx('2027-03-01'))).toEqual({ next: 'repaired' });
    expect(decideDishonesty(decided, 'repair', 'bureau', ctx('2027-03-01', '2026-06-10'))).toEqual({ refusal: 'not_clean_yet' });
    expect(decideDishonesty(decided, 'repair', 'bureau', ctx('2027-06-10', '2026-06-10'))).toEqual({ next: 'repaired' });
    expect(decideDishonesty(decided, 'repair', 'bureau', ctx('2027-03-01', '2025-01-01'))).toEqual({ next: 'repaired' }); // before the decision: not counted
    expect(decideDishonesty({ ...decided, status: 'upheld' }, 'repair', 'bureau', ctx('2027-03-01'))).toEqual({ next: 'repaired' });
    expect(decideDishonesty({ ...decided, status: 'objected' }, 'repair', 'bureau', ctx('2027-03-01'))).toEqual({ refusal: 'not_repairable' });
    expect(decideDishonesty(decided, 'repair', 'institution', ctx('2027-03-01'))).toEqual({ refusal: 'not_yours' });
  });

  it('repair waits for the objection window even with a zero-length clean period', () => {
    expect(decideDishonesty(decided, 'repair', 'bureau', { today: '2026-03-10', repairCleanMonths: 0, lastDeductionOn: null })).toEqual({ refusal: 'objection_window_open' });
  });

  it('withdrawn and repaired are final and not in force', () => {
    for (const status of ['withdrawn', 'repaired'] as const) {
      expect(inForce(status)).toBe(false);
      expect(allowedDishonestyActions({ ...decided, status }, 'bureau', ctx('2030-01-01'))).toEqual([]);
      expect(allowedDishonestyActions({ ...decided, status }, 'institution', ctx('2026-03-02'))).toEqual([]);
    }
    expect(['decided', 'objected', 'upheld'].every((s) => inForce(s as never))).toBe(true);
    expect(allowedDishonestyActions(decided, 'institution', ctx('2026-03-02'))).toEqual(['object']);
  });
});
