import { newTrackingCode, normalizeTrackingCode, TRACKING_CODE_CHARS, trackingHash } from './tracking-code';

describe('tracking code', () => {
  it('is 20 base32 characters (100 bits) in groups of four', () => {
    const code = newTrackingCode();
    expect(code).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){4}[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(TRACKING_CODE_CHARS * 5).toBeGreaterThanOrEqual(80);
  });

  it('uses every random bit it is given (5 per character) and differs each time', () => {
    const codes = new Set(Array.from({ length: 200 }, () => newTrackingCode()));
    expect(codes.size).toBe(200);
    expect(newTrackingCode(() => Buffer.alloc(20, 0))).toBe('0000-0000-0000-0000-0000');
    expect(newTrackingCode(() => Buffer.alloc(20, 31))).toBe('ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ');
  });

  it('forgives case, spaces, dashes and look-alike letters when typed back', () => {
    const code = newTrackingCode();
    const n = normalizeTrackingCode(code)!;
    expect(normalizeTrackingCode(code.toLowerCase().replace(/-/g, ' '))).toBe(n);
    expect(normalizeTrackingCode('oooo-iiii-llll-0000-1111')).toBe('00001111111100001111');
    expect(normalizeTrackingCode('short')).toBeNull();
    expect(normalizeTrackingCode('UUUU-UUUU-UUUU-UUUU-UUUU')).toBeNull();
  });

  it('is stored as a 32-byte hash that does not contain the code', () => {
    const n = normalizeTrackingCode(newTrackingCode())!;
    const h = trackingHash(n);
    expect(h).toHaveLength(32);
    expect(h.toString('hex')).not.toContain(Buffer.from(n).toString('hex'));
    expect(trackingHash(n).equals(h)).toBe(true);
  });
});
