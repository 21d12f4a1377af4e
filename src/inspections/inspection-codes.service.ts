import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { PolicyService } from '../checklists/policy.service';
import { can } from '../auth/permissions';
import { AppError } from '../common/app-error';
import { formatChineseDateTime } from '../common/calendar';
import { Page, pageOf } from '../common/pagination';
import { AuthUser, scopeOf } from '../common/scope';
import { label } from '../common/vocabulary';
import { APP_CONFIG, AppConfig } from '../config/env';
import { DivisionsService } from '../divisions/divisions.service';
import { IssuingBureaus } from '../documents/issuing-bureau';
import {
  codeVerificationState, CodeVerificationState, codeVerificationText, formatInspectionCode, guessRefusal, normaliseInspectionCode,
} from './domain/inspection-code';
import { averageScore, ratingIssues, ratingOf, ratingRefusal, ratingState, RatingState } from './domain/visit-rating';
import { RateVisitDto, RatingQuery, VisitQuery } from './dto/inspection-code.dto';
import { onTeamOrThrow } from './inspection-access';
import { CodedInspection, InspectionCodesRepository, RatingFilter, RatingListRow, RatingRow, TeamCard } from './inspection-codes.repository';
import { InspectionsRepository } from './inspections.repository';

/** A member of the team as the inspected institution sees them. */
export interface TeamCardView {
  name: string;
  roleLabel: string;
  accountRoleLabel: string;
  divisionName: string;
  /** null: not registered (shown as 未登记) */
  warrantNo: string | null;
}

export interface RatingView {
  conduct: number;
  clarity: number;
  comment: string | null;
  ratedAt: Date;
  ratedByName: string;
}

/** 核验检查码 / 评价: one visit as the institution sees it (by its code, or among its visits). */
export interface VisitView {
  inspectionId: string;
  /** as shown (7K2M-QX9D); only to an institution that holds it (typed it, or confirmed with it) */
  code: string | null;
  kind: string;
  kindLabel: string;
  status: string;
  statusLabel: string;
  scheduledDate: string | null;
  planName: string | null;
  institution: { id: string; name: string };
  /** 检查单位: the bureau of the inspection's division */
  bureauName: string;
  team: TeamCardView[];
  confirmation: { at: Date; byName: string | null; byInstitution: string | null } | null;
  verification: { state: CodeVerificationState; text: string | null };
  startedAt: Date | null;
  submittedAt: Date | null;
  reportNo: string | null;
  rating: RatingView | null;
  ratingState: RatingState;
  ratingWindowDays: number;
  may: { confirm: boolean; rate: boolean };
}

/** What the team's phone shows: the code, its QR address and whether the institution has confirmed it. */
export interface TeamCodeView {
  inspectionId: string;
  /** null: the inspection has no code (made before 检查码) */
  code: string | null;
  display: string | null;
  /** the address in the QR code: the institution's 核验检查码 page with the code filled in */
  verifyUrl: string | null;
  issuedAt: Date | null;
  confirmation: { at: Date; byName: string | null; byInstitution: string | null } | null;
  verification: { state: CodeVerificationState; text: string | null };
}

export interface RatingsPage extends Page<RatingListRow> {
  summary: {
    count: number;
    avgConduct: number | null;
    avgClarity: number | null;
    /** ratings whose lower score is 1 or 2 */
    low: number;
    commented: number;
    /** submitted visits of the same scope, division, days and inspector; `coverage` = rated / submitted */
    submitted: number;
    coverage: number | null;
  };
  byInspector: { userId: string; displayName: string; divisionName: string | null; count: number; avgConduct: number | null; avgClarity: number | null; low: number }[];
}

/**
 * 检查码 (先赋码、再凭码检查、最后扫码评价): the team's code (issued at creation by InspectionsRepository.insert), the
 * institution's look-up and confirmation on arrival (its own inspections only; wrong guesses are counted and limited),
 * the rating of a submitted visit (once), and the bureau's list of ratings. docs/inspection-codes.md.
 */
