import { MAX_DELAY_SECONDS, SignInHistory, throttleDecision } from './sign-in-throttle';

describe('sign-in throttle', () => {
  const limits = { maxFailures: 5, windowMinutes: 15 };
  const now = new Date('2026-12-01T02:00:00Z');
  const secondsAgo = (s: number) => new Date(now.getTime() - s * 1000);
  const quiet: SignInHistory = { pair: 0, byUser: 0, lastUserFailure: null, byIp: 0, knownAddress: false };

  it('locks a username + address pair after the limit, for the window', () => {
    expect(throttleDecision({ ...quiet, pair: 4, byUser: 4, byIp: 4 }, limits, now)).toEqual({ allowed: true });
    expect(throttleDecision({ ...quiet, pair: 5, byUser: 5, byIp: 5 }, limits, now)).toEqual({ allowed: false, code: 'auth.rate_limited', minutes: 15 });
  });

  it('does not lock an address for one user’s typos (an office behind one NAT)', () => {
    expect(throttleDecision({ ...quiet, pair: 0, byIp: 60 }, limits, now)).toEqual({ allowed: true });
    expect(throttleDecision({ ...quiet, pair: 0, byIp: 100 }, limits, now)).toMatchObject({ allowed: false, code: 'auth.rate_limited' });
  });

  it('slows a username failing from many addresses with a doubling delay, never a hard lock', () => {
    expect(throttleDecision({ ...quiet, byUser: 19, lastUserFailure: secondsAgo(0) }, limits, now)).toEqual({ allowed: true });
    expect(throttleDecision({ ...quiet, byUser: 20, lastUserFailure: secondsAgo(0) }, limits, now)).toEqual({ allowed: false, code: 'auth.slowed_down', seconds: 1 });
    expect(throttleDecision({ ...quiet, byUser: 20, lastUserFailure: secondsAgo(2) }, limits, now)).toEqual({ allowed: true });
    expect(throttleDecision({ ...quiet, byUser: 24, lastUserFailure: secondsAgo(10) }, limits, now)).toEqual({ allowed: false, code: 'auth.slowed_down', seconds: 6 });
    expect(throttleDecision({ ...quiet, byUser: 24, lastUserFailure: secondsAgo(16) }, limits, now)).toEqual({ allowed: true });
    expect(throttleDecision({ ...quiet, byUser: 60, lastUserFailure: secondsAgo(0) }, limits, now)).toEqual({ allowed: false, code: 'auth.slowed_down', seconds: MAX_DELAY_SECONDS });
  });

  it('does not slow the owner at an address it has signed in from before', () => {
    expect(throttleDecision({ ...quiet, byUser: 60, lastUserFailure: secondsAgo(0), knownAddress: true }, limits, now)).toEqual({ allowed: true });
  });
});
