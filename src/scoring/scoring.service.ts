import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { can } from '../auth/permissions';
import { ChecklistsService } from '../checklists/checklists.service';
import { gradingContent, GradingForm, scoringContent, ScoringRules, subsidyContent } from '../checklists/domain';
import { AppError } from '../common/app-error';
import { addDays, daysBetween, shanghaiDate } from '../common/calendar';
import { pageOf } from '../common/pagination';
import { AuthUser, divisionScope, scopeOf } from '../common/scope';
import { APP_CONFIG, AppConfig } from '../config/env';
import { DivisionsService } from '../divisions/divisions.service';
import { IssuingBureaus } from '../documents/issuing-bureau';
import { InstitutionsRepository } from '../institutions/institutions.repository';
import { JOBS, MAINTENANCE_QUEUE } from '../outbox/job-names';
import { OnJob } from '../outbox/on-job.decorator';
import { computeGrade, validateItemPoints } from './domain/grade';
import { computeSafetyScore } from './domain/safety-score';
import { computeSubsidy, SubsidyResult } from './domain/subsidy';
import { CreateScheduleDto, OpenAssessmentDto, ScoreItemsDto } from './dto/scoring.dto';
import { ScoringRepository } from './scoring.repository';

/** Scores, grades and subsidies: pure functions over stored data, each result stored with the rule-set version used. */
@Injectable()
export class ScoringService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly repo: ScoringRepository,
    private readonly checklists: ChecklistsService,
    private readonly institutions: InstitutionsRepository,
    private readonly divisions: DivisionsService,
    private readonly audit: AuditService,
    private readonly bureaus: IssuingBureaus,
  ) {}

  // ---------------------------------------------------------------- safety score

  private async scoringRules() {
    const [version] = await this.checklists.currentOfKind('scoring_rules');
    if (!version) throw new Error('no scoring rules published');
    return { version, rules: scoringContent(version) };
  }

  @OnJob({ queue: MAINTENANCE_QUEUE, name: JOBS.scoreRecompute })
  recomputeJob({ institutionId }: { institutionId: string }): Promise<{ score: number; scoreId: string }> {
    return this.recompute(institutionId);
  }

  /** Recomputes and stores one institution's score (idempotent: the same data gives the same score). */
  async recompute(institutionId: string, at = new Date()): Promise<{ score: number; scoreId: string }> {
    const institution = await this.institutions.findById({ kind: 'division', path: '/' }, institutionId);
    if (!institution) throw AppError.notFound('institution.not_found');
    const { version, rules } = await this.scoringRules();
    return this.computeAndStore(institutionId, institution.divisionPath, version.id, rules, at);
  }

  /**
   * Every institution of a division subtree: the inputs of all of them in two queries, the scores in memory,
   * and the results written in batches — the same pure function as one recompute, without a round trip each.
   */
  async recomputeAll(divisionPath = '/', at = new Date()): Promise<number> {
    const { version, rules } = await this.scoringRules();
    const asOf = shanghaiDate(at);
    const [institutions, inputs] = await Promise.all([this.repo.institutionIds(divisionScope(divisionPath)), this.repo.allScoreInputs(divisionScope(divisionPath))]);
    const inspectionsOf = groupBy(inputs.inspections, (i) => i.institutionId);
    const hazardsOf = groupBy(inputs.hazards, (h) => h.institutionId);
    const results = institutions.map((i) => {
      const r = computeSafetyScore({ asOf, inspections: inspectionsOf.get(i.id) ?? [], hazards: hazardsOf.get(i.id) ?? [] }, rules);
      return { institutionId: i.id, divisionPath: i.division_path, asOf, score: r.score, capApplied: r.capApplied, contributions: r.contributions, ruleSetVersionId: version.id };
    });
    for (let k = 0; k < results.length; k += 500) {
      const batch = results.slice(k, k + 500);
      await this.dataSource.transaction((em) => this.repo.saveScores(em, batch));
    }
    return results.length;
  }

  private async computeAndStore(institutionId: string, divisionPath: string, versionId: string, rules: ScoringRules, at: Date) {
    const asOf = shanghaiDate(at);
    const inputs = await this.repo.scoreInputs(institutionId);
    const result = computeSafetyScore({ asOf, ...inputs }, rules);
    const scoreId = await this.dataSource.transaction((em) => this.repo.saveScore(em, {
      institutionId, divisionPath, asOf, score: result.score, capApplied: result.capApplied, contributions: result.contributions, ruleSetVersionId: versionId,
    }));
    return { score: result.score, scoreId };
  }

  async latestScore(user: AuthUser, institutionId: string) {
    const institution = await this.institutions.findById(scopeOf(user), institutionId);
    if (!institution) throw AppError.notFound('institution.not_found');
    return (await this.repo.latestScore(institutionId)) ?? (await this.recompute(institutionId), this.repo.latestScore(institutionId));
  }

  // ---------------------------------------------------------------- grade assessment (等级评定)

  private async gradingForm() {
    const [version] = await this.checklists.currentOfKind('grading_form');
    if (!version) throw new Error('no grading form published');
    return version;
  }

  async openAssessment(user: AuthUser, dto: OpenAssessmentDto) {
    const institution = await this.institutions.findById(scopeOf(user), dto.institutionId);
    if (!institution) throw AppError.validation([{ field: 'institutionId', reason: 'divisionOutOfScope' }]);
    const form = await this.gradingForm();
    return this.dataSource.transaction(async (em) => {
      const prerequisites = {
        noOpenMajorHazard: !(await this.repo.hasOpenMajorHazard(institution.id, em)),
        noSeriousAccident: dto.noSeriousAccident, registrationInOrder: dto.registrationInOrder && institution.status === 'active',
      };
      const id = await this.repo.insertAssessment(em, { institutionId: institution.id, divisionPath: institution.divisionPath, formVersionId: form.id, prerequisites, openedBy: user.id });
      await this.audit.record(em, { action: 'grade.open', entityType: 'grade_assessment', entityId: id, scopePath: institution.divisionPath, after: { institutionId: institution.id, prerequisites, formVersion: form.versionNo } });
      return (await this.repo.assessment(scopeOf(user), id, em))!;
    });
  }

  async assessment(user: AuthUser, id: string) {
    const a = await this.repo.assessment(scopeOf(user), id);
    if (!a) throw AppError.notFound('grade.not_found');
    return a;
  }

  async assessments(user: AuthUser, query: { page: number; pageSize: number; institutionId?: string }) {
    const [items, total] = await this.repo.pageAssessments(scopeOf(user), query.institutionId, (query.page - 1) * query.pageSize, query.pageSize);
    return pageOf(items, total, query);
  }

  /** The grading form version an assessment is pinned to (read before any transaction). */
  private async formOf(user: AuthUser, id: string): Promise<GradingForm> {
    const a = await this.assessment(user, id);
    return gradingContent(await this.checklists.resolveVersionById(a.formVersionId));
  }

  /** Assessors record sub-item points; every deduction needs a note (checked at finalization). */
  async scoreItems(user: AuthUser, id: string, dto: ScoreItemsDto) {
    const form = await this.formOf(user, id);
    return this.dataSource.transaction(async (em) => {
      const a = await this.repo.assessment(scopeOf(user), id, em, true);
      if (!a) throw AppError.notFound('grade.not_found');
      const points = { ...a.itemPoints, ...dto.itemPoints };
      const issues = validateItemPoints(form, points);
      if (issues.length) throw AppError.validation(issues.map((i) => ({ field: `itemPoints.${i.itemCode}`, reason: 'gradePointsInvalid', args: [i.reason] })));
      const notes = { ...a.itemNotes, ...(dto.itemNotes ?? {}) };
      if (!(await this.repo.updateAssessment(em, id, dto.version, { item_points: points, item_notes: notes }))) throw AppError.conflict('grade.version_conflict');
      await this.audit.record(em, { action: 'grade.score', entityType: 'grade_assessment', entityId: id, scopePath: a.divisionPath, before: { itemPoints: a.itemPoints }, after: { itemPoints: points } });
      return (await this.repo.assessment(scopeOf(user), id, em))!;
    });
  }

  /** 评定结论: the grade follows from the thresholds in the form; valid for GRADE_VALID_YEARS years. */
  async finalize(user: AuthUser, id: string, version: number) {
    const form = await this.formOf(user, id);
    return this.dataSource.transaction(async (em) => {
      const a = await this.repo.assessment(scopeOf(user), id, em, true);
      if (!a) throw AppError.notFound('grade.not_found');
      if (a.status !== 'open') throw AppError.conflict('grade.finalized');
      const missing = form.parts.flatMap((p) => p.items).filter((i) => a.itemPoints[i.code] === undefined);
      const unexplained = form.parts.flatMap((p) => p.items).filter((i) => a.itemPoints[i.code] !== undefined && a.itemPoints[i.code] < i.maxPoints && !a.itemNotes[i.code]?.trim());
      if (missing.length || unexplained.length) {
        throw new AppError(422, 'grade.incomplete', {}, [
          ...missing.map((i) => ({ field: `itemPoints.${i.code}`, reason: 'gradeItemMissing', args: [i.code] })),
          ...unexplained.map((i) => ({ field: `itemNotes.${i.code}`, reason: 'gradeDeductionNote', args: [i.code] })),
        ]);
      }
      const result = computeGrade(form, a.itemPoints, a.prerequisites);
      const today = shanghaiDate(new Date());
      const validUntil = result.grade ? addDays(`${Number(today.slice(0, 4)) + this.config.GRADE_VALID_YEARS}${today.slice(4)}`, -1) : null;
      if (!(await this.repo.updateAssessment(em, id, version, {
        status: 'finalized', total: result.total, grade: result.grade, grade_label: result.gradeLabel, reasons: result.reasons,
        valid_until: validUntil, finalized_by: user.id, finalized_at: new Date(),
      }))) throw AppError.conflict('grade.version_conflict');
      await this.audit.record(em, { action: 'grade.finalize', entityType: 'grade_assessment', entityId: id, scopePath: a.divisionPath, after: { total: result.total, grade: result.gradeLabel, validUntil, reasons: result.reasons } });
      return { ...(await this.repo.assessment(scopeOf(user), id, em))!, parts: result.parts };
    });
  }

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

  /** A versioned snapshot of every institution's subsidy for the period, each amount with its lines of working. */
  async createSchedule(user: AuthUser, dto: CreateScheduleDto) {
    if (dto.periodEnd < dto.periodStart) throw AppError.validation([{ field: 'periodEnd', reason: 'periodOrder' }]);
    if (dto.periodStart.slice(0, 4) !== dto.periodEnd.slice(0, 4)) throw AppError.validation([{ field: 'periodEnd', reason: 'periodOneYear' }]);
    const division = await this.divisions.requireWithin(scopeOf(user), dto.divisionCode, 'divisionCode');
    const policy = await this.policyFor(division.path, Number(dto.periodStart.slice(0, 4)));
    if (!policy) throw AppError.validation([{ field: 'periodStart', reason: 'noSubsidyPolicy', args: [dto.periodStart.slice(0, 4)] }]);
    const [scoring] = await this.checklists.currentOfKind('scoring_rules');
    const periodDays = daysBetween(dto.periodStart, dto.periodEnd) + 1;
    const rows = await this.repo.subsidyInputs(divisionScope(division.path), dto.periodStart, dto.periodEnd);
    const lines: (SubsidyResult & { institutionName: string; grade: number | null; safetyScore: number | null; occupiedBeds: number })[] = rows.map((r) => ({
      ...computeSubsidy({ ...r, activeDays: r.status === 'active' ? periodDays : 0 }, { start: dto.periodStart, end: dto.periodEnd }, subsidyContent(policy)),
      institutionName: r.name, grade: r.grade, safetyScore: r.safetyScore, occupiedBeds: r.occupiedBeds,
    }));
    const total = Math.round(lines.reduce((s, l) => s + Math.round(l.amount * 100), 0)) / 100;
    return this.dataSource.transaction(async (em) => {
      const id = await this.repo.insertSchedule(em, {
        divisionCode: division.code, divisionPath: division.path, start: dto.periodStart, end: dto.periodEnd, policyVersionId: policy.id,
        scoringVersionId: scoring?.id ?? null, lines, total, createdBy: user.id,
      });
      await this.audit.record(em, { action: 'subsidy.schedule_create', entityType: 'subsidy_schedule', entityId: id, scopePath: division.path, after: { ...dto, total, institutions: lines.length, policyVersion: policy.versionNo } });
      return (await this.repo.schedule(scopeOf(user), id, em))!;
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

function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = out.get(k);
    if (list) list.push(row);
    else out.set(k, [row]);
  }
  return out;
}
