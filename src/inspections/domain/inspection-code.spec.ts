import { INSPECTION_CODES_BEFORE_2026_2 } from '../../checklists/domain/policy';
import {
  CODE_ALPHABET, codeVerificationState, codeVerificationText, formatInspectionCode, guessRefusal, newInspectionCode, normaliseInspectionCode,
  UNCONFIRMED_TEXT,
} from './inspection-code';

const bytes = (...b: number[]) => () => Buffer.from(b);

describe('检查码 generation', () => {
  it('draws 8 characters of Crockford base32 from the random source, one byte each, without bias', () => {
    expect(newInspectionCode(bytes(0, 1, 2, 3, 4, 5, 6, 7))).toBe('01234567');
    // the low 5 bits: 32 + 10 = 42 → 'A'; 255 → 31 → 'Z'; 256 is a multiple of 32, so every character is equally likely
    expect(newInspectionCode(bytes(42, 255, 31 + 64, 18, 20, 21, 26, 27))).toBe('AZZJMNTV');
    expect(() => newInspectionCode(bytes(1, 2, 3))).toThrow();
  });

  it('never uses the look-alikes I, L, O, U', () => {
    expect(CODE_ALPHABET).toHaveLength(32);
    expect(CODE_ALPHABET).not.toMatch(/[ILOU]/);
    for (let i = 0; i < 200; i++) expect(newInspectionCode()).toMatch(/^[0-9ABCDEFGHJKMNPQRSTVWXYZ]{8}$/);
  });

  it('is shown in two groups of four', () => {
    expect(formatInspectionCode('7K2MQX9D')).toBe('7K2M-QX9D');
    expect(formatInspectionCode('short')).toBe('short');
  });
});

describe('normaliseInspectionCode', () => {
  it.each([
    ['7K2M-QX9D', '7K2MQX9D'],
    ['7k2m-qx9d', '7K2MQX9D'],
    ['  7K2M QX9D ', '7K2MQX9D'],
    ['7K2M\u3000QX9D', '7K2MQX9D'],
    ['7K2M—QX9D', '7K2MQX9D'],
    ['7K 2M-QX 9D', '7K2MQX9D'],
    ['７Ｋ２Ｍ－ＱＸ９Ｄ', '7K2MQX9D'],
    ['OOOO-IIII', '00001111'],
    ['llll-0000', '11110000'],
    ['https://yian.example.cn/inspection-codes?code=7K2M-QX9D', '7K2MQX9D'],
    ['/inspection-codes?x=1&code=7k2m%2Dqx9d#top', '7K2MQX9D'],
  ])('reads %j as %s', (input, out) => {
    expect(normaliseInspectionCode(input)).toBe(out);
  });

  it.each([
    ['too short', '7K2M-QX9'],
    ['too long', '7K2M-QX9DD'],
    ['a U (not in the alphabet)', '7K2M-QXUD'],
    ['punctuation', '7K2M+QX9D'],
    ['Chinese', '检查码七K2MQX9D'],
    ['empty', ''],
    ['a broken escape', '?code=%E0%A4%A'],
  ])('refuses %s', (_label, input) => {
    expect(normaliseInspectionCode(input)).toBeNull();
  });

  it('refuses what is not a string, and very long input', () => {
    expect(normaliseInspectionCode(undefined)).toBeNull();
    expect(normaliseInspectionCode(12345678)).toBeNull();
    expect(normaliseInspectionCode(['7K2MQX9D'])).toBeNull();
    expect(normaliseInspectionCode(`${' '.repeat(300)}7K2MQX9D`)).toBeNull();
  });
});

describe('guessRefusal', () => {
  const LIMITS = INSPECTION_CODES_BEFORE_2026_2.guesses; // = checklists/product-policy.yaml 2026.2
  const now = new Date('2026-12-01T02:00:00Z');
  const ago = (minutes: number) => new Date(now.getTime() - minutes * 60_000);
  const h = (user: number, userOldest: Date | null, inst = user, instOldest = userOldest) => ({ user: { count: user, oldest: userOldest }, institution: { count: inst, oldest: instOldest } });

  it('lets an account try until its five wrong guesses in 15 minutes, then says how long to wait', () => {
    expect(guessRefusal(h(0, null), now, LIMITS)).toBeNull();
    expect(guessRefusal(h(4, ago(3)), now, LIMITS)).toBeNull();
    expect(guessRefusal(h(5, ago(3)), now, LIMITS)).toEqual({ minutes: 12 });
    expect(guessRefusal(h(5, ago(14.9)), now, LIMITS)).toEqual({ minutes: 1 });
  });

  it('limits the institution’s accounts together to twenty a day', () => {
    expect(guessRefusal(h(1, ago(1), 19, ago(600)), now, LIMITS)).toBeNull();
    expect(guessRefusal(h(1, ago(1), 20, ago(600)), now, LIMITS)).toEqual({ minutes: 24 * 60 - 600 });
  });

  it('takes its limits from the policy', () => {
    const strict = { ...LIMITS, perUser: 2, userWindowMinutes: 60 };
    expect(guessRefusal(h(2, ago(3)), now, strict)).toEqual({ minutes: 57 });
    expect(guessRefusal(h(2, ago(3)), now, LIMITS)).toBeNull();
  });
});

describe('what the record says about the code', () => {
  const fmt = (d: Date) => d.toISOString().slice(11, 16);
  const base = { hasCode: true, status: 'assigned', startedAt: null, confirmedAt: null };

  it('says nothing for an inspection made before 检查码', () => {
    expect(codeVerificationState({ ...base, hasCode: false, status: 'submitted', startedAt: new Date() })).toBe('none');
    expect(codeVerificationText({ ...base, hasCode: false }, fmt)).toBeNull();
  });

  it('is pending before the start, and unconfirmed once started or filed without the confirmation', () => {
    expect(codeVerificationText(base, fmt)).toBe('被检查机构尚未核验检查码');
    expect(codeVerificationText({ ...base, status: 'in_progress', startedAt: '2026-12-01T02:00:00Z' }, fmt)).toBe(UNCONFIRMED_TEXT);
    expect(codeVerificationState({ ...base, status: 'submitted' })).toBe('unconfirmed');
    expect(UNCONFIRMED_TEXT).toBe('未经被检查机构核验检查码');
  });

  it('names who confirmed and when, and whether it was only after the start', () => {
    const confirmed = { ...base, confirmedAt: '2026-12-01T02:10:00Z', confirmedByName: '王院长', confirmedByInstitution: '红梅颐养院' };
    expect(codeVerificationText(confirmed, fmt)).toBe('检查码已于 02:10 由 王院长（红梅颐养院） 核验');
    expect(codeVerificationText({ ...confirmed, status: 'submitted', startedAt: '2026-12-01T02:30:00Z' }, fmt)).toBe('检查码已于 02:10 由 王院长（红梅颐养院） 核验');
    expect(codeVerificationState({ ...confirmed, startedAt: '2026-12-01T02:05:00Z' })).toBe('confirmed_after_start');
    expect(codeVerificationText({ ...confirmed, startedAt: '2026-12-01T02:05:00Z', confirmedByInstitution: null }, fmt)).toBe('检查码已于 02:10 由 王院长 核验（在开始检查之后）');
  });
});
