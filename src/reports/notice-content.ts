/**
 * 整改通知书 — the notice's content as text blocks, decided once: the PDF (notice.pdf.ts) and the pages (preview,
 * the notice page, the print view) lay out the same blocks, so what an officer previews is what the institution
 * receives. Pure: plain data in, plain data out.
 */
import { formatChineseDate, shanghaiDate } from '../common/calendar';
import type { RectificationNoticeData } from './notice.pdf';

/** Two ideographic spaces: the customary first-line indent of a Chinese paragraph. */
export const INDENT = '\u3000\u3000';

export const RECTIFICATION_NOTICE_TITLE = '整改通知书';

/** One column of the hazard table; widths are the PDF's (centimetres), the pages let the browser size them. */
export interface NoticeColumn {
  header: string;
  widthCm?: number;
  align?: 'center';
}

export interface NoticeContent {
  /** 版头: the issuer (in red), the title and the number. */
  bureauName: string;
  title: string;
  noticeNo: string;
  /** 主送, with its colon. */
  addressee: string;
  /** The opening paragraph (indented). */
  opening: string;
  columns: NoticeColumn[];
  /** One row per hazard: the cells as printed (lines separated by \n). */
  rows: string[][];
  /** The major-hazard requirements, when there are any. */
  majorBox: { title: string; paragraphs: string[] } | null;
  /** 如何回复: indented paragraphs. */
  respond: string[];
  contact: string | null;
  /** '' in a preview (no token yet) */
  verifyUrl: string;
  /** The printed verification line (核验：…). */
  verifyLine: string;
  /** 落款: the bureau and the 成文日期 (Arabic numerals, GB/T 9704-2012 §7.3.5.1). */
  signOff: { bureauName: string; date: string; seal: string };
  /** 送达签收 */
  receipt: { title: string; rows: { label: string; value: string; wide?: boolean }[] };
  /** The footer of every PDF page. */
  footerNote: string;
}

export const NOTICE_COLUMNS: NoticeColumn[] = [
  { header: '序号', widthCm: 1.1, align: 'center' },
  { header: '检查项', widthCm: 1.6, align: 'center' },
  { header: '隐患描述与位置' },
  { header: '依据', widthCm: 3.6 },
  // Wide enough for 「（MZ2023-4.2）」 and 「2026年12月23日」 on one line each.
  { header: '等级', widthCm: 2.7, align: 'center' },
  { header: '整改期限', widthCm: 2.7, align: 'center' },
];

/** The notice's blocks from its data. */
export function noticeContent(data: RectificationNoticeData): NoticeContent {
  const { inspection, institution } = data;
  const majors = data.majorCount > 0 ? `，其中重大事故隐患 ${data.majorCount} 项` : '';
  return {
    bureauName: data.bureauName,
    title: RECTIFICATION_NOTICE_TITLE,
    noticeNo: data.noticeNo,
    addressee: `${institution.name}：`,
    opening:
      `${INDENT}经${formatChineseDate(shanghaiDate(inspection.date))}${inspection.kindLabel}（检查记录 ${inspection.reportNo}），` +
      `发现你单位（统一社会信用代码：${institution.creditCode}；地址：${institution.address}）` +
      `存在下列安全隐患共 ${data.hazards.length} 项${majors}。现责令你单位按下表所列期限整改：`,
    columns: NOTICE_COLUMNS,
    rows: data.hazards.map((h) => [
      String(h.no),
      h.itemCode,
      [h.title, `位置：${h.location}`, ...(h.interim ? [`临时管控措施：${h.interim}`] : [])].join('\n'),
      h.basis,
      h.severityLabel,
      h.deadlineDays === 0 ? '立即整改' : `${formatChineseDate(h.dueDate)}\n（${h.deadlineDays}天）`,
    ]),
    majorBox: data.majorCount > 0
      ? {
        title: `重大事故隐患整改要求（共 ${data.majorCount} 项）`,
        paragraphs: [
          `${INDENT}对上表中的重大事故隐患，你单位应当立即落实所列临时管控措施，确保老年人和工作人员安全；` +
            `自收到本通知书之日起 7 日内制定重大事故隐患整改方案并报送本局，做到整改措施、资金、时限、责任人和应急预案“五到位”。` +
            `本局对上述重大事故隐患实行挂牌督办，经复核确认整改完毕后方予销号。`,
        ],
      }
      : null,
    respond: data.howToRespond.map((text) => INDENT + text),
    contact: data.contact ? `${INDENT}联系人：${data.contact.name}　　联系电话：${data.contact.phone}` : null,
    verifyUrl: data.verifyUrl,
    verifyLine: data.verifyUrl ? `核验：${data.verifyUrl}` : '核验：下达后生成核验链接和二维码',
    signOff: { bureauName: data.bureauName, date: formatChineseDate(shanghaiDate(data.issuedAt)), seal: '（印章）' },
    receipt: {
      title: '送达签收',
      rows: [
        { label: '受送达单位', value: institution.name, wide: true },
        { label: '签收人', value: '\n' },
        // Ideographic spaces: the line breaker drops leading ASCII spaces.
        { label: '签收日期', value: '\n\u3000\u3000\u3000\u3000年\u3000\u3000月\u3000\u3000日' },
      ],
    },
    footerNote: data.noticeNo,
  };
}
