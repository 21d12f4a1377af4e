/**
 * 运营补贴发放表 — the operating-subsidy schedule a district civil-affairs bureau approves and
 * pays out: a summary table (one row per institution, 合计 at the foot), then 「计算明细」 listing
 * every line of every institution's subsidy so each yuan can be traced to the policy formula.
 * A4 landscape (the appendix's formulas need the width). Pure: plain data in, PDF bytes out.
 *
 * Drafts carry a 「草稿」 watermark on every page and in the footer; approved schedules show the
 * approver and time. The policy code, version and content hash identify the rules applied.
 *
 * The renderer refuses data that does not add up (lines ≠ an institution's amount, or amounts ≠
 * the total, compared in whole fen): a payment schedule whose figures disagree must not be printed.
 */
import { formatChineseDate, formatChineseDateTime } from '../common/calendar';
import { cjkFonts, FONT_BOLD, FONT_REGULAR } from './pdf/fonts';
import { BODY_SIZE, cm, finalize, gap, heading, keyValueRows, newPage, paragraph, pdfDocumentClass, PdfDoc, SMALL_SIZE, table } from './pdf/pdf-kit';

export interface SubsidySchedulePdfData {
  /** e.g. 天宁区养老机构运营补贴发放表（2026年11月） */
  title: string;
  bureauName: string;
  /** e.g. SUB-320402-2026-11-v2 */
  scheduleNo: string;
  status: 'draft' | 'approved';
  approvedAt: Date | null;
  approvedBy: string | null;
  /** YYYY-MM-DD, Asia/Shanghai calendar days. */
  period: { start: string; end: string };
  policy: { code: string; versionNo: number; contentHash: string };
  rows: {
    no: number;
    institutionName: string;
    gradeLabel: string;
    safetyScore: number | null;
    occupiedBeds: number;
    /** Yuan. */
    amount: number;
    suspended: boolean;
    lines: { label: string; formula: string; amount: number }[];
  }[];
  /** Yuan. */
  total: number;
  generatedAt: Date;
}

export const DRAFT_LABEL = '草稿';
const RED = '#c00000';
const GREEN = '#1e6b34';
const MUTED = '#595959';

// ---------------------------------------------------------------------------------------------
// Money

const fen = (yuan: number): number => Math.round(yuan * 100);

const YUAN_FORMAT = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2, useGrouping: true });

/** 1234567.8 → "1,234,567.80"; rounds to the fen; never "-0.00". */
export function formatYuan(yuan: number): string {
  if (!Number.isFinite(yuan)) throw new RangeError(`not an amount: ${yuan}`);
  const cents = fen(yuan);
  return YUAN_FORMAT.format(cents === 0 ? 0 : cents / 100);
}

const UPPER_DIGITS = '零壹贰叁肆伍陆柒捌玖';
const SMALL_UNITS = ['', '拾', '佰', '仟'];
const BIG_UNITS = ['', '万', '亿', '万亿'];

/**
 * 人民币大写 as written on Chinese payment documents:
 * 123456.70 → 「壹拾贰万叁仟肆佰伍拾陆元柒角整」, 1000.05 → 「壹仟元零伍分」, 0 → 「零元整」.
 */
export function rmbUppercase(yuan: number): string {
  if (!Number.isFinite(yuan) || Math.abs(yuan) >= 1e13) throw new RangeError(`not an amount: ${yuan}`);
  const cents = fen(yuan);
  if (cents < 0) return `负${rmbUppercase(-cents / 100)}`;
  const integer = Math.floor(cents / 100);
  const jiao = Math.floor(cents / 10) % 10;
  const fenDigit = cents % 10;

  let text = '';
  if (integer > 0) {
    const groups: number[] = [];
    for (let n = integer; n > 0; n = Math.floor(n / 10000)) groups.push(n % 10000);
    let pendingZero = false;
    for (let g = groups.length - 1; g >= 0; g--) {
      const group = groups[g];
      if (group === 0) {
        pendingZero = text !== '';
        continue;
      }
      // A zero is read where a higher group ends and this one does not fill its thousands place.
      if (text !== '' && group < 1000) pendingZero = true;
      for (let p = 3; p >= 0; p--) {
        const digit = Math.floor(group / 10 ** p) % 10;
        if (digit === 0) {
          if (text !== '') pendingZero = true;
          continue;
        }
        if (pendingZero) text += '零';
        pendingZero = false;
        text += UPPER_DIGITS[digit] + SMALL_UNITS[p];
      }
      text += BIG_UNITS[g];
      pendingZero = false;
    }
    text += '元';
  }
  if (jiao === 0 && fenDigit === 0) return `${text || '零元'}整`;
  if (jiao > 0) text += `${UPPER_DIGITS[jiao]}角`;
  else if (integer > 0) text += '零';
  if (fenDigit > 0) text += `${UPPER_DIGITS[fenDigit]}分`;
  else text += '整';
  return text;
}

