import type { Browser, BrowserContext } from 'playwright-core';

/** A CSP violation seen in the browser: the blocked thing and the page it happened on. */
export interface CspViolation {
  url: string;
  text: string;
}

/**
 * Records every Content-Security-Policy violation in the contexts of `browser`: the `securitypolicyviolation`
 * event in each page, and Chromium's console message ("Refused to …"), which also covers what the event misses
 * (e.g. blocked inline handlers before the listener exists). Wraps `browser.newContext`, so every context a spec
 * opens, directly or through `phoneContext`, is watched. Call `expectNone()` after each test.
 */
export class CspWatch {
  readonly violations: CspViolation[] = [];

  constructor(browser: Browser) {
    const newContext = browser.newContext.bind(browser);
    browser.newContext = async (...args: Parameters<Browser['newContext']>) => {
      const ctx = await newContext(...args);
      await this.watch(ctx);
      return ctx;
    };
  }

  async watch(ctx: BrowserContext): Promise<void> {
    ctx.on('console', (msg) => {
      const text = msg.text();
      if (/Refused to|Content Security Policy/i.test(text)) this.violations.push({ url: msg.page()?.url() ?? '', text });
    });
    await ctx.exposeBinding('__yianCspViolation', ({ page }, report: string) => {
      this.violations.push({ url: page.url(), text: report });
    });
    await ctx.addInitScript({
      content: `document.addEventListener('securitypolicyviolation', function (e) {
        window.__yianCspViolation(e.effectiveDirective + ' blocked ' + (e.blockedURI || 'inline') + ' (' + (e.sourceFile || '') + ':' + e.lineNumber + ')');
      });`,
    });
  }

  /** Fails with the list if anything was blocked since the last call (and starts a fresh list). */
  expectNone(): void {
    const seen = this.violations.splice(0);
    expect(seen).toEqual([]);
  }
}

export function watchCsp(browser: Browser): CspWatch {
  return new CspWatch(browser);
}
