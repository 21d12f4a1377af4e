import { Injectable } from '@nestjs/common';
import { can } from '../auth/permissions';
import { AuthUser } from '../common/scope';
import { AppError } from '../common/app-error';
import { InspectionsService } from '../inspections/inspections.service';
import { ChangeRequestsService } from '../institutions/change-requests.service';
import { InstitutionsService } from '../institutions/institutions.service';
import { RectificationService } from '../rectification/rectification.service';
import { ScoringService } from '../scoring/scoring.service';
import type { GradeView, ScoreView } from './institution-view';
import { WorkspaceRepository } from './workspace.repository';
import type { WorkspaceHistoryData, WorkspaceHomeData, WorkspaceScoreData } from './workspace-view';

/** The open hazards the home lists (an institution rarely has more; the ledger page has the rest). */
const OPEN_HAZARDS = 100;
/** The notices read to find the ones still to acknowledge (newest first). */
const RECENT_NOTICES = 50;

/**
 * What the institution's workspace (机构工作台) needs, from the same services as the API: each of them scopes its
 * own reads by the caller, so an institution account gets its own institution's rows or a 404.
 */
@Injectable()
export class WorkspaceWebData {
  constructor(
    private readonly institutions: InstitutionsService,
    private readonly inspections: InspectionsService,
    private readonly rectification: RectificationService,
    private readonly scoring: ScoringService,
    private readonly changeRequests: ChangeRequestsService,
    private readonly repo: WorkspaceRepository,
  ) {}

  private own(user: AuthUser): string {
    if (user.role !== 'institution' || !user.institutionId) throw AppError.forbidden();
    return user.institutionId;
  }

  async home(user: AuthUser): Promise<WorkspaceHomeData> {
    const id = this.own(user);
    const [institution, hazards, notices, score, grade, subsidies, requests] = await Promise.all([
      this.institutions.get(user, id),
      Promise.all((['open', 'returned', 'responded'] as const).map((status) => this.rectification.ledger(user, { status, sort: 'due', page: 1, pageSize: OPEN_HAZARDS })))
        .then((pages) => pages.flatMap((p) => p.items)),
      this.rectification.notices(user, { page: 1, pageSize: RECENT_NOTICES }),
      this.scoring.latestScore(user, id) as Promise<ScoreView | null>,
      this.scoring.gradeInForce(user, id) as Promise<GradeView>,
      this.repo.approvedSubsidyLines(id, 3),
      can(user, 'change_request.read') ? this.changeRequests.list(user, { page: 1, pageSize: 1 }, id) : Promise.resolve(null),
    ]);
    return {
      institution, hazards, notices: notices.items, score, grade, subsidies,
      latestRequest: requests?.items[0] ?? null, mayFileRequest: can(user, 'change_request.file'),
    };
  }

  async score(user: AuthUser): Promise<WorkspaceScoreData> {
    const id = this.own(user);
    const [institution, score, grade, subsidies] = await Promise.all([
      this.institutions.get(user, id),
      this.scoring.latestScore(user, id) as Promise<ScoreView | null>,
      this.scoring.gradeInForce(user, id) as Promise<GradeView>,
      this.repo.approvedSubsidyLines(id, 12),
    ]);
    return { institution, score, grade, subsidies };
  }

  async history(user: AuthUser, page: { inspections: number; hazards: number }, pageSize = 10): Promise<WorkspaceHistoryData> {
    const id = this.own(user);
    const [institution, inspections, hazards] = await Promise.all([
      this.institutions.get(user, id),
      this.inspections.list(user, { status: 'submitted', institutionId: id, page: page.inspections, pageSize }),
      this.rectification.ledger(user, { sort: '-found', page: page.hazards, pageSize }),
    ]);
    return { institution, inspections, hazards };
  }
}
