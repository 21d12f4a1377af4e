import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { can, type Action } from '../auth/permissions';
import { ChecklistsService } from '../checklists/checklists.service';
import { SafetyWorkPolicyService } from '../checklists/safety-work-policy.service';
import type { SelfInspectionList } from '../checklists/domain/rule-file.types';
import { AppError } from '../common/app-error';
import { addDays, shanghaiDate } from '../common/calendar';
import { Page, pageOf } from '../common/pagination';
import { AuthUser, scopeOf } from '../common/scope';
import { APP_CONFIG, AppConfig } from '../config/env';
import {
  CHECKLIST_OF, isLate, openSlot, PATROL_KINDS, patrolLines, PatrolKind, PatrolSummary, pointCode, Slot, slotOf, SlotLine,
} from './domain/patrol-rules';
import { CloseSelfHazardDto, CreatePointDto, PatrolQuery, ScanDto, SelfHazardQuery, StartPatrolDto, SubmitPatrolDto } from './dto/patrol.dto';
import { PatrolInstitution, PatrolRow, PatrolsRepository, PointRow, ResultRow, ScanRow, SelfHazardRow } from './patrols.repository';

/** How far back the overview shows slots (and measures completion): 7 days. A product default for the page. */
export const OVERVIEW_DAYS = 7;

export interface ChecklistLine {
  code: string;
  title: string;
  check: string;
}

export interface PatrolOverview {
  institution: PatrolInstitution;
  points: PointRow[];
  scheduleStart: Date | null;
  /** the slot of each kind open now, with the patrol started for it */
  open: { kind: PatrolKind; slot: Slot; patrolId: string | null; submitted: boolean }[];
  lines: SlotLine[];
  summary: PatrolSummary;
  selfHazards: { open: number; overdue: number; closed: number };
}

export interface PatrolDetail {
  patrol: PatrolRow;
  slot: Slot;
  checklist: { code: string; title: string; items: ChecklistLine[] };
  points: (PointRow & { scannedAt: Date | null })[];
  results: ResultRow[];
  selfHazards: SelfHazardRow[];
}

/**
 * 日巡查、夜间巡查、月检查: the institution runs its own patrols from the self-inspection rule files, proving its
 * presence by scanning the patrol points (server time only), and whatever fails becomes its own hazard (自查隐患)
 * that it rectifies and closes. Everyone who may read the institution sees the patrols, the missed slots and the
 * self-reported hazards.
 */
