import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { can } from '../auth/permissions';
import { ChecklistsService } from '../checklists/checklists.service';
import { PolicyService } from '../checklists/policy.service';
import { subsidyContent } from '../checklists/domain';
import { AppError } from '../common/app-error';
import { pageOf } from '../common/pagination';
import { AuthUser, divisionScope, Scope, scopeOf } from '../common/scope';
import { DivisionsService } from '../divisions/divisions.service';
import { IssuingBureaus } from '../documents/issuing-bureau';
import { capacityOn, computeSubsidy, SubsidyFacts } from './domain/subsidy';
import { CreateScheduleDto } from './dto/scoring.dto';
import { ScoringRepository } from './scoring.repository';
import { SubsidiesRepository } from './subsidies.repository';

/** Subsidy schedules (运营补贴): versioned snapshots of every institution's subsidy for a period, each amount with its lines. */
@Injectable()
export class SubsidiesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repo: SubsidiesRepository,
    private readonly checklists: ChecklistsService,
    private readonly policies: PolicyService,
    private readonly scoring: ScoringRepository,
    private readonly divisions: DivisionsService,
    private readonly audit: AuditService,
    private readonly bureaus: IssuingBureaus,
  ) {}

  // ---------------------------------------------------------------- subsidy schedules (运营补贴)

  /** The policy for a division and year: the nearest one published for the division or one of its ancestors. */
  private async policyFor(divisionPath: string, year: number) {
    const candidates = (await this.checklists.currentOfKind('subsidy_policy'))
      .filter((v) => {
        const c = subsidyContent(v);
        return c.year === year && divisionPath.includes(`/${c.divisionCode}/`);
      })
      .sort((a, b) => divisionPath.indexOf(`/${subsidyContent(b).divisionCode}/`) - divisionPath.indexOf(`/${subsidyContent(a).divisionCode}/`));
    return candidates[0] ?? null;
  }

  /**
   * A versioned snapshot of every institution's subsidy for the period, each amount with its lines of working, day
   * by day (operating period, capacity in force, grade in force, suspension days; docs/scoring.md). Ineligible
   * institutions are listed with amount 0 and the reason. Pins the subsidy policy, the scoring rules and the
   * product policy in force.
   */
  async createSchedule(user: AuthUser, dto: CreateScheduleDto) {
    if (dto.periodEnd < dto.periodStart) throw AppError.validation([{ field: 'periodEnd', reason: 'periodOrder' }]);
    if (dto.periodStart.slice(0, 4) !== dto.periodEnd.slice(0, 4)) throw AppError.validation([{ field: 'periodEnd', reason: 'periodOneYear' }]);
    const division = await this.divisions.requireWithin(scopeOf(user), dto.divisionCode, 'divisionCode');
    const policy = await this.policyFor(division.path, Number(dto.periodStart.slice(0, 4)));
    if (!policy) throw AppError.validation([{ field: 'periodStart', reason: 'noSubsidyPolicy', args: [dto.periodStart.slice(0, 4)] }]);
    const [scoring] = await this.checklists.currentOfKind('scoring_rules');
    const productPolicy = await this.policies.current();
    const facts = await this.subsidyFacts(divisionScope(division.path), dto.periodStart, dto.periodEnd);
    const content = subsidyContent(policy);
    const lines = facts.map((f) => {
      const r = computeSubsidy(f, { start: dto.periodStart, end: dto.periodEnd }, content);
      const atEnd = capacityOn(f.capacity, dto.periodEnd);
      return {
        ...r, institutionName: f.name,
        // the summary columns: the grade and beds in force on the last day of the period, the score used
        grade: f.grades.find((g) => g.from <= dto.periodEnd && g.to >= dto.periodEnd)?.grade ?? null,
        safetyScore: f.safety.score, safetyScoreAsOf: f.safety.asOf, occupiedBeds: atEnd.occupiedBeds,
      };
    });
    const total = lines.reduce((s, l) => s + l.amountFen, 0) / 100;
    return this.dataSource.transaction(async (em) => {
      const id = await this.repo.insertSchedule(em, {
        divisionCode: division.code, divisionPath: division.path, start: dto.periodStart, end: dto.periodEnd, policyVersionId: policy.id,
        scoringVersionId: scoring?.id ?? null, productPolicyVersionId: productPolicy.versionId, lines, total, createdBy: user.id,
      });
      await this.audit.record(em, {
        action: 'subsidy.schedule_create', entityType: 'subsidy_schedule', entityId: id, scopePath: division.path,
        after: { ...dto, total, institutions: lines.length, ineligible: lines.filter((l) => !l.eligible).length, policyVersion: policy.versionNo, productPolicyVersion: productPolicy.versionNo },
      });
      return (await this.repo.schedule(scopeOf(user), id, em))!;
    });
  }

  /** Every input of the subsidy of each institution of the scope, in six set-based queries. */
  private async subsidyFacts(scope: Scope, start: string, end: string): Promise<SubsidyFacts[]> {
    const institutions = await this.repo.subsidyInstitutions(scope, start, end);
    const ids = institutions.map((i) => i.id);
    if (!ids.length) return [];
    const [interruptions, capacity, grades, scores, hazards] = await Promise.all([
      this.repo.interruptions(ids, start, end), this.repo.capacity(ids, start, end), this.scoring.gradeIntervals(ids, start, end),
      this.repo.safetyAsOf(ids, end), this.repo.majorHazardIntervals(ids, start, end),
    ]);
    const by = <T extends { institutionId: string }>(rows: T[]) => {
      const m = new Map<string, T[]>();
      for (const r of rows) (m.get(r.institutionId) ?? m.set(r.institutionId, []).get(r.institutionId)!).push(r);
      return (id: string) => m.get(id) ?? [];
    };
    const [interruptionsOf, capacityOf, gradesOf, scoreOf, hazardsOf] = [by(interruptions), by(capacity), by(grades), by(scores), by(hazards)];
    return institutions.map((i) => {
      const score = scoreOf(i.id)[0];
      return {
        id: i.id, name: i.name, ownership: i.ownership, profitStatus: i.profitStatus, kind: i.kind, openedOn: i.openedOn,
        interruptions: interruptionsOf(i.id).map(({ kind, from, to }) => ({ kind, from, to })),
        capacity: capacityOf(i.id).map(({ institutionId: _i, ...c }) => c),
        grades: gradesOf(i.id).map(({ grade, from, to }) => ({ grade, from, to })),
        safety: score ? { score: score.score, asOf: score.asOf } : { score: null, asOf: null },
        majorHazards: hazardsOf(i.id).map(({ from, to }) => ({ from, to })),
      };
    });
  }

  async schedule(user: AuthUser, id: string) {
    const s = await this.repo.schedule(scopeOf(user), id);
    if (!s) throw AppError.notFound('subsidy.not_found');
    return s;
  }

  /** A schedule with the name of the bureau that issues it (发文机关), for its printed form. */
  async scheduleDocument(user: AuthUser, id: string) {
    const s = await this.schedule(user, id);
    return { ...s, bureauName: (await this.bureaus.of(s.divisionPath)).name };
  }

  async schedules(user: AuthUser, query: { page: number; pageSize: number }) {
    const [items, total] = await this.repo.pageSchedules(scopeOf(user), (query.page - 1) * query.pageSize, query.pageSize);
    return pageOf(items, total, query);
  }

  /** Approval freezes the snapshot: the database refuses any later change. */
  async approve(user: AuthUser, id: string) {
    if (!can(user, 'subsidy.approve')) throw AppError.forbidden();
    return this.dataSource.transaction(async (em) => {
      const s = await this.repo.schedule(scopeOf(user), id, em);
      if (!s) throw AppError.notFound('subsidy.not_found');
      if (!(await this.repo.approveSchedule(em, id, user.id))) throw AppError.conflict('subsidy.approved');
      await this.audit.record(em, { action: 'subsidy.schedule_approve', entityType: 'subsidy_schedule', entityId: id, scopePath: s.divisionPath, after: { total: s.total } });
      return (await this.repo.schedule(scopeOf(user), id, em))!;
    });
  }
}
