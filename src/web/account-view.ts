import { can } from '../auth/permissions';
import type { AuditEvent } from '../audit/audit-event.entity';
import type { AuditStatus } from '../audit/audit.service';
import type { VerificationRecord } from '../audit/audit.repository';
import { warningZh } from '../audit/audit-messages';
import { formatChineseDateTime } from '../common/calendar';
import { label } from '../common/labels';
import type { Page } from '../common/pagination';
import type { Role } from '../common/roles';
import { AuthUser } from '../common/scope';
import type { Division } from '../divisions/division.entity';
import type { User } from '../users/user.entity';
import type { Flash, Link } from './view-common';

/**
 * 账号 and 审计日志 view models: what each page shows and what the admin may do, decided here so the templates in
 * `account-pages.ts` and `audit-pages.ts` only render. The users and audit services still decide.
 */

export interface Choice {
  value: string;
  label: string;
}

/** 最近登录 as people read it. */
export function lastSignInText(at: Date | string | null | undefined): string {
  return at ? formatChineseDateTime(new Date(at)) : '从未登录';
}

/** Where an account belongs: its institution's name, or its division's name. */
export function placeOf(u: Pick<User, 'role' | 'divisionCode' | 'institutionId'>, divisionNames: Map<string, string>, institutionNames: Map<string, string>): string {
  if (u.role === 'institution' && u.institutionId) return institutionNames.get(u.institutionId) ?? '（机构）';
  return divisionNames.get(u.divisionCode) ?? u.divisionCode;
}

// ---------------------------------------------------------------- list

export interface AccountRow {
  id: string;
  username: string;
  displayName: string;
  roleLabel: string;
  place: string;
  disabled: boolean;
  statusLabel: string;
  lastSignIn: string;
  createdAt: string;
}

export interface AccountListPage {
  list: Page<AccountRow>;
  filters: Record<string, string>;
  roles: Choice[];
  statuses: Choice[];
  divisions: Choice[];
  mayCreate: boolean;
  flash?: Flash;
}

export function accountRow(u: User, divisionNames: Map<string, string>, institutionNames: Map<string, string>): AccountRow {
  return {
    id: u.id, username: u.username, displayName: u.displayName, roleLabel: label('role', u.role),
    place: placeOf(u, divisionNames, institutionNames), disabled: u.status === 'disabled', statusLabel: label('accountStatus', u.status),
    lastSignIn: lastSignInText(u.lastSignInAt), createdAt: formatChineseDateTime(new Date(u.createdAt)),
  };
}

export const ROLE_CHOICES = (): Choice[] => (['bureau_admin', 'bureau_officer', 'inspector', 'institution'] as Role[]).map((r) => ({ value: r, label: label('role', r) }));
export const STATUS_CHOICES = (): Choice[] => ['active', 'disabled'].map((s) => ({ value: s, label: label('accountStatus', s) }));

/** A division picker: the admin's subtree, streets indented beneath their district. */
export function divisionChoices(divisions: Division[]): Choice[] {
  const indent: Record<string, string> = { city: '', district: '　', street: '　　' };
  return divisions.map((d) => ({ value: d.code, label: `${indent[d.level] ?? ''}${d.name}` }));
}

export function accountListView(
  user: AuthUser, page: Page<User>, filters: Record<string, string>, divisions: Division[], institutionNames: Map<string, string>, flash?: Flash,
): AccountListPage {
  const divisionNames = new Map(divisions.map((d) => [d.code, d.name]));
  return {
    list: { ...page, items: page.items.map((u) => accountRow(u, divisionNames, institutionNames)) },
    filters, roles: ROLE_CHOICES(), statuses: STATUS_CHOICES(), divisions: divisionChoices(divisions),
    mayCreate: can(user, 'account.manage'), flash,
  };
}

// ---------------------------------------------------------------- create

export interface AccountFormPage {
  csrf: string;
  roles: Choice[];
  divisions: Choice[];
  institutions: Choice[];
  /** what the admin typed (a refused form is shown again with it) */
  draft: Record<string, string>;
  flash?: Flash;
}

