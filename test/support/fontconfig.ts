import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The Noto Sans SC package already in the dependencies (the PDFs use the same font). */
export const NOTO_SANS_SC_DIR = dirname(require.resolve('@expo-google-fonts/noto-sans-sc/package.json'));

const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Writes a fontconfig file for the test browser and returns the environment that points Chromium at it.
 * Only fonts from npm packages are listed — never the system's — so Chinese renders the same on a machine
 * with no CJK fonts installed, and pages look alike everywhere. Every generic family (and the CJK names the
 * pages ask for) maps to Noto Sans SC, which also covers Latin, digits and CJK punctuation.
 * `extraDirs` adds font folders (e.g. the Latin fonts shipped with @sparticuz/chromium).
 */
export function writeFontconfig(extraDirs: string[] = []): { file: string; dir: string; env: Record<string, string> } {
  const dirs = [NOTO_SANS_SC_DIR, ...extraDirs.filter((d) => existsSync(d))];
  const key = createHash('sha256').update(dirs.join('\n')).digest('hex').slice(0, 12);
  const dir = join(tmpdir(), `yian-fontconfig-${key}`);
  const file = join(dir, 'fonts.conf');
  const families = ['sans-serif', 'serif', 'monospace', 'system-ui', 'PingFang SC', 'Noto Sans CJK SC', 'Microsoft YaHei'];
  const xml = [
    '<?xml version="1.0"?>',
    '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">',
    '<fontconfig>',
    ...dirs.map((d) => `  <dir>${escapeXml(d)}</dir>`),
    `  <cachedir>${escapeXml(join(dir, 'cache'))}</cachedir>`,
    ...families.map((f) => `  <alias binding="strong"><family>${escapeXml(f)}</family><prefer><family>Noto Sans SC</family></prefer></alias>`),
    '</fontconfig>',
    '',
  ].join('\n');
  mkdirSync(join(dir, 'cache'), { recursive: true });
  // Written to a temporary name and renamed, so a concurrent run never reads half a file.
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, xml);
  renameSync(tmp, file);
  return { file, dir, env: { FONTCONFIG_FILE: file, FONTCONFIG_PATH: dir } };
}
