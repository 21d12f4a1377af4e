import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError } from '../common/app-error';
import { Page, pageOf } from '../common/pagination';
import { AuthUser, scopeOf } from '../common/scope';
import { AuditService } from '../audit/audit.service';
import { can } from '../auth/permissions';
import { DivisionsService } from '../divisions/divisions.service';
import { CreateInstitutionDto, INSTITUTION_ROLE_EDITABLE, InstitutionQuery, UpdateInstitutionDto } from './dto/institution.dto';
import { confirmedFieldsIn } from './change-request';
import { ChangeRequestsRepository } from './change-requests.repository';
import { BuildingProfile, Institution, PROFILE_FIELDS } from './institution.entity';
import { InstitutionsRepository } from './institutions.repository';
import { profileIssues, withLegacyFloors } from './profile-rules';

const PROFILE_DEFAULTS = {
  lowestFloor: 1, buildingVolumeM3: null, residentsSelfCare: 0, residentsMildlyDisabled: 0, residentsModeratelyDisabled: 0,
  residentsSeverelyDisabled: 0, highestFloorWithDisabled: null, insideOtherBuilding: false, fireResistanceGrade: null,
  facilityLowestFloor: null, facilityHighestFloor: null, hostBuildingStoreys: null, buildingHeightM: null, hostBuildingUse: null,
  capacityPlaces: null, profitStatus: null,
} as const;

@Injectable()
export class InstitutionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly institutions: InstitutionsRepository,
    private readonly divisions: DivisionsService,
    private readonly audit: AuditService,
    private readonly changeRequests: ChangeRequestsRepository,
  ) {}

  async list(user: AuthUser, query: InstitutionQuery): Promise<Page<Institution>> {
    const scope = scopeOf(user);
    let divisionPath: string | undefined;
    if (query.divisionCode) divisionPath = (await this.divisions.requireWithin(scope, query.divisionCode, 'divisionCode')).path;
    const [items, total] = await this.institutions.page(scope, { ...query, divisionPath }, (query.page - 1) * query.pageSize, query.pageSize);
    return pageOf(items, total, query);
  }

  async get(user: AuthUser, id: string): Promise<Institution> {
    const found = await this.institutions.findById(scopeOf(user), id);
    if (!found) throw AppError.notFound('institution.not_found');
    return found;
  }

  async create(user: AuthUser, dto: CreateInstitutionDto): Promise<Institution> {
    const scope = scopeOf(user);
    const division = await this.divisions.requireWithin(scope, dto.divisionCode, 'divisionCode');
    const values = { ...PROFILE_DEFAULTS, status: 'active' as const, ...withLegacyFloors(dto), divisionPath: division.path, version: 1 };
    assertProfile(values);
    return this.dataSource.transaction(async (em) => {
      if (await this.institutions.creditCodeTaken(dto.creditCode, em)) {
        throw AppError.validation([{ field: 'creditCode', reason: 'taken' }]);
      }
      const created = await this.institutions.insert(em, values);
      await this.audit.record(em, { action: 'institution.create', entityType: 'institution', entityId: created.id, scopePath: created.divisionPath, after: created });
      return created;
    });
  }

  async update(user: AuthUser, id: string, dto: UpdateInstitutionDto): Promise<Institution> {
    const scope = scopeOf(user);
    const { version, ...changes } = dto;
    assertRoleMayChange(user, changes);
    const newDivision = changes.divisionCode ? await this.divisions.requireWithin(scope, changes.divisionCode, 'divisionCode') : null;
    return this.dataSource.transaction(async (em) => {
      const current = await this.institutions.findById(scope, id, em);
      if (!current) throw AppError.notFound('institution.not_found');
      if (current.version !== version) throw AppError.conflict('institution.version_conflict', { current: current.version });
      // 注销 is final (operating-status.ts); the database refuses it too (migration InstitutionRegistry).
      if (current.status === 'closed' && changes.status !== undefined && changes.status !== 'closed') throw AppError.conflict('institution.closed_final');
      const patch: Partial<Institution> = withLegacyFloors({ ...changes } as Partial<Institution>, current);
      if (newDivision && newDivision.code !== current.divisionCode) patch.divisionPath = newDivision.path;
      assertProfile({ ...current, ...patch });
      if (changes.creditCode && (await this.institutions.creditCodeTaken(changes.creditCode, em, id))) {
        throw AppError.validation([{ field: 'creditCode', reason: 'taken' }]);
      }
      if (!(await this.institutions.updateIfVersion(em, scope, id, version, patch))) {
        throw AppError.conflict('institution.version_conflict', { current: '?' });
      }
      const updated = (await this.institutions.findById(scope, id, em))!;
      if (patch.divisionPath) await this.changeRequests.moveInstitution(em, id, patch.divisionPath);
      await this.audit.record(em, {
        action: 'institution.update', entityType: 'institution', entityId: id, scopePath: updated.divisionPath,
        before: pick(current, Object.keys(patch)), after: pick(updated, Object.keys(patch)),
      });
      return updated;
    });
  }

  profileOf(institution: Institution): BuildingProfile {
    return pick(institution, PROFILE_FIELDS) as BuildingProfile;
  }
}

function assertProfile(profile: BuildingProfile): void {
  const issues = profileIssues(profile);
  if (issues.length) throw AppError.validation(issues);
}

/**
 * An institution account edits its contacts and address directly. Its beds, residents by care level and building
 * profile decide subsidies and applicability, so they change only through a change request the bureau confirms
 * (403 naming the fields); its identity and status are the bureau's to change.
 */
function assertRoleMayChange(user: AuthUser, changes: object): void {
  if (!can(user, 'institution.update')) throw AppError.forbidden();
  if (user.role !== 'institution') return;
  const confirmed = new Set<string>(PROFILE_FIELDS);
  const allowed = new Set<string>(INSTITUTION_ROLE_EDITABLE);
  const denied = Object.keys(changes).filter((k) => !allowed.has(k) && !confirmed.has(k));
  if (denied.length) throw AppError.forbidden('field.forbidden_for_role', denied.map((field) => ({ field, reason: 'forbiddenForRole' })));
  const needRequest = confirmedFieldsIn(changes);
  if (needRequest.length) {
    throw new AppError(403, 'institution.change_request_required', { fields: needRequest.join(', ') },
      needRequest.map((field) => ({ field, reason: 'changeRequestRequired' })));
  }
}

function pick<T extends object>(obj: T, keys: readonly string[]): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = (obj as Record<string, unknown>)[k];
  return out as Partial<T>;
}

