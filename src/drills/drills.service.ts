import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { can, type Action } from '../auth/permissions';
import { SafetyWorkPolicyService } from '../checklists/safety-work-policy.service';
import { AppError } from '../common/app-error';
import { shanghaiDate } from '../common/calendar';
import { Page, pageOf } from '../common/pagination';
import { AuthUser, scopeOf } from '../common/scope';
import { DrillState, DrillStatus, drillIssues, drillStatus, trainingStatus } from './domain/drill-rules';
import { DrillInstitution, DrillRow, DrillsRepository, TraineeRow } from './drills.repository';
import { DrillQuery, RecordDrillDto, RecordTrainingDto, TraineeQuery } from './dto/drill.dto';
import { EvidenceService } from '../evidence/evidence.service';

/** Photos per drill: a product default (a drill needs a few scenes, not an album). */
export const DRILL_MAX_PHOTOS = 6;

/** A staff member's training record with its due date under the policy in force. */
export type TraineeView = TraineeRow & { dueBy: string; overdue: boolean };

/** The drill summary the institution page and the dashboard show. */
export interface DrillSummary extends DrillStatus {
  institutionId: string;
  asOf: string;
}

/**
 * 演练与培训: the institution records its drills and staff training; everyone who may read the institution sees them,
 * with the half-year live-drill flag computed from the policy in force (`drills.liveDrillMonths`).
 */
