import { can } from '../auth/permissions';
import { formatChineseDate, formatChineseDateTime, shanghaiDate } from '../common/calendar';
import { fieldMessage, message } from '../common/messages';
import type { FieldIssue } from '../common/app-error';
import type { Page } from '../common/pagination';
import type { AuthUser } from '../common/scope';
import { label, labelEntries } from '../common/vocabulary';
import { mb, type ComplaintLimits } from '../complaints/domain/abuse-limits';
import { allowedComplaintActions, ComplaintAction, COMPLAINT_STATUSES } from '../complaints/domain/complaint';
import { overdueKind } from '../complaints/domain/deadlines';
import type { ComplaintRow, TrackedComplaint } from '../complaints/complaints.repository';
import type { ComplaintDetail, FiledComplaint } from '../complaints/complaints.service';
import { COMPLAINT_AGES } from '../complaints/dto/complaint.dto';

/** The form's field names and what the pages call them (error lines name the field by its label and link to it). */
export const COMPLAINT_FIELD_LABELS: Record<string, string> = {
  institutionId: '被投诉机构', category: '问题类别', description: '问题描述', contact: '联系方式', photos: '照片', code: '查询码',
  intoId: '合并到', agency: '转办部门', reason: '不予受理的理由', reply: '答复内容', teamUserIds: '核查组', scheduledDate: '计划检查日期', confirm: '确认',
};

/** An error line of a form: the field it is about (for the link to its input) and the text. */
export interface ErrorLine {
  field: string | null;
  text: string;
}

export function errorLines(code: string, params: Record<string, unknown>, fields: FieldIssue[]): ErrorLine[] {
  const lines = fields.map((f) => ({ field: f.field, text: `${COMPLAINT_FIELD_LABELS[f.field] ?? f.field}：${fieldMessage(f.reason, 'zh', f.args)}` }));
  return code === 'validation.failed' && lines.length ? lines : [{ field: null, text: message(code, 'zh', params) }, ...lines];
}

// ---------------------------------------------------------------- public pages

export interface PublicFormView {
  institutions: { id: string; name: string }[];
  /** the institution the QR code named, shown fixed (with a way to choose another) */
  preselected: { id: string; name: string } | null;
  categories: [string, string][];
  limits: { maxDescriptionChars: number; maxPhotos: number; maxPhotoMb: string };
  draft: Record<string, string>;
  errors: ErrorLine[];
  /** the form's action (with the CSRF token in the query string when a signed-in browser posts it) */
  action: string;
}

export function publicFormView(
  data: { institutions: { id: string; name: string }[]; selected: string | null }, limits: ComplaintLimits,
  draft: Record<string, string>, errors: ErrorLine[], csrf: string,
): PublicFormView {
  const chosen = draft.institutionId ?? data.selected ?? '';
  const preselected = data.selected && !draft.chooseAnother ? data.institutions.find((i) => i.id === chosen) ?? null : null;
  return {
    institutions: data.institutions, preselected, categories: labelEntries('complaintCategory'),
    limits: { maxDescriptionChars: limits.maxDescriptionChars, maxPhotos: limits.maxPhotos, maxPhotoMb: mb(limits.maxPhotoBytes) },
    draft: { ...draft, institutionId: chosen }, errors,
    action: csrf ? `/public/complaints?_csrf=${encodeURIComponent(csrf)}` : '/public/complaints',
  };
}

export interface FiledView {
  trackingCode: string;
  institutionName: string;
  receivedAt: string;
  triageDue: string;
  replyDue: string;
}

export function filedView(f: FiledComplaint): FiledView {
  return {
    trackingCode: f.trackingCode, institutionName: f.institutionName, receivedAt: formatChineseDateTime(f.receivedAt),
    triageDue: formatChineseDate(f.triageDueOn), replyDue: formatChineseDate(f.replyDueOn),
  };
}

