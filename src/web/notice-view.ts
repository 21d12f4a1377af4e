import { can } from '../auth/permissions';
import { Html } from '../common/html';
import { AuthUser } from '../common/scope';
import type { Hazard } from '../hazards/hazard.entity';
import type { NoticeContent } from '../reports/notice-content';
import type { NoticeRow } from '../rectification/rectification.repository';
import type { Flash } from './view-common';

export interface NoticePage {
  notice: NoticeRow;
  hazards: Hazard[];
  today: string;
  csrf: string;
  can: { acknowledge: boolean };
}

export function noticeView(user: AuthUser, d: { notice: NoticeRow; hazards: Hazard[] }, today: string, csrf: string): NoticePage {
  return { ...d, today, csrf, can: { acknowledge: can(user, 'notice.acknowledge') && !d.notice.acknowledgedAt } };
}

/** The PDF as the notice page shows it; `pending` is polled (notice-status.js) until it is rendered or failed. */
export interface NoticePdfState {
  state: 'pending' | 'rendered' | 'failed';
  href: string;
  statusUrl: string;
}

export function noticePdfState(notice: Pick<NoticeRow, 'id' | 'pdfStatus'>): NoticePdfState {
  return { state: notice.pdfStatus, href: `/api/notices/${notice.id}/pdf`, statusUrl: `/notices/${notice.id}/status` };
}

/** The JSON the notice page polls: GET /notices/:id/status. */
export function noticeStatusJson(notice: Pick<NoticeRow, 'id' | 'pdfStatus'>): { pdfStatus: NoticeRow['pdfStatus']; pdfUrl: string | null } {
  return { pdfStatus: notice.pdfStatus, pdfUrl: notice.pdfStatus === 'rendered' ? `/api/notices/${notice.id}/pdf` : null };
}

/** One issued notice: its facts, its content (as the PDF), the verification code, the PDF state, 签收. */
export interface NoticeDetailPage extends NoticePage {
  content: NoticeContent;
  /** the QR code of the verification address, SVG markup made by the qrcode library */
  qr: Html;
  pdf: NoticePdfState;
  printHref: string;
  inspectionHref: string;
  flash?: Flash;
}

export function noticeDetailView(
  user: AuthUser, d: { notice: NoticeRow; hazards: Hazard[]; content: NoticeContent; qr: Html }, today: string, csrf: string, flash?: Flash,
): NoticeDetailPage {
  return {
    ...noticeView(user, d, today, csrf), content: d.content, qr: d.qr, pdf: noticePdfState(d.notice), flash,
    printHref: `/notices/${d.notice.id}/print`, inspectionHref: `/inspections/${d.notice.inspectionId}`,
  };
}

/** 预览: the notice before it is issued, with the number it would get and the confirmation form. */
export interface NoticePreviewPage {
  inspectionId: string;
  institutionName: string;
  expectedNo: string;
  hazardCount: number;
  content: NoticeContent;
  csrf: string;
  errors: string[];
  action: string;
}

export function noticePreviewView(
  d: { inspectionId: string; institutionName: string; expectedNo: string; hazardCount: number; content: NoticeContent }, csrf: string, errors: string[] = [],
): NoticePreviewPage {
  return { ...d, csrf, errors, action: `/inspections/${d.inspectionId}/notice` };
}
