import type { Request } from 'express';
import { backHref } from './error-page';

const req = (referer: string | undefined, originalUrl = '/missing'): Request =>
  ({ headers: { referer }, protocol: 'http', get: () => '127.0.0.1:3000', originalUrl }) as unknown as Request;
const PUBLIC_URL = 'https://yian.example.gov.cn';

describe('backHref (the error page’s 返回上一页)', () => {
  it('returns to the referring page of our own origin, by path and query', () => {
    expect(backHref(req('https://yian.example.gov.cn/hazards?status=open'), PUBLIC_URL)).toBe('/hazards?status=open');
    expect(backHref(req('http://127.0.0.1:3000/notices'), PUBLIC_URL)).toBe('/notices');
  });

  it('goes home without a referrer, from another site, from a malformed one, or from this very page', () => {
    expect(backHref(req(undefined), PUBLIC_URL)).toBe('/');
    expect(backHref(req('https://evil.example/hazards'), PUBLIC_URL)).toBe('/');
    expect(backHref(req('not a url'), PUBLIC_URL)).toBe('/');
    expect(backHref(req('http://127.0.0.1:3000/missing'), PUBLIC_URL)).toBe('/');
  });
});
