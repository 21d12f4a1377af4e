/**
 * Tabular exports a bureau opens in Excel or WPS: CSV and XLSX from the same column definitions.
 *
 * Both are built for streaming rows from a database cursor in constant memory:
 * - CSV: {@link csvTransform} (object rows in, text out) or {@link csvHeader} + {@link csvLine}.
 * - XLSX: {@link writeXlsx} uses exceljs's streaming WorkbookWriter; only the first
 *   {@link WIDTH_SAMPLE_ROWS} rows of a sheet are held (to measure column widths), every other
 *   row is committed as it arrives, and the writer waits for `out` to drain.
 *
 * Conventions:
 * - Dates are instants; they are shown as Asia/Shanghai wall time (XLSX cells are real dates,
 *   shifted by +8 h because Excel dates have no time zone; CSV prints "2026-11-23 10:05:00").
 * - A column whose `numFmt` has no hour part ("yyyy-mm-dd") prints dates as calendar days.
 * - Numbers stay numbers (no injection guard: "-5" must remain minus five).
 * - Text cells starting with = + - @ TAB CR get a leading ' in CSV, where Excel would otherwise
 *   run them as formulas (CSV injection). XLSX cells are typed strings and never evaluated.
 */
import type * as ExcelJS from 'exceljs';
import { once } from 'node:events';
import { Transform, Writable } from 'node:stream';

export interface Column<T> {
  key: string;
  /** Chinese header text. */
  header: string;
  /** Width in Excel characters; measured from the data when omitted. */
  width?: number;
  value: (row: T) => string | number | Date | null;
  /** Excel number format, e.g. "#,##0.00", "0.0", "yyyy-mm-dd". */
  numFmt?: string;
}

type CellValue = string | number | Date | null;

const BOM = '\ufeff';
const CRLF = '\r\n';
const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000;
/** Rows of each sheet measured for column widths before any row is written. */
export const WIDTH_SAMPLE_ROWS = 200;
const MAX_WIDTH = 60;
const MIN_WIDTH = 6;
/** Excel's limit on the text of one cell. */
const MAX_CELL_CHARS = 32767;
const DEFAULT_DATE_FORMAT = 'yyyy-mm-dd hh:mm';
/** Rows written between yields to the event loop (so zlib and `out` can catch up). */
const YIELD_EVERY = 256;

// ---------------------------------------------------------------------------------------------
// Values

/** Characters that make Excel treat a cell typed into it (or read from CSV) as a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;
/** Not allowed in XML 1.0 (and so in XLSX): control characters other than TAB, LF, CR. */
const XML_INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

