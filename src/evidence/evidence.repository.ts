import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuthUser, scopeCondition, scopeOf } from '../common/scope';
import { Evidence, EvidencePurpose } from './evidence.entity';
import type { Markup } from './markup';

/** One evidence row as recorded: stored bytes with where, by whom and when they were taken. */
export interface EvidenceRow {
  sha256: string;
  mime: string;
  size: number;
  purpose: EvidencePurpose;
  inspectionId: string | null;
  itemCode: string | null;
  institutionId: string;
  divisionPath: string;
  uploadedBy: string;
  takenAt: Date | null;
  gps: { lat: number; lng: number; source: 'device' | 'exif' } | null;
  originalName: string | null;
}

/** Evidence SQL (photos and signature images). */
@Injectable()
export class EvidenceRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The same bytes for the same inspection, item and purpose give back the existing row. */
  async insert(em: EntityManager, e: EvidenceRow): Promise<Evidence> {
    const rows: Evidence[] = await em.query(
      `INSERT INTO evidence (sha256, mime, size_bytes, purpose, inspection_id, item_code, institution_id, division_path, uploaded_by,
                             device_taken_at, gps_lat, gps_lng, gps_source, original_name)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)
       ON CONFLICT (inspection_id, coalesce(item_code, ''), purpose, sha256) DO UPDATE SET sha256 = EXCLUDED.sha256
       RETURNING id, sha256, mime, size_bytes AS "sizeBytes", purpose, inspection_id AS "inspectionId", item_code AS "itemCode",
                 institution_id AS "institutionId", division_path AS "divisionPath", uploaded_by AS "uploadedBy", device_taken_at AS "deviceTakenAt",
                 received_at AS "receivedAt", gps_lat AS "gpsLat", gps_lng AS "gpsLng", gps_source AS "gpsSource", original_name AS "originalName",
                 markup, markup_updated_at AS "markupUpdatedAt"`,
      [e.sha256, e.mime, e.size, e.purpose, e.inspectionId, e.itemCode, e.institutionId, e.divisionPath,
        e.uploadedBy, e.takenAt, e.gps?.lat ?? null, e.gps?.lng ?? null, e.gps?.source ?? null, e.originalName],
    );
    return rows[0];
  }

  /** Several stored images with the same metadata in one statement; returns each hash's row id. */
  async insertMany(em: EntityManager, images: { sha256: string; mime: string; size: number }[], meta: Omit<EvidenceRow, 'sha256' | 'mime' | 'size' | 'gps' | 'originalName'>): Promise<Map<string, string>> {
    const rows: { id: string; sha256: string }[] = await em.query(
      `INSERT INTO evidence (sha256, mime, size_bytes, purpose, inspection_id, item_code, institution_id, division_path, uploaded_by, device_taken_at)
       SELECT r.sha256, r.mime, r.size, $2, $3, $4, $5, $6, $7, $8 FROM jsonb_to_recordset($1::jsonb) AS r(sha256 text, mime text, size int)
       ON CONFLICT (inspection_id, coalesce(item_code, ''), purpose, sha256) DO UPDATE SET sha256 = EXCLUDED.sha256
       RETURNING id, sha256`,
      [JSON.stringify(images.map((u) => ({ sha256: u.sha256, mime: u.mime, size: u.size }))), meta.purpose, meta.inspectionId, meta.itemCode,
        meta.institutionId, meta.divisionPath, meta.uploadedBy, meta.takenAt]);
    return new Map(rows.map((r) => [r.sha256, r.id]));
  }

  /** Which of these hashes some evidence row refers to. */
  async referencedHashes(sha256s: string[]): Promise<Set<string>> {
    const used: { sha256: string }[] = await this.dataSource.query('SELECT DISTINCT sha256 FROM evidence WHERE sha256 = ANY($1)', [sha256s]);
    return new Set(used.map((u) => u.sha256.trim()));
  }

  /**
   * An evidence row the user may see: an inspector what they uploaded or their team's; an institution its own
   * rectification photos and those of its submitted inspections; a bureau its division subtree.
   */
  findReadable(user: AuthUser, id: string): Promise<Evidence | null> {
    const qb = this.dataSource.getRepository(Evidence).createQueryBuilder('e').where('e.id = :id', { id });
    switch (user.role) {
      case 'inspector':
        qb.andWhere(`(e.uploaded_by = :uid OR EXISTS (SELECT 1 FROM inspection_team_member m WHERE m.inspection_id = e.inspection_id AND m.user_id = :uid))`, { uid: user.id });
        break;
      case 'institution': {
        const inScope = scopeCondition(scopeOf(user), EVIDENCE_SCOPE);
        qb.andWhere(`${inScope.sql} AND (e.purpose = 'rectification' OR EXISTS (SELECT 1 FROM inspection i WHERE i.id = e.inspection_id AND i.status = 'submitted'))`, inScope.params);
        break;
      }
      default: {
        const inScope = scopeCondition(scopeOf(user), EVIDENCE_SCOPE);
        qb.andWhere(inScope.sql, inScope.params);
      }
    }
    return qb.getOne();
  }

  /** Replaces a photo's markup layer (null clears it); the stored bytes and their hash are not touched. */
  async setMarkup(em: EntityManager, id: string, markup: Markup | null, by: string): Promise<{ before: Markup | null; updatedAt: Date | null } | null> {
    // an UPDATE … RETURNING answers [rows, count] through TypeORM (a cleared layer has no time: the audit keeps it)
    const [rows]: [{ before: Markup | null; updatedAt: Date | null }[], number] = await em.query(
      `UPDATE evidence e SET markup = $2::jsonb, markup_updated_at = CASE WHEN $2::jsonb IS NULL THEN NULL ELSE now() END, markup_updated_by = $3
         FROM (SELECT id, markup FROM evidence WHERE id = $1 FOR UPDATE) old
        WHERE e.id = old.id
        RETURNING old.markup AS before, e.markup_updated_at AS "updatedAt"`,
      [id, markup === null ? null : JSON.stringify(markup), by]);
    return rows[0] ?? null;
  }

  byIds(ids: string[], em: EntityManager = this.dataSource.manager): Promise<Evidence[]> {
    return ids.length ? em.getRepository(Evidence).createQueryBuilder('e').where('e.id IN (:...ids)', { ids }).getMany() : Promise.resolve([]);
  }

  forInspection(inspectionId: string, purpose: EvidencePurpose, em: EntityManager = this.dataSource.manager): Promise<Evidence[]> {
    return em.getRepository(Evidence).findBy({ inspectionId, purpose });
  }
}

const EVIDENCE_SCOPE = { divisionPath: 'e.division_path', institutionId: 'e.institution_id' } as const;
