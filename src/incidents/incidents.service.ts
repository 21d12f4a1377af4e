import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { can, type Action } from '../auth/permissions';
import { SafetyWorkPolicyService } from '../checklists/safety-work-policy.service';
import { AppError } from '../common/app-error';
import { formatChineseDateTime } from '../common/calendar';
import { Page, pageOf } from '../common/pagination';
import { AuthUser, scopeOf } from '../common/scope';
import { label } from '../common/vocabulary';
import { PlansService } from '../inspections/plans.service';
import { NotificationsRepository } from '../notifications/notifications.repository';
import { decideIncident, INCIDENT_GRADES, IncidentAction, IncidentGrade, occurredAtIssues, reportTiming } from './domain/incident-rules';
import { AcknowledgeIncidentDto, IncidentQuery, OpenFollowUpDto, ReportIncidentDto } from './dto/incident.dto';
import { IncidentRow, IncidentsRepository } from './incidents.repository';

/** The API shape of an incident report: the row without the internal scope column. */
export function toIncidentView(r: IncidentRow) {
  const { divisionPath: _path, ...view } = r;
  return view;
}

/** 未确认的突发事件 by grade: what the institution page and the dashboard show. */
export interface IncidentSummary {
  openByGrade: Record<IncidentGrade, number>;
  openTotal: number;
  openLate: number;
}

/** The notification kind written to the supervising bureau when an institution reports (see the report for its label). */
export const INCIDENT_REPORTED_KIND = 'incident.reported';

/**
 * 突发事件报告: the institution reports, the deadline by grade comes from the safety-work policy in force (pinned on
 * the report), the supervising bureau is notified in the same transaction, acknowledges once and may open one
 * follow-up inspection (created by the inspections feature's ad-hoc creation).
 */
