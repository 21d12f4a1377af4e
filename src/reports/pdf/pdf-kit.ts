/**
 * A small kit for A4 Chinese official documents (检查记录, 整改通知书, 补贴明细 …) on top of pdfkit.
 *
 * Layout model: every drawing function starts at `doc.y` on the left margin, draws, and leaves
 * `doc.y` just below what it drew. Text is wrapped by `line-break.ts` and drawn line by line with
 * `lineBreak: false`, so pdfkit never wraps or adds pages behind our back; page breaks happen
 * only here, where tables can repeat their header and photos and signatures are kept whole.
 */
import type PDFKitDocument from 'pdfkit';
import { cjkFonts, FONT_BOLD, FONT_REGULAR } from './fonts';
import { Measure, wrapText } from './line-break';

export type PdfDoc = PDFKit.PDFDocument;
export type Align = 'left' | 'center' | 'right';

/** Centimetres to PDF points. */
export const cm = (centimetres: number): number => (centimetres * 72) / 2.54;

/** Body text is 五号 (10.5 pt); lines are 1.5 × the font size apart. */
export const BODY_SIZE = 10.5;
export const SMALL_SIZE = 9;
const LINE_SPACING = 1.5;
const BORDER_COLOR = '#404040';
const BORDER_WIDTH = 0.5;
const LABEL_FILL = '#f2f2f2';
const HEADER_FILL = '#e6e6e6';
const MUTED_COLOR = '#595959';
const CELL_PADDING_X = 4;
const CELL_PADDING_Y = 3;
/** Space left below the content area for the footer (page number, document number). */
const MARGINS = { top: cm(2), bottom: cm(2.2), left: cm(2), right: cm(2) };

export interface DocumentMeta {
  title: string;
  author: string;
  subject?: string;
}

let pdfkit: typeof PDFKitDocument | undefined;

/**
 * pdfkit's document class, loaded on the first document rather than at boot: pdfkit with fontkit is ≈ 15 MB
 * resident, which the API process then carries only once it renders a PDF (most PDFs are rendered by the worker).
 */
export function pdfDocumentClass(): typeof PDFKitDocument {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a synchronous lazy load (module: commonjs)
  return (pdfkit ??= require('pdfkit') as typeof PDFKitDocument);
}

/** A4 portrait with the CJK fonts registered as 'cjk' and 'cjk-bold'. Pages are buffered for {@link finalize}. */
export function createDocument(meta: DocumentMeta): PdfDoc {
  const PDFDocument = pdfDocumentClass();
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGINS,
    bufferPages: true,
    lang: 'zh-CN',
    displayTitle: true,
    // pdfkit hashes every info entry into the file id and throws on an undefined one.
    info: { Title: meta.title, Author: meta.author, Creator: '颐安 Yi’an', ...(meta.subject ? { Subject: meta.subject } : {}) },
  });
  const fonts = cjkFonts();
  doc.registerFont(FONT_REGULAR, fonts.regular);
  doc.registerFont(FONT_BOLD, fonts.bold);
  doc.font(FONT_REGULAR).fontSize(BODY_SIZE).fillColor('black');
  return doc;
}

// ---------------------------------------------------------------------------------------------
// Geometry

const left = (doc: PdfDoc): number => doc.page.margins.left;
export const contentWidth = (doc: PdfDoc): number => doc.page.width - doc.page.margins.left - doc.page.margins.right;
const bottom = (doc: PdfDoc): number => doc.page.height - doc.page.margins.bottom;
const isPageFresh = (doc: PdfDoc): boolean => doc.y <= doc.page.margins.top + 0.5;

/** Starts a new page unless `height` points still fit below `doc.y` (or the page is still empty). */
export function ensureSpace(doc: PdfDoc, height: number): void {
  if (doc.y + height > bottom(doc) && !isPageFresh(doc)) newPage(doc);
}

export function newPage(doc: PdfDoc): void {
  doc.addPage();
  doc.x = left(doc);
  doc.y = doc.page.margins.top;
}