export interface TrackView {
  errors: ErrorLine[];
  result: {
    institutionName: string;
    category: string;
    receivedAt: string;
    status: string;
    /** what the bureau decided and answered, in order, as the complainant reads it */
    lines: string[];
    reply: { text: string; at: string } | null;
  } | null;
}

/** The answer as the complainant reads it: no officer's name, no contact, the reply of the merged complaint if merged. */
export function trackView(t: TrackedComplaint | null, errors: ErrorLine[] = []): TrackView {
  if (!t) return { errors, result: null };
  const lines: string[] = [];
  const status = t.mergedInto ? t.mergedInto.status : t.status;
  if (t.status === 'received') lines.push(`正在等待受理。主管部门将在收到后按期限受理，并于 ${formatChineseDate(t.replyDueOn)} 前答复。`);
  if (t.triagedAt && t.status !== 'received') lines.push(`${formatChineseDate(shanghaiDate(new Date(t.triagedAt)))} 已处理：${label('complaintStatus', t.status)}。`);
  if (t.status === 'merged') lines.push('您反映的问题与另一件投诉相同，已合并办理，处理结果如下。');
  if (t.status === 'referred') lines.push(`已转交“${t.referredTo}”办理，请关注该部门的答复。`);
  if (t.status === 'rejected') lines.push(`不予受理的理由：${t.rejectReason}`);
  if (t.inspectionOpened || t.mergedInto?.inspectionOpened) lines.push('主管部门已安排对该机构进行投诉核查。');
  if (status === 'accepted' && !(t.mergedInto?.reply ?? t.reply)) lines.push(`正在办理，将于 ${formatChineseDate(t.replyDueOn)} 前答复。`);
  const replyText = t.mergedInto ? t.mergedInto.reply : t.reply;
  const replyAt = t.mergedInto ? t.mergedInto.repliedAt : t.repliedAt;
  return {
    errors,
    result: {
      institutionName: t.institutionName, category: label('complaintCategory', t.category), receivedAt: formatChineseDateTime(new Date(t.receivedAt)),
      status: label('complaintStatus', status), lines, reply: replyText && replyAt ? { text: replyText, at: formatChineseDateTime(new Date(replyAt)) } : null,
    },
  };
}

// ---------------------------------------------------------------- the bureau's pages

export interface ComplaintListItem {
  id: string;
  institutionName: string;
  category: string;
  status: string;
  open: boolean;
  receivedAt: string;
  overdue: string | null;
  due: string;
}

export interface ComplaintListView {
  page: Page<ComplaintListItem>;
  filters: Record<string, string>;
  statuses: [string, string][];
  ages: [string, string][];
  institutions: { id: string; name: string }[];
}

function listItem(c: ComplaintRow, today: string): ComplaintListItem {
  const overdue = overdueKind(c, today);
  const open = c.status === 'received' || c.status === 'accepted';
  return {
    id: c.id, institutionName: c.institutionName, category: label('complaintCategory', c.category), status: label('complaintStatus', c.status), open,
    receivedAt: formatChineseDateTime(new Date(c.receivedAt)), overdue: overdue ? label('complaintOverdue', overdue) : null,
    due: c.status === 'received' ? `受理期限 ${formatChineseDate(c.triageDueOn)}` : open ? `答复期限 ${formatChineseDate(c.replyDueOn)}` : '',
  };
}

export function complaintListView(page: Page<ComplaintRow>, filters: Record<string, string>, institutions: { id: string; name: string }[], now = new Date()): ComplaintListView {
  const today = shanghaiDate(now);
  return {
    page: { ...page, items: page.items.map((c) => listItem(c, today)) }, filters, institutions,
    statuses: [['open', '办理中（待受理与已受理）'], ...COMPLAINT_STATUSES.map((s) => [s, label('complaintStatus', s)] as [string, string])],
    ages: COMPLAINT_AGES.map((d) => [d, `超过 ${d} 天`]),
  };
}

