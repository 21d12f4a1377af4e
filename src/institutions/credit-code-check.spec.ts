import { creditCodeCheckChar } from '../common/credit-code';
import { creditCodeProblem, normalizeCreditCode } from './credit-code-check';

describe('creditCodeProblem (统一社会信用代码, GB 32100-2015)', () => {
  const first17 = '52320402MJ5678901';
  const valid = first17 + creditCodeCheckChar(first17);

  it('accepts a valid code', () => {
    expect(creditCodeProblem(valid)).toBeNull();
  });

  it('names the problem: empty, length, characters, check character', () => {
    expect(creditCodeProblem('')).toEqual({ reason: 'isDefined' });
    expect(creditCodeProblem(valid.slice(0, 17))).toEqual({ reason: 'creditCodeLength', args: [17] });
    expect(creditCodeProblem(`${valid.slice(0, 16)}IO`)).toEqual({ reason: 'creditCodeCharacters', args: ['I、O'] });
    const wrong = valid.slice(0, 17) + (valid[17] === '0' ? '1' : '0');
    expect(creditCodeProblem(wrong)).toEqual({ reason: 'creditCodeCheckDigit' });
  });

  it('trims and upper-cases what a person types', () => {
    expect(normalizeCreditCode(`  ${valid.toLowerCase()} `)).toBe(valid);
    expect(normalizeCreditCode(undefined)).toBe('');
  });
});