// ---------------------------------------------------------------------------------------------
// Checks

/** Throws unless every institution's lines add up to its amount and the amounts to the total. */
function checkArithmetic(data: SubsidySchedulePdfData): void {
  const problems: string[] = [];
  for (const row of data.rows) {
    const lines = row.lines.reduce((sum, line) => sum + fen(line.amount), 0);
    // A suspended institution may list what it would have received; the suspension line explains the rest.
    if (!row.suspended && lines !== fen(row.amount)) {
      problems.push(`${row.no} ${row.institutionName}：明细合计 ${formatYuan(lines / 100)} ≠ 补贴金额 ${formatYuan(row.amount)}`);
    }
  }
  const sum = data.rows.reduce((s, row) => s + fen(row.amount), 0);
  if (sum !== fen(data.total)) problems.push(`各机构补贴金额之和 ${formatYuan(sum / 100)} ≠ 合计 ${formatYuan(data.total)}`);
  if (problems.length > 0) throw new RangeError(`运营补贴发放表 ${data.scheduleNo} 金额不符：\n${problems.join('\n')}`);
}

// ---------------------------------------------------------------------------------------------
// Rendering

/** The kit's createDocument is A4 portrait only; this is the same document turned landscape. */
function createLandscapeDocument(meta: { title: string; author: string; subject: string }): PdfDoc {
  const PDFDocument = pdfDocumentClass();
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margins: { top: cm(1.8), bottom: cm(2.2), left: cm(2), right: cm(2) },
    bufferPages: true,
    lang: 'zh-CN',
    displayTitle: true,
    info: { Title: meta.title, Author: meta.author, Subject: meta.subject, Creator: '颐安 Yi’an' },
  });
  const fonts = cjkFonts();
  doc.registerFont(FONT_REGULAR, fonts.regular);
  doc.registerFont(FONT_BOLD, fonts.bold);
  doc.font(FONT_REGULAR).fontSize(BODY_SIZE).fillColor('black');
  return doc;
}

const score = (value: number | null): string => (value === null ? '—' : value.toFixed(1));

function statusText(data: SubsidySchedulePdfData): string {
  if (data.status === 'draft') return `${DRAFT_LABEL}（未经审批，不得作为发放依据）`;
  const by = data.approvedBy ?? '—';
  const at = data.approvedAt ? formatChineseDateTime(data.approvedAt) : '—';
  return `已审批（审批人：${by}，审批时间：${at}）`;
}