export interface ComplaintDetailView {
  id: string;
  version: number;
  institution: { id: string; name: string };
  facts: { category: string; status: string; receivedAt: string; triageDue: string; replyDue: string; overdue: string | null };
  description: string;
  contact: string | null;
  photos: { href: string; label: string }[];
  outcome: string[];
  inspectionId: string | null;
  mergedInto: string | null;
  mergedFrom: { id: string; receivedAt: string }[];
  reply: { text: string; by: string; at: string } | null;
  can: Record<ComplaintAction, boolean>;
  mergeCandidates: { id: string; label: string }[];
  inspectionForm: { minTeam: number; inspectors: { id: string; name: string }[] } | null;
  draft: Record<string, string | string[]>;
  /** the form the last refusal was about (its section stays open) */
  errorsFor: ComplaintAction | null;
  errors: ErrorLine[];
  ok: string | null;
  csrf: string;
}

export function complaintDetailView(
  user: AuthUser, d: ComplaintDetail, extra: {
    mergeCandidates: ComplaintRow[]; inspectors: { id: string; name: string }[]; minTeam: number; csrf: string;
    draft?: Record<string, string | string[]>; errorsFor?: ComplaintAction | null; errors?: ErrorLine[]; ok?: string | null; now?: Date;
  },
): ComplaintDetailView {
  const c = d.complaint;
  const today = shanghaiDate(extra.now ?? new Date());
  const allowed = new Set(allowedComplaintActions(c, user.role));
  const may = Object.fromEntries((['accept', 'merge', 'refer', 'reject', 'open_inspection', 'reply'] as const).map((a) => [a, allowed.has(a)])) as Record<ComplaintAction, boolean>;
  const overdue = overdueKind(c, today);
  const outcome: string[] = [];
  if (c.triagedAt) outcome.push(`${formatChineseDateTime(new Date(c.triagedAt))} ${c.triagedByName ?? ''} 处理：${label('complaintStatus', c.status === 'replied' ? 'accepted' : c.status)}`);
  if (c.referredTo) outcome.push(`转办部门：${c.referredTo}`);
  if (c.rejectReason) outcome.push(`不予受理的理由：${c.rejectReason}`);
  return {
    id: c.id, version: c.version, institution: { id: c.institutionId, name: c.institutionName },
    facts: {
      category: label('complaintCategory', c.category), status: label('complaintStatus', c.status), receivedAt: formatChineseDateTime(new Date(c.receivedAt)),
      triageDue: formatChineseDate(c.triageDueOn), replyDue: formatChineseDate(c.replyDueOn), overdue: overdue ? label('complaintOverdue', overdue) : null,
    },
    description: c.description, contact: d.contact,
    photos: d.photos.map((p) => ({ href: `/complaints/${c.id}/photos/${p.position}`, label: `照片 ${p.position}` })),
    outcome, inspectionId: c.inspectionId, mergedInto: c.mergedIntoId,
    mergedFrom: d.mergedFrom.map((m) => ({ id: m.id, receivedAt: formatChineseDateTime(new Date(m.receivedAt)) })),
    reply: c.reply && c.repliedAt ? { text: c.reply, by: c.repliedByName ?? '', at: formatChineseDateTime(new Date(c.repliedAt)) } : null,
    can: { ...may, reply: may.reply && can(user, 'complaint.reply') },
    mergeCandidates: extra.mergeCandidates.filter((m) => m.id !== c.id && m.status !== 'merged')
      .map((m) => ({ id: m.id, label: `${formatChineseDateTime(new Date(m.receivedAt))} · ${label('complaintCategory', m.category)} · ${label('complaintStatus', m.status)}` })),
    inspectionForm: may.open_inspection ? { minTeam: extra.minTeam, inspectors: extra.inspectors } : null,
    draft: extra.draft ?? {}, errorsFor: extra.errorsFor ?? null, errors: extra.errors ?? [], ok: extra.ok ?? null, csrf: extra.csrf,
  };
}
