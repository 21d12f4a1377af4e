/**
 * 整改通知书 — the rectification notice a district civil-affairs bureau sends an elderly-care
 * institution after an inspection: the hazards found, a deadline for each, what major hazards
 * require, how to respond, the 落款 with the seal and a receipt block. Pure: takes plain data,
 * returns PDF bytes.
 */
import { NoticeContent, noticeContent, RECTIFICATION_NOTICE_TITLE } from './notice-content';
import { qrMatrix } from './notice-qr';
import {
  BODY_SIZE,
  cm,
  contentWidth,
  createDocument,
  ensureSpace,
  finalize,
  gap,
  heading,
  keyValueRows,
  layoutLines,
  paragraph,
  PdfDoc,
  rule,
  SMALL_SIZE,
  table,
  TextStyle,
} from './pdf/pdf-kit';

export interface RectificationNoticeData {
  /** e.g. 常天民安整〔2026〕第0012号 */
  noticeNo: string;
  /** e.g. 常州市天宁区民政局 — the issuer, also the 落款 at the end. */
  bureauName: string;
  institution: { name: string; address: string; creditCode: string };
  /** The inspection the notice follows. */
  inspection: { date: Date; kindLabel: string; reportNo: string };
  issuedAt: Date;
  hazards: {
    no: number;
    itemCode: string;
    title: string;
    basis: string;
    location: string;
    /** 一般隐患 / 重大隐患（MZ2023-4.2） */
    severityLabel: string;
    /** YYYY-MM-DD, an Asia/Shanghai calendar date. */
    dueDate: string;
    /** 0 = 立即整改 */
    deadlineDays: number;
    /** For major hazards: the interim measures required at once. */
    interim?: string | null;
  }[];
  majorCount: number;
  /** Paragraphs: how to respond, evidence needed, extension and 陈述申辩 rights with their time limits. */
  howToRespond: string[];
  /** e.g. http://host/verify/notice/<token>; printed as text. */
  verifyUrl: string;
  contact: { name: string; phone: string } | null;
}

export { RECTIFICATION_NOTICE_TITLE };

const RED = '#c00000';
const MUTED = '#595959';
const LINE_SPACING = 1.5;
/** The 落款 block: space above, the seal circle, space below. */
const SEAL_RADIUS = cm(2.1);
const SIGN_OFF_HEIGHT = cm(0.4) + 2 * SEAL_RADIUS + cm(0.3);
/** The verification code left of the 落款: 3 cm square (a phone reads it from a printed page), a caption under it. */
export const QR_SIDE = cm(3);
export const QR_CAPTION = '扫码核验真伪';

// ---------------------------------------------------------------------------------------------
// Rendering

/** Renders the rectification notice as an A4 PDF (the blocks of `noticeContent`, shared with the pages). */
export function renderRectificationNotice(data: RectificationNoticeData): Promise<Buffer> {
  const c = noticeContent(data);
  const doc = createDocument({ title: `${c.title} ${c.noticeNo}`, author: c.bureauName, subject: data.institution.name });

  // 版头: issuer in red, title, notice number, red rule.
  paragraph(doc, c.bureauName, { bold: true, size: 18, align: 'center', color: RED });
  gap(doc, 4);
  heading(doc, c.title, { level: 1 });
  paragraph(doc, c.noticeNo, { align: 'center' });
  rule(doc, { width: 1.5, color: RED });
  gap(doc, 10);

  // 主送 and the opening.
  paragraph(doc, c.addressee, { bold: true });
  paragraph(doc, c.opening);
  gap(doc, 6);

  table(doc, {
    size: SMALL_SIZE,
    columns: c.columns.map((col) => ({ header: col.header, ...(col.widthCm ? { width: cm(col.widthCm) } : {}), ...(col.align ? { align: col.align } : {}) })),
    rows: c.rows,
  });
  gap(doc, 8);

  if (c.majorBox) {
    highlightBox(doc, c.majorBox.title, c.majorBox.paragraphs);
    gap(doc, 6);
  }

  // The last paragraph, contact, verification and 落款 stay together: the seal never stands on a
  // page without body text (GB/T 9704 forbids the 「此页无正文」 workaround).
  for (const text of c.respond.slice(0, -1)) paragraph(doc, text);
  const tail: { text: string; style: TextStyle }[] = [
    ...c.respond.slice(-1).map((text) => ({ text, style: {} })),
    ...(c.contact ? [{ text: c.contact, style: {} }] : []),
    { text: c.verifyLine, style: { size: SMALL_SIZE, color: MUTED } },
  ];
  const tailHeight = tail.reduce(
    (sum, t) => sum + layoutLines(doc, t.text, contentWidth(doc), t.style).length * (t.style.size ?? BODY_SIZE) * LINE_SPACING,
    0,
  );
  ensureSpace(doc, tailHeight + SIGN_OFF_HEIGHT);
  for (const t of tail) paragraph(doc, t.text, t.style);
  signOff(doc, c.signOff, c.verifyUrl);

  // 签收回执
  heading(doc, c.receipt.title, { level: 3, keepWithNext: cm(2.5) });
  keyValueRows(doc, c.receipt.rows, { pairsPerRow: 2, labelWidth: cm(2.6) });

  return finalize(doc, { footerNote: c.footerNote });
}

