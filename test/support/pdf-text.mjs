// Text of PDF pages with unpdf (Mozilla's PDF.js), laid out roughly like `pdftotext -layout`: one output
// line per baseline, indented from the page's left text edge, items left to right, one space for a word gap
// and several for a column gap. unpdf is an ES module, so test/support/pdf.ts runs this as a child process.
//
//   node test/support/pdf-text.mjs FILE…   →   stdout: JSON [{ file, pages: [text, …] }, …]
import { readFileSync } from 'node:fs';
import { extractTextItems, getDocumentProxy } from 'unpdf';

/** Items whose baselines are closer than this (in points) are on one line. */
const SAME_LINE = 2;

function layoutPage(items) {
  const lines = [];
  for (const item of items) {
    if (item.str === '' || /^\s+$/.test(item.str)) continue; // gaps are measured from positions below
    let line = lines.find((l) => Math.abs(l.y - item.y) <= SAME_LINE);
    if (!line) lines.push((line = { y: item.y, items: [] }));
    line.items.push(item);
  }
  lines.sort((a, b) => b.y - a.y); // PDF y grows upwards: top of the page first
  const margin = Math.min(...lines.flatMap((l) => l.items.map((i) => i.x)));
  return lines.map((line) => {
    line.items.sort((a, b) => a.x - b.x);
    // Indented by its distance from the page's left text edge, so wrapped table cells stay in their column.
    const first = line.items[0];
    let out = ' '.repeat(Math.round((first.x - margin) / (0.5 * (first.fontSize || 10))));
    let end = null;
    for (const item of line.items) {
      if (end !== null) {
        const em = item.fontSize || 10;
        const gap = item.x - end;
        // < 0.15 em: glyphs of one word (or CJK text) split into items; about one em: a word gap;
        // wider: a column gap, shown as several spaces like pdftotext -layout does.
        if (gap >= 0.15 * em) out += ' '.repeat(Math.max(1, Math.round(gap / (0.5 * em))));
      }
      out += item.str;
      end = Math.max(end ?? -Infinity, item.x + item.width);
    }
    return out.replace(/\s+$/, '');
  }).join('\n') + '\n';
}

const results = [];
for (const file of process.argv.slice(2)) {
  const pdf = await getDocumentProxy(new Uint8Array(readFileSync(file)));
  const { items } = await extractTextItems(pdf);
  results.push({ file, pages: items.map(layoutPage) });
}
process.stdout.write(JSON.stringify(results));
