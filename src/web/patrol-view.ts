/** 巡查 pages: what each page shows, decided from the service's data (patrol-pages.ts renders it). */
import { can } from '../auth/permissions';
import { formatChineseDateTime } from '../common/calendar';
import type { Page } from '../common/pagination';
import { AuthUser } from '../common/scope';
import { label, labelEntries } from '../common/vocabulary';
import type { SafetyWorkValues } from '../checklists/domain/safety-work-policy';
import type { PatrolKind, PatrolSummary, SlotState } from '../patrols/domain/patrol-rules';
import type { PatrolRow, PointRow, SelfHazardRow } from '../patrols/patrols.repository';
import type { PatrolDetail, PatrolOverview } from '../patrols/patrols.service';
import type { Flash } from './view-common';

type Tone = 'ok' | 'warn' | 'plain';
const TONE: Record<SlotState, Tone> = { done: 'ok', late: 'warn', in_progress: 'plain', incomplete: 'warn', missed: 'warn', open: 'plain' };

/** "12月2日 02:00 时段" for a night slot, the day for a daily one, the month for a monthly one. */
export function slotLabel(kind: PatrolKind, at: Date): string {
  const local = new Date(at.getTime() + 8 * 3_600_000);
  const [y, m, d, hh, mm] = [local.getUTCFullYear(), local.getUTCMonth() + 1, local.getUTCDate(), local.getUTCHours(), local.getUTCMinutes()];
  if (kind === 'monthly') return `${y}年${m}月`;
  if (kind === 'daily') return `${y}年${m}月${d}日`;
  return `${y}年${m}月${d}日 ${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')} 时段`;
}

function patrolState(p: PatrolRow): SlotState {
  return p.status === 'submitted' ? (p.late ? 'late' : 'done') : 'in_progress';
}

export interface PatrolsPageView {
  institution: { id: string; name: string };
  mayRecord: boolean;
  csrf: string;
  flash: { page?: Flash; point?: Flash; selfHazard?: Flash };
  points: (PointRow & { areaLabel: string })[];
  areas: [string, string][];
  pointDraft: Record<string, string>;
  open: { kind: PatrolKind; kindLabel: string; slotLabel: string; patrolId: string | null; submitted: boolean }[];
  nightNote: string | null;
  days: number;
  summary: PatrolSummary;
  completionLabel: string;
  scheduleStartLabel: string | null;
  policyNote: string;
  weightNote: string;
  lines: { slotLabel: string; kindLabel: string; stateLabel: string; tone: Tone }[];
  selfHazards: Page<SelfHazardRow & { statusLabel: string; foundLabel: string; closedLabel: string | null; patrolKindLabel: string }>;
  patrols: Page<PatrolRow & { kindLabel: string; slotLabel: string; stateLabel: string; tone: Tone; missedPoints: number; byline: string }>;
}

export function patrolsPageView(user: AuthUser, d: {
  overview: PatrolOverview; days: number; values: SafetyWorkValues; selfHazards: Page<SelfHazardRow>; patrols: Page<PatrolRow>; csrf: string;
  flash: PatrolsPageView['flash']; pointDraft?: Record<string, string>;
}): PatrolsPageView {
  const o = d.overview;
  const p = d.values.patrols;
  const mayRecord = can(user, 'patrol.record');
  return {
    institution: { id: o.institution.id, name: o.institution.name }, mayRecord, csrf: d.csrf, flash: d.flash,
    points: o.points.map((pt) => ({ ...pt, areaLabel: label('patrolArea', pt.area) })),
    areas: labelEntries('patrolArea'), pointDraft: d.pointDraft ?? {},
    open: o.open.map((s) => ({ kind: s.kind, kindLabel: label('patrolKind', s.kind), slotLabel: slotLabel(s.kind, s.slot.at), patrolId: s.patrolId, submitted: s.submitted })),
    nightNote: o.open.some((s) => s.kind === 'night') ? null : `夜间巡查时段为 ${p.nightFromHour}:00 至次日 ${p.nightToHour}:00，每 ${p.nightIntervalHours} 小时一次；当前不在夜间时段。`,
    days: d.days, summary: o.summary,
    completionLabel: o.summary.completionRate === null ? '—' : `${Math.round(o.summary.completionRate * 1000) / 10}%`,
    scheduleStartLabel: o.scheduleStart ? formatChineseDateTime(new Date(o.scheduleStart)) : null,
    policyNote: `提交晚于时段开始 ${p.lateAfterMinutes} 分钟（夜间）或晚于当日、当月结束记为迟巡；时段结束仍未巡查记为漏巡，已过的时段不能补巡。`,
    weightNote: `整改期限为发现后 ${d.values.selfReported.deadlineDays} 天（产品默认值）。自查隐患不计入安全评分的扣分。`,
    lines: o.lines.map((l) => ({ slotLabel: slotLabel(l.kind, l.at), kindLabel: label('patrolKind', l.kind), stateLabel: label('slotState', l.state), tone: TONE[l.state] })),
    selfHazards: { ...d.selfHazards, items: d.selfHazards.items.map((h) => ({
      ...h, statusLabel: label('selfHazardStatus', h.status), foundLabel: formatChineseDateTime(new Date(h.foundAt)),
      closedLabel: h.closedAt ? `${h.closedByName ?? ''} ${formatChineseDateTime(new Date(h.closedAt))}` : null, patrolKindLabel: label('patrolKind', h.patrolKind),
    })) },
    patrols: { ...d.patrols, items: d.patrols.items.map((r) => ({
      ...r, kindLabel: label('patrolKind', r.kind), slotLabel: slotLabel(r.kind, new Date(r.slotAt)), stateLabel: label('slotState', patrolState(r)), tone: TONE[patrolState(r)],
      missedPoints: r.pointsExpected !== null && r.pointsScanned !== null ? r.pointsExpected - r.pointsScanned : 0,
      byline: `${r.startedByName} 开始于 ${formatChineseDateTime(new Date(r.startedAt))}${r.submittedAt ? `，提交于 ${formatChineseDateTime(new Date(r.submittedAt))}` : ''}`,
    })) },
  };
}

