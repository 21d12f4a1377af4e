import { SafetyWorkService } from '../safety-work/safety-work.service';
import { Injectable } from '@nestjs/common';
import { can } from '../auth/permissions';
import { shanghaiDate } from '../common/calendar';
import { AuthUser, scopeOf } from '../common/scope';
import type { Division } from '../divisions/division.entity';
import { DivisionsService } from '../divisions/divisions.service';
import { InspectionsService } from '../inspections/inspections.service';
import { ChangeRequestsService } from '../institutions/change-requests.service';
import { InstitutionQuery } from '../institutions/dto/institution.dto';
import { InstitutionHistoryService } from '../institutions/institution-history.service';
import type { Institution } from '../institutions/institution.entity';
import { InstitutionsService } from '../institutions/institutions.service';
import { OperatingPeriodService } from '../institutions/operating-period.service';
import { RectificationService } from '../rectification/rectification.service';
import { ScoringService } from '../scoring/scoring.service';
import type { GradeView, InspectionLine, ScoreView } from './institution-view';
import { webQuery } from './web-query';

/**
 * What the registry pages need, gathered from the same services the API uses (each scopes its own reads).
 * A provider of WebModule, injected into the institution pages' controller.
 */
@Injectable()
export class InstitutionWebData {
  constructor(
    private readonly institutions: InstitutionsService,
    private readonly divisions: DivisionsService,
    private readonly inspections: InspectionsService,
    private readonly scoring: ScoringService,
    private readonly periods: OperatingPeriodService,
    private readonly history: InstitutionHistoryService,
    private readonly changeRequests: ChangeRequestsService,
    private readonly rectification: RectificationService,
    private readonly safetyWork: SafetyWorkService,
  ) {}

  /** The divisions in the viewer's scope, in tree order (a district's streets follow it). */
  async divisionsFor(user: AuthUser): Promise<Division[]> {
    return (await this.divisions.list(scopeOf(user), { page: 1, pageSize: 100 })).items;
  }

  async list(user: AuthUser, raw: Record<string, string>) {
    const { query, filters } = webQuery(InstitutionQuery, raw, ['name', 'divisionCode', 'kind', 'status']);
    const [page, divisions] = await Promise.all([this.institutions.list(user, query), this.divisionsFor(user)]);
    return { page, filters, divisions };
  }

  get(user: AuthUser, id: string): Promise<Institution> {
    return this.institutions.get(user, id);
  }

  /** The institution page: profile, operating period, and its history. */
  async detail(user: AuthUser, id: string) {
    const institution = await this.institutions.get(user, id);
    const [divisions, period, history, inspections, score, grade, pendingRequest, overdue, safetyWork] = await Promise.all([
      this.divisionsFor(user),
      this.periods.get(user, id),
      this.history.history(user, id),
      this.inspections.list(user, { page: 1, pageSize: 10, institutionId: id }),
      this.scoring.latestScore(user, id) as Promise<ScoreView | null>,
      this.scoring.gradeInForce(user, id) as Promise<GradeView>,
      can(user, 'change_request.read') ? this.changeRequests.pendingFor(user, id) : Promise.resolve(null),
      // 逾期 as the ledger counts it (the link beside the number opens the same rows)
      this.rectification.ledger(user, { institutionId: id, overdue: true, page: 1, pageSize: 1 }),
      this.safetyWork.forInstitution(user, id),
    ]);
    return {
      institution, divisions, pendingRequest,
      openedOn: period.openedOn, interruptions: period.interruptions,
      hazards: { ...history.hazards, overdue: overdue.total }, assessments: history.assessments, decisions: history.decisions, subsidyLines: history.subsidyLines,
      inspections: { total: inspections.total, items: inspections.items as InspectionLine[] },
      score, grade, today: shanghaiDate(new Date()), safetyWork,
    };
  }
}