export function accountFormView(csrf: string, divisions: Division[], institutions: { id: string; name: string }[], draft: Record<string, string> = {}, flash?: Flash): AccountFormPage {
  return {
    csrf, roles: ROLE_CHOICES(), divisions: divisionChoices(divisions),
    institutions: institutions.map((i) => ({ value: i.id, label: i.name })), draft, flash,
  };
}

// ---------------------------------------------------------------- one account

export interface AccountDetailPage {
  account: AccountRow & { version: number; divisionCode: string; warrantNo: string | null };
  /** 执法证号: shown and edited for accounts that inspect (never for an institution account) */
  offerWarrant: boolean;
  csrf: string;
  /** 停用 (to the confirmation page): offered for an active account other than the admin's own */
  offerDisable: boolean;
  offerEnable: boolean;
  offerReset: boolean;
  /** why 停用 is not offered, when it is not (the admin's own account) */
  disableNote: string | null;
  links: Link[];
  flash?: Flash;
}

export function accountDetailView(viewer: AuthUser, u: User, place: string, csrf: string, flash?: Flash): AccountDetailPage {
  const manage = can(viewer, 'account.manage');
  const self = viewer.id === u.id;
  const active = u.status === 'active';
  return {
    account: { ...accountRow(u, new Map([[u.divisionCode, place]]), new Map(u.institutionId ? [[u.institutionId, place]] : [])), version: u.version, divisionCode: u.divisionCode, warrantNo: u.warrantNo ?? null },
    offerWarrant: manage && u.role !== 'institution',
    csrf, flash,
    offerDisable: manage && active && !self,
    offerEnable: manage && !active,
    offerReset: manage && active,
    disableNote: self && active ? '这是您自己正在使用的账号，不能停用。' : null,
    links: [
      { href: `/audit?${new URLSearchParams({ entityType: 'user', entityId: u.id })}`, label: '该账号的变更记录' },
      { href: `/audit?${new URLSearchParams({ actor: u.username })}`, label: '该账号的操作记录' },
    ],
  };
}

export type AccountConfirmKind = 'disable' | 'reset';

export interface AccountConfirmPage {
  kind: AccountConfirmKind;
  account: { id: string; username: string; displayName: string; version: number };
  csrf: string;
  title: string;
  /** what becomes final */
  consequences: string[];
  checkboxLabel: string;
  button: string;
  flash?: Flash;
}

export function accountConfirmView(kind: AccountConfirmKind, u: User, csrf: string, flash?: Flash): AccountConfirmPage {
  const account = { id: u.id, username: u.username, displayName: u.displayName, version: u.version };
  return kind === 'disable'
    ? {
      kind, account, csrf, flash, title: `停用账号 · ${u.displayName}`,
      consequences: ['该账号立即退出所有已登录的设备和 API 令牌。', '停用期间不能再登录。', '账号和它留下的记录都保留；之后可以在账号页重新启用。'],
      checkboxLabel: `我确认停用账号 ${u.username}（${u.displayName}）`, button: '确认停用',
    }
    : {
      kind, account, csrf, flash, title: `重置密码 · ${u.displayName}`,
      consequences: ['原密码立即失效，该账号退出所有已登录的设备和 API 令牌。', '系统生成新的一次性密码，只在下一页显示一次，不会保存明文，之后也无法再次查看。'],
      checkboxLabel: `我确认重置账号 ${u.username}（${u.displayName}）的密码`, button: '确认重置密码',
    };
}

// ---------------------------------------------------------------- the one-time password

export interface IssuedPasswordPage {
  account: { id: string; username: string; displayName: string; roleLabel: string };
  /** null: already shown once (or expired) — it is not shown again */
  password: string | null;
  /** 'created' after 新建账号, 'reset' after 重置密码 */
  reason: 'created' | 'reset';
}

