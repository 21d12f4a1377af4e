import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { ChecklistsService } from '../checklists/checklists.service';
import { PolicyService } from '../checklists/policy.service';
import { gradingApplies, gradingContent, GradingForm, scoringContent, ScoringRules } from '../checklists/domain';
import { AppError } from '../common/app-error';
import { addDays, shanghaiDate } from '../common/calendar';
import { pageOf } from '../common/pagination';
import { label } from '../common/vocabulary';
import { AuthUser, divisionScope, scopeOf } from '../common/scope';
import { InstitutionsRepository } from '../institutions/institutions.repository';
import { JobContext, JOBS, MAINTENANCE_QUEUE } from '../outbox/job-names';
import { GRADE_EXPIRY_NOTICE_DAYS, gradeExpiringText } from '../notifications/notification-kinds';
import { NotificationsRepository } from '../notifications/notifications.repository';
import { OnJob } from '../outbox/on-job.decorator';
import { BlockingHazard, checkDecision, computeGrade, GradeLevel, gradeName, gradeOnDate, GradePrerequisites, prerequisiteReasons, scoringGaps, gradeTimeline, validateItemPoints, validityInterval } from './domain/grade';
import { computeSafetyScore } from './domain/safety-score';
import { AssessmentQuery, DecideGradeDto, EXPIRING_WITHIN_DAYS, OpenAssessmentDto, ScoreItemsDto } from './dto/scoring.dto';
import { ScoringRepository } from './scoring.repository';

