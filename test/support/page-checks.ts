import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';

/** Where screenshots go: SCREENSHOT_DIR, or a folder under the temp dir (looked at by a person before an issue is resolved). */
export const SHOTS = process.env.SCREENSHOT_DIR ?? path.join(os.tmpdir(), 'yian-shots');

/** A desktop context (1440×900, zh-CN, Shanghai time) on the test app. */
export function desktopContext(browser: Browser, baseURL: string, width = 1440, height = 900) {
  return browser.newContext({ baseURL, viewport: { width, height }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
}

/**
 * The checks every bureau page passes, run on the page as it is now:
 * - every visible form field has an accessible name (a <label>, aria-label or aria-labelledby);
 * - at 1024 px wide the page does not scroll sideways (a wide table scrolls inside its own box);
 * - a screenshot at 1440×900 (full page) is saved as `<name>.png` under SHOTS.
 * The viewport is restored afterwards.
 */
export async function expectSoundPage(page: Page, name: string): Promise<void> {
  // Evaluated as a string: the test build has no DOM types.
  const unlabelled = await page.evaluate<string[]>(`(() => {
    const out = [];
    for (const el of document.querySelectorAll('input, select, textarea')) {
      if (el.tagName === 'INPUT' && ['hidden', 'submit', 'button'].includes(el.type)) continue;
      const style = getComputedStyle(el);
      if (style.display === 'none' || style.visibility === 'hidden') continue;
      if (!(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby')) out.push(el.outerHTML.slice(0, 120));
    }
    return out;
  })()`);
  expect(unlabelled).toEqual([]);
  const before = page.viewportSize();
  await page.setViewportSize({ width: 1024, height: 768 });
  const wide = await page.evaluate<number>('document.documentElement.scrollWidth');
  expect(wide).toBeLessThanOrEqual(1024);
  await page.setViewportSize({ width: 1440, height: 900 });
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  if (before) await page.setViewportSize(before);
}
