import { pdfPageCount, pdfText, savePdf, squash } from '../../test/support/pdf';
import { inflateSync } from 'node:zlib';
import QRCode from 'qrcode';
import { qrMatrix } from './notice-qr';
import { QR_CAPTION, QR_SIDE, RectificationNoticeData, renderRectificationNotice } from './notice.pdf';

// ---- data ------------------------------------------------------------------------------------

const LONG_BASIS =
  '《养老机构服务安全基本规范》（GB 38600—2019）第6.4条；《中华人民共和国消防法》第二十八条：任何单位、个人不得损坏、挪用或者擅自拆除、' +
  '停用消防设施、器材，不得埋压、圈占、遮挡消火栓或者占用防火间距，不得占用、堵塞、封闭疏散通道、安全出口、消防车通道。';
const LONG_INTERIM =
  '立即清除三楼东侧疏散通道内堆放的轮椅、被褥和纸箱，恢复疏散宽度；整改完成前每两小时巡查一次并做好记录，夜间增派一名值班人员，' +
  '确保失能老人居住区第二安全出口畅通。';
const RESPOND = [
  '你单位应当在整改期限届满前，登录颐安养老机构安全监管平台（机构端）逐项提交整改情况，并上传整改前后对比照片、维修或采购凭证等佐证材料；' +
    '不具备网上提交条件的，可将书面整改报告（加盖单位公章）及佐证材料送至本局养老服务科。',
  '因客观原因确需延期整改的，应当在整改期限届满 3 个工作日前提出书面延期申请，说明理由和拟完成时间；延期申请经本局同意后方可延期。',
  '你单位对本通知书认定的隐患有异议的，可以自收到本通知书之日起 5 个工作日内向本局提出陈述和申辩；逾期未提出的，视为放弃上述权利。',
];

type Hazard = RectificationNoticeData['hazards'][number];

const HAZARDS: Hazard[] = [
  {
    no: 1,
    itemCode: 'XF-3.2',
    title: '疏散通道堆放杂物，占用疏散宽度',
    basis: LONG_BASIS,
    location: '颐康大厦东楼三层东侧走廊（失能老人居住区）',
    severityLabel: '重大隐患（MZ2023-4.2）',
    dueDate: '2026-11-23',
    deadlineDays: 0,
    interim: LONG_INTERIM,
  },
  {
    no: 2,
    itemCode: 'XF-5.1',
    title: '部分应急照明灯具不能正常点亮',
    basis: '《建筑设计防火规范》（GB 50016—2014，2018年版）第10.3节',
    location: '二层、三层楼梯间',
    severityLabel: '一般隐患',
    dueDate: '2026-12-23',
    deadlineDays: 30,
    interim: null,
  },
  {
    no: 3,
    itemCode: 'FW-2.7',
    title: '老年人入院评估记录不完整',
    basis: '《养老机构等级划分与评定》（GB/T 37276—2018）',
    location: '档案室',
    severityLabel: '一般隐患',
    dueDate: '2026-12-08',
    deadlineDays: 15,
  },
];

function noticeData(overrides: Partial<RectificationNoticeData> = {}): RectificationNoticeData {
  return {
    noticeNo: '常天民安整〔2026〕第0012号',
    bureauName: '常州市天宁区民政局',
    institution: {
      name: '常州市天宁区红梅街道颐康老年公寓',
      address: '江苏省常州市天宁区红梅街道竹林北路188号颐康大厦东楼一至四层（近红梅公园北门）',
      creditCode: '52320402MJ5821346X',
    },
    inspection: { date: new Date('2026-11-23T02:05:00Z'), kindLabel: '日常检查', reportNo: '常民安检〔2026〕第0007号' },
    issuedAt: new Date('2026-11-23T02:00:00Z'),
    hazards: HAZARDS,
    majorCount: 1,
    howToRespond: RESPOND,
    verifyUrl: 'http://yian.example.cn/verify/notice/7Qm2xK9pLr4vT8wZ3nB6cD1fG5hJ0sA',
    contact: { name: '陈晓燕', phone: '0519-88123456' },
    ...overrides,
  };
}

