/**
 * 整改通知书 — the rectification notice a district civil-affairs bureau sends an elderly-care
 * institution after an inspection: the hazards found, a deadline for each, what major hazards
 * require, how to respond, the 落款 with the seal and a receipt block. Pure: takes plain data,
 * returns PDF bytes.
 */
import { formatChineseDate, shanghaiDate } from '../common/calendar';
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

export const RECTIFICATION_NOTICE_TITLE = '整改通知书';

const RED = '#c00000';
const MUTED = '#595959';
const LINE_SPACING = 1.5;
/** The 落款 block: space above, the seal circle, space below. */
const SEAL_RADIUS = cm(2.1);
const SIGN_OFF_HEIGHT = cm(0.4) + 2 * SEAL_RADIUS + cm(0.3);
/** Two ideographic spaces: the customary first-line indent of a Chinese paragraph. */
const INDENT = '\u3000\u3000';

// ---------------------------------------------------------------------------------------------
// Rendering

/** Renders the rectification notice as an A4 PDF. */
export function renderRectificationNotice(data: RectificationNoticeData): Promise<Buffer> {
  const doc = createDocument({ title: `${RECTIFICATION_NOTICE_TITLE} ${data.noticeNo}`, author: data.bureauName, subject: data.institution.name });

  // 版头: issuer in red, title, notice number, red rule.
  paragraph(doc, data.bureauName, { bold: true, size: 18, align: 'center', color: RED });
  gap(doc, 4);
  heading(doc, RECTIFICATION_NOTICE_TITLE, { level: 1 });
  paragraph(doc, data.noticeNo, { align: 'center' });
  rule(doc, { width: 1.5, color: RED });
  gap(doc, 10);

  // 主送 and the opening.
  paragraph(doc, `${data.institution.name}：`, { bold: true });
  const { inspection, institution } = data;
  const majors = data.majorCount > 0 ? `，其中重大事故隐患 ${data.majorCount} 项` : '';
  paragraph(
    doc,
    `${INDENT}经${formatChineseDate(shanghaiDate(inspection.date))}${inspection.kindLabel}（检查记录 ${inspection.reportNo}），` +
      `发现你单位（统一社会信用代码：${institution.creditCode}；地址：${institution.address}）` +
      `存在下列安全隐患共 ${data.hazards.length} 项${majors}。现责令你单位按下表所列期限整改：`,
  );
  gap(doc, 6);

  table(doc, {
    size: SMALL_SIZE,
    columns: [
      { header: '序号', width: cm(1.1), align: 'center' },
      { header: '检查项', width: cm(1.6), align: 'center' },
      { header: '隐患描述与位置' },
      { header: '依据', width: cm(3.6) },
      // Wide enough for 「（MZ2023-4.2）」 and 「2026年12月23日」 on one line each.
      { header: '等级', width: cm(2.7), align: 'center' },
      { header: '整改期限', width: cm(2.7), align: 'center' },
    ],
    rows: data.hazards.map((h) => [
      String(h.no),
      h.itemCode,
      [h.title, `位置：${h.location}`, ...(h.interim ? [`临时管控措施：${h.interim}`] : [])].join('\n'),
      h.basis,
      h.severityLabel,
      h.deadlineDays === 0 ? '立即整改' : `${formatChineseDate(h.dueDate)}\n（${h.deadlineDays}天）`,
    ]),
  });
  gap(doc, 8);

  if (data.majorCount > 0) {
    highlightBox(doc, `重大事故隐患整改要求（共 ${data.majorCount} 项）`, [
      `${INDENT}对上表中的重大事故隐患，你单位应当立即落实所列临时管控措施，确保老年人和工作人员安全；` +
        `自收到本通知书之日起 7 日内制定重大事故隐患整改方案并报送本局，做到整改措施、资金、时限、责任人和应急预案“五到位”。` +
        `本局对上述重大事故隐患实行挂牌督办，经复核确认整改完毕后方予销号。`,
    ]);
    gap(doc, 6);
  }

  // The last paragraph, contact, verification and 落款 stay together: the seal never stands on a
  // page without body text (GB/T 9704 forbids the 「此页无正文」 workaround).
  const respond = data.howToRespond.map((text) => INDENT + text);
  for (const text of respond.slice(0, -1)) paragraph(doc, text);
  const tail: { text: string; style: TextStyle }[] = [
    ...respond.slice(-1).map((text) => ({ text, style: {} })),
    ...(data.contact ? [{ text: `${INDENT}联系人：${data.contact.name}　　联系电话：${data.contact.phone}`, style: {} }] : []),
    { text: `核验：${data.verifyUrl}`, style: { size: SMALL_SIZE, color: MUTED } },
  ];
  const tailHeight = tail.reduce(
    (sum, t) => sum + layoutLines(doc, t.text, contentWidth(doc), t.style).length * (t.style.size ?? BODY_SIZE) * LINE_SPACING,
    0,
  );
  ensureSpace(doc, tailHeight + SIGN_OFF_HEIGHT);
  for (const t of tail) paragraph(doc, t.text, t.style);
  // GB/T 9704-2012 §7.3.5.1: the 成文日期 is written in Arabic numerals (2026年11月23日).
  signOff(doc, data.bureauName, formatChineseDate(shanghaiDate(data.issuedAt)));

  // 签收回执
  heading(doc, '送达签收', { level: 3, keepWithNext: cm(2.5) });
  keyValueRows(
    doc,
    [
      { label: '受送达单位', value: institution.name, wide: true },
      { label: '签收人', value: '\n' },
      // Ideographic spaces: the line breaker drops leading ASCII spaces.
      { label: '签收日期', value: '\n\u3000\u3000\u3000\u3000年\u3000\u3000月\u3000\u3000日' },
    ],
    { pairsPerRow: 2, labelWidth: cm(2.6) },
  );

  return finalize(doc, { footerNote: data.noticeNo });
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

/** 落款: bureau name and date, centred in a column at the right, under a dashed seal placeholder. */
function signOff(doc: PdfDoc, bureauName: string, date: string): void {
  const columnWidth = cm(7);
  const indent = contentWidth(doc) - columnWidth;
  const centreX = doc.page.margins.left + indent + columnWidth / 2;
  const radius = SEAL_RADIUS;
  gap(doc, cm(0.4));
  const top = doc.y;
  const centreY = top + radius;

  doc.save().circle(centreX, centreY, radius).lineWidth(0.8).dash(3, { space: 3 }).strokeColor('#d08080').stroke().restore();
  doc.y = centreY - radius + cm(0.35);
  paragraph(doc, '（印章）', { size: SMALL_SIZE, color: '#b06060', align: 'center', indent });
  doc.y = centreY - BODY_SIZE * LINE_SPACING * 0.5;
  paragraph(doc, bureauName, { align: 'center', indent });
  paragraph(doc, date, { align: 'center', indent });
  doc.y = top + 2 * radius + cm(0.3);
}
