/**
 * 安全责任公示牌 — the printable A4 board an institution posts at its entrance: the three people responsible for
 * its safety (the institution's 安全责任人 and 安全员, and the 属地监管责任人), their phones, the supervising
 * bureau's hotline and a QR code to the public complaint form for this institution (the 2026 ten-department
 * opinion asks for the board, standards.md §11 [S32]). Pure: plain data in, PDF bytes out, through the shared kit.
 */
import { formatChineseDate } from '../common/calendar';
import { drawQr } from '../reports/notice.pdf';
import { cm, contentWidth, createDocument, ensureSpace, finalize, gap, heading, keyValueRows, paragraph, rule, SMALL_SIZE } from '../reports/pdf/pdf-kit';

export interface SafetyBoardPerson {
  name: string;
  phone: string | null;
}

export interface SafetyBoardData {
  institutionName: string;
  address: string;
  bureauName: string;
  responsible: SafetyBoardPerson[];
  officers: SafetyBoardPerson[];
  supervisor: SafetyBoardPerson | null;
  hotline: string | null;
  /** the public complaint form of this institution (the QR code and the printed line) */
  complaintUrl: string;
  /** YYYY-MM-DD (Shanghai) */
  printedOn: string;
}

/** Placeholder for a post nobody holds yet: printed visibly, so a half-filled board is not mistaken for a full one. */
export const NOT_REGISTERED = '（未登记）';

const people = (list: SafetyBoardPerson[]): { name: string; phone: string } => list.length
  ? { name: list.map((p) => p.name).join('、'), phone: list.map((p) => p.phone ?? '—').join('、') }
  : { name: NOT_REGISTERED, phone: NOT_REGISTERED };

const QR_SIDE = cm(5);

export function renderSafetyBoard(d: SafetyBoardData): Promise<Buffer> {
  const doc = createDocument({ title: `安全责任公示牌 · ${d.institutionName}`, author: d.bureauName, subject: '安全责任公示牌' });
  gap(doc, 12);
  heading(doc, '安全责任公示牌', { level: 1, align: 'center' });
  paragraph(doc, d.institutionName, { align: 'center', size: 16 });
  paragraph(doc, d.address, { align: 'center', size: SMALL_SIZE, color: '#595959' });
  gap(doc, 6);
  rule(doc);
  gap(doc, 10);
  const responsible = people(d.responsible);
  const officers = people(d.officers);
  const supervisor = d.supervisor ? people([d.supervisor]) : people([]);
  heading(doc, '机构安全责任人');
  keyValueRows(doc, [{ label: '姓名', value: responsible.name }, { label: '联系电话', value: responsible.phone }], { pairsPerRow: 2, size: 14 });
  heading(doc, '机构安全员');
  keyValueRows(doc, [{ label: '姓名', value: officers.name }, { label: '联系电话', value: officers.phone }], { pairsPerRow: 2, size: 14 });
  heading(doc, '属地监管责任人');
  keyValueRows(doc, [{ label: '姓名', value: supervisor.name }, { label: '联系电话', value: supervisor.phone }], { pairsPerRow: 2, size: 14 });
  gap(doc, 8);
  keyValueRows(doc, [{ label: '监督举报电话', value: d.hotline ?? NOT_REGISTERED, wide: true }], { size: 16, labelWidth: cm(4) });
  gap(doc, 14);
  ensureSpace(doc, QR_SIDE + 60);
  const top = doc.y;
  const x = doc.page.margins.left + (contentWidth(doc) - QR_SIDE) / 2;
  drawQr(doc, d.complaintUrl, x, top, QR_SIDE);
  doc.y = top + QR_SIDE + 6;
  paragraph(doc, '扫码投诉举报本机构安全问题（可匿名）', { align: 'center', size: 12 });
  paragraph(doc, d.complaintUrl, { align: 'center', size: SMALL_SIZE, color: '#595959' });
  gap(doc, 10);
  paragraph(doc, `监管单位：${d.bureauName}`, { align: 'center', size: SMALL_SIZE });
  paragraph(doc, `打印日期：${formatChineseDate(d.printedOn)}。人员或电话变更后请重新打印。`, { align: 'center', size: SMALL_SIZE, color: '#595959' });
  return finalize(doc, { footerNote: `${d.institutionName} · 安全责任公示牌` });
}
