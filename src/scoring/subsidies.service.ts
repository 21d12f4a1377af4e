import { scheduleReviewToken } from './domain/subsidy-review';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { can } from '../auth/permissions';
import { ChecklistsService } from '../checklists/checklists.service';
import { CreditService } from '../credit/credit.service';
import { PolicyService } from '../checklists/policy.service';
import { subsidyContent } from '../checklists/domain';
import { AppError } from '../common/app-error';
import { pageOf } from '../common/pagination';
import { AuthUser, divisionScope, Scope, scopeOf } from '../common/scope';
import { DivisionsService } from '../divisions/divisions.service';
import { IssuingBureaus } from '../documents/issuing-bureau';
import { capacityOn, computeSubsidy, SubsidyFacts } from './domain/subsidy';
import { compareSchedules, ComparableLine } from './domain/subsidy-compare';
import { CreateScheduleDto } from './dto/scoring.dto';
import { ScheduleQuery } from './dto/subsidy-pages.dto';
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
    private readonly credit: CreditService,
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
    const c = await this.computeLines(division, dto.periodStart, dto.periodEnd);
    return this.dataSource.transaction(async (em) => {
      const id = await this.repo.insertSchedule(em, {
        divisionCode: division.code, divisionPath: division.path, start: dto.periodStart, end: dto.periodEnd, policyVersionId: c.policy.id,
        scoringVersionId: c.scoring?.id ?? null, productPolicyVersionId: c.productPolicy.versionId, creditRulesVersionId: c.creditRulesVersionId, lines: c.lines, total: c.total, createdBy: user.id,
      });
      await this.audit.record(em, {
        action: 'subsidy.schedule_create', entityType: 'subsidy_schedule', entityId: id, scopePath: division.path,
        after: { ...dto, ...c.summary },
      });
      return (await this.repo.schedule(scopeOf(user), id, em))!;
    });
  }

  /**
   * 重新计算 a draft: the same division and period with today's facts and the rules in force, in place (the schedule
   * keeps its id and version number; the audit event keeps the totals before and after). An approved schedule is
   * frozen: 409 `subsidy.approved`.
   */
  async recompute(user: AuthUser, id: string) {
    const s = await this.schedule(user, id);
    if (s.status === 'approved') throw AppError.conflict('subsidy.approved');
    const division = await this.divisions.requireWithin(scopeOf(user), s.divisionCode, 'divisionCode');
    const c = await this.computeLines(division, s.periodStart, s.periodEnd);
    return this.dataSource.transaction(async (em) => {
      const ok = await this.repo.recomputeDraft(em, id, {
        policyVersionId: c.policy.id, scoringVersionId: c.scoring?.id ?? null, productPolicyVersionId: c.productPolicy.versionId, creditRulesVersionId: c.creditRulesVersionId, lines: c.lines, total: c.total, by: user.id,
      });
      if (!ok) throw AppError.conflict('subsidy.approved'); // approved meanwhile
      await this.audit.record(em, {
        action: 'subsidy.schedule_recompute', entityType: 'subsidy_schedule', entityId: id, scopePath: s.divisionPath,
        before: { total: s.total, institutions: (s.lines as unknown[]).length, policyVersion: s.policyVersionNo },
        after: c.summary,
      });
      return (await this.repo.schedule(scopeOf(user), id, em))!;
    });
  }

  /** The lines of a schedule for a division and period under the rules in force (nothing stored). */
  private async computeLines(division: { code: string; path: string }, start: string, end: string) {
    const policy = await this.policyFor(division.path, Number(start.slice(0, 4)));
    if (!policy) throw AppError.validation([{ field: 'periodStart', reason: 'noSubsidyPolicy', args: [start.slice(0, 4)] }]);
    const [scoring] = await this.checklists.currentOfKind('scoring_rules');
    const productPolicy = await this.policies.current();
    const facts = await this.subsidyFacts(divisionScope(division.path), start, end);
    // 信用评价 on the period's last day: a 失信 decision in force or a low level makes the subsidy ineligible or reduced
    const credit = await this.credit.subsidyTerms(facts.map((f) => f.id), end);
    const rulesLabel = `${credit.version.code} 第 ${credit.version.versionNo} 版`;
    for (const f of facts) {
      const t = credit.byInstitution.get(f.id);
      if (t) f.credit = { level: t.standing.level, levelLabelZh: t.levelLabelZh, points: t.standing.points, dishonest: t.standing.dishonest, eligible: t.subsidy.eligible, reductionPercent: t.subsidy.reductionPercent, rulesLabel };
    }
    const content = subsidyContent(policy);
    const lines = facts.map((f) => {
      const r = computeSubsidy(f, { start, end }, content);
      const atEnd = capacityOn(f.capacity, end);
      return {
        ...r, institutionName: f.name,
        // where and what the institution was when the schedule was computed (totals by street and by kind)
        divisionCode: f.divisionCode, divisionName: f.divisionName, kind: f.kind, ownership: f.ownership, profitStatus: f.profitStatus,
        // the summary columns: the grade and beds in force on the last day of the period, the score used
        grade: f.grades.find((g) => g.from <= end && g.to >= end)?.grade ?? null,
        safetyScore: f.safety.score, safetyScoreAsOf: f.safety.asOf, occupiedBeds: atEnd.occupiedBeds,
      };
    });
    const total = lines.reduce((sum, l) => sum + l.amountFen, 0) / 100;
    return {
      policy, scoring, productPolicy, lines, total, creditRulesVersionId: credit.version.versionId,
      summary: { total, institutions: lines.length, ineligible: lines.filter((l) => !l.eligible).length, policyVersion: policy.versionNo, productPolicyVersion: productPolicy.versionNo, creditRulesVersion: credit.version.versionNo },
    };
  }

  /** Every input of the subsidy of each institution of the scope, in six set-based queries. */
  private async subsidyFacts(scope: Scope, start: string, end: string): Promise<(SubsidyFacts & { divisionCode: string; divisionName: string })[]> {
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
        id: i.id, name: i.name, divisionCode: i.divisionCode, divisionName: i.divisionName, ownership: i.ownership, profitStatus: i.profitStatus, kind: i.kind, openedOn: i.openedOn,
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

  async schedules(user: AuthUser, query: ScheduleQuery) {
    const [items, total] = await this.repo.pageSchedules(scopeOf(user), { status: query.status, divisionCode: query.divisionCode }, (query.page - 1) * query.pageSize, query.pageSize);
    return pageOf(items, total, query);
  }

  /**
   * Where each line's institution is (street) and its kind: as recorded in the line when the schedule was computed
   * (issue 13 on); for older schedules the institution's registration now (`recorded: false`).
   */
  async linePlaces(lines: { institutionId: string; divisionCode?: string; divisionName?: string; kind?: string }[]) {
    const missing = lines.filter((l) => !l.divisionCode || !l.kind).map((l) => l.institutionId);
    const now = new Map((await this.repo.institutionPlaces(missing)).map((p) => [p.id, p]));
    return new Map(lines.map((l) => {
      if (l.divisionCode && l.kind) return [l.institutionId, { divisionCode: l.divisionCode, divisionName: l.divisionName ?? l.divisionCode, kind: l.kind, recorded: true }];
      const p = now.get(l.institutionId);
      return [l.institutionId, { divisionCode: p?.divisionCode ?? '', divisionName: p?.divisionName ?? '—', kind: p?.kind ?? '', recorded: false }];
    }));
  }

  /** One institution's subsidy lines in the schedules the viewer sees (newest period first), for the institution page. */
  institutionLines(user: AuthUser, institutionId: string, limit = 24) {
    return this.repo.institutionLines(scopeOf(user), institutionId, Math.min(Math.max(1, limit), 100));
  }

  /**
   * 对比: this schedule against another one in scope — `previous` (default) is the latest period of the same division
   * that ends before this one starts (its approved version, else its newest). `other` is null when there is none.
   */
  async compare(user: AuthUser, id: string, withId: string = 'previous') {
    const s = await this.schedule(user, id);
    const otherId = withId === 'previous' ? await this.repo.previousScheduleId(scopeOf(user), s.divisionCode, s.periodStart) : withId.toLowerCase();
    if (otherId === s.id) throw AppError.validation([{ field: 'with', reason: 'compareSelf' }]);
    const other = otherId ? await this.schedule(user, otherId) : null;
    const head = (x: typeof s) => ({
      id: x.id as string, divisionCode: x.divisionCode as string, divisionName: x.divisionName as string, periodStart: x.periodStart as string, periodEnd: x.periodEnd as string,
      versionNo: x.versionNo as number, status: x.status as string, total: x.total as number, policyCode: x.policyCode as string, policyVersionNo: x.policyVersionNo as number,
    });
    return {
      schedule: head(s), other: other ? head(other) : null,
      comparison: other ? compareSchedules(s.lines as ComparableLine[], other.lines as ComparableLine[]) : null,
    };
  }

  /** Approval freezes the snapshot: the database refuses any later change. One approved version per division and period. */
  /** `reviewed`: the page's scheduleReviewToken (undefined from the API: approve what is stored). */
  async approve(user: AuthUser, id: string, reviewed?: string) {
    if (!can(user, 'subsidy.approve')) throw AppError.forbidden();
    return this.dataSource.transaction(async (em) => {
      await this.repo.lockSchedule(em, id);
      const s = await this.repo.schedule(scopeOf(user), id, em);
      if (!s) throw AppError.notFound('subsidy.not_found');
      if (s.status === 'approved') throw AppError.conflict('subsidy.approved');
      if (reviewed !== undefined && reviewed !== scheduleReviewToken(s)) throw AppError.conflict('subsidy.changed_since_review');
      const sibling = await this.repo.approvedSibling(em, id);
      if (sibling) throw AppError.conflict('subsidy.period_approved', { versionNo: sibling.versionNo });
      if (!(await this.repo.approveSchedule(em, id, user.id))) throw AppError.conflict('subsidy.approved');
      await this.audit.record(em, { action: 'subsidy.schedule_approve', entityType: 'subsidy_schedule', entityId: id, scopePath: s.divisionPath, after: { total: s.total } });
      return (await this.repo.schedule(scopeOf(user), id, em))!;
    });
  }
}