const isDateOnly = (numFmt: string | undefined): boolean => numFmt !== undefined && !/h/i.test(numFmt.replace(/"[^"]*"/g, ''));

/** Asia/Shanghai wall time of an instant as a Date whose UTC fields read as that wall time. */
const shanghaiWallTime = (at: Date): Date => new Date(at.getTime() + SHANGHAI_OFFSET_MS);

function normalise(value: CellValue | undefined): CellValue {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  return String(value);
}

/** Decimal places a numFmt shows ("#,##0.00" → 2), or undefined for general formats. */
function decimalsOf(numFmt: string | undefined): number | undefined {
  const positive = numFmt?.split(';')[0].replace(/"[^"]*"|\[[^\]]*\]/g, '');
  if (!positive || !/[0#]/.test(positive)) return undefined;
  return /\.([0#]+)/.exec(positive)?.[1].length ?? 0;
}

/** Text of a value as printed in CSV (and as measured for widths). */
function displayText(value: CellValue, numFmt: string | undefined): string {
  if (value === null) return '';
  if (value instanceof Date) {
    const iso = shanghaiWallTime(value).toISOString();
    return isDateOnly(numFmt) ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
  }
  if (typeof value === 'number') {
    const decimals = decimalsOf(numFmt);
    return decimals === undefined ? String(value) : value.toFixed(decimals);
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// CSV (RFC 4180, UTF-8 with BOM so Excel reads Chinese correctly, CRLF line ends)

function csvField(value: CellValue, numFmt: string | undefined): string {
  let text = displayText(value, numFmt);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** BOM + the header line (with CRLF). */
export function csvHeader(columns: Column<any>[]): string {
  return BOM + columns.map((c) => csvField(c.header, undefined)).join(',') + CRLF;
}

/** One data line (with CRLF). */
export function csvLine<T>(columns: Column<T>[], row: T): string {
  return columns.map((c) => csvField(normalise(c.value(row)), c.numFmt)).join(',') + CRLF;
}

/**
 * Object-mode rows in, CSV text out, the header first (also when no row comes):
 * `pipeline(cursor, csvTransform(columns), res)`.
 */
export function csvTransform<T>(columns: Column<T>[]): Transform {
  const transform = new Transform({
    writableObjectMode: true,
    readableObjectMode: false,
    transform(row: T, _encoding, callback) {
      try {
        callback(null, csvLine(columns, row));
      } catch (error) {
        callback(error as Error);
      }
    },
  });
  transform.push(csvHeader(columns));
  return transform;
}

// ---------------------------------------------------------------------------------------------
// XLSX

export interface XlsxSheet<T> {
  name: string;
  columns: Column<T>[];
  rows: AsyncIterable<T> | Iterable<T>;
  /** A line above the header (merged across the columns), e.g. "常州市天宁区 养老机构安全合规得分（2026年11月23日导出）". */
  title?: string;
}

/** Display width in Excel character units: CJK and full-width characters count double. */
export function textWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    const wide =
      (code >= 0x1100 && code <= 0x115f) ||
      (code >= 0x2e80 && code <= 0xa4cf) ||
      (code >= 0xac00 && code <= 0xd7a3) ||
      (code >= 0xf900 && code <= 0xfaff) ||
      (code >= 0xfe30 && code <= 0xfe4f) ||
      (code >= 0xff00 && code <= 0xff60) ||
      (code >= 0xffe0 && code <= 0xffe6) ||
      code >= 0x20000;
    width += wide ? 2 : 1;
  }
  return width;
}

function measuredWidth(text: string, numFmt: string | undefined, isDate: boolean): number {
  // A date shows as its format; numbers with separators grow by one per thousand group.
  if (isDate) return (numFmt ?? DEFAULT_DATE_FORMAT).replace(/"[^"]*"|\\|\[[^\]]*\]/g, '').length;
  const longestLine = Math.max(0, ...text.split('\n').map(textWidth));
  return longestLine + (numFmt?.includes(',') ? Math.floor(text.replace(/\..*$/, '').length / 3) : 0);
}

/** Excel sheet names: ≤ 31 characters, none of []:*?/\, not empty, unique (case-insensitive). */
function sheetName(name: string, used: Set<string>): string {
  const base = Array.from(name.replace(/[[\]:*?/\\]/g, '_').replace(/^'+|'+$/g, '').trim() || 'Sheet').slice(0, 31).join('');
  let candidate = base;
  for (let n = 2; used.has(candidate.toLowerCase()); n++) {
    const suffix = `(${n})`;
    candidate = Array.from(base).slice(0, 31 - suffix.length).join('') + suffix;
  }
  used.add(candidate.toLowerCase());
  return candidate;
}

function xlsxValue(value: CellValue): ExcelJS.CellValue {
  if (value === null) return null;
  if (value instanceof Date) return shanghaiWallTime(value);
  if (typeof value === 'number') return value;
  // XML turns CR LF into LF anyway; Excel breaks lines in a cell at LF.
  const text = value.replace(XML_INVALID, '').replace(/\r\n?/g, '\n');
  return text.length > MAX_CELL_CHARS ? text.slice(0, MAX_CELL_CHARS - 1) + '…' : text;
}

async function* iterate<T>(rows: AsyncIterable<T> | Iterable<T>): AsyncGenerator<T> {
  if (Symbol.asyncIterator in rows) yield* rows as AsyncIterable<T>;
  else yield* rows as Iterable<T>;
}

/** Lets zlib and the consumer run, and waits while `out` is full; fails if `out` was closed. */
async function pace(out: NodeJS.WritableStream): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  const writable = out as Partial<Writable>;
  if (writable.destroyed) throw new Error('XLSX output stream was closed before the export finished');
  if (writable.writableNeedDrain) {
    // Both listeners are removed afterwards (no build-up over thousands of waits).
    const done = new AbortController();
    const wait = (event: string) => once(out as Writable, event, { signal: done.signal }).catch(() => undefined);
    try {
      await Promise.race([wait('drain'), wait('close'), wait('error')]);
    } finally {
      done.abort();
    }
    if (writable.destroyed) throw new Error('XLSX output stream was closed before the export finished');
  }
}

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE6E6E6' } };
const HEADER_BORDER: Partial<ExcelJS.Borders> = { bottom: { style: 'thin', color: { argb: 'FF808080' } } };

/**
 * Writes an XLSX workbook to `out` (and ends it): per sheet a bold, shaded, frozen, filterable
 * Chinese header (row 2 under a merged title line when `title` is given), numbers as numbers,
 * dates as dates in Asia/Shanghai, text as text. Rows stream through in constant memory.
 * On failure the promise rejects and `out` is left for the caller to destroy.
 */
export async function writeXlsx<T>(out: NodeJS.WritableStream, sheets: XlsxSheet<T>[]): Promise<void> {
  // exceljs (with its zip and XML stack, ≈ 20 MB resident) is loaded on the first workbook, not at boot: the API
  // process then carries it only once someone downloads an XLSX (see docs/adr/0006-benchmarks.md, export memory).
  const { stream } = await import('exceljs');
  const workbook = new stream.xlsx.WorkbookWriter({ stream: out as unknown as import('node:stream').Stream, useStyles: true, useSharedStrings: false });
  workbook.creator = '颐安 Yi’an';
  workbook.created = new Date();
  const usedNames = new Set<string>();

  for (const sheet of sheets) {
    const { columns } = sheet;
    const headerRow = sheet.title ? 2 : 1;
    const worksheet = workbook.addWorksheet(sheetName(sheet.name, usedNames), {
      views: [{ state: 'frozen', xSplit: 0, ySplit: headerRow, topLeftCell: `A${headerRow + 1}`, activeCell: `A${headerRow + 1}` }],
      pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
    });

    // Hold the first rows to measure widths: <cols> precedes <sheetData> in the sheet XML.
    const source = iterate(sheet.rows);
    let lastRow = headerRow;
    try {
      const sample: CellValue[][] = [];
      let done = false;
      while (sample.length < WIDTH_SAMPLE_ROWS) {
        const next = await source.next();
        if (next.done) {
          done = true;
          break;
        }
        sample.push(columns.map((c) => normalise(c.value(next.value))));
      }
      worksheet.columns = columns.map((column, i) => {
        let width = column.width;
        if (width === undefined) {
          width = textWidth(column.header) + 2; // + the filter button
          for (const values of sample) {
            const value = values[i];
            width = Math.max(width, measuredWidth(displayText(value, column.numFmt), column.numFmt, value instanceof Date));
          }
          width = Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, width + 2));
        }
        return { key: column.key, width };
      });

      if (sheet.title) {
        const titleRow = worksheet.addRow([xlsxValue(sheet.title)]);
        titleRow.height = 24;
        titleRow.getCell(1).font = { bold: true, size: 14 };
        titleRow.getCell(1).alignment = { vertical: 'middle' };
        if (columns.length > 1) worksheet.mergeCells(1, 1, 1, columns.length);
        titleRow.commit();
      }
      const header = worksheet.addRow(columns.map((c) => xlsxValue(c.header)));
      header.eachCell((cell) => {
        cell.font = { bold: true };
        cell.fill = HEADER_FILL;
        cell.border = HEADER_BORDER;
        cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
      });
      header.commit();

      const writeValues = (values: CellValue[]) => {
        const row = worksheet.addRow(values.map(xlsxValue));
        values.forEach((value, i) => {
          const numFmt = columns[i].numFmt ?? (value instanceof Date ? DEFAULT_DATE_FORMAT : undefined);
          if (numFmt && value !== null && typeof value !== 'string') row.getCell(i + 1).numFmt = numFmt;
        });
        row.commit();
        lastRow++;
      };
      for (const values of sample) {
        writeValues(values);
        if (lastRow % YIELD_EVERY === 0) await pace(out);
      }
      sample.length = 0;
      if (!done) {
        for (let next = await source.next(); !next.done; next = await source.next()) {
          writeValues(columns.map((c) => normalise(c.value(next.value))));
          if (lastRow % YIELD_EVERY === 0) await pace(out);
        }
      }
    } finally {
      // Closes a database cursor when we stop early (an error here or in `out`).
      await source.return(undefined);
    }

    worksheet.autoFilter = { from: { row: headerRow, column: 1 }, to: { row: lastRow, column: Math.max(1, columns.length) } };
    // Each sheet is one zip entry; the next can only stream once this one is finished.
    worksheet.commit();
  }
  await workbook.commit();
}