@Injectable()
export class DrillsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly drills: DrillsRepository,
    private readonly policy: SafetyWorkPolicyService,
    private readonly audit: AuditService,
    private readonly evidence: EvidenceService,
  ) {}

  async list(user: AuthUser, institutionId: string, query: DrillQuery): Promise<Page<DrillRow>> {
    await this.readable(user, institutionId);
    const [items, total] = await this.drills.page(scopeOf(user), institutionId, (query.page - 1) * query.pageSize, query.pageSize);
    return pageOf(items, total, query);
  }

  async get(user: AuthUser, institutionId: string, id: string): Promise<DrillRow> {
    assertMay(user, 'drill.read');
    const found = await this.drills.findById(scopeOf(user), id);
    if (!found || found.institutionId !== institutionId) throw AppError.notFound('drill.not_found');
    return found;
  }

  /** 演练状态 of one institution as of a day (default today, Shanghai). */
  async status(user: AuthUser, institutionId: string, asOf = shanghaiDate(new Date())): Promise<DrillSummary> {
    const institution = await this.readable(user, institutionId);
    const { values } = await this.policy.current();
    const lastLiveDrillOn = await this.drills.lastLiveDrillOn(institutionId);
    // 筹建中: not open yet, so nothing is due (its opening day is set when it leaves 筹建)
    const openedOn = institution.status === 'preparing' ? null : institution.openedOn;
    return { institutionId, asOf, ...drillStatus({ asOf, openedOn, lastLiveDrillOn, liveDrillMonths: values.drills.liveDrillMonths }) };
  }

  /** For the dashboard: operating institutions in scope by drill state (missed = the flag). */
  async stateCounts(user: AuthUser, asOf = shanghaiDate(new Date())): Promise<Record<DrillState, number>> {
    assertMay(user, 'drill.read');
    const { values } = await this.policy.current();
    const counts: Record<DrillState, number> = { not_started: 0, ok: 0, due: 0, missed: 0 };
    for (const f of await this.drills.liveDrillFacts(scopeOf(user))) {
      counts[drillStatus({ asOf, openedOn: f.openedOn, lastLiveDrillOn: f.lastLiveDrillOn, liveDrillMonths: values.drills.liveDrillMonths }).state] += 1;
    }
    return counts;
  }

  async trainees(user: AuthUser, institutionId: string, query: TraineeQuery, asOf = shanghaiDate(new Date())): Promise<Page<TraineeView>> {
    await this.readable(user, institutionId);
    const { values } = await this.policy.current();
    const [rows, total] = await this.drills.traineesPage(scopeOf(user), institutionId, (query.page - 1) * query.pageSize, query.pageSize);
    const items = rows.map((r) => ({ ...r, ...trainingStatus({ asOf, lastTrainedOn: r.lastTrainedOn, trainingMonths: values.drills.trainingMonths }) }));
    return pageOf(items, total, query);
  }

  /** Records a drill: checked against the institution's residents by care level, pinned to the policy in force, audited. */
  async record(user: AuthUser, institutionId: string, dto: RecordDrillDto): Promise<DrillRow> {
    const institution = await this.recordingInstitution(user, institutionId);
    const evacuationSeconds = dto.evacuationSeconds ?? null;
    const evacuated = { ...dto.evacuated };
    if (dto.form === 'tabletop' && (evacuationSeconds !== null || Object.values(evacuated).some((n) => n > 0))) {
      throw AppError.validation([{ field: evacuationSeconds !== null ? 'evacuationSeconds' : 'evacuated', reason: 'tabletopEvacuates' }]);
    }
    const issues = drillIssues({ ...dto, evacuated, evacuationSeconds }, { today: shanghaiDate(new Date()), residents: institution.residents });
    if (issues.length) throw AppError.validation(issues);
    const { versionId } = await this.policy.current();
    const scope = scopeOf(user);
    return this.dataSource.transaction(async (em) => {
      const id = await this.drills.insert(em, {
        institutionId, heldOn: dto.heldOn, kind: dto.kind, form: dto.form, participantsStaff: dto.participantsStaff,
        participantsNote: dto.participantsNote ?? null, evacuated, evacuationSeconds, lessons: dto.lessons, recordedBy: user.id, policyVersionId: versionId,
      });
      await this.audit.record(em, {
        action: 'drill.record', entityType: 'drill', entityId: id, scopePath: institution.divisionPath,
        after: { institutionId, heldOn: dto.heldOn, kind: dto.kind, form: dto.form, participantsStaff: dto.participantsStaff, evacuated, evacuationSeconds, safetyWorkPolicyVersionId: versionId },
      });
      return (await this.drills.findById(scope, id, em))!;
    });
  }

  /**
   * Adds a photo to a drill (现场照片): decoded and re-encoded by the evidence pipeline, written only once every check
   * has passed, taken back if the transaction fails; at most DRILL_MAX_PHOTOS per drill.
   */
  async addPhoto(user: AuthUser, institutionId: string, drillId: string, file: Buffer | undefined, originalName?: string): Promise<DrillRow> {
    const institution = await this.recordingInstitution(user, institutionId);
    const scope = scopeOf(user);
    const drill = await this.drills.findById(scope, drillId);
    if (!drill || drill.institutionId !== institutionId) throw AppError.notFound('drill.not_found');
    if (drill.photoIds.length >= DRILL_MAX_PHOTOS) throw AppError.validation([{ field: 'photo', reason: 'tooManyPhotos', args: [DRILL_MAX_PHOTOS] }]);
    const prepared = await this.evidence.prepareImage(file, 'photo', 'photo');
    const { stored: [stored], created } = await this.evidence.put([prepared]);
    try {
      return await this.dataSource.transaction(async (em) => {
        const ev = await this.evidence.record(em, user, stored, {
          purpose: 'drill_photo', inspectionId: null, itemCode: null, institutionId, divisionPath: institution.divisionPath, originalName: originalName?.slice(0, 200) ?? null,
        });
        const position = await this.drills.addPhoto(em, drillId, ev.id, user.id, DRILL_MAX_PHOTOS);
        if (position === null) throw AppError.validation([{ field: 'photo', reason: 'tooManyPhotos', args: [DRILL_MAX_PHOTOS] }]);
        await this.audit.record(em, { action: 'drill.photo_add', entityType: 'drill', entityId: drillId, scopePath: institution.divisionPath,
          after: { evidenceId: ev.id, sha256: ev.sha256, position } });
        return (await this.drills.findById(scope, drillId, em))!;
      });
    } catch (err) {
      await this.evidence.discardUnreferenced(created);
      throw err;
    }
  }

  /** One photo of a drill, for whoever may read the institution's drills. */
  async photo(user: AuthUser, institutionId: string, drillId: string, evidenceId: string): Promise<{ mime: string; path: string }> {
    const drill = await this.get(user, institutionId, drillId);
    const photo = drill.photoIds.includes(evidenceId) ? await this.drills.photo(drillId, evidenceId) : null;
    if (!photo) throw AppError.notFound('evidence.not_found');
    return { mime: photo.mime, path: this.evidence.store.pathOf(photo.sha256) };
  }

  /** Records one training session: a record per trainee, in one transaction, each audited. */
  async recordTraining(user: AuthUser, institutionId: string, dto: RecordTrainingDto): Promise<{ ids: string[] }> {
    const institution = await this.recordingInstitution(user, institutionId);
    if (dto.heldOn > shanghaiDate(new Date())) throw AppError.validation([{ field: 'heldOn', reason: 'dateInFuture' }]);
    const { versionId } = await this.policy.current();
    return this.dataSource.transaction(async (em) => {
      const ids: string[] = [];
      for (const t of dto.trainees) {
        const trainee = { name: t.name, idLast4: t.idLast4 ?? null, role: t.role ?? null };
        const id = await this.drills.insertTraining(em, {
          institutionId, heldOn: dto.heldOn, topic: dto.topic, hours: dto.hours, trainer: dto.trainer ?? null, trainee, recordedBy: user.id, policyVersionId: versionId,
        });
        await this.audit.record(em, {
          action: 'staff_training.record', entityType: 'staff_training', entityId: id, scopePath: institution.divisionPath,
          after: { institutionId, heldOn: dto.heldOn, topic: dto.topic, hours: dto.hours, trainee, safetyWorkPolicyVersionId: versionId },
        });
        ids.push(id);
      }
      return { ids };
    });
  }

  /** The institution as the drill rules read it (opening day, residents by care level), if the viewer may read its drills. */
  institution(user: AuthUser, institutionId: string): Promise<DrillInstitution> {
    return this.readable(user, institutionId);
  }

  private async readable(user: AuthUser, institutionId: string): Promise<DrillInstitution> {
    assertMay(user, 'drill.read');
    const institution = await this.drills.institution(scopeOf(user), institutionId);
    if (!institution) throw AppError.notFound('institution.not_found');
    return institution;
  }

  private async recordingInstitution(user: AuthUser, institutionId: string): Promise<DrillInstitution> {
    assertMay(user, 'drill.record');
    const institution = await this.drills.institution(scopeOf(user), institutionId);
    if (!institution) throw AppError.notFound('institution.not_found');
    return institution;
  }
}

function assertMay(user: AuthUser, action: Action): void {
  if (!can(user, action)) throw AppError.forbidden();
}
