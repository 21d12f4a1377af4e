import { Injectable } from '@nestjs/common';
import { can } from '../auth/permissions';
import { AppError } from '../common/app-error';
import { AuthUser, scopeOf } from '../common/scope';
import { InstitutionHistoryRepository } from './institution-history.repository';
import { InstitutionsRepository } from './institutions.repository';

/**
 * 机构档案的历史 — what the institution page shows beside its profile: hazards open and closed, its grade
 * assessments and the bureau's decisions on them, and its lines in subsidy schedules (bureau accounts only,
 * `subsidy.read`). Read within the caller's scope; an institution outside it is a 404.
 */
@Injectable()
export class InstitutionHistoryService {
  constructor(private readonly repo: InstitutionHistoryRepository, private readonly institutions: InstitutionsRepository) {}

  async history(user: AuthUser, institutionId: string) {
    const scope = scopeOf(user);
    if (!(await this.institutions.findById(scope, institutionId))) throw AppError.notFound('institution.not_found');
    const [hazards, assessments, decisions, subsidyLines] = await Promise.all([
      this.repo.hazardCounts(scope, institutionId),
      this.repo.assessments(scope, institutionId),
      this.repo.gradeDecisions(scope, institutionId),
      can(user, 'subsidy.read') ? this.repo.subsidyLines(scope, institutionId) : Promise.resolve(null),
    ]);
    return { institutionId, hazards, assessments, decisions, subsidyLines };
  }
}