export function issuedPasswordView(u: User, password: string | null, reason: 'created' | 'reset'): IssuedPasswordPage {
  return { account: { id: u.id, username: u.username, displayName: u.displayName, roleLabel: label('role', u.role) }, password, reason };
}

// ---------------------------------------------------------------- audit log

/** One changed (or set) field of an event: before and after side by side. */
export interface DiffRow {
  field: string;
  before: string;
  after: string;
  changed: boolean;
}

const shown = (v: unknown): string => (v === undefined ? '—' : v === null ? '（空）' : typeof v === 'object' ? JSON.stringify(v) : String(v));

/**
 * The fields of an event's before and after, one row each, in the order they first appear; fields whose value is
 * the same on both sides are left out unless `all` (an event that only creates has every after field).
 */
export function auditDiff(before: unknown, after: unknown, all = false): DiffRow[] {
  const b = before && typeof before === 'object' && !Array.isArray(before) ? before as Record<string, unknown> : before == null ? {} : { 值: before };
  const a = after && typeof after === 'object' && !Array.isArray(after) ? after as Record<string, unknown> : after == null ? {} : { 值: after };
  const fields = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  return fields
    .map((field) => {
      const changed = JSON.stringify(b[field]) !== JSON.stringify(a[field]);
      return { field, before: field in b ? shown(b[field]) : '—', after: field in a ? shown(a[field]) : '—', changed };
    })
    .filter((r) => all || r.changed);
}

/** An audit action as people read it (the label where there is one, the code otherwise). */
export function actionLabel(action: string): string {
  const fromAccounts = label('accountAuditAction', action);
  if (fromAccounts !== action) return fromAccounts;
  return label('hazardAuditAction', action);
}

/** The page of the thing an event is about, where there is one. */
export function entityHref(entityType: string, entityId: string): string | null {
  const pages: Record<string, string> = {
    user: '/accounts/', institution: '/institutions/', hazard: '/hazards/', inspection: '/inspections/', notice: '/notices/',
    institution_change_request: '/change-requests/', inspection_plan: '/plans/', grade_assessment: '/grades/', subsidy_schedule: '/subsidies/',
  };
  return pages[entityType] && /^[0-9a-f-]{36}$/i.test(entityId) ? `${pages[entityType]}${entityId}` : null;
}

export interface AuditRow {
  id: string;
  at: string;
  actor: string;
  actorRole: string;
  action: string;
  actionCode: string;
  entityType: string;
  entityId: string;
  entityHref: string | null;
  diff: DiffRow[];
  requestId: string | null;
}

export interface VerificationView {
  ok: boolean;
  at: string;
  by: string | null;
  /** one line: 完整 (N 条) or where it broke */
  summary: string;
  /** the first broken event of this subtree, linked to the log filtered to it (null for a missing tail or checkpoint) */
  brokenEventId: string | null;
  /** 完整 / 已破坏 / 无法校验 (the MAC key is missing or not the chain's) */
  verdict: string;
  /** warnings kept with the verification (unsealed events, no anchor file, the key), Chinese */
  warnings: string[];
}

export interface AuditLogPage {
  list: Page<AuditRow>;
  filters: Record<string, string>;
  entityTypes: Choice[];
  actions: Choice[];
  lastEventAt: string | null;
  verification: VerificationView | null;
  mayVerify: boolean;
  /** the page's CSRF token, for the 校验审计链 form (a POST) */
  csrf: string;
  /** set right after 校验审计链 */
  justVerified: boolean;
}

const REASONS: Record<string, string> = { prev_hash_mismatch: '与前一条事件的哈希不衔接（事件被删除、插入或重排）', hash_mismatch: '内容与哈希不符（事件内容被改动）',
  // issue 15 (ADR 0001): the sealed chain's further reasons
  mac_mismatch: '密钥校验码不符（事件被伪造或其后的链被重算）', seq_gap: '序号不连续（事件被删除）', event_missing: '事件已不存在（被删除）',
  order_mismatch: '顺序与提交顺序不符（事件被重排）', not_sealed: '链中间出现未封存的事件（事件被插入）', tail_truncated: '链尾短于检查点（最新的事件被删除）',
  checkpoint_mismatch: '检查点校验不符（检查点被改动或删除）', checkpoint_missing: '数据库缺少锚定文件中的检查点（检查点被删除）' };