@Injectable()
export class PatrolsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly repo: PatrolsRepository,
    private readonly checklists: ChecklistsService,
    private readonly policy: SafetyWorkPolicyService,
    private readonly audit: AuditService,
  ) {}

  /** The server's clock for slots, scans and submissions (a test sets it to run a night patrol in the daytime). */
  now: () => Date = () => new Date();

  /** The URL a point's QR label carries (the scan page of that point). */
  scanUrl(token: string): string {
    return `${this.config.PUBLIC_URL.replace(/\/+$/, '')}/patrol-points/${token}`;
  }

  async overview(user: AuthUser, institutionId: string, now = this.now()): Promise<PatrolOverview> {
    const institution = await this.readable(user, institutionId);
    const { values } = await this.policy.current();
    const from = new Date(now.getTime() - OVERVIEW_DAYS * 86_400_000);
    const [points, scheduleStart, facts, selfHazards] = await Promise.all([
      this.repo.points(institutionId), this.repo.scheduleStart(institutionId), this.repo.facts(institutionId, new Date(from.getTime() - 31 * 86_400_000)),
      this.repo.selfHazardCounts(institutionId),
    ]);
    const { lines, summary } = patrolLines({ from, now, scheduleStart, patrols: facts, times: values.patrols });
    const open = PATROL_KINDS.flatMap((kind) => {
      const slot = openSlot(kind, now, values.patrols);
      if (!slot) return [];
      const p = facts.find((f) => f.kind === kind && new Date(f.slotAt).getTime() === slot.at.getTime());
      return [{ kind, slot, patrolId: p?.id ?? null, submitted: p?.status === 'submitted' }];
    });
    return { institution, points, scheduleStart, open, lines, summary, selfHazards };
  }

  async patrols(user: AuthUser, institutionId: string, query: PatrolQuery): Promise<Page<PatrolRow>> {
    await this.readable(user, institutionId);
    const [items, total] = await this.repo.page(scopeOf(user), institutionId, (query.page - 1) * query.pageSize, query.pageSize);
    return pageOf(items, total, query);
  }

  async detail(user: AuthUser, patrolId: string): Promise<PatrolDetail> {
    assertMay(user, 'patrol.read');
    const patrol = await this.repo.patrol(scopeOf(user), patrolId);
    if (!patrol) throw AppError.notFound('patrol.not_found');
    const { values } = await this.policy.current();
    // the patrol was read in the viewer's scope above, so its own hazards need no second scope check
    const [version, points, scans, results, selfHazards] = await Promise.all([
      this.checklists.resolveVersionById(patrol.checklistVersionId), this.repo.points(patrol.institutionId, true), this.repo.scans(patrol.id),
      this.repo.results(patrol.id), this.repo.selfHazardsOfPatrol(patrol.id),
    ]);
    const scannedAt = new Map(scans.map((s: ScanRow) => [s.pointId, s.receivedAt]));
    // the points of this patrol: the active ones, and retired ones it scanned
    const shown = points.filter((p) => !p.retiredAt || scannedAt.has(p.id)).map((p) => ({ ...p, scannedAt: scannedAt.get(p.id) ?? null }));
    return {
      patrol, slot: slotOf(patrol.kind, new Date(patrol.slotAt), values.patrols), checklist: checklistOf(version.content as SelfInspectionList), points: shown, results,
      selfHazards,
    };
  }

  /** Registers a patrol point with a random QR token and a short code (drawn again if the code is taken). */
  async addPoint(user: AuthUser, institutionId: string, dto: CreatePointDto): Promise<PointRow> {
    const institution = await this.recording(user, institutionId);
    return this.dataSource.transaction(async (em) => {
      for (let attempt = 0; attempt < 5; attempt++) {
        const token = randomBytes(16).toString('base64url');
        const code = pointCode(randomBytes(6));
        const id = await this.repo.insertPoint(em, { institutionId, name: dto.name, area: dto.area, code, token, createdBy: user.id });
        if (!id) continue;
        await this.audit.record(em, { action: 'patrol_point.create', entityType: 'patrol_point', entityId: id, scopePath: institution.divisionPath, after: { institutionId, name: dto.name, area: dto.area, code } });
        return (await this.repo.points(institutionId, false, em)).find((p) => p.id === id)!;
      }
      throw AppError.conflict('patrol.code_exhausted');
    });
  }

  async retirePoint(user: AuthUser, institutionId: string, pointId: string): Promise<PointRow> {
    const institution = await this.recording(user, institutionId);
    return this.dataSource.transaction(async (em) => {
      const retired = await this.repo.retirePoint(em, institutionId, pointId);
      if (!retired) throw AppError.notFound('patrol.point_not_found');
      await this.audit.record(em, { action: 'patrol_point.retire', entityType: 'patrol_point', entityId: pointId, scopePath: institution.divisionPath, before: { name: retired.name, code: retired.code } });
      return retired;
    });
  }

  /** The points' labels, for the PDF: name, area, code and the URL in the QR. */
  async labels(user: AuthUser, institutionId: string): Promise<{ institution: PatrolInstitution; points: (PointRow & { url: string })[] }> {
    const institution = await this.readable(user, institutionId);
    assertMay(user, 'patrol.record');
    const points = await this.repo.points(institutionId);
    return { institution, points: points.map((p) => ({ ...p, url: this.scanUrl(p.token) })) };
  }

  /**
   * Starts (or rejoins) the patrol of the slot open now, by the server's clock. A slot that has closed cannot be
   * started (409): a patrol afterwards would fake it. Pinned to the self-inspection list and the policy in force.
   */
  async start(user: AuthUser, institutionId: string, dto: StartPatrolDto, now = this.now()): Promise<PatrolRow> {
    const institution = await this.recording(user, institutionId);
    if (institution.status === 'closed') throw AppError.conflict('patrol.institution_closed');
    const { versionId: policyVersionId, values } = await this.policy.current();
    const slot = openSlot(dto.kind, now, values.patrols);
    if (!slot) throw AppError.conflict('patrol.no_open_slot');
    const checklist = await this.checklistInForce(dto.kind);
    return this.dataSource.transaction(async (em) => {
      const { id, created } = await this.repo.startPatrol(em, { at: now, institutionId, kind: dto.kind, slotAt: slot.at, checklistVersionId: checklist.id, policyVersionId, startedBy: user.id });
      if (created) {
        await this.audit.record(em, { action: 'patrol.start', entityType: 'patrol', entityId: id, scopePath: institution.divisionPath,
          after: { institutionId, kind: dto.kind, slotAt: slot.at.toISOString(), checklistVersionId: checklist.id, safetyWorkPolicyVersionId: policyVersionId } });
      }
      return (await this.repo.patrol(scopeOf(user), id, em))!;
    });
  }

  /** Records the scan of a point (by QR token or printed code) in a patrol in progress, at the server's time. */
  async scan(user: AuthUser, patrolId: string, dto: ScanDto): Promise<{ patrol: PatrolRow; point: PointRow; receivedAt: Date; created: boolean }> {
    assertMay(user, 'patrol.record');
    if (!dto.token && !dto.code) throw AppError.validation([{ field: 'code', reason: 'isNotEmpty' }]);
    return this.dataSource.transaction(async (em) => {
      const patrol = await this.repo.patrol(scopeOf(user), patrolId, em, true);
      if (!patrol) throw AppError.notFound('patrol.not_found');
      if (patrol.status !== 'in_progress') throw AppError.conflict('patrol.already_submitted');
      const point = await this.repo.activePoint(patrol.institutionId, dto, em);
      if (!point) throw AppError.validation([{ field: dto.token ? 'token' : 'code', reason: 'unknownPatrolPoint' }]);
      const { receivedAt, created } = await this.repo.insertScan(em, patrol.id, point.id, this.now());
      if (created) {
        await this.audit.record(em, { action: 'patrol.scan', entityType: 'patrol', entityId: patrol.id, scopePath: patrol.divisionPath,
          after: { pointId: point.id, code: point.code, receivedAt: new Date(receivedAt).toISOString() } });
      }
      return { patrol, point, receivedAt, created };
    });
  }

  /**
   * Submits a patrol: a result for every item of its pinned list (a failure needs a note), the points it did not scan
   * counted and kept on the record, late flagged against its slot; every failed item becomes a 自查隐患 due in the
   * policy's `selfReported.deadlineDays`.
   */
  async submit(user: AuthUser, patrolId: string, dto: SubmitPatrolDto, now = this.now()): Promise<PatrolRow> {
    assertMay(user, 'patrol.record');
    const scope = scopeOf(user);
    const found = await this.repo.patrol(scope, patrolId);
    if (!found) throw AppError.notFound('patrol.not_found');
    const [version, { values, versionId: policyVersionId }] = await Promise.all([this.checklists.resolveVersionById(found.checklistVersionId), this.policy.current()]);
    const checklist = checklistOf(version.content as SelfInspectionList);
    const issues = resultIssues(checklist.items, dto);
    if (issues.length) throw AppError.validation(issues);
    const byCode = new Map(dto.results.map((r) => [r.itemCode, r]));
    const results: ResultRow[] = checklist.items.map((i) => ({ itemCode: i.code, result: byCode.get(i.code)!.result, note: byCode.get(i.code)!.note ?? null }));
    const slot = slotOf(found.kind, new Date(found.slotAt), values.patrols);
    return this.dataSource.transaction(async (em) => {
      const patrol = await this.repo.patrol(scope, patrolId, em, true);
      if (!patrol || patrol.status !== 'in_progress') throw AppError.conflict('patrol.already_submitted');
      const [points, scans] = await Promise.all([this.repo.points(patrol.institutionId, false, em), this.repo.scans(patrol.id, em)]);
      const scanned = new Set(scans.map((s) => s.pointId));
      const pointsScanned = points.filter((p) => scanned.has(p.id)).length;
      const late = isLate(slot, now);
      await this.repo.submit(em, patrol.id, { at: now, late, pointsExpected: points.length, pointsScanned, note: dto.note ?? null, results });
      const dueDate = addDays(shanghaiDate(now), values.selfReported.deadlineDays);
      const failed = results.filter((r) => r.result === 'fail');
      const created = await this.repo.insertSelfHazards(em, now, failed.map((r) => ({
        institutionId: patrol.institutionId, patrolId: patrol.id, itemCode: r.itemCode, titleZh: checklist.items.find((i) => i.code === r.itemCode)!.title,
        note: r.note!, dueDate, policyVersionId,
      })));
      await this.audit.recordMany(em, [
        { action: 'patrol.submit', entityType: 'patrol', entityId: patrol.id, scopePath: patrol.divisionPath,
          after: { late, pointsExpected: points.length, pointsScanned, missedPoints: points.filter((p) => !scanned.has(p.id)).map((p) => p.code), failed: failed.map((r) => r.itemCode) } },
        ...created.map((h) => ({ action: 'self_hazard.report', entityType: 'self_hazard', entityId: h.id, scopePath: patrol.divisionPath,
          after: { patrolId: patrol.id, itemCode: h.itemCode, dueDate, safetyWorkPolicyVersionId: policyVersionId } })),
      ]);
      return (await this.repo.patrol(scope, patrol.id, em))!;
    });
  }

  async selfHazards(user: AuthUser, institutionId: string, query: SelfHazardQuery): Promise<Page<SelfHazardRow>> {
    await this.readable(user, institutionId);
    const [items, total] = await this.repo.selfHazards(scopeOf(user), institutionId, query.status, (query.page - 1) * query.pageSize, query.pageSize);
    return pageOf(items, total, query);
  }

  /** The institution closes its own hazard with what it did (no bureau verification: it is self-reported). */
  async closeSelfHazard(user: AuthUser, id: string, dto: CloseSelfHazardDto): Promise<SelfHazardRow> {
    assertMay(user, 'patrol.record');
    const scope = scopeOf(user);
    return this.dataSource.transaction(async (em) => {
      const h = await this.repo.selfHazard(scope, id, em);
      if (!h) throw AppError.notFound('self_hazard.not_found');
      if (h.status === 'closed') throw AppError.conflict('self_hazard.already_closed');
      if (!(await this.repo.closeSelfHazard(em, id, dto.version, user.id, dto.note, this.now()))) throw AppError.conflict('request.conflict');
      await this.audit.record(em, { action: 'self_hazard.close', entityType: 'self_hazard', entityId: id, scopePath: h.divisionPath,
        before: { status: 'open' }, after: { status: 'closed', note: dto.note } });
      return (await this.repo.selfHazard(scope, id, em))!;
    });
  }

  /** The point behind a QR label and the institution's patrols in progress (the scan page). */
  async scanTarget(user: AuthUser, token: string): Promise<{ point: PointRow & { institutionName: string }; inProgress: PatrolRow[] }> {
    assertMay(user, 'patrol.read');
    const point = await this.repo.pointByToken(scopeOf(user), token);
    if (!point || point.retiredAt) throw AppError.notFound('patrol.point_not_found');
    return { point, inProgress: await this.repo.inProgress(point.institutionId) };
  }

  private async checklistInForce(kind: PatrolKind) {
    const code = CHECKLIST_OF[kind];
    const found = (await this.checklists.currentOfKind('self_inspection')).find((v) => (v.content as SelfInspectionList).code === code);
    if (!found) throw AppError.conflict('patrol.no_checklist');
    return found;
  }

  private async readable(user: AuthUser, institutionId: string): Promise<PatrolInstitution> {
    assertMay(user, 'patrol.read');
    const institution = await this.repo.institution(scopeOf(user), institutionId);
    if (!institution) throw AppError.notFound('institution.not_found');
    return institution;
  }

  private async recording(user: AuthUser, institutionId: string): Promise<PatrolInstitution> {
    assertMay(user, 'patrol.record');
    return this.readable(user, institutionId);
  }
}

