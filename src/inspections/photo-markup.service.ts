import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { AppError } from '../common/app-error';
import { AuthUser } from '../common/scope';
import { EvidenceService } from '../evidence/evidence.service';
import { Markup, markupCounts } from '../evidence/markup';
import { onTeamOrThrow } from './inspection-access';
import { InspectionsRepository } from './inspections.repository';
import { PhotoMarkupRepository } from './photo-markup.repository';

/** After the submission a layer may still change (one drawn offline arrives late, a mark is corrected) for this long. */
export const MARKUP_GRACE_MS = 24 * 3600 * 1000;

/**
 * Whether a photo's markup may still change: an open inspection, yes; a submitted one until a notice is issued for
 * it or `MARKUP_GRACE_MS` after the submission, whichever comes first; a cancelled one, no. Pure (unit-testable).
 */
export function markupEditable(i: { status: string; submittedAt: Date | null }, noticeIssuedAt: Date | null, now: Date): 'ok' | 'not_open' | 'locked' {
  if (i.status === 'cancelled') return 'not_open';
  if (i.status !== 'submitted') return 'ok';
  if (noticeIssuedAt) return 'locked';
  return i.submittedAt && now.getTime() - new Date(i.submittedAt).getTime() >= MARKUP_GRACE_MS ? 'locked' : 'ok';
}

/** The layer as the audit keeps it: the whole layer (≤ 8 KB, checked), with its counts for a quick read. */
const auditLayer = (m: Markup | null) => ({ shapes: markupCounts(m), layer: m });

/**
 * 照片标注: the inspection team replaces a finding photo's markup layer (arrows, circles, text). The photo's bytes
 * and hash never change. Allowed while the inspection is open, and after it is submitted (a layer drawn offline
 * reaches the server after the submission it belongs to) until a notice is issued or 24 h have passed, whichever is
 * first; every change is audited with the whole layer before and after.
 */
@Injectable()
export class PhotoMarkupService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly inspections: InspectionsRepository,
    private readonly evidence: EvidenceService,
    private readonly audit: AuditService,
    private readonly markupRepo: PhotoMarkupRepository,
  ) {}

  async save(user: AuthUser, inspectionId: string, evidenceId: string, input: unknown) {
    const inspection = await onTeamOrThrow(this.inspections, user, inspectionId);
    if (inspection.status === 'cancelled') throw AppError.conflict('inspection.not_open');
    return this.dataSource.transaction(async (em) => {
      const state = markupEditable(inspection, await this.markupRepo.noticeIssuedAt(em, inspectionId), new Date());
      if (state === 'not_open') throw AppError.conflict('inspection.not_open');
      if (state === 'locked') throw AppError.conflict('evidence.markup_locked');
      const [photo] = await this.evidence.byIds([evidenceId], em);
      if (!photo || photo.inspectionId !== inspectionId || photo.purpose !== 'finding') throw AppError.notFound('evidence.not_found');
      // Read (and locked) here: EvidenceRepository.setMarkup's RETURNING comes back as [rows, count] from TypeORM's
      // UPDATE, so its `before` is not the earlier layer.
      const before = await this.markupRepo.lockedLayer(em, evidenceId);
      const saved = await this.evidence.saveMarkup(em, user, evidenceId, input);
      await this.audit.record(em, {
        action: 'evidence.markup', entityType: 'evidence', entityId: evidenceId, scopePath: inspection.divisionPath,
        before: auditLayer(before),
        after: { inspectionId, itemCode: photo.itemCode, sha256: photo.sha256.trim(), afterSubmission: inspection.status === 'submitted', ...auditLayer(saved.markup) },
      });
      return { evidenceId, sha256: photo.sha256.trim(), markup: saved.markup, updatedAt: saved.updatedAt };
    });
  }
}