@Injectable()
export class InspectionCodesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly codes: InspectionCodesRepository,
    private readonly inspections: InspectionsRepository,
    private readonly audit: AuditService,
    private readonly bureaus: IssuingBureaus,
    private readonly divisions: DivisionsService,
    private readonly policies: PolicyService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The address a code's QR carries: the 核验检查码 page with the code filled in. */
  verifyUrl(code: string): string {
    return `${this.config.PUBLIC_URL.replace(/\/+$/, '')}/inspection-codes?code=${formatInspectionCode(code)}`;
  }

  // ---------------------------------------------------------------- the institution on arrival

  /** 核验检查码, step one: the inspection behind the code, with the team's names, divisions and 执法证号. */
  async lookup(user: AuthUser, rawCode: unknown): Promise<VisitView> {
    const found = await this.guarded(user, rawCode, false, async (_em, f) => f);
    return this.visitView(user, found, true);
  }

  /**
   * 确认: records who of the institution confirmed the visit, when (audited). Confirming again answers the first
   * confirmation (`alreadyConfirmed`). Refused once the inspection is submitted or cancelled (409, naming `code`).
   */
  async confirm(user: AuthUser, rawCode: unknown): Promise<{ visit: VisitView; alreadyConfirmed: boolean }> {
    const { found, alreadyConfirmed } = await this.guarded(user, rawCode, true, async (em, f) => {
      if (f.confirmedAt) return { found: f, alreadyConfirmed: true };
      if (f.status === 'cancelled') throw new AppError(409, 'inspection_code.cancelled', {}, [{ field: 'code', reason: 'inspectionCancelled' }]);
      if (f.status === 'submitted') throw new AppError(409, 'inspection_code.visit_closed', {}, [{ field: 'code', reason: 'inspectionAlreadySubmitted' }]);
      const at = new Date();
      if (!(await this.codes.confirm(em, f.inspectionId, user.id, at))) throw AppError.conflict();
      await this.audit.record(em, {
        action: 'inspection.code_confirm', entityType: 'inspection', entityId: f.inspectionId, scopePath: f.divisionPath,
        before: { confirmedAt: null },
        after: { confirmedAt: at.toISOString(), confirmedBy: user.id, confirmedByName: user.displayName, inspectionStatus: f.status, afterStart: f.startedAt !== null },
      });
      return { found: (await this.codes.findByCode(em, f.code!, f.institutionId))!, alreadyConfirmed: false };
    });
    return { visit: await this.visitView(user, found, true), alreadyConfirmed };
  }

  /**
   * The shared path of look-up and confirmation: only an institution account; a malformed entry is a 400 (not a
   * guess); within the limit of wrong guesses (429 when used up; `inspectionCodes.guesses` of the policy in force), the code is looked up among the
   * institution's own inspections — a code of another institution's inspection is answered exactly like a wrong one
   * (400 naming `code`) and counted as one. The count and the look-up are one decision (a lock per institution).
   */
  private async guarded<T>(user: AuthUser, rawCode: unknown, lock: boolean, work: (em: EntityManager, found: CodedInspection) => Promise<T>): Promise<T> {
    const institutionId = institutionOf(user);
    const code = normaliseInspectionCode(rawCode);
    if (!code) throw AppError.validation([{ field: 'code', reason: 'inspectionCodeMalformed' }]);
    const now = new Date();
    const limits = (await this.policies.current()).values.inspectionCodes.guesses;
    const outcome = await this.dataSource.transaction(async (em) => {
      await this.codes.lockGuesses(em, institutionId);
      const refusal = guessRefusal(await this.codes.guessHistory(em, user.id, institutionId, now, limits), now, limits);
      if (refusal) throw new AppError(429, 'inspection_code.rate_limited', { minutes: refusal.minutes });
      const found = await this.codes.findByCode(em, code, institutionId, lock);
      if (!found) {
        await this.codes.recordWrongGuess(em, user.id, institutionId, now);
        return { wrong: true as const };
      }
      return { wrong: false as const, value: await work(em, found) };
    });
    // the wrong guess is committed before the refusal is answered
    if (outcome.wrong) throw AppError.validation([{ field: 'code', reason: 'inspectionCodeUnknown' }]);
    return outcome.value;
  }

  // ---------------------------------------------------------------- the institution's visits and their rating

  /** 本机构的检查: the submitted inspections and those the institution confirmed, newest first, with their rating state. */
  async visits(user: AuthUser, query: VisitQuery): Promise<Page<VisitView>> {
    const institutionId = institutionOf(user);
    const [rows, total] = await this.codes.visits(institutionId, (query.page - 1) * query.pageSize, query.pageSize);
    const [teams, ratings] = await Promise.all([this.codes.teamCards(rows.map((r) => r.inspectionId)), this.ratingsOf(rows.filter((r) => r.rated))]);
    const items = await Promise.all(rows.map((r) => this.visitView(user, r, false, teams.get(r.inspectionId) ?? [], ratings.get(r.inspectionId) ?? null)));
    return pageOf(items, total, query);
  }

  /** One visit of the institution (submitted, or confirmed by it); anything else is not found. */
  async visit(user: AuthUser, inspectionId: string): Promise<VisitView> {
    const found = await this.codes.findVisit(inspectionId, institutionOf(user));
    if (!found) throw AppError.notFound('inspection.not_found');
    return this.visitView(user, found, false);
  }

  /**
   * 评价: the institution rates a submitted visit once, within the rating window of the policy version the inspection
   * pinned (`inspectionCodes.ratingWindowDays`; audited). Before the submission,
   * a second time or too late: 409 naming `inspectionId`; a bad score or a too long comment: 400 naming the field.
   */
  async rate(user: AuthUser, inspectionId: string, dto: RateVisitDto): Promise<VisitView> {
    const institutionId = institutionOf(user);
    const issues = ratingIssues(dto);
    if (issues.length) throw AppError.validation(issues);
    const rating = ratingOf(dto);
    await this.dataSource.transaction(async (em) => {
      const v = await this.codes.findVisit(inspectionId, institutionId, em);
      if (!v) throw AppError.notFound('inspection.not_found');
      const now = new Date();
      const windowDays = await this.ratingWindowDays(v);
      const refusal = ratingRefusal(v, now, windowDays);
      if (refusal) throw new AppError(409, refusal.code, { days: windowDays }, [{ field: refusal.field, reason: refusal.reason, args: refusal.args }]);
      const written = await this.codes.insertRating(em, { inspectionId, institutionId, divisionPath: v.divisionPath, ...rating, ratedBy: user.id, ratedAt: now });
      if (!written) throw new AppError(409, 'inspection_rating.already_rated', {}, [{ field: 'inspectionId', reason: 'alreadyRated' }]);
      await this.audit.record(em, {
        action: 'inspection.rate', entityType: 'inspection', entityId: inspectionId, scopePath: v.divisionPath,
        after: { conduct: rating.conduct, clarity: rating.clarity, comment: rating.comment, ratedBy: user.id },
      });
    });
    return this.visit(user, inspectionId);
  }

  // ---------------------------------------------------------------- the team, the record

  /** The team's code (GET /api/inspections/:id/code): members of the team only. */
  async teamCode(user: AuthUser, inspectionId: string): Promise<TeamCodeView> {
    await onTeamOrThrow(this.inspections, user, inspectionId);
    return this.teamCodeOf(inspectionId);
  }

  /** The code view of an inspection the caller has already read and found the viewer on its team. */
  async teamCodeOf(inspectionId: string): Promise<TeamCodeView> {
    const c = await this.codes.ofInspection(inspectionId);
    const code = c?.code ?? null;
    return {
      inspectionId, code, display: code ? formatInspectionCode(code) : null, verifyUrl: code ? this.verifyUrl(code) : null, issuedAt: c?.issuedAt ?? null,
      confirmation: c?.confirmedAt ? { at: c.confirmedAt, byName: c.confirmedByName, byInstitution: c.confirmedByInstitution } : null,
      verification: verificationOf(c),
    };
  }

  /**
   * What the record says about the code (the inspection's pages and its PDF): 检查码已于 … 由 … 核验 / 未经被检查机构核验
   * 检查码 / nothing for an inspection without a code. The caller has read the inspection in its scope.
   */
  async verification(inspectionId: string): Promise<{ state: CodeVerificationState; text: string | null }> {
    return verificationOf(await this.codes.ofInspection(inspectionId));
  }

  /**
   * The rating window of a submitted inspection as its record shows it: the days of the policy version it pinned and
   * whether the window is still open (the caller has read the inspection in its scope).
   */
  async ratingWindow(inspectionId: string): Promise<{ days: number; state: RatingState }> {
    const f = await this.codes.ofInspection(inspectionId);
    if (!f) throw AppError.notFound('inspection.not_found');
    const days = await this.ratingWindowDays(f);
    return { days, state: ratingState({ status: f.status, submittedAt: f.submittedAt, rated: f.rated }, new Date(), days) };
  }

  /** The rating of an inspection for a viewer who may read ratings (the bureau); null for everyone else, or none. */
  async ratingFor(user: AuthUser, inspectionId: string): Promise<RatingView | null> {
    if (!can(user, 'inspection_rating.read')) return null;
    const r = await this.codes.rating(inspectionId);
    return r ? ratingView(r) : null;
  }

  // ---------------------------------------------------------------- the bureau

  /** 检查评价: the ratings of the viewer's division subtree with the filters, their averages and the per-inspector table. */
  async ratings(user: AuthUser, query: RatingQuery): Promise<RatingsPage> {
    const filter = await this.ratingFilter(user, query);
    const scope = scopeOf(user);
    const [items, s, byInspector] = await Promise.all([
      this.codes.ratingsPage(scope, filter, (query.page - 1) * query.pageSize, query.pageSize),
      this.codes.ratingsSummary(scope, filter),
      this.codes.ratingsByInspector(scope, filter),
    ]);
    return {
      ...pageOf(items, s.count, query),
      summary: {
        count: s.count, avgConduct: averageScore(s.conductSum, s.count), avgClarity: averageScore(s.claritySum, s.count), low: s.low, commented: s.commented,
        submitted: s.submitted, coverage: s.submitted ? Math.round((s.count / s.submitted) * 1000) / 10 : null,
      },
      byInspector: byInspector.map((r) => ({
        userId: r.userId, displayName: r.displayName, divisionName: r.divisionName, count: r.count,
        avgConduct: averageScore(r.conductSum, r.count), avgClarity: averageScore(r.claritySum, r.count), low: r.low,
      })),
    };
  }

  /** The list's filters as the export takes them, checked the same way (a division outside the scope, days reversed, scores crossed). */
  async ratingFilter(user: AuthUser, q: RatingQuery): Promise<RatingFilter> {
    if (q.divisionCode) await this.divisions.requireWithin(scopeOf(user), q.divisionCode, 'divisionCode');
    if (q.from && q.to && q.to < q.from) throw AppError.validation([{ field: 'to', reason: 'periodOrder' }]);
    if (q.minScore !== undefined && q.maxScore !== undefined && q.maxScore < q.minScore) throw AppError.validation([{ field: 'maxScore', reason: 'scoreRangeReversed' }]);
    const { page: _page, pageSize: _size, ...filter } = q;
    return filter;
  }

  // ---------------------------------------------------------------- views

  /** The rating window of the policy version the inspection was made under (a record pinning none: the old 30 days). */
  private async ratingWindowDays(f: Pick<CodedInspection, 'productPolicyVersionId'>): Promise<number> {
    return (await this.policies.byId(f.productPolicyVersionId)).values.inspectionCodes.ratingWindowDays;
  }

  private async ratingsOf(rows: CodedInspection[]): Promise<Map<string, RatingRow>> {
    const found = await Promise.all(rows.map((r) => this.codes.rating(r.inspectionId)));
    return new Map(found.filter((r): r is RatingRow => r !== null).map((r) => [r.inspectionId, r]));
  }

  private async visitView(user: AuthUser, f: CodedInspection, heldCode: boolean, team?: TeamCard[], rating?: RatingRow | null): Promise<VisitView> {
    const [cards, bureau, r] = await Promise.all([
      team ? Promise.resolve(team) : this.codes.teamCards([f.inspectionId]).then((m) => m.get(f.inspectionId) ?? []),
      this.bureaus.of(f.divisionPath),
      rating !== undefined ? Promise.resolve(rating) : f.rated ? this.codes.rating(f.inspectionId) : Promise.resolve(null),
    ]);
    const open = f.status === 'assigned' || f.status === 'in_progress';
    const windowDays = await this.ratingWindowDays(f);
    const state = ratingState({ status: f.status, submittedAt: f.submittedAt, rated: f.rated }, new Date(), windowDays);
    return {
      inspectionId: f.inspectionId,
      code: f.code && (heldCode || f.confirmedAt) ? formatInspectionCode(f.code) : null,
      kind: f.kind, kindLabel: label('inspectionKind', f.kind), status: f.status, statusLabel: label('inspectionStatus', f.status),
      scheduledDate: f.scheduledDate, planName: f.planName, institution: { id: f.institutionId, name: f.institutionName }, bureauName: bureau.name,
      team: cards.map((m) => ({
        name: m.displayName, roleLabel: label('teamRole', m.role), accountRoleLabel: label('role', m.accountRole), divisionName: m.divisionName ?? '', warrantNo: m.warrantNo,
      })),
      confirmation: f.confirmedAt ? { at: f.confirmedAt, byName: f.confirmedByName, byInstitution: f.confirmedByInstitution } : null,
      verification: verificationOf(f),
      startedAt: f.startedAt, submittedAt: f.submittedAt, reportNo: f.reportNo,
      rating: r ? ratingView(r) : null, ratingState: state, ratingWindowDays: windowDays,
      may: {
        confirm: open && !f.confirmedAt && can(user, 'inspection_code.verify'),
        rate: state === 'open' && can(user, 'inspection.rate'),
      },
    };
  }
}

/** The institution of an institution account; any other account is refused (403). */
function institutionOf(user: AuthUser): string {
  if (user.role !== 'institution' || !user.institutionId) throw AppError.forbidden();
  return user.institutionId;
}

function verificationOf(c: CodedInspection | null): { state: CodeVerificationState; text: string | null } {
  const facts = {
    hasCode: !!c?.code, status: c?.status ?? '', startedAt: c?.startedAt ?? null, confirmedAt: c?.confirmedAt ?? null,
    confirmedByName: c?.confirmedByName ?? null, confirmedByInstitution: c?.confirmedByInstitution ?? null,
  };
  return { state: codeVerificationState(facts), text: codeVerificationText(facts, formatChineseDateTime) };
}

function ratingView(r: RatingRow): RatingView {
  return { conduct: r.conduct, clarity: r.clarity, comment: r.comment, ratedAt: r.ratedAt, ratedByName: r.ratedByName };
}
