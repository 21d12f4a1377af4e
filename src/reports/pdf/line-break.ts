/**
 * Line breaking for Chinese text in fixed-width boxes.
 *
 * The kit lays out lines itself (rather than letting pdfkit wrap) so that table rows can be
 * measured exactly and split across pages at a line boundary. Rules, simplified from UAX #14
 * and the Chinese layout requirements (clreq):
 * - a line may break between any two CJK characters, and at ASCII spaces;
 * - a run of Latin letters, digits and ASCII punctuation ("13800138000", "GB 50016-2014") stays
 *   whole unless it is wider than the box, then it is cut by characters;
 * - 避头尾: closing punctuation never starts a line and opening punctuation never ends one —
 *   they travel with their neighbour to the next line.
 * Zero-width spaces are NOT used as break hints: Noto Sans SC has no glyph for U+200B, so
 * pdfkit draws a visible .notdef box for each one.
 */

/** Width of a string in points, in the font and size the text will be drawn with. */
export type Measure = (text: string) => number;

/** Not allowed at the start of a line (行首禁则). */
const NO_LINE_START = new Set(
  Array.from('，。、；：？！）》」』】〕〉〗〙〛”’…—～·％‰,.;:?!)]}%ーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々'),
);
/** Not allowed at the end of a line (行尾禁则). */
const NO_LINE_END = new Set(Array.from('（《「『【〔〈〖〘〚“‘([{￥$£€'));

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff00-\uffef]/u;
/** Characters that cling together into one unbreakable run. */
const RUN = /[\p{L}\p{N}\p{M}!-/:-@[-`{-~]/u;
/** Rounding slack so text that fits exactly is not pushed to the next line. */
const EPSILON = 0.01;

interface Unit {
  text: string;
  spaceBefore: boolean;
}

/**
 * Removes characters that would draw as boxes or upset layout (zero-width and BOM marks, soft
 * hyphens, control characters pasted from other programs) and normalises line ends and tabs.
 */
export function sanitizeText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, ' ')
    .replace(/[\u200b-\u200f\u2028\u2029\u2060\ufeff\u00ad\u0000-\u0009\u000b-\u001f\u007f]/g, '');
}

/** Splits `text` into lines no wider than `maxWidth`; "\n" forces a break; never returns []. */
export function wrapText(text: string, maxWidth: number, measure: Measure): string[] {
  return sanitizeText(text)
    .split('\n')
    .flatMap((paragraph) => wrapParagraph(paragraph, maxWidth, measure));
}

function wrapParagraph(paragraph: string, maxWidth: number, measure: Measure): string[] {
  const lines: string[] = [];
  const spaceWidth = measure(' ');
  let line = '';
  let width = 0;
  const pushLine = () => {
    lines.push(line);
    line = '';
    width = 0;
  };

  for (const unit of breakUnits(paragraph)) {
    const gap = unit.spaceBefore && line !== '';
    const unitWidth = measure(unit.text);
    if (width + (gap ? spaceWidth : 0) + unitWidth <= maxWidth + EPSILON) {
      line += (gap ? ' ' : '') + unit.text;
      width += (gap ? spaceWidth : 0) + unitWidth;
      continue;
    }
    if (line !== '') pushLine();
    if (unitWidth <= maxWidth + EPSILON) {
      line = unit.text;
      width = unitWidth;
      continue;
    }
    // Wider than the box on its own (a long code or URL): cut wherever it overflows.
    for (const ch of unit.text) {
      const charWidth = measure(ch);
      if (line !== '' && width + charWidth > maxWidth + EPSILON) pushLine();
      line += ch;
      width += charWidth;
    }
  }
  lines.push(line);
  return lines;
}

/** The pieces between which a line may break. */
function breakUnits(paragraph: string): Unit[] {
  const atoms: Unit[] = [];
  let run = '';
  let spaceBefore = false;
  const flushRun = () => {
    if (run === '') return;
    atoms.push({ text: run, spaceBefore });
    run = '';
    spaceBefore = false;
  };
  for (const ch of paragraph) {
    if (ch === ' ') {
      flushRun();
      spaceBefore = atoms.length > 0;
    } else if (RUN.test(ch) && !CJK.test(ch)) {
      run += ch;
    } else {
      flushRun();
      atoms.push({ text: ch, spaceBefore });
      spaceBefore = false;
    }
  }
  flushRun();

  const units: Unit[] = [];
  for (const atom of atoms) {
    const previous = units[units.length - 1];
    const glue =
      previous !== undefined &&
      !atom.spaceBefore &&
      (NO_LINE_START.has(firstChar(atom.text)) || NO_LINE_END.has(lastChar(previous.text)));
    if (glue) previous.text += atom.text;
    else units.push({ ...atom });
  }
  return units;
}

function firstChar(text: string): string {
  return String.fromCodePoint(text.codePointAt(0) ?? 0);
}

function lastChar(text: string): string {
  const chars = Array.from(text);
  return chars[chars.length - 1] ?? '';
}