/** Vertical space, never carried over to a new page. */
export function gap(doc: PdfDoc, height: number): void {
  doc.y = Math.min(doc.y + height, bottom(doc));
}

// ---------------------------------------------------------------------------------------------
// Text

export interface TextStyle {
  bold?: boolean;
  size?: number;
  color?: string;
}

/** Single-character widths per font at 1 pt; CJK text is measured one character at a time. */
const charWidths = new Map<string, number>();

function useFont(doc: PdfDoc, style: TextStyle): Measure {
  const font = style.bold ? FONT_BOLD : FONT_REGULAR;
  const size = style.size ?? BODY_SIZE;
  doc.font(font).fontSize(size);
  return (text) => {
    // Re-select the font: other drawing may have switched it since this measure was made.
    if (text.length !== 1) return doc.font(font, size).widthOfString(text);
    const key = font + text;
    let width = charWidths.get(key);
    if (width === undefined) {
      width = doc.font(font, size).widthOfString(text) / size;
      charWidths.set(key, width);
    }
    return width * size;
  };
}

const lineHeightOf = (style: TextStyle): number => (style.size ?? BODY_SIZE) * LINE_SPACING;

/** Wraps `text` to `width` in the given style. */
export function layoutLines(doc: PdfDoc, text: string, width: number, style: TextStyle = {}): string[] {
  return wrapText(text, width, useFont(doc, style));
}

/** Draws already-wrapped lines; does not move `doc.y` or break pages. */
function drawLines(
  doc: PdfDoc,
  lines: string[],
  x: number,
  y: number,
  width: number,
  style: TextStyle,
  align: Align = 'left',
  wordSpacing = 0,
): void {
  const measure = useFont(doc, style);
  const lineHeight = lineHeightOf(style);
  // pdfkit places the glyph box (ascender..descender) at y; centre it in our taller line box.
  const offset = (lineHeight - doc.currentLineHeight()) / 2;
  doc.fillColor(style.color ?? 'black');
  lines.forEach((line, i) => {
    if (line === '') return;
    const lineWidth = align === 'left' ? 0 : measure(line) + wordSpacing * (line.split(' ').length - 1);
    const dx = align === 'center' ? (width - lineWidth) / 2 : align === 'right' ? width - lineWidth : 0;
    doc.text(line, x + dx, y + i * lineHeight + offset, { lineBreak: false, wordSpacing });
  });
  doc.fillColor('black');
}

/** Flowing text across the content width, breaking pages between lines. */
export function paragraph(doc: PdfDoc, text: string, options: TextStyle & { align?: Align; indent?: number } = {}): void {
  const indent = options.indent ?? 0;
  const width = contentWidth(doc) - indent;
  const lineHeight = lineHeightOf(options);
  for (const line of layoutLines(doc, text, width, options)) {
    ensureSpace(doc, lineHeight);
    drawLines(doc, [line], left(doc) + indent, doc.y, width, options, options.align);
    doc.y += lineHeight;
  }
  doc.x = left(doc);
}

const HEADING_STYLES: Record<1 | 2 | 3, TextStyle & { before: number; after: number }> = {
  1: { bold: true, size: 20, before: 0, after: 6 },
  2: { bold: true, size: 13, before: 10, after: 4 },
  3: { bold: true, size: 11, before: 6, after: 2 },
};

/**
 * Level 1 is the document title (centred by default), 2 a section (一、…), 3 a sub-item.
 * A heading is never left alone at the foot of a page: room for it and a few lines
 * (`keepWithNext`, in points) must remain or it moves to the next page.
 */
export function heading(doc: PdfDoc, text: string, options: { level?: 1 | 2 | 3; align?: Align; keepWithNext?: number } = {}): void {
  const level = options.level ?? 2;
  const style = HEADING_STYLES[level];
  const width = contentWidth(doc);
  const lines = layoutLines(doc, text, width, style);
  const height = lines.length * lineHeightOf(style);
  if (!isPageFresh(doc)) gap(doc, style.before);
  ensureSpace(doc, height + (options.keepWithNext ?? BODY_SIZE * LINE_SPACING * 3));
  drawLines(doc, lines, left(doc), doc.y, width, style, options.align ?? (level === 1 ? 'center' : 'left'));
  doc.y += height + style.after;
  doc.x = left(doc);
}