/** Breaks of the whole chain: the event named is the last one still intact, not a broken one. */
function wholeChainSummary(v: VerificationRecord): string | null {
  const n = v.firstBrokenId;
  const rest = `此前 ${v.checked} 条核验通过，之后的 ${v.unverified} 条无法确认。`;
  if (v.firstBrokenReason === 'tail_truncated') return `审计链被破坏：最新的事件（#${n} 之后）已被删除，链尾短于检查点。${rest}`;
  if (v.firstBrokenReason === 'checkpoint_missing') return `审计链被破坏：数据库缺少锚定文件中的检查点（事件 #${n} 之后的检查点被删除）。${rest}`;
  if (v.firstBrokenReason === 'checkpoint_mismatch') return `审计链被破坏：检查点校验不符（检查点被改动或删除；事件链已核验到 #${n}）。${rest}`;
  return null;
}

export function verificationView(v: VerificationRecord | null): VerificationView | null {
  if (!v) return null;
  const warnings = (v.warnings ?? []).map(warningZh);
  const unverifiable = !v.ok && !v.firstBrokenId && !v.brokenOutsideScope;
  const whole = v.ok ? null : wholeChainSummary(v);
  const summary = v.ok
    ? `审计链完整：本辖区 ${v.checked} 条事件全部核验通过。`
    : unverifiable ? `无法校验审计链（审计密钥缺失或不是封存时所用的密钥，不代表审计链被篡改）；本辖区 ${v.unverified} 条事件暂无法确认。`
    : whole ?? (v.brokenOutsideScope
      ? `审计链在本辖区以外的事件处断开；本辖区 ${v.checked} 条事件核验通过，断点之后的 ${v.unverified} 条无法确认。请联系上级管理员。`
      : `审计链被破坏：第一处断点是事件 #${v.firstBrokenId}，${REASONS[v.firstBrokenReason ?? ''] ?? ''}。此前 ${v.checked} 条核验通过，自该事件起 ${v.unverified} 条无法确认。`);
  return {
    ok: v.ok, at: formatChineseDateTime(new Date(v.verifiedAt)), by: v.verifiedByName ?? null, summary,
    brokenEventId: v.ok || whole ? null : v.firstBrokenId, verdict: v.ok ? '完整' : unverifiable ? '无法校验' : '已破坏', warnings,
  };
}

export function auditRow(e: AuditEvent): AuditRow {
  const creates = e.before == null;
  return {
    id: String(e.id), at: formatChineseDateTime(new Date(e.occurredAt)), actor: e.actorName, actorRole: label('role', e.actorRole),
    action: actionLabel(e.action), actionCode: e.action, entityType: label('auditEntityType', e.entityType), entityId: e.entityId,
    entityHref: entityHref(e.entityType, e.entityId), diff: auditDiff(e.before, e.after, creates), requestId: e.requestId,
  };
}

export function auditLogView(
  user: AuthUser, page: Page<AuditEvent>, filters: Record<string, string>, choices: { entityTypes: string[]; actions: string[] },
  status: AuditStatus, justVerified: boolean, csrf = '',
): AuditLogPage {
  return {
    list: { ...page, items: page.items.map(auditRow) }, filters,
    entityTypes: choices.entityTypes.map((t) => ({ value: t, label: label('auditEntityType', t) })),
    actions: choices.actions.map((a) => ({ value: a, label: actionLabel(a) === a ? a : `${actionLabel(a)}（${a}）` })),
    lastEventAt: status.lastEventAt ? formatChineseDateTime(new Date(status.lastEventAt)) : null,
    verification: verificationView(status.lastVerification), mayVerify: can(user, 'audit.verify'), justVerified, csrf,
  };
}