@Injectable()
export class IncidentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly incidents: IncidentsRepository,
    private readonly policy: SafetyWorkPolicyService,
    private readonly plans: PlansService,
    private readonly notifications: NotificationsRepository,
    private readonly audit: AuditService,
  ) {}

  async list(user: AuthUser, query: IncidentQuery, institutionId?: string): Promise<Page<IncidentRow>> {
    assertMay(user, 'incident.read');
    const scope = scopeOf(user);
    if (institutionId && !(await this.incidents.institution(scope, institutionId))) throw AppError.notFound('institution.not_found');
    const filter = { grade: query.grade, status: query.status, late: query.late === undefined ? undefined : query.late === 'true', institutionId: institutionId ?? query.institutionId };
    const [items, total] = await this.incidents.page(scope, filter, (query.page - 1) * query.pageSize, query.pageSize);
    return pageOf(items, total, query);
  }

  async get(user: AuthUser, id: string): Promise<IncidentRow> {
    assertMay(user, 'incident.read');
    const found = await this.incidents.findById(scopeOf(user), id);
    if (!found) throw AppError.notFound('incident.not_found');
    return found;
  }

  /** The institution's name and path, if the viewer may read its incidents. */
  async institution(user: AuthUser, institutionId: string): Promise<{ id: string; name: string; divisionPath: string }> {
    assertMay(user, 'incident.read');
    const found = await this.incidents.institution(scopeOf(user), institutionId);
    if (!found) throw AppError.notFound('institution.not_found');
    return found;
  }

  /** The policy's reporting hours by grade (for the report form). */
  async reportHours(): Promise<Record<IncidentGrade, number>> {
    return (await this.policy.current()).values.incidents.reportHours;
  }

  /** Unacknowledged reports by grade, in the viewer's scope or of one institution. */
  async summary(user: AuthUser, institutionId?: string): Promise<IncidentSummary> {
    assertMay(user, 'incident.read');
    const openByGrade = Object.fromEntries(INCIDENT_GRADES.map((g) => [g, 0])) as Record<IncidentGrade, number>;
    let openLate = 0;
    for (const r of await this.incidents.openCounts(scopeOf(user), institutionId)) {
      openByGrade[r.grade] = r.n;
      openLate += r.late;
    }
    return { openByGrade, openTotal: Object.values(openByGrade).reduce((a, b) => a + b, 0), openLate };
  }

  /** The accounts the viewer may put on a follow-up team for this incident's institution. */
  async teamCandidates(user: AuthUser, r: IncidentRow) {
    if (!can(user, 'incident.acknowledge')) return [];
    return this.incidents.teamCandidates(scopeOf(user), r.divisionPath);
  }

  /** Files a report: late or not by the policy's hours for the grade; the bureau is notified in the same transaction. */
  async report(user: AuthUser, institutionId: string, dto: ReportIncidentDto): Promise<IncidentRow> {
    assertMay(user, 'incident.report');
    const scope = scopeOf(user);
    const institution = await this.incidents.institution(scope, institutionId);
    if (!institution) throw AppError.notFound('institution.not_found');
    const now = new Date();
    const occurredAt = new Date(dto.occurredAt);
    const issues = occurredAtIssues(occurredAt, now);
    if (issues.length) throw AppError.validation(issues);
    const { versionId, values } = await this.policy.current();
    const timing = reportTiming(occurredAt, now, dto.grade, values.incidents.reportHours);
    return this.dataSource.transaction(async (em) => {
      const id = await this.incidents.insert(em, {
        institutionId, type: dto.type, grade: dto.grade, occurredAt, reportedAt: now, reportHours: values.incidents.reportHours[dto.grade],
        reportDeadlineAt: timing.deadline, late: timing.late, summary: dto.summary, residentsAffected: dto.residentsAffected,
        firstMeasures: dto.firstMeasures, reportedBy: user.id, policyVersionId: versionId,
      });
      await this.notifications.notify(em, {
        audience: 'bureau', institutionId: null, divisionPath: institution.divisionPath, kind: INCIDENT_REPORTED_KIND,
        title: `突发事件报告（${label('incidentGrade', dto.grade)}）：${institution.name}`,
        body: `${label('incidentType', dto.type)}，发生于 ${formatChineseDateTime(occurredAt)}，涉及老人 ${dto.residentsAffected} 人${timing.late ? '（迟报）' : ''}。请及时确认并跟进。`,
        entityType: 'incident', entityId: id, dedupKey: `incident-reported-${id}`,
      });
      await this.audit.record(em, {
        action: 'incident.report', entityType: 'incident', entityId: id, scopePath: institution.divisionPath,
        after: { institutionId, type: dto.type, grade: dto.grade, occurredAt: occurredAt.toISOString(), residentsAffected: dto.residentsAffected,
          reportDeadlineAt: timing.deadline.toISOString(), late: timing.late, safetyWorkPolicyVersionId: versionId },
      });
      return (await this.incidents.findById(scope, id, em))!;
    });
  }

  /** 确认收到, once, with a note. */
  async acknowledge(user: AuthUser, id: string, dto: AcknowledgeIncidentDto): Promise<IncidentRow> {
    assertMay(user, 'incident.read');
    const scope = scopeOf(user);
    return this.dataSource.transaction(async (em) => {
      const r = await this.incidents.findById(scope, id, em, true);
      if (!r) throw AppError.notFound('incident.not_found');
      this.check(r, 'acknowledge', user, dto.version);
      if (!(await this.incidents.acknowledgeIfVersion(em, id, dto.version, user.id, dto.note))) throw AppError.conflict('incident.version_conflict');
      await this.audit.record(em, {
        action: 'incident.acknowledge', entityType: 'incident', entityId: id, scopePath: r.divisionPath,
        before: { status: r.status, version: r.version }, after: { status: 'acknowledged', version: r.version + 1, note: dto.note, institutionId: r.institutionId },
      });
      return (await this.incidents.findById(scope, id, em))!;
    });
  }

  /**
   * 跟进检查: an ad-hoc inspection of the incident's institution (PlansService.prepareAdHoc: team and policy checks are
   * the inspections feature's), made and linked to the report in one transaction under the report's row lock, so a
   * second follow-up opened at the same moment waits, then is refused, and leaves no inspection behind.
   */
  async openFollowUp(user: AuthUser, id: string, dto: OpenFollowUpDto): Promise<IncidentRow> {
    assertMay(user, 'incident.read');
    const scope = scopeOf(user);
    const r = await this.incidents.findById(scope, id);
    if (!r) throw AppError.notFound('incident.not_found');
    this.check(r, 'open_follow_up', user, dto.version);
    const adHoc = await this.plans.prepareAdHoc(user, { institutionId: r.institutionId, kind: 'special', teamUserIds: dto.teamUserIds, scheduledDate: dto.scheduledDate });
    // one transaction under the report's row lock: the inspection and the link commit together, and a second click
    // waits, then is refused (already followed up) without leaving an inspection behind
    return this.dataSource.transaction(async (em) => {
      const locked = (await this.incidents.findById(scope, id, em, true))!;
      this.check(locked, 'open_follow_up', user, dto.version);
      const inspection = await adHoc.write(em);
      if (!(await this.incidents.linkFollowUpIfVersion(em, id, dto.version, inspection.id))) throw AppError.conflict('incident.version_conflict');
      await this.audit.record(em, {
        action: 'incident.follow_up', entityType: 'incident', entityId: id, scopePath: r.divisionPath,
        before: { version: r.version }, after: { followUpInspectionId: inspection.id, version: r.version + 1, institutionId: r.institutionId },
      });
      return (await this.incidents.findById(scope, id, em))!;
    });
  }

  private check(r: IncidentRow, action: IncidentAction, user: AuthUser, version: number): void {
    const move = decideIncident(r, action, user.role);
    if ('refusal' in move) {
      if (move.refusal === 'forbidden') throw AppError.forbidden();
      throw AppError.conflict(`incident.${move.refusal}`);
    }
    if (r.version !== version) throw AppError.conflict('incident.version_conflict');
  }
}

function assertMay(user: AuthUser, action: Action): void {
  if (!can(user, action)) throw AppError.forbidden();
}
