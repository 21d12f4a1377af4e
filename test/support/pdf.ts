import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** Samples are kept after the run in the temp folder, so they can be looked at. */
const dir = join(tmpdir(), 'yian-reports');

export function savePdf(name: string, pdf: Buffer): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  writeFileSync(file, pdf);
  return file;
}

const helper = join(__dirname, 'pdf-text.mjs');
const cache = new Map<string, { stamp: string; pages: string[] }>();

/**
 * The text of each page, extracted by unpdf (PDF.js, pure JavaScript: no poppler needed) in a child
 * process (unpdf is an ES module, jest runs CommonJS). One output line per baseline, left to right,
 * one space for a word gap, several for a column gap — close to `pdftotext -layout`.
 * Cached per file (path, size and mtime), so asking page by page costs one extraction.
 */
export function pdfPages(file: string): string[] {
  const path = resolve(file);
  const st = statSync(path);
  const stamp = `${st.size}:${st.mtimeMs}`;
  const hit = cache.get(path);
  if (hit?.stamp === stamp) return hit.pages;
  const out = execFileSync(process.execPath, [helper, path], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const [{ pages }] = JSON.parse(out) as { file: string; pages: string[] }[];
  cache.set(path, { stamp, pages });
  return pages;
}

/** The text of the whole file (pages separated by form feeds, as pdftotext does) or of one page (1-based). */
export function pdfText(file: string, page?: number): string {
  const pages = pdfPages(file);
  if (page === undefined) return pages.map((p) => `${p}\f`).join('');
  if (page < 1 || page > pages.length) throw new Error(`${file} has ${pages.length} pages, not page ${page}`);
  return pages[page - 1];
}

export function pdfPageCount(file: string): number {
  return pdfPages(file).length;
}

/** Chinese text in PDFs can come out with spaces between glyphs; compare without any whitespace. */
export const squash = (s: string): string => s.replace(/\s+/g, '');
