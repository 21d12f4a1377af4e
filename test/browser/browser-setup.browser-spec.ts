import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Browser, Page } from 'playwright-core';
import { CHROME_PATH, launchBrowser } from '../support/browser';

/** The fonts Chromium actually used to draw the text of the first element matching `selector`. */
async function platformFonts(page: Page, selector: string): Promise<{ familyName: string; glyphCount: number }[]> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('DOM.enable');
  await cdp.send('CSS.enable');
  const { root } = await cdp.send('DOM.getDocument');
  const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
  const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
  await cdp.detach();
  return fonts;
}

// The test browser needs nothing from the OS (see test/support/browser.ts): this checks the set-up itself.
describe('test browser set-up', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('is the Chromium from the npm package unless CHROME_PATH says otherwise', () => {
    if (CHROME_PATH) expect(fs.existsSync(CHROME_PATH)).toBe(true);
    else expect(browser.version()).toMatch(/^\d+\./);
  });

  it('draws Chinese with Noto Sans SC from the font package, in the pages’ own font stack', async () => {
    const page = await browser.newPage({ viewport: { width: 480, height: 200 } });
    await page.setContent('<main><p id="zh">颐安 养老机构安全监管 整改通知书（第0001号）</p><p id="bold"><b>复核通过，销号</b></p></main>');
    await page.addStyleTag({ path: path.join(__dirname, '../../src/web/static/app.css') });
    for (const selector of ['#zh', '#bold b']) {
      const fonts = await platformFonts(page, selector);
      // Every glyph comes from Noto Sans SC: no fallback font, no missing-glyph boxes.
      expect(fonts.map((f) => f.familyName)).toEqual(['Noto Sans SC']);
    }
    // Kept for a look: the same page as an image.
    await page.screenshot({ path: path.join(os.tmpdir(), 'yian-browser-fonts.png') });
    await page.close();
  });
});
