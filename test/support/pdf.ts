import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Samples are kept after the run in the temp folder, so they can be looked at (`pdftoppm -png`). */
const dir = join(tmpdir(), 'yian-reports');

export function savePdf(name: string, pdf: Buffer): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  writeFileSync(file, pdf);
  return file;
}

/** `pdftotext -layout` of the whole file or of one page (poppler-utils). */
export function pdfText(file: string, page?: number): string {
  const range = page === undefined ? [] : ['-f', String(page), '-l', String(page)];
  return execFileSync('pdftotext', ['-layout', ...range, file, '-'], { encoding: 'utf8' });
}

/** The text of each page. */
export function pdfPages(file: string): string[] {
  return pdfText(file).split('\f').slice(0, -1);
}

export function pdfPageCount(file: string): number {
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  return Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
}

/** Chinese text in PDFs comes out with spaces between glyphs; compare without any whitespace. */
export const squash = (s: string): string => s.replace(/\s+/g, '');
