import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import type { TestAccount } from './factories';
import { writeFontconfig } from './fontconfig';

/**
 * The test browser needs nothing from the OS: by default the Chromium that ships inside the npm package
 * @sparticuz/chromium (unpacked once into a cache folder under the temp dir), with Chinese glyphs from the
 * Noto Sans SC package through a fontconfig file written here. `CHROME_PATH` (or the older `CHROMIUM_PATH`)
 * selects another Chromium instead, e.g. Debian's /usr/bin/chromium.
 */
export const CHROME_PATH = process.env.CHROME_PATH || process.env.CHROMIUM_PATH || undefined;

/** Quiet and offline: no sync, updates, first-run pages or background requests. */
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

/**
 * @sparticuz/chromium's recommended flags (made for AWS Lambda), minus those that would make the tests see a
 * weaker browser than users have (web security off, mixed content allowed), minus `--single-process` (the
 * browser dies when a test closes one of several contexts) and its own headless switch (Playwright sets it).
 */
const DROPPED = [/^--disable-web-security$/, /^--allow-running-insecure-content$/, /^--disable-site-isolation-trials$/, /^--single-process$/, /^--headless/];

interface Binary { executablePath: string; args: string[] }

let packaged: Promise<Binary> | undefined;

/**
 * Unpacks @sparticuz/chromium into `<tmp>/yian-chromium-<version>` (once per machine; a few seconds).
 * The package unpacks into `$TMPDIR` and trusts whatever it finds there, so it unpacks into a private staging
 * folder (its own TMPDIR) that is renamed into place when complete: a concurrent or killed run never leaves a
 * half-written binary behind for the next one. It is an ES module, hence the child process.
 */
async function packagedChromium(): Promise<Binary> {
  const pkgDir = join(dirname(require.resolve('@sparticuz/chromium')), '..'); // build/index.js; no package.json export
  const { version } = JSON.parse(fs.readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { version: string };
  const dir = join(tmpdir(), `yian-chromium-${version}`);
  const marker = join(dir, 'yian-ready.json');
  if (!fs.existsSync(marker)) {
    const staging = fs.mkdtempSync(`${dir}.tmp-`);
    try {
      const script = `
        const { default: Chromium } = await import(${JSON.stringify(pathToFileURL(join(pkgDir, 'build', 'index.js')).href)});
        Chromium.setGraphicsMode = false; // no WebGL: the pages draw SVG; skips unpacking SwiftShader
        const path = await Chromium.executablePath();
        process.stdout.write(JSON.stringify({ path, args: Chromium.args }));`;
      const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
        env: { ...process.env, TMPDIR: staging, TMP: staging, TEMP: staging }, maxBuffer: 1 << 20,
      });
      const { path, args } = JSON.parse(stdout) as { path: string; args: string[] };
      if (path !== join(staging, 'chromium')) throw new Error(`@sparticuz/chromium unpacked to ${path}, not into ${staging}`);
      fs.writeFileSync(join(staging, 'yian-ready.json'), JSON.stringify({ args }));
      try {
        fs.renameSync(staging, dir);
      } catch (err) {
        // Another run finished first (the folder exists and is not empty): use its copy.
        if (!fs.existsSync(marker)) throw err;
      }
    } finally {
      fs.rmSync(staging, { recursive: true, force: true });
    }
  }
  const { args } = JSON.parse(fs.readFileSync(marker, 'utf8')) as { args: string[] };
  return { executablePath: join(dir, 'chromium'), args: args.filter((a) => !DROPPED.some((re) => re.test(a))) };
}

function browserBinary(): Promise<Binary> {
  if (CHROME_PATH) {
    if (!fs.existsSync(CHROME_PATH)) return Promise.reject(new Error(`CHROME_PATH=${CHROME_PATH} does not exist (unset it to use the Chromium from @sparticuz/chromium)`));
    return Promise.resolve({ executablePath: CHROME_PATH, args: [] });
  }
  packaged ??= packagedChromium().catch((err: unknown) => {
    packaged = undefined;
    throw err;
  });
  return packaged;
}

export async function launchBrowser(): Promise<Browser> {
  const { executablePath, args } = await browserBinary();
  // The same fonts whichever Chromium runs: only Noto Sans SC (not the package's Open Sans, not the system's).
  const fonts = writeFontconfig();
  return chromium.launch({
    executablePath,
    headless: true,
    args: [...new Set([...args, ...FLAGS])],
    env: { ...process.env, ...fonts.env },
  });
}

/** A phone: 390 × 844, touch, Simplified Chinese. */
export function phoneContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
  return browser.newContext({ baseURL, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
}

/** Signs in through the real login page and waits for the home page. */
export async function signIn(ctx: BrowserContext, account: Pick<TestAccount, 'username' | 'password'>): Promise<Page> {
  const page = await ctx.newPage();
  await page.goto('/login');
  await signInOn(page, account);
  return page;
}

/**
 * Fills the login page already open in `page`, presses 登录 and waits for the home page. When it never comes, the
 * error says where the page is and what it shows (a refusal's message), not only that a wait timed out.
 */
export async function signInOn(page: Page, account: Pick<TestAccount, 'username' | 'password'>): Promise<void> {
  await page.getByLabel('用户名').fill(account.username);
  await page.getByLabel('密码').fill(account.password);
  await page.getByRole('button', { name: '登录' }).click();
  try {
    await page.waitForURL((u) => u.pathname === '/');
  } catch (err) {
    const shown = await page.locator('[role=alert], .error, .flash, h1').allInnerTexts().catch(() => []);
    throw new Error(`signing in as ${account.username} did not reach the home page: at ${page.url()}, showing ${JSON.stringify(shown.join(' | ').slice(0, 400))} (${(err as Error).message.split('\n')[0]})`);
  }
}

/**
 * The page's console errors and uncaught exceptions (a Content-Security-Policy refusal shows here). `allowStatuses`:
 * HTTP statuses the test provokes on purpose (a form re-rendered with 400 after a refusal logs "Failed to load
 * resource: … status of 400"), left out of the list.
 */
export function collectErrors(page: Page, options: { allowStatuses?: number[] } = {}): string[] {
  const errors: string[] = [];
  const allowed = (text: string) => (options.allowStatuses ?? []).some((s) => text.includes(`status of ${s}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !allowed(m.text())) errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}