/** Safety scores and grades (subsidies: SubsidiesService): pure functions over stored data, each result stored with the rule-set version used. */
@Injectable()
export class ScoringService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repo: ScoringRepository,
    private readonly checklists: ChecklistsService,
    private readonly institutions: InstitutionsRepository,
    private readonly audit: AuditService,
    private readonly policy: PolicyService,
    private readonly notifications: NotificationsRepository,
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

  private async gradingForm(versionNo?: number) {
    const [version] = await this.checklists.currentOfKind('grading_form');
    if (!version) throw new Error('no grading form published');
    if (versionNo === undefined || versionNo === version.versionNo) return version;
    const chosen = await this.checklists.version(version.ruleSetCode, versionNo).catch(() => null);
    if (!chosen) throw AppError.validation([{ field: 'formVersionNo', reason: 'gradeFormVersionUnknown', args: [String(versionNo)] }]);
    return chosen;
  }

  /** The published versions of the GB/T 37276 grading form (newest first) and the one in force, for choosing at opening. */
  async gradingForms(): Promise<{ current: { id: string; versionNo: number; code: string; title: string }; versions: { id: string; versionNo: number; publishedAt: Date; contentHash: string }[] }> {
    const current = await this.gradingForm();
    const page = await this.checklists.versions(current.ruleSetCode, { page: 1, pageSize: 100 });
    return {
      current: { id: current.id, versionNo: current.versionNo, code: current.ruleSetCode, title: current.titleZh },
      versions: page.items.map((v) => ({ id: v.id, versionNo: v.versionNo, publishedAt: v.publishedAt, contentHash: v.contentHash })).sort((a, b) => b.versionNo - a.versionNo),
    };
  }

  /**
   * The grade policy, the one place grade validity is read: an assessment pins the product policy in force when
   * it is opened, and its outcome is valid for that policy's `grade.validityYears`. An assessment opened before
   * policies were versioned (no pin) gets the previous release's values (`PolicyService.byId(null)`: 3 years).
   */
  private async gradePolicyPin(): Promise<string> {
    return (await this.policy.current()).versionId;
  }

  private async gradeValidityYears(policyVersionId: string | null): Promise<number> {
    return (await this.policy.byId(policyVersionId)).values.grade.validityYears;
  }

  async openAssessment(user: AuthUser, dto: OpenAssessmentDto) {
    const institution = await this.institutions.findById(scopeOf(user), dto.institutionId);
    if (!institution) throw AppError.validation([{ field: 'institutionId', reason: 'divisionOutOfScope' }]);
    // GB/T 37276 grades residential institutions only (a meal point or day-care centre has no grade to assess).
    const grading = gradingApplies(institution);
    if (!grading.applies) throw new AppError(409, 'grade.not_applicable', { reason: grading.reason });
    const form = await this.gradingForm(dto.formVersionNo);
    const policyVersionId = await this.gradePolicyPin();
    return this.dataSource.transaction(async (em) => {
      // The snapshot at opening, kept for the record; finalization checks again and decides.
      const prerequisites = {
        noOpenMajorHazard: !(await this.repo.blockingMajorHazards(institution.id, em)).length,
        noSeriousAccident: dto.noSeriousAccident, registrationInOrder: dto.registrationInOrder && institution.status === 'active',
      };
      const id = await this.repo.insertAssessment(em, { institutionId: institution.id, divisionPath: institution.divisionPath, formVersionId: form.id, policyVersionId, prerequisites, openedBy: user.id });
      await this.audit.record(em, { action: 'grade.open', entityType: 'grade_assessment', entityId: id, scopePath: institution.divisionPath, after: { institutionId: institution.id, prerequisites, formVersion: form.versionNo, policyVersionId } });
      return (await this.repo.assessment(scopeOf(user), id, em))!;
    });
  }

  async assessment(user: AuthUser, id: string) {
    const a = await this.repo.assessment(scopeOf(user), id);
    if (!a) throw AppError.notFound('grade.not_found');
    return a;
  }

  /**
   * Assessments with their standing today (评定中 / 现行有效 / 已被后评覆盖 / 已撤销 / 已过期) and 即将到期 (a grade in force
   * ending within EXPIRING_WITHIN_DAYS days), filtered by standing, expiring, institution; newest first or by expiry.
   */
  async assessments(user: AuthUser, query: Partial<AssessmentQuery> & { page: number; pageSize: number }) {
    const [items, total, expiring] = await this.repo.pageAssessments(scopeOf(user), {
      institutionId: query.institutionId, status: query.status, expiring: query.expiring === 'true', sort: query.sort,
      today: shanghaiDate(new Date()), expiringDays: EXPIRING_WITHIN_DAYS,
    }, (query.page - 1) * query.pageSize, query.pageSize);
    return { ...pageOf(items, total, query), expiring };
  }

  /** The grading form version an assessment is pinned to (read before any transaction). */
  private async formOf(user: AuthUser, id: string): Promise<GradingForm> {
    return (await this.formVersionOf(user, id)).form;
  }

  /** The pinned grading form with its version identity (code, number, content hash). */
  async formVersionOf(user: AuthUser, id: string) {
    const a = await this.assessment(user, id);
    const version = await this.checklists.resolveVersionById(a.formVersionId);
    return { form: gradingContent(version), versionNo: version.versionNo, code: version.ruleSetCode, contentHash: version.contentHash };
  }

  /**
   * The prerequisites as finalization decides them, now: blocking hazards (open major, or suspected awaiting the
   * bureau) queried again, the assessors' findings at opening, and the institution's registration status. The one
   * function behind both the finalize path and the live view on the page, so they cannot disagree.
   */
  private async livePrerequisites(a: { institutionId: string; prerequisites: unknown }, em: EntityManager): Promise<{ prerequisites: GradePrerequisites; hazards: (BlockingHazard & { hazardId: string })[] }> {
    const institution = await this.institutions.findById({ kind: 'division', path: '/' }, a.institutionId, em);
    const hazards = await this.repo.blockingMajorHazards(a.institutionId, em);
    const opened = a.prerequisites as GradePrerequisites;
    return {
      hazards,
      prerequisites: {
        noOpenMajorHazard: !hazards.length, majorHazards: hazards.map(({ itemCode, title, status }) => ({ itemCode, title, status })),
        noSeriousAccident: opened.noSeriousAccident,
        registrationInOrder: opened.registrationInOrder && institution?.status === 'active',
      },
    };
  }

  /**
   * What finalizing now would give (the page's live prerequisites and confirmation step): the outcome computed by
   * the same pure function, from the stored points and the prerequisites as finalize checks them, the validity it
   * would get (from today for the pinned policy's years), and what is still missing or unexplained.
   */
  async preview(user: AuthUser, id: string) {
    const a = await this.assessment(user, id);
    const pinned = await this.formVersionOf(user, id);
    const { prerequisites, hazards } = await this.livePrerequisites(a, this.dataSource.manager);
    const gaps = scoringGaps(pinned.form, a.itemPoints, a.itemNotes);
    const result = computeGrade(pinned.form, a.itemPoints, prerequisites);
    const validity = validityInterval(shanghaiDate(new Date()), await this.gradeValidityYears(a.policyVersionId));
    return { assessment: a, form: pinned, prerequisites, blockingHazards: hazards, prerequisiteReasons: prerequisiteReasons(prerequisites), gaps, result, validity };
  }

  /** A finalized assessment as its result document prints it: parts recomputed from the stored points (pure), assessors by name. */
  async resultDocument(user: AuthUser, id: string) {
    const a = await this.assessment(user, id);
    if (a.status !== 'finalized') throw AppError.conflict('grade.not_finalized_result');
    const pinned = await this.formVersionOf(user, id);
    const result = computeGrade(pinned.form, a.itemPoints, (a.finalPrerequisites ?? a.prerequisites) as GradePrerequisites);
    const names = await this.repo.userNames([a.openedBy, a.finalizedBy].filter((x): x is string => !!x));
    const institution = await this.institutions.findById(scopeOf(user), a.institutionId);
    return { assessment: a, form: pinned, result, institution, openedByName: names.get(a.openedBy) ?? '', finalizedByName: a.finalizedBy ? names.get(a.finalizedBy) ?? '' : '' };
  }

  /** Assessors record sub-item points; every deduction needs a note (checked at finalization). */
  async scoreItems(user: AuthUser, id: string, dto: ScoreItemsDto) {
    const form = await this.formOf(user, id);
    return this.dataSource.transaction(async (em) => {
      const a = await this.repo.assessment(scopeOf(user), id, em, true);
      if (!a) throw AppError.notFound('grade.not_found');
      // 已定稿 first: a finalized assessment never changes, whatever version the caller holds.
      if (a.status !== 'open') throw AppError.conflict('grade.finalized');
      const points = { ...a.itemPoints, ...dto.itemPoints };
      const issues = validateItemPoints(form, points);
      if (issues.length) throw AppError.validation(issues.map((i) => ({ field: `itemPoints.${i.itemCode}`, reason: 'gradePointsInvalid', args: [i.reason] })));
      const notes = { ...a.itemNotes, ...(dto.itemNotes ?? {}) };
      if (dto.part !== undefined) {
        // 按部分保存: only that part's items, and every deduction in it explained now (the page saves a part at a time).
        const part = form.parts.find((p) => p.code === dto.part);
        if (!part) throw AppError.validation([{ field: 'part', reason: 'gradePartUnknown', args: [dto.part] }]);
        const own = new Set(part.items.map((i) => i.code));
        const foreign = [...Object.keys(dto.itemPoints), ...Object.keys(dto.itemNotes ?? {})].filter((c) => !own.has(c));
        if (foreign.length) throw AppError.validation([...new Set(foreign)].sort().map((c) => ({ field: `itemPoints.${c}`, reason: 'gradeItemNotInPart', args: [c, part.title.zh] })));
        const { unexplained } = scoringGaps(form, points, notes, part.code);
        if (unexplained.length) throw AppError.validation(unexplained.map((c) => ({ field: `itemNotes.${c}`, reason: 'gradeDeductionNote', args: [c] })));
      }
      if (!(await this.repo.updateAssessment(em, id, dto.version, { item_points: points, item_notes: notes }))) throw AppError.conflict('grade.version_conflict');
      await this.audit.record(em, { action: 'grade.score', entityType: 'grade_assessment', entityId: id, scopePath: a.divisionPath, before: { itemPoints: a.itemPoints }, after: { itemPoints: points } });
      return (await this.repo.assessment(scopeOf(user), id, em))!;
    });
  }

  /**
   * 评定结论: the prerequisites are checked again inside this transaction (a major hazard filed since opening, or a
   * suspected one awaiting confirmation, blocks and is named); the grade follows from the thresholds in the form.
   * Every outcome, 未达等级 included, is in force from today (Shanghai) for the policy's validity years and
   * supersedes the institution's earlier outcome from today.
   */
  async finalize(user: AuthUser, id: string, version: number, options: { requireGrade?: boolean } = {}) {
    const form = await this.formOf(user, id);
    const pinned = await this.assessment(user, id);
    const validityYears = await this.gradeValidityYears(pinned.policyVersionId);
    return this.dataSource.transaction(async (em) => {
      const a = await this.repo.assessment(scopeOf(user), id, em, true);
      if (!a) throw AppError.notFound('grade.not_found');
      if (a.status !== 'open') throw AppError.conflict('grade.finalized');
      if (a.version !== version) throw AppError.conflict('grade.version_conflict');
      const { missing, unexplained } = scoringGaps(form, a.itemPoints, a.itemNotes);
      if (missing.length || unexplained.length) {
        throw new AppError(422, 'grade.incomplete', {}, [
          ...missing.map((code) => ({ field: `itemPoints.${code}`, reason: 'gradeItemMissing', args: [code] })),
          ...unexplained.map((code) => ({ field: `itemNotes.${code}`, reason: 'gradeDeductionNote', args: [code] })),
        ]);
      }
      await this.repo.lockGrades(em, a.institutionId);
      const { prerequisites } = await this.livePrerequisites(a, em);
      const unmet = prerequisiteReasons(prerequisites);
      if (options.requireGrade && unmet.length) throw AppError.conflict('grade.prerequisites_unmet', { reasons: unmet.join('；') });
      const result = computeGrade(form, a.itemPoints, prerequisites);
      const finalizedAt = new Date();
      const { validFrom, validUntil } = validityInterval(shanghaiDate(finalizedAt), validityYears);
      if (!(await this.repo.updateAssessment(em, id, version, {
        status: 'finalized', total: result.total, grade: result.grade, grade_label: result.gradeLabel, reasons: result.reasons,
        final_prerequisites: prerequisites, valid_from: validFrom, valid_until: validUntil, finalized_by: user.id, finalized_at: finalizedAt,
      }))) throw AppError.conflict('grade.version_conflict');
      await this.repo.lockGrades(em, a.institutionId);
      await this.repo.refreshGradeSpans(em, a.institutionId);
      await this.audit.record(em, { action: 'grade.finalize', entityType: 'grade_assessment', entityId: id, scopePath: a.divisionPath, after: {
        total: result.total, grade: result.gradeLabel, validFrom, validUntil, reasons: result.reasons, prerequisites, validityYears,
      } });
      return { ...(await this.repo.assessment(scopeOf(user), id, em))!, parts: result.parts };
    });
  }

  /**
   * 撤销 / 降级: a bureau decision on the outcome in force (finalized, not superseded, holding a grade, not revoked),
   * effective from its date; immutable, audited. The grade in force from effectiveOn is the lowered one or none.
   */
  async decide(user: AuthUser, id: string, dto: DecideGradeDto) {
    return this.dataSource.transaction(async (em) => {
      const a = await this.repo.assessment(scopeOf(user), id, em, true);
      if (!a) throw AppError.notFound('grade.not_found');
      if (a.status !== 'finalized') throw AppError.conflict('grade.not_finalized');
      await this.repo.lockGrades(em, a.institutionId);
      const { outcomes, decisions } = await this.repo.gradeRows([a.institutionId], '9999-12-31', em);
      const span = gradeTimeline(outcomes, decisions).get(a.institutionId)?.find((x) => x.outcome.assessmentId === id);
      if (!span) throw AppError.conflict('grade.not_finalized');
      const check = checkDecision(span, { kind: dto.kind, newGrade: dto.newGrade, effectiveOn: dto.effectiveOn }, shanghaiDate(new Date()));
      if (!check.ok && 'conflict' in check) throw AppError.conflict(check.conflict);
      if (!check.ok) throw AppError.validation(check.problems);
      const newGrade = dto.kind === 'lower' ? (dto.newGrade as GradeLevel) : null;
      const decisionId = await this.repo.insertDecision(em, {
        assessmentId: id, institutionId: a.institutionId, divisionPath: a.divisionPath, kind: dto.kind, newGrade,
        reason: dto.reason.trim(), basis: dto.basis.trim(), effectiveOn: dto.effectiveOn, decidedBy: user.id,
      });
      await this.repo.refreshGradeSpans(em, a.institutionId);
      await this.audit.record(em, { action: dto.kind === 'revoke' ? 'grade.revoke' : 'grade.lower', entityType: 'grade_assessment', entityId: id, scopePath: a.divisionPath,
        before: { grade: gradeName(span.currentGrade) },
        after: { decisionId, kind: dto.kind, grade: gradeName(newGrade), reason: dto.reason.trim(), basis: dto.basis.trim(), effectiveOn: dto.effectiveOn } });
      return (await this.repo.assessment(scopeOf(user), id, em))!;
    });
  }

  @OnJob({ queue: MAINTENANCE_QUEUE, name: JOBS.gradesExpiring })
  gradesExpiringJob(data: { at?: string }, job: JobContext): Promise<number> {
    return this.notifyExpiringGrades(new Date(data.at ?? job.timestamp));
  }

  /**
   * 等级即将到期: each institution whose grade in force ends within GRADE_EXPIRY_NOTICE_DAYS (product default 30) days of `at`, with no
   * later grade to follow it, is told once per grade and end date (the daily job; running it again changes nothing).
   */
  async notifyExpiringGrades(at = new Date()): Promise<number> {
    const today = shanghaiDate(at);
    const expiring = await this.repo.expiringGradeSpans(today, addDays(today, GRADE_EXPIRY_NOTICE_DAYS));
    if (!expiring.length) return 0;
    return this.dataSource.transaction(async (em) => {
      let n = 0;
      for (const g of expiring) {
        if (await this.notifications.notify(em, {
          audience: 'institution', institutionId: g.institutionId, divisionPath: g.divisionPath, kind: 'grade.expiring',
          ...gradeExpiringText(gradeName(g.grade as GradeLevel), g.validTo),
          entityType: 'institution', entityId: g.institutionId, dedupKey: `grade-expiring-${g.institutionId}-${g.validTo}`,
        })) n++;
      }
      return n;
    });
  }

  /** The grade of an institution in force on a date (default today, Shanghai), with the outcome and decisions behind it. */
  async gradeInForce(user: AuthUser, institutionId: string, on = shanghaiDate(new Date())) {
    const institution = await this.institutions.findById(scopeOf(user), institutionId);
    if (!institution) throw AppError.notFound('institution.not_found');
    const { outcomes, decisions } = await this.repo.gradeRows([institutionId], '9999-12-31');
    const span = gradeTimeline(outcomes, decisions).get(institutionId)?.find((x) => x.outcome.validFrom <= on && (x.end === null || x.end >= on));
    const grade = gradeOnDate(outcomes, decisions, institutionId, on);
    return {
      institutionId, on, grade,
      gradeLabel: grade ? gradeName(grade) : !span ? label('grade', 0) : span.outcome.grade === null ? gradeName(null) : label('gradeDecisionKind', 'revoke'),
      assessmentId: span?.outcome.assessmentId ?? null, validFrom: span?.outcome.validFrom ?? null, validUntil: span?.end ?? null,
      decisions: span?.decisions.filter((d) => d.effectiveOn <= on) ?? [],
    };
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
