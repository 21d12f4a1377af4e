/**
 * 巡查点位标签 — A4 sheets of QR labels, two across and four down, to cut out and post at each patrol point. A label
 * carries the point's name and area, the QR code of its scan page and its 6-character code for manual entry (a
 * phone without a camera app, a damaged label). Pure: plain data in, PDF bytes out, through the shared kit.
 */
import { formatChineseDate } from '../common/calendar';
import { drawQr } from '../reports/notice.pdf';
import { FONT_BOLD, FONT_REGULAR } from '../reports/pdf/fonts';
import { cm, createDocument, finalize, heading, layoutLines, newPage, paragraph, SMALL_SIZE } from '../reports/pdf/pdf-kit';

export interface PatrolLabel {
  name: string;
  areaLabel: string;
  code: string;
  url: string;
}

export interface PatrolLabelsData {
  institutionName: string;
  labels: PatrolLabel[];
  /** YYYY-MM-DD (Shanghai) */
  printedOn: string;
}

const PER_ROW = 2;
const ROWS = 4;
const QR = cm(3.6);

export function renderPatrolLabels(d: PatrolLabelsData): Promise<Buffer> {
  const doc = createDocument({ title: `巡查点位标签 · ${d.institutionName}`, author: d.institutionName, subject: '巡查点位二维码标签' });
  heading(doc, '巡查点位标签', { level: 1 });
  paragraph(doc, `${d.institutionName} · 共 ${d.labels.length} 个点位 · 打印日期 ${formatChineseDate(d.printedOn)}。沿虚线剪下，张贴在点位处；巡查时扫码或输入点位码。`, { size: SMALL_SIZE, align: 'center' });
  if (!d.labels.length) paragraph(doc, '尚未登记巡查点位。', { align: 'center' });
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const cellW = width / PER_ROW;
  let top = doc.y + cm(0.4);
  const cellH = (doc.page.height - doc.page.margins.bottom - top) / ROWS;
  d.labels.forEach((label, n) => {
    const slot = n % (PER_ROW * ROWS);
    if (n > 0 && slot === 0) {
      newPage(doc);
      top = doc.y;
    }
    const x = left + (slot % PER_ROW) * cellW;
    const y = top + Math.floor(slot / PER_ROW) * cellH;
    doc.save().dash(3, { space: 3 }).lineWidth(0.5).strokeColor('#999999').rect(x + 2, y + 2, cellW - 4, cellH - 4).stroke().undash().restore();
    drawQr(doc, label.url, x + cm(0.4), y + (cellH - QR) / 2, QR);
    const textX = x + cm(0.4) + QR + cm(0.3);
    const textW = cellW - (textX - x) - cm(0.3);
    let ty = y + cm(0.6);
    for (const line of layoutLines(doc, label.name, textW, { bold: true, size: 13 }).slice(0, 3)) {
      doc.text(line, textX, ty, { lineBreak: false });
      ty += 18;
    }
    doc.font(FONT_REGULAR).fontSize(10).fillColor('#595959').text(label.areaLabel, textX, ty + 2, { lineBreak: false });
    doc.fillColor('black').font(FONT_BOLD).fontSize(18).text(label.code, textX, ty + 20, { lineBreak: false, characterSpacing: 2 });
    doc.font(FONT_REGULAR).fontSize(8).fillColor('#595959').text('点位码', textX, ty + 44, { lineBreak: false }).fillColor('black');
  });
  return finalize(doc, { footerNote: `${d.institutionName} · 巡查点位标签` });
}
