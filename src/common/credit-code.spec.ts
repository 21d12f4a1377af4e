import { creditCodeCheckChar, isValidCreditCode } from './credit-code';

describe('unified social credit code (GB 32100-2015)', () => {
  // Published example codes of real organisations, checked by hand against the standard's algorithm.
  it.each(['91350100M000100Y43', '12100000400000624D'])('accepts %s', (code) => {
    expect(isValidCreditCode(code)).toBe(true);
  });

  it('computes the check character: 91350100M000100Y4 → 3', () => {
    expect(creditCodeCheckChar('91350100M000100Y4')).toBe('3');
  });

  it.each([
    ['91350100M000100Y44', 'wrong check character'],
    ['91350100M000100Y4', 'too short'],
    ['91350100M000100I43', 'letter I is not in the alphabet'],
    ['91350100m000100y43', 'lower case'],
    [12345, 'not a string'],
  ] as [unknown, string][])('rejects %s (%s)', (code) => {
    expect(isValidCreditCode(code)).toBe(false);
  });
});