function checklistOf(list: SelfInspectionList): { code: string; title: string; items: ChecklistLine[] } {
  return { code: list.code, title: list.title.zh, items: list.items.map((i) => ({ code: i.code, title: i.title.zh, check: i.check.zh })) };
}

/** Every item answered once, none foreign, a note with each failure. */
export function resultIssues(items: ChecklistLine[], dto: SubmitPatrolDto): { field: string; reason: string; args?: unknown[] }[] {
  const known = new Set(items.map((i) => i.code));
  const issues: { field: string; reason: string; args?: unknown[] }[] = [];
  const seen = new Set<string>();
  dto.results.forEach((r, n) => {
    if (!known.has(r.itemCode)) issues.push({ field: `results.${n}.itemCode`, reason: 'unknownItem', args: [r.itemCode] });
    else if (seen.has(r.itemCode)) issues.push({ field: `results.${n}.itemCode`, reason: 'duplicateItem', args: [r.itemCode] });
    seen.add(r.itemCode);
    if (r.result === 'fail' && !r.note) issues.push({ field: `results.${n}.note`, reason: 'failNeedsNote', args: [r.itemCode] });
  });
  const missing = items.filter((i) => !seen.has(i.code)).map((i) => i.code);
  if (missing.length) issues.push({ field: 'results', reason: 'itemsUnanswered', args: [missing.join('、')] });
  return issues;
}

function assertMay(user: AuthUser, action: Action): void {
  if (!can(user, action)) throw AppError.forbidden();
}