/**
 * The verification code as vector squares (no image): one filled rectangle per run of dark modules in a row, so
 * the matrix can be read back from the drawing. Returns the side drawn.
 */
export function drawQr(doc: PdfDoc, text: string, x: number, y: number, side: number): number {
  const { size, dark } = qrMatrix(text);
  const module = side / size;
  doc.save().rect(x, y, side, side).fill('#ffffff').restore();
  doc.save().fillColor('#000000');
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; ) {
      if (!dark[row * size + col]) { col++; continue; }
      let end = col;
      while (end < size && dark[row * size + end]) end++;
      doc.rect(x + col * module, y + row * module, (end - col) * module, module);
      col = end;
    }
  }
  doc.fill();
  doc.restore();
  return side;
}

/** A shaded box with a red bar on the left: a bold title, then paragraphs; never split across pages. */
function highlightBox(doc: PdfDoc, title: string, paragraphs: string[]): void {
  const padding = 8;
  const x = doc.page.margins.left;
  const width = contentWidth(doc);
  const innerWidth = width - 2 * padding;
  const titleStyle: TextStyle = { bold: true, color: RED };
  const lineHeight = BODY_SIZE * LINE_SPACING;
  const titleLines = layoutLines(doc, title, innerWidth, titleStyle);
  const bodyLines = paragraphs.flatMap((p) => layoutLines(doc, p, innerWidth));
  const height = (titleLines.length + bodyLines.length) * lineHeight + 2 * padding;

  ensureSpace(doc, height);
  const y = doc.y;
  doc.save().rect(x, y, width, height).fill('#fdf0ef').restore();
  doc.save().rect(x, y, 3, height).fill(RED).restore();
  doc.y = y + padding;
  // Each line is already wrapped to the inner width, so paragraph() draws it as one line.
  for (const line of titleLines) paragraph(doc, line, { ...titleStyle, indent: padding });
  for (const line of bodyLines) paragraph(doc, line, { indent: padding });
  doc.y = y + height;
}

/** 落款: bureau name and date, centred in a column at the right, under a dashed seal placeholder; the verification code at the left. */
function signOff(doc: PdfDoc, sign: NoticeContent['signOff'], verifyUrl: string): void {
  const columnWidth = cm(7);
  const indent = contentWidth(doc) - columnWidth;
  const centreX = doc.page.margins.left + indent + columnWidth / 2;
  const radius = SEAL_RADIUS;
  gap(doc, cm(0.4));
  const top = doc.y;
  const centreY = top + radius;

  if (verifyUrl) {
    drawQr(doc, verifyUrl, doc.page.margins.left, top + cm(0.2), QR_SIDE);
    doc.y = top + cm(0.2) + QR_SIDE + 2;
    paragraph(doc, QR_CAPTION, { size: SMALL_SIZE, color: MUTED });
  }

  doc.save().circle(centreX, centreY, radius).lineWidth(0.8).dash(3, { space: 3 }).strokeColor('#d08080').stroke().restore();
  doc.y = centreY - radius + cm(0.35);
  paragraph(doc, sign.seal, { size: SMALL_SIZE, color: '#b06060', align: 'center', indent });
  doc.y = centreY - BODY_SIZE * LINE_SPACING * 0.5;
  paragraph(doc, sign.bureauName, { align: 'center', indent });
  paragraph(doc, sign.date, { align: 'center', indent });
  doc.y = top + 2 * radius + cm(0.3);
}
