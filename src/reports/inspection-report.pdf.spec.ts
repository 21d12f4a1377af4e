import { pdfPageCount, pdfText, savePdf } from '../../test/support/pdf';
import { deflateSync } from 'node:zlib';
import { InspectionReportData, renderInspectionReport } from './inspection-report.pdf';

// ---- test images -----------------------------------------------------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, body: Buffer): Buffer {
  const typeAndBody = Buffer.concat([Buffer.from(type, 'ascii'), body]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndBody));
  return Buffer.concat([length, typeAndBody, crc]);
}

/** An 8-bit RGBA PNG whose pixels come from `pixel(x, y)`. */
function png(width: number, height: number, pixel: (x: number, y: number) => [number, number, number, number]): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // bit depth 8, colour type RGBA
  const raw = Buffer.alloc(height * (1 + width * 4));
  for (let y = 0; y < height; y++) {
    const row = y * (1 + width * 4); // filter byte 0 (none) starts each row
    for (let x = 0; x < width; x++) raw.set(pixel(x, y), row + 1 + x * 4);
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** A 32 × 24 baseline JPEG (a red door under a blue sky), rendered once with pdftoppm. */
const JPEG = Buffer.from(
  [
    '/9j/4AAQSkZJRgABAQEAJAAkAAD/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeX',
    'BkeFxlZ2P/2wBDARESEhgVGC8aGi9jQjhCY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2P/wAARCAAY',
    'ACADASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhBy',
    'JxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKT',
    'lJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAA',
    'AAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRom',
    'JygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExc',
    'bHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwC6zqgy7BR6k4pn2iH/AJ6x/wDfQqvqZBt1wR98fyNZdVUruErI',
    '1oYRVYczdjo4lVpFDHAJ5qS6jSNwE7jkelV9y+o/OjcvqPzq3G9RT5tOxyL4bWKssSzKFYkAHPFQ/Yo/7z/mKKK4bHeqkoqyZZooooIP/9k=',
  ].join(''),
  'base64',
);

/** A 40 × 20 grey-and-white pattern standing in for a site photo. */
const PHOTO_PNG = png(40, 20, (x, y) => ((Math.floor(x / 5) + Math.floor(y / 5)) % 2 ? [90, 110, 130, 255] : [230, 235, 240, 255]));
/** A transparent PNG with a dark-blue scribble, like an on-screen signature. */
const SIGNATURE_PNG = png(160, 60, (x, y) => (Math.abs(y - (30 + 18 * Math.sin(x / 9))) < 2.5 ? [20, 30, 90, 255] : [0, 0, 0, 0]));

// ---- data ------------------------------------------------------------------------------------

const LONG_NOTE =
  '三楼东侧疏散通道堆放轮椅、被褥和纸箱等杂物，占用通道宽度约一半；该通道是失能老人居住区唯一的第二安全出口，' +
  '夜间值班人员仅一名，一旦发生火灾将严重影响人员疏散。现场询问值班人员，表示杂物已堆放约两周，未纳入日常防火巡查记录。';

function reportData(overrides: Partial<InspectionReportData> = {}): InspectionReportData {
  return {
    reportNo: '常民安检〔2026〕第0007号',
    bureauName: '常州市天宁区民政局',
    institution: {
      name: '常州市天宁区红梅街道颐康老年公寓',
      address: '江苏省常州市天宁区红梅街道竹林北路188号颐康大厦东楼一至四层（近红梅公园北门）',
      creditCode: '52320402MJ5821346X',
      kindLabel: '民办养老机构',
      contactName: '王秀英',
      contactPhone: '0519-88123456',
    },
    inspection: {
      kindLabel: '日常检查',
      startedAt: new Date('2026-11-23T02:05:00Z'),
      submittedAt: new Date('2026-11-23T04:40:00Z'),
      planName: '2026年第四季度养老机构消防安全专项检查',
    },
    team: [
      { name: '李建国', roleLabel: '组长' },
      { name: '陈晓燕', roleLabel: '检查员' },
      { name: '周明', roleLabel: '消防专家' },
    ],
    checklist: { title: '养老机构服务安全基本规范检查表', versionNo: 3, contentHash: '9f2c41d7ab03e58816cc0f4e2b6a7d19' },
    summary: Array.from({ length: 22 }, (_, i) => ({
      categoryTitle: i === 3 ? '消防设施器材、疏散通道、安全出口及应急照明和疏散指示标志的设置与日常维护保养情况' : `检查类别${i + 1}：安全管理制度与责任落实`,
      passed: 10 + i,
      failed: i % 4,
      notApplicable: i % 3,
    })),
    findings: [
      {
        itemCode: 'XF-3.2',
        title: '疏散通道堆放杂物，占用疏散宽度',
        basis: '《养老机构服务安全基本规范》（GB 38600—2019）第6.4条；《中华人民共和国消防法》第二十八条：任何单位、个人不得占用、堵塞、封闭疏散通道、安全出口。',
        location: '颐康大厦东楼三层东侧走廊（失能老人居住区）',
        severityLabel: '重大隐患',
        scopeLabel: '局部',
        note: LONG_NOTE,
        deadline: '立即整改',
        photos: [
          { data: JPEG, caption: '东侧走廊堆放的轮椅和纸箱' },
          { data: PHOTO_PNG, caption: '疏散指示标志被遮挡' },
        ],
      },
      {
        itemCode: 'XF-5.1',
        title: '部分应急照明灯具不能正常点亮',
        basis: '《建筑设计防火规范》（GB 50016—2014，2018年版）第10.3节',
        location: '二层、三层楼梯间',
        severityLabel: '一般隐患',
        scopeLabel: '多处',
        note: '断电测试时二层、三层楼梯间共4盏应急照明灯不亮。',
        deadline: '2026年12月23日（30天）',
        photos: [],
      },
      {
        itemCode: 'FW-2.7',
        title: '老年人入院评估记录不完整',
        basis: '《养老机构等级划分与评定》（GB/T 37276—2018）',
        location: '档案室',
        severityLabel: '一般隐患',
        scopeLabel: '个别',
        note: '抽查10份档案，其中2份缺少能力评估表。',
        deadline: '2026年12月8日（15天）',
        photos: [],
      },
    ],
    signatures: [
      { label: '检查人员签名', name: '李建国', image: SIGNATURE_PNG, signedAt: new Date('2026-11-23T04:35:00Z') },
      { label: '检查人员签名', name: '陈晓燕', image: SIGNATURE_PNG, signedAt: new Date('2026-11-23T04:36:00Z') },
      { label: '机构负责人签收', name: '王秀英', image: null, signedAt: null },
    ],
    generatedAt: new Date('2026-11-23T04:41:00Z'),
    ...overrides,
  };
}

// ---- helpers ---------------------------------------------------------------------------------

// ---- specs -----------------------------------------------------------------------------------

describe('renderInspectionReport', () => {
  let file: string;
  let all: string;
  let pages: number;

  beforeAll(async () => {
    file = savePdf('inspection-report.pdf', await renderInspectionReport(reportData()));
    all = pdfText(file);
    pages = pdfPageCount(file);
  });

  it('is a PDF of at least two pages', () => {
    expect(pages).toBeGreaterThanOrEqual(2);
  });

  it('shows the title, report number, bureau and institution', () => {
    expect(all).toContain('养老机构安全检查记录');
    expect(all).toContain('常民安检〔2026〕第0007号');
    expect(all).toContain('常州市天宁区民政局');
    expect(all).toContain('常州市天宁区红梅街道颐康老年公寓');
    expect(all).toContain('52320402MJ5821346X');
  });

  it('shows times in Beijing time and the checklist version with a shortened hash', () => {
    expect(all).toContain('2026年11月23日 10:05');
    expect(all).toContain('2026年11月23日 12:40');
    expect(all).toContain('第 3 版，内容校验码 9f2c41d7ab03）');
    expect(all).not.toContain('9f2c41d7ab03e');
  });

  it('lists the findings with their details', () => {
    expect(all).toContain('1. 疏散通道堆放杂物，占用疏散宽度');
    expect(all).toContain('3. 老年人入院评估记录不完整');
    expect(all).toContain('重大隐患');
    expect(all).toContain('立即整改');
    expect(all).toContain('2026年12月23日（30天）');
    expect(all).toContain('东侧走廊堆放的轮椅和纸箱');
  });

  it('wraps long text without losing any of it', () => {
    const flattened = all.replace(/\s+/g, '');
    expect(flattened).toContain(LONG_NOTE);
    // The long note cannot fit on one line: some line must hold only part of it.
    expect(all.split('\n').some((l) => l.includes('三楼东侧疏散通道') && !l.includes('未纳入日常防火巡查记录'))).toBe(true);
  });

  it('never starts a line with closing punctuation', () => {
    const starts = all.split('\n').map((l) => l.trim().slice(0, 1));
    for (const mark of ['，', '。', '、', '；', '）', '》']) expect(starts).not.toContain(mark);
  });

  it('numbers every page 「第 x 页 / 共 n 页」', () => {
    expect(all).toContain(`第 1 页 / 共 ${pages} 页`);
    expect(all).toContain(`第 ${pages} 页 / 共 ${pages} 页`);
    for (let page = 1; page <= pages; page++) expect(pdfText(file, page)).toContain(`第 ${page} 页 / 共 ${pages} 页`);
  });

  it('repeats the summary table header on the next page', () => {
    const page2 = pdfText(file, 2);
    expect(page2).toMatch(/类别\s+合格\s+不合格\s+不适用/);
    expect(page2).toMatch(/合计\s+\d+/);
  });

  it('marks unsigned signatures', () => {
    expect(all).toContain('（未签名）');
    expect(all).toContain('姓名：王秀英');
    expect(all).toContain('时间：2026年11月23日 12:35');
  });

  it('says so when nothing was found', async () => {
    const empty = savePdf('inspection-report-empty.pdf', await renderInspectionReport(reportData({ findings: [], summary: reportData().summary.slice(0, 2) })));
    const content = pdfText(empty);
    expect(content).toContain('本次检查未发现问题。');
    expect(content).toContain(`第 1 页 / 共 ${pdfPageCount(empty)} 页`);
  });

  it('prints the 检查码 line and the team’s 执法证号 (未登记 when missing); no line for a record without a code', async () => {
    const base = reportData();
    const coded = savePdf('inspection-report-code.pdf', await renderInspectionReport(reportData({
      inspection: { ...base.inspection, codeVerification: '未经被检查机构核验检查码' },
      team: [{ name: '李建国', roleLabel: '组长', warrantNo: '苏32040200017' }, { name: '陈晓燕', roleLabel: '组员', warrantNo: null }],
    })));
    const text = pdfText(coded).replace(/\s+/g, '');
    expect(text).toContain('检查码核验未经被检查机构核验检查码');
    expect(text).toContain('李建国（组长·执法证号苏32040200017）');
    expect(text).toContain('陈晓燕（组员·执法证号未登记）');
    expect(all).not.toContain('检查码核验');
    expect(all).not.toContain('执法证号');
  });

  it('renders a typical report well within interactive time', async () => {
    const data = reportData();
    await renderInspectionReport(data);
    const started = performance.now();
    await renderInspectionReport(data);
    // A loose sanity bound only; real timings are recorded by hand, not asserted.
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