/** `count` ordinary hazards with text long enough to wrap in their cells. */
function manyHazards(count: number): Hazard[] {
  return Array.from({ length: count }, (_, i) => ({
    no: i + 1,
    itemCode: `AQ-${i + 1}.1`,
    title: `第${i + 1}项：消防设施器材未按规定定期维护保养，维保记录缺失`,
    basis: '《养老机构服务安全基本规范》（GB 38600—2019）第6.3条',
    location: `颐康大厦东楼${(i % 4) + 1}层公共区域`,
    severityLabel: '一般隐患',
    dueDate: '2026-12-23',
    deadlineDays: 30,
  }));
}

// ---- helpers ---------------------------------------------------------------------------------

const flat = squash;

// ---- specs -----------------------------------------------------------------------------------


describe('renderRectificationNotice', () => {
  let file: string;
  let all: string;

  beforeAll(async () => {
    file = savePdf('rectification-notice.pdf', await renderRectificationNotice(noticeData()));
    all = pdfText(file);
  });

  it('shows the title, notice number, issuer and addressee', () => {
    expect(all).toContain('整改通知书');
    expect(all).toContain('常天民安整〔2026〕第0012号');
    expect(all).toContain('常州市天宁区民政局');
    expect(all).toContain('常州市天宁区红梅街道颐康老年公寓：');
    expect(flat(all)).toContain('52320402MJ5821346X');
    expect(flat(all)).toContain('经2026年11月23日日常检查（检查记录常民安检〔2026〕第0007号）');
  });

  it('lists every hazard with its deadline', () => {
    const content = flat(all);
    for (const hazard of HAZARDS) expect(content).toContain(flat(hazard.title));
    expect(all).toMatch(/序号\s+检查项\s+隐患描述与位置\s+依据\s+等级\s+整改期限/);
    // Table cells share lines with their neighbours in the text, so look at lines, not the flattened text.
    const lines = all.split('\n');
    expect(lines.some((l) => /XF-3\.2.*重大隐患\s+立即整改/.test(l))).toBe(true);
    expect(lines.some((l) => /XF-5\.1.*一般隐患\s+2026年12月23日/.test(l))).toBe(true);
    expect(lines.some((l) => /FW-2\.7.*一般隐患\s+2026年12月8日/.test(l))).toBe(true);
    expect(content).toContain('（30天）');
    expect(content).toContain('（15天）');
    expect(content).toContain('（MZ2023-4.2）');
  });

  it('wraps long text without losing any of it', () => {
    const content = flat(all);
    for (const paragraph of RESPOND) expect(content).toContain(flat(paragraph));
    // The interim measures wrap inside their cell: the first and last words land on different lines.
    const lines = all.split('\n');
    const first = lines.findIndex((l) => l.includes('临时管控措施：立即清除'));
    const last = lines.findIndex((l) => l.includes('安全出口畅通。'));
    expect(first).toBeGreaterThanOrEqual(0);
    expect(last).toBeGreaterThan(first);
    expect(lines[first]).not.toContain('安全出口畅通。');
  });

  it('states the requirements for major hazards', () => {
    const content = flat(all);
    expect(content).toContain('重大事故隐患整改要求（共1项）');
    expect(content).toContain('整改措施、资金、时限、责任人和应急预案“五到位”');
    expect(content).toContain('挂牌督办');
  });

  it('leaves the major-hazard paragraph out when there are none', async () => {
    const ordinary = savePdf(
      'rectification-notice-ordinary.pdf',
      await renderRectificationNotice(noticeData({ hazards: HAZARDS.slice(1).map((h, i) => ({ ...h, no: i + 1 })), majorCount: 0, contact: null })),
    );
    const content = flat(pdfText(ordinary));
    expect(content).toContain(flat(HAZARDS[1].title));
    expect(content).not.toContain('五到位');
    expect(content).not.toContain('挂牌督办');
    expect(content).not.toContain('联系人');
  });

  it('prints the verification address, contact, 落款 in Chinese numerals and the receipt block', () => {
    const content = flat(all);
    expect(content).toContain(`核验：${noticeData().verifyUrl}`);
    expect(content).toContain('联系人：陈晓燕联系电话：0519-88123456');
    expect(content).toContain('（印章）');
    expect(content).toContain('常州市天宁区民政局2026年11月23日');
    expect(content).toContain('签收人');
    expect(content).toContain('签收日期');
  });

  it('never starts a line with closing punctuation', () => {
    const starts = all.split('\n').map((l) => l.trim().slice(0, 1));
    for (const mark of ['，', '。', '、', '；', '）', '》']) expect(starts).not.toContain(mark);
  });

  it('continues a long table with its header and numbers the pages', async () => {
    const long = savePdf('rectification-notice-long.pdf', await renderRectificationNotice(noticeData({ hazards: manyHazards(25), majorCount: 0 })));
    const pages = pdfPageCount(long);
    expect(pages).toBeGreaterThanOrEqual(2);
    const page2 = pdfText(long, 2);
    expect(page2).toMatch(/序号\s+检查项\s+隐患描述与位置\s+依据\s+等级\s+整改期限/);
    for (let page = 1; page <= pages; page++) {
      const content = pdfText(long, page);
      expect(content).toContain(`第 ${page} 页 / 共 ${pages} 页`);
      expect(content).toContain('常天民安整〔2026〕第0012号');
    }
    expect(pdfText(long, pages - 1) + pdfText(long, pages)).toMatch(/25\s+AQ-25\.1\s+第25项：消防设施器材/);
  });

  it('renders a 20-hazard notice well within interactive time', async () => {
    const data = noticeData({ hazards: [HAZARDS[0], ...manyHazards(19).map((h) => ({ ...h, no: h.no + 1 }))] });
    await renderRectificationNotice(data);
    const started = performance.now();
    await renderRectificationNotice(data);
    // A loose sanity bound only; real timings are recorded by hand, not asserted.
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

// ---- the verification QR code ----------------------------------------------------------------

/** The filled rectangles (`x y w h re`) of every page content stream, inflated from the PDF bytes. */
function drawnRects(pdf: Buffer): number[][] {
  const out: number[][] = [];
  const bytes = pdf.toString('latin1');
  const re = /stream\r?\n/g;
  for (let m = re.exec(bytes); m; m = re.exec(bytes)) {
    const start = m.index + m[0].length;
    const end = bytes.indexOf('endstream', start);
    let text: string;
    try {
      text = inflateSync(pdf.subarray(start, end)).toString('latin1');
    } catch {
      continue;
    }
    for (const r of text.matchAll(/(-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) re/g)) out.push(r.slice(1, 5).map(Number));
  }
  return out;
}

/** Reads the QR matrix back from the drawn squares: the runs of one module's height inside the code's square. */
function matrixFromRects(rects: number[][], size: number, side: number): boolean[] {
  const module = side / size;
  const runs = rects.filter(([, , w, h]) => Math.abs(h - module) < 1e-3 && w > 0);
  const x0 = Math.min(...runs.map(([x]) => x));
  const y0 = Math.min(...runs.map(([, y]) => y));
  const dark = new Array<boolean>(size * size).fill(false);
  for (const [x, y, w] of runs) {
    const row = Math.round((y - y0) / module);
    const col = Math.round((x - x0) / module);
    for (let c = col; c < col + Math.round(w / module); c++) dark[row * size + c] = true;
  }
  return dark;
}

describe('the verification QR code on the notice', () => {
  const url = noticeData().verifyUrl;

  it('is drawn as vector squares that read back as the code of the full verification address', async () => {
    const pdf = await renderRectificationNotice(noticeData());
    const expected = QRCode.create(url, { errorCorrectionLevel: 'M' }).modules;
    const dark = matrixFromRects(drawnRects(pdf), expected.size, QR_SIDE);
    // The quiet zone is not drawn: the matrix starts at its first dark module (the finder pattern's corner, 0,0).
    expect(dark).toEqual(Array.from(expected.data, (v) => v === 1));
    expect(qrMatrix(url).dark).toEqual(dark);
    // A code for another address would not match.
    expect(QRCode.create(`${url}x`, { errorCorrectionLevel: 'M' }).modules.data).not.toEqual(expected.data);
  });

  it('has its caption next to the printed address, in the 落款 block', async () => {
    const file = savePdf('rectification-notice-qr.pdf', await renderRectificationNotice(noticeData()));
    const text = flat(pdfText(file));
    expect(text).toContain(QR_CAPTION);
    expect(text.indexOf(`核验：${url}`)).toBeLessThan(text.indexOf(QR_CAPTION));
  });

  it('is left out of a preview, which has no verification address yet', async () => {
    const pdf = await renderRectificationNotice(noticeData({ verifyUrl: '' }));
    const file = savePdf('rectification-notice-preview.pdf', pdf);
    expect(flat(pdfText(file))).not.toContain(QR_CAPTION);
    expect(flat(pdfText(file))).toContain('下达后生成核验链接和二维码');
  });
});