/** A thin full-width rule, e.g. under a document's title block. */
export function rule(doc: PdfDoc, options: { width?: number; color?: string } = {}): void {
  const y = doc.y + 2;
  doc
    .save()
    .moveTo(left(doc), y)
    .lineTo(left(doc) + contentWidth(doc), y)
    .lineWidth(options.width ?? 1)
    .strokeColor(options.color ?? 'black')
    .stroke()
    .restore();
  doc.y = y + 4;
}

// ---------------------------------------------------------------------------------------------
// Grid rows (shared by key/value blocks and tables)

interface Cell {
  x: number;
  width: number;
  lines: string[];
  bold?: boolean;
  align?: Align;
  fill?: string;
}

interface RowOptions {
  size: number;
  /** Adds a page and redraws whatever must head it there (a table's header row). */
  continueOnNewPage: () => void;
  /** Height the new page spends before rows start, so we know whether a row would fit there. */
  headerHeight: number;
}

/** Builds a cell whose text is wrapped to the cell's inner width. */
function cell(doc: PdfDoc, text: string, x: number, width: number, style: Omit<Cell, 'x' | 'width' | 'lines'> & { size: number }): Cell {
  const lines = layoutLines(doc, text, width - 2 * CELL_PADDING_X, { bold: style.bold, size: style.size });
  return { x, width, lines, bold: style.bold, align: style.align, fill: style.fill };
}

/**
 * Draws one row of bordered cells at `doc.y`. A row that does not fit moves to the next page
 * whole; only a row taller than a whole page is split, at a line boundary.
 */
function drawRow(doc: PdfDoc, cells: Cell[], options: RowOptions): void {
  const lineHeight = options.size * LINE_SPACING;
  const totalLines = Math.max(1, ...cells.map((c) => c.lines.length));
  const linesFitting = () => Math.floor((bottom(doc) - doc.y - 2 * CELL_PADDING_Y + 0.01) / lineHeight);
  const pageCapacity = Math.floor((bottom(doc) - doc.page.margins.top - options.headerHeight - 2 * CELL_PADDING_Y) / lineHeight);

  let first = 0;
  while (first < totalLines) {
    const remaining = totalLines - first;
    let count = Math.min(remaining, linesFitting());
    const wholeRowFitsOnNextPage = first === 0 && remaining <= pageCapacity;
    if (count < remaining && (count < 1 || wholeRowFitsOnNextPage)) {
      options.continueOnNewPage();
      count = Math.max(1, Math.min(remaining, linesFitting()));
    }
    drawRowSlice(doc, cells, first, count, options.size);
    first += count;
    if (first < totalLines) options.continueOnNewPage();
  }
}

function drawRowSlice(doc: PdfDoc, cells: Cell[], first: number, count: number, size: number): void {
  const lineHeight = size * LINE_SPACING;
  const height = count * lineHeight + 2 * CELL_PADDING_Y;
  const y = doc.y;
  // All fills before any border, so a shaded cell does not paint over its neighbour's edge.
  for (const c of cells) if (c.fill) doc.save().rect(c.x, y, c.width, height).fill(c.fill).restore();
  for (const c of cells) {
    doc.save().rect(c.x, y, c.width, height).lineWidth(BORDER_WIDTH).strokeColor(BORDER_COLOR).stroke().restore();
    const lines = c.lines.slice(first, first + count);
    drawLines(doc, lines, c.x + CELL_PADDING_X, y + CELL_PADDING_Y, c.width - 2 * CELL_PADDING_X, { bold: c.bold, size }, c.align);
  }
  doc.y = y + height;
  doc.x = left(doc);
}

// ---------------------------------------------------------------------------------------------
// Key/value blocks

export interface KeyValue {
  label: string;
  value: string;
  /** Takes a whole row even when two pairs share a row. */
  wide?: boolean;
}

/**
 * Label/value pairs as a bordered form: shaded label cells, values wrapping in their cell.
 * With `pairsPerRow: 2`, consecutive non-wide pairs share a row (名称 … | 电话 …).
 */