/** Renders the subsidy schedule as an A4 landscape PDF. */
export async function renderSubsidySchedule(data: SubsidySchedulePdfData): Promise<Buffer> {
  checkArithmetic(data);
  const draft = data.status === 'draft';
  const doc = createLandscapeDocument({ title: data.title, author: data.bureauName, subject: data.scheduleNo });
  const period = `${formatChineseDate(data.period.start)} 至 ${formatChineseDate(data.period.end)}`;

  heading(doc, data.title, { level: 1 });
  paragraph(doc, statusText(data), { bold: true, align: 'center', color: draft ? RED : GREEN });
  gap(doc, 6);
  keyValueRows(
    doc,
    [
      { label: '发放单位', value: data.bureauName },
      { label: '发放表编号', value: data.scheduleNo },
      { label: '发放期间', value: period },
      { label: '生成时间', value: formatChineseDateTime(data.generatedAt) },
      { label: '补贴政策', value: `${data.policy.code}（第 ${data.policy.versionNo} 版）` },
      { label: '补贴机构', value: `${data.rows.length} 家` },
      { label: '政策内容哈希', value: data.policy.contentHash, wide: true },
      { label: '合计（大写）', value: `人民币${rmbUppercase(data.total)}（¥${formatYuan(data.total)}）`, wide: true },
    ],
    { pairsPerRow: 2, labelWidth: cm(3), size: SMALL_SIZE },
  );

  heading(doc, '一、补贴发放汇总', { level: 2 });
  const beds = data.rows.reduce((sum, row) => sum + row.occupiedBeds, 0);
  table(doc, {
    columns: [
      { header: '序号', width: cm(1.5), align: 'center' },
      { header: '机构' },
      { header: '等级', width: cm(4.2), align: 'center' },
      { header: '安全得分', width: cm(2.4), align: 'right' },
      { header: '入住床位', width: cm(2.4), align: 'right' },
      { header: '补贴金额（元）', width: cm(4), align: 'right' },
    ],
    rows: data.rows.map((row) => [
      String(row.no),
      row.suspended ? `${row.institutionName}\n（本期暂停发放）` : row.institutionName,
      row.gradeLabel,
      score(row.safetyScore),
      String(row.occupiedBeds),
      formatYuan(row.amount),
    ]),
    summaryRows: [['', `合计（${data.rows.length} 家）`, '', '', String(beds), formatYuan(data.total)]],
  });
  gap(doc, 4);
  paragraph(
    doc,
    `注：等级、入住床位为期末（${data.period.end}）在册值，安全得分为截至期末的最近一次；期间内开业、暂停、等级或床位有变化的，` +
      '按天分段计算，各段天数与金额见附件「计算明细」。金额单位为人民币元，保留两位小数。',
    { size: SMALL_SIZE, color: MUTED },
  );

  // 附件 on its own pages.
  newPage(doc);
  heading(doc, '附件：计算明细', { level: 2 });
  paragraph(doc, `依据 ${data.policy.code}（第 ${data.policy.versionNo} 版）逐项计算；每家机构的小计等于汇总表中的补贴金额。`, {
    size: SMALL_SIZE,
    color: MUTED,
  });
  gap(doc, 4);
  const detailRows: string[][] = [];
  for (const row of data.rows) {
    const lines = row.lines.map((line) => [line.label, line.formula, formatYuan(line.amount)]);
    const listed = row.lines.reduce((sum, line) => sum + fen(line.amount), 0);
    if (row.suspended) {
      const withheld = fen(row.amount) - listed;
      const formula = withheld === 0 ? '本期暂停发放' : `本期暂停发放：应发 ${formatYuan(listed / 100)} 元，实发 ${formatYuan(row.amount)} 元`;
      lines.push(['暂停发放', formula, formatYuan(withheld / 100)]);
    }
    if (lines.length === 0) lines.push(['—', '无计算项', formatYuan(0)]);
    lines.forEach((line, i) => detailRows.push(i === 0 ? [String(row.no), row.institutionName, ...line] : ['', '', ...line]));
    detailRows.push(['', '', '小计', '', formatYuan(row.amount)]);
  }
  table(doc, {
    size: SMALL_SIZE,
    columns: [
      { header: '序号', width: cm(1.3), align: 'center' },
      { header: '机构', width: cm(5.6) },
      { header: '项目', width: cm(3.8) },
      { header: '计算公式' },
      { header: '金额（元）', width: cm(3.4), align: 'right' },
    ],
    rows: detailRows,
    summaryRows: [['', '合计', '', '', formatYuan(data.total)]],
  });

  if (draft) watermark(doc, DRAFT_LABEL);
  return finalize(doc, { footerNote: `${data.scheduleNo}${draft ? `（${DRAFT_LABEL}）` : ''}` });
}

/** The parts of pdfkit's embedded fontkit font the watermark uses (pdfkit internals, checked at run time). */
interface GlyphFont {
  unitsPerEm: number;
  capHeight: number;
  layout(text: string): { glyphs: { path: { toSVG(): string } }[]; positions: { xAdvance: number; xOffset: number; yOffset: number }[] };
}

function currentGlyphFont(doc: PdfDoc): GlyphFont | undefined {
  const font = (doc as unknown as { _font?: { font?: Partial<GlyphFont> } })._font?.font;
  return font && typeof font.layout === 'function' && typeof font.unitsPerEm === 'number' ? (font as GlyphFont) : undefined;
}

/**
 * Large, faint, diagonal text across every page. Drawn as glyph outlines rather than text, so it
 * does not end up in copied or extracted text (pdftotext would interleave 「草」「稿」 with the table).
 */
function watermark(doc: PdfDoc, text: string): void {
  const size = 120;
  doc.font(FONT_BOLD).fontSize(size);
  const font = currentGlyphFont(doc);
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    const cx = doc.page.width / 2;
    const cy = doc.page.height / 2;
    doc.save();
    doc.rotate(-30, { origin: [cx, cy] });
    doc.fillOpacity(0.1);
    if (font) {
      const scale = size / font.unitsPerEm;
      const run = font.layout(text);
      const width = run.positions.reduce((sum, p) => sum + p.xAdvance, 0) * scale;
      let x = cx - width / 2;
      const baseline = cy + (font.capHeight * scale) / 2;
      run.glyphs.forEach((glyph, g) => {
        const position = run.positions[g];
        doc.save();
        // Font units have y pointing up.
        doc.transform(scale, 0, 0, -scale, x + position.xOffset * scale, baseline - position.yOffset * scale);
        doc.path(glyph.path.toSVG()).fill(RED);
        doc.restore();
        x += position.xAdvance * scale;
      });
    } else {
      doc.font(FONT_BOLD).fontSize(size).fillColor(RED);
      doc.text(text, cx - doc.widthOfString(text) / 2, cy - size * 0.7, { lineBreak: false });
    }
    doc.restore();
  }
  doc.font(FONT_REGULAR).fontSize(BODY_SIZE).fillColor('black').fillOpacity(1);
}