export interface PatrolPageView {
  id: string;
  institutionId: string;
  title: string;
  byline: string;
  open: boolean;
  mayRecord: boolean;
  csrf: string;
  flash: { page?: Flash; scan?: Flash; submit?: Flash };
  points: { name: string; code: string; areaLabel: string; scannedLabel: string | null }[];
  scannedCount: number;
  unscanned: number;
  checklistTitle: string;
  items: { code: string; title: string; check: string }[];
  results: [string, string][];
  draft: Record<string, string>;
  submittedLines: { code: string; title: string; result: string; resultLabel: string; note: string | null }[];
  selfHazardCount: number;
}

export function patrolPageView(user: AuthUser, d: PatrolDetail, csrf: string, flash: PatrolPageView['flash'], draft: Record<string, string> = {}): PatrolPageView {
  const p = d.patrol;
  const scanned = d.points.filter((pt) => pt.scannedAt).length;
  const activeUnscanned = d.points.filter((pt) => !pt.scannedAt && !pt.retiredAt).length;
  const titleOf = new Map(d.checklist.items.map((i) => [i.code, i.title]));
  const state = patrolState(p);
  const missed = p.pointsExpected !== null && p.pointsScanned !== null ? p.pointsExpected - p.pointsScanned : 0;
  return {
    id: p.id, institutionId: p.institutionId,
    title: `${label('patrolKind', p.kind)} · ${slotLabel(p.kind, new Date(p.slotAt))}`,
    byline: `${p.institutionName} · ${p.startedByName} 开始于 ${formatChineseDateTime(new Date(p.startedAt))} · ${label('slotState', state)}`
      + (p.submittedAt ? `，提交于 ${formatChineseDateTime(new Date(p.submittedAt))}` : '') + (missed ? `，漏扫 ${missed} 个点位` : ''),
    open: p.status === 'in_progress', mayRecord: can(user, 'patrol.record'), csrf, flash,
    points: d.points.map((pt) => ({ name: pt.name, code: pt.code, areaLabel: label('patrolArea', pt.area), scannedLabel: pt.scannedAt ? formatChineseDateTime(new Date(pt.scannedAt)) : null })),
    scannedCount: scanned, unscanned: activeUnscanned, checklistTitle: d.checklist.title, items: d.checklist.items,
    results: labelEntries('patrolResult'), draft,
    submittedLines: d.results.map((r) => ({ code: r.itemCode, title: titleOf.get(r.itemCode) ?? r.itemCode, result: r.result, resultLabel: label('patrolResult', r.result), note: r.note })),
    selfHazardCount: d.selfHazards.length,
  };
}

export interface ScanPageView {
  pointName: string;
  institutionId: string;
  institutionName: string;
  areaLabel: string;
  code: string;
  token: string;
  mayRecord: boolean;
  csrf: string;
  patrols: { id: string; label: string }[];
}

export function scanPageView(user: AuthUser, d: { point: PointRow & { institutionName: string }; inProgress: PatrolRow[] }, csrf: string): ScanPageView {
  return {
    pointName: d.point.name, institutionId: d.point.institutionId, institutionName: d.point.institutionName, areaLabel: label('patrolArea', d.point.area),
    code: d.point.code, token: d.point.token, mayRecord: can(user, 'patrol.record'), csrf,
    patrols: d.inProgress.map((p) => ({ id: p.id, label: `${label('patrolKind', p.kind)} · ${slotLabel(p.kind, new Date(p.slotAt))}（${p.startedByName}）` })),
  };
}