export function keyValueRows(doc: PdfDoc, pairs: KeyValue[], options: { labelWidth?: number; pairsPerRow?: 1 | 2; size?: number } = {}): void {
  const size = options.size ?? BODY_SIZE;
  const labelWidth = options.labelWidth ?? cm(2.8);
  const x0 = left(doc);
  const total = contentWidth(doc);
  const rowOptions: RowOptions = { size, headerHeight: 0, continueOnNewPage: () => newPage(doc) };

  const rows: KeyValue[][] = [];
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i];
    const next = pairs[i + 1];
    if (options.pairsPerRow === 2 && !pair.wide && next && !next.wide) {
      rows.push([pair, next]);
      i++;
    } else {
      rows.push([pair]);
    }
  }

  for (const row of rows) {
    const valueWidth = row.length === 2 ? total / 2 - labelWidth : total - labelWidth;
    const cells = row.flatMap((pair, i) => {
      const x = x0 + i * (total / 2);
      return [
        cell(doc, pair.label, x, labelWidth, { size, bold: true, fill: LABEL_FILL }),
        cell(doc, pair.value, x + labelWidth, valueWidth, { size }),
      ];
    });
    drawRow(doc, cells, rowOptions);
  }
}

// ---------------------------------------------------------------------------------------------
// Tables

export interface TableColumn {
  header: string;
  /** Points; columns without a width share what is left of the content width. */
  width?: number;
  align?: Align;
}

export interface TableSpec {
  columns: TableColumn[];
  rows: string[][];
  /** Bold, shaded rows after the body, such as 合计. */
  summaryRows?: string[][];
  /** Draw the header row again at the top of every page the table continues on (default true). */
  repeatHeader?: boolean;
  size?: number;
}

/**
 * A bordered table with fixed column widths. Cells wrap; rows move to the next page whole
 * (unless taller than a page) and the header row is repeated there. pdfkit's own `doc.table`
 * wraps too but does not repeat the header.
 */
export function table(doc: PdfDoc, spec: TableSpec): void {
  const size = spec.size ?? BODY_SIZE;
  const widths = columnWidths(spec.columns, contentWidth(doc));
  const xs = widths.map((_, i) => left(doc) + widths.slice(0, i).reduce((a, b) => a + b, 0));
  const makeCells = (texts: string[], style: { bold?: boolean; fill?: string; header?: boolean }) =>
    spec.columns.map((column, i) =>
      cell(doc, texts[i] ?? '', xs[i], widths[i], { size, bold: style.bold, fill: style.fill, align: style.header ? 'center' : column.align }),
    );

  const headerCells = makeCells(
    spec.columns.map((c) => c.header),
    { bold: true, fill: HEADER_FILL, header: true },
  );
  const headerHeight = Math.max(...headerCells.map((c) => c.lines.length)) * size * LINE_SPACING + 2 * CELL_PADDING_Y;
  const repeat = spec.repeatHeader ?? true;
  const drawHeader = () => drawRow(doc, headerCells, { size, headerHeight: 0, continueOnNewPage: () => newPage(doc) });
  const continueOnNewPage = () => {
    newPage(doc);
    if (repeat) drawHeader();
  };
  const rowOptions: RowOptions = { size, headerHeight: repeat ? headerHeight : 0, continueOnNewPage };

  // Never leave the header alone at the foot of a page.
  const bodyRows = [...spec.rows.map((r) => makeCells(r, {})), ...(spec.summaryRows ?? []).map((r) => makeCells(r, { bold: true, fill: LABEL_FILL }))];
  const firstRowHeight = bodyRows.length > 0 ? Math.max(...bodyRows[0].map((c) => c.lines.length)) * size * LINE_SPACING + 2 * CELL_PADDING_Y : 0;
  ensureSpace(doc, headerHeight + Math.min(firstRowHeight, size * LINE_SPACING * 3));
  drawHeader();
  for (const cells of bodyRows) drawRow(doc, cells, rowOptions);
}

function columnWidths(columns: TableColumn[], available: number): number[] {
  const fixed = columns.reduce((sum, c) => sum + (c.width ?? 0), 0);
  const flexible = columns.filter((c) => c.width === undefined).length;
  const share = flexible > 0 ? Math.max(0, available - fixed) / flexible : 0;
  return columns.map((c) => c.width ?? share);
}

// ---------------------------------------------------------------------------------------------
// Images

export interface Thumbnail {
  /** null draws the 「图片无法显示」 placeholder (an image that could not be decoded). */
  data: Buffer | null;
  caption?: string;
}

/**
 * Photos as a grid of fixed boxes (default 4 × 3 cm, 3 per row), each image fitted and centred
 * in its box with a wrapped caption below. A row of photos is never split across pages. An
 * unreadable image becomes a labelled empty box rather than failing the whole document.
 * Pass only images from `pdfSafeImage` (./safe-image): pdfkit's PNG decoder can crash the process on bad data.
 */
export function thumbnails(doc: PdfDoc, images: Thumbnail[], options: { width?: number; height?: number; perRow?: number } = {}): void {
  const width = options.width ?? cm(4);
  const height = options.height ?? cm(3);
  const perRow = options.perRow ?? 3;
  const spacing = cm(0.6);
  const captionStyle: TextStyle = { size: SMALL_SIZE, color: MUTED_COLOR };

  for (let start = 0; start < images.length; start += perRow) {
    const row = images.slice(start, start + perRow);
    const captions = row.map((image) => (image.caption ? layoutLines(doc, image.caption, width, captionStyle) : []));
    const captionHeight = Math.max(...captions.map((c) => c.length)) * lineHeightOf(captionStyle);
    ensureSpace(doc, height + captionHeight + 4);
    const y = doc.y;
    row.forEach((image, i) => {
      const x = left(doc) + i * (width + spacing);
      drawImageInBox(doc, image.data, x, y, width, height);
      drawLines(doc, captions[i], x, y + height + 2, width, captionStyle, 'center');
    });
    doc.y = y + height + captionHeight + 4 + spacing / 2;
  }
  doc.x = left(doc);
}

function drawImageInBox(doc: PdfDoc, data: Buffer | null, x: number, y: number, width: number, height: number, emptyText = '（图片无法显示）'): void {
  let drawn = false;
  if (data) {
    try {
      doc.image(data, x, y, { fit: [width, height], align: 'center', valign: 'center' });
      drawn = true;
    } catch {
      // Not a JPEG/PNG pdfkit can read; fall through to the placeholder.
    }
  }
  if (!drawn) {
    doc.save().rect(x, y, width, height).lineWidth(BORDER_WIDTH).dash(2, { space: 2 }).strokeColor('#999999').stroke().restore();
    const style: TextStyle = { size: SMALL_SIZE, color: MUTED_COLOR };
    drawLines(doc, [emptyText], x, y + height / 2 - lineHeightOf(style) / 2, width, style, 'center');
  }
}

// ---------------------------------------------------------------------------------------------
// Signatures

export interface SignatureBox {
  /** e.g. 检查人员签名, 机构负责人签收 */
  label: string;
  name: string;
  /** PNG of the on-screen signature; null when not signed. */
  image: Buffer | null;
  /** Signed, but the image could not be decoded: a placeholder instead of 「（未签名）」. */
  unreadable?: boolean;
  /** Already formatted; null when not signed. */
  time: string | null;
}

/**
 * Signature boxes, 3 per row: label, the signature scaled into 4 × 1.5 cm (or 「（未签名）」),
 * then name and time. A box is never split across pages.
 */
export function signatures(doc: PdfDoc, boxes: SignatureBox[]): void {
  const perRow = 3;
  const spacing = cm(0.5);
  const width = (contentWidth(doc) - (perRow - 1) * spacing) / perRow;
  const imageWidth = cm(4);
  const imageHeight = cm(1.5);
  const small: TextStyle = { size: SMALL_SIZE };
  const lineHeight = lineHeightOf(small);
  const padding = 5;

  for (let start = 0; start < boxes.length; start += perRow) {
    const row = boxes.slice(start, start + perRow);
    const texts = row.map((box) => ({
      label: layoutLines(doc, box.label, width - 2 * padding, { ...small, bold: true }),
      name: layoutLines(doc, `姓名：${box.name}`, width - 2 * padding, small),
      time: layoutLines(doc, `时间：${box.time ?? '—'}`, width - 2 * padding, small),
    }));
    const textLines = Math.max(...texts.map((t) => t.label.length + t.name.length + t.time.length));
    const boxHeight = 2 * padding + textLines * lineHeight + imageHeight + 4;
    ensureSpace(doc, boxHeight);
    const y = doc.y;

    row.forEach((box, i) => {
      const x = left(doc) + i * (width + spacing);
      const inner = x + padding;
      const innerWidth = width - 2 * padding;
      const t = texts[i];
      doc.save().rect(x, y, width, boxHeight).lineWidth(BORDER_WIDTH).strokeColor(BORDER_COLOR).stroke().restore();
      let cursor = y + padding;
      drawLines(doc, t.label, inner, cursor, innerWidth, { ...small, bold: true });
      cursor += t.label.length * lineHeight + 2;
      const imageX = inner + (innerWidth - Math.min(imageWidth, innerWidth)) / 2;
      if (box.image || box.unreadable) {
        drawImageInBox(doc, box.image, imageX, cursor, Math.min(imageWidth, innerWidth), imageHeight, '（签名图像无法显示）');
      } else {
        const style: TextStyle = { size: BODY_SIZE, color: MUTED_COLOR };
        drawLines(doc, ['（未签名）'], inner, cursor + imageHeight / 2 - lineHeightOf(style) / 2, innerWidth, style, 'center');
      }
      cursor += imageHeight + 2;
      drawLines(doc, [...t.name, ...t.time], inner, cursor, innerWidth, small);
    });
    doc.y = y + boxHeight + spacing;
  }
  doc.x = left(doc);
}

// ---------------------------------------------------------------------------------------------
// Output

/**
 * Writes 「第 x 页 / 共 n 页」 centred in every page's footer (with `footerNote`, e.g. the
 * document number, on the left), ends the document and resolves with its bytes.
 */
export function finalize(doc: PdfDoc, options: { footerNote?: string } = {}): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    // The document is a paused stream until now: everything written so far is still buffered.
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    try {
      writeFooters(doc, options.footerNote);
      doc.end();
    } catch (error) {
      reject(error);
    }
  });
}

function writeFooters(doc: PdfDoc, note: string | undefined): void {
  const { start, count } = doc.bufferedPageRange();
  const style: TextStyle = { size: SMALL_SIZE, color: MUTED_COLOR };
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    const x = left(doc);
    const width = contentWidth(doc);
    const ruleY = bottom(doc) + cm(0.5);
    doc.save().moveTo(x, ruleY).lineTo(x + width, ruleY).lineWidth(BORDER_WIDTH).strokeColor('#999999').stroke().restore();

    const pageText = `第 ${i - start + 1} 页 / 共 ${count} 页`;
    // Wider spaces: with plain ones (≈ 0.22 em) `pdftotext -layout` reads 「第1页/共3页」,
    // so neither search nor tests would find the page number as printed.
    const wordSpacing = 0.4 * SMALL_SIZE;
    const measure = useFont(doc, style);
    const textY = ruleY + 3;
    drawLines(doc, [pageText], x, textY, width, style, 'center', wordSpacing);
    if (note) {
      // Left of the page number when there is room, otherwise centred on the line below.
      const room = (width - measure(pageText) - 4 * wordSpacing) / 2 - cm(0.5);
      const fitsBeside = measure(note) <= room;
      const lines = fitsBeside ? [note] : layoutLines(doc, note, width, style);
      const line = lines.length > 1 ? `${Array.from(lines[0]).slice(0, -1).join('')}…` : lines[0];
      drawLines(doc, [line], x, fitsBeside ? textY : textY + lineHeightOf(style), width, style, fitsBeside ? 'left' : 'center');
    }
  }
}
