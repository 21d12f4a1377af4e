import { Inject, Injectable } from '@nestjs/common';
import * as path from 'node:path';
import { DataSource, EntityManager } from 'typeorm';
import { AppError } from '../common/app-error';
import { AuthUser } from '../common/scope';
import { APP_CONFIG, AppConfig } from '../config/env';
import { Evidence, EvidencePurpose } from './evidence.entity';
import { EvidenceStore } from './evidence-store';
import { CanonicalImage, canonicalImage, ImageKind, ImageRefused, MAX_INPUT_PIXELS } from './canonical-image';
import { exifGps } from './exif-gps';
import { sniffImage } from './image-sniff';

export interface EvidenceMeta {
  purpose: EvidencePurpose;
  inspectionId: string | null;
  itemCode: string | null;
  institutionId: string;
  divisionPath: string;
  takenAt?: Date | null;
  gps?: { lat: number; lng: number } | null;
  originalName?: string | null;
}

/** An image decoded and re-encoded in its canonical form, not yet written. */
export interface PreparedImage {
  data: Buffer;
  sha256: string;
  mime: string;
  size: number;
  exif: { lat: number; lng: number } | null;
}

export type StoredImage = Omit<PreparedImage, 'data'>;

/**
 * Photos and signature images: size-limited, decoded and re-encoded in one canonical format (the stored bytes
 * and their hash are the canonical ones), stored by content hash, served only in scope.
 */
@Injectable()
export class EvidenceService {
  readonly store: EvidenceStore;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig, private readonly dataSource: DataSource) {
    this.store = new EvidenceStore(config.EVIDENCE_DIR ?? path.join(config.DATA_DIR, 'evidence'));
  }

  get maxBytes(): number {
    return this.config.EVIDENCE_MAX_MB * 1024 * 1024;
  }

  get maxMb(): number {
    return this.config.EVIDENCE_MAX_MB;
  }

  /**
   * Checks an image and re-encodes it in the canonical stored form (JPEG for photos, PNG for signatures), in
   * memory: nothing is written yet. GPS is read from the original bytes first (re-encoding strips it).
   * Refusals name the field: 400 for anything that is not a decodable image within 40 MP, 413 above the size limit.
   */
  async prepareImage(data: Buffer | undefined, field = 'file', kind: ImageKind = 'photo'): Promise<PreparedImage> {
    if (!data?.length) throw AppError.validation([{ field, reason: 'fileRequired' }]);
    if (data.length > this.maxBytes) throw new AppError(413, 'request.too_large', {}, [{ field, reason: 'fileTooLarge', args: [this.config.EVIDENCE_MAX_MB] }]);
    const exif = sniffImage(data) === 'image/jpeg' ? exifGps(data) : null;
    let image: CanonicalImage;
    try {
      image = await canonicalImage(data, kind);
    } catch (err) {
      if (!(err instanceof ImageRefused)) throw err;
      const args = err.reason === 'imageTooManyPixels' ? [MAX_INPUT_PIXELS / 1e6] : [];
      throw AppError.validation([{ field, reason: kind === 'signature' && err.reason === 'imageTypeNotAllowed' ? 'signatureImageInvalid' : err.reason, args }]);
    }
    return { data: image.data, sha256: EvidenceStore.sha256(image.data), mime: image.mime, size: image.data.length, exif };
  }

  /** Writes prepared images to the store; `created` lists the hashes this call wrote (see `discardUnreferenced`). */
  async put(images: PreparedImage[]): Promise<{ stored: StoredImage[]; created: string[] }> {
    const created: string[] = [];
    for (const image of images) {
      if ((await this.store.write(image.data)).created) created.push(image.sha256);
    }
    return { stored: images.map(({ data: _data, ...rest }) => rest), created };
  }

  /** Validates, re-encodes and stores one image (outside any transaction: a stored file without a row is harmless). */
  async storeImage(data: Buffer | undefined, field = 'file', kind: ImageKind = 'photo'): Promise<StoredImage> {
    const { stored } = await this.put([await this.prepareImage(data, field, kind)]);
    return stored[0];
  }

  /**
   * Takes back files a request wrote when its transaction then refused it: only those no evidence row
   * refers to (the same bytes may have been recorded by someone else meanwhile).
   */
  async discardUnreferenced(sha256s: string[]): Promise<void> {
    if (!sha256s.length) return;
    const used: { sha256: string }[] = await this.dataSource.query('SELECT DISTINCT sha256 FROM evidence WHERE sha256 = ANY($1)', [sha256s]);
    const keep = new Set(used.map((u) => u.sha256.trim()));
    await Promise.all(sha256s.filter((s) => !keep.has(s)).map((s) => this.store.remove(s)));
  }

  /** Where multipart uploads stream to before they are checked. */
  get incomingDir(): string {
    return this.store.incomingDir;
  }

  /** Records stored bytes; the same bytes for the same inspection, item and purpose give back the existing row. */
  async record(em: EntityManager, user: AuthUser, stored: StoredImage, meta: EvidenceMeta): Promise<Evidence> {
    const gps = meta.gps ?? stored.exif;
    const rows: Evidence[] = await em.query(
      `INSERT INTO evidence (sha256, mime, size_bytes, purpose, inspection_id, item_code, institution_id, division_path, uploaded_by,
                             device_taken_at, gps_lat, gps_lng, gps_source, original_name)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)
       ON CONFLICT (inspection_id, coalesce(item_code, ''), purpose, sha256) DO UPDATE SET sha256 = EXCLUDED.sha256
       RETURNING id, sha256, mime, size_bytes AS "sizeBytes", purpose, inspection_id AS "inspectionId", item_code AS "itemCode",
                 institution_id AS "institutionId", division_path AS "divisionPath", uploaded_by AS "uploadedBy", device_taken_at AS "deviceTakenAt",
                 received_at AS "receivedAt", gps_lat AS "gpsLat", gps_lng AS "gpsLng", gps_source AS "gpsSource", original_name AS "originalName"`,
      [stored.sha256, stored.mime, stored.size, meta.purpose, meta.inspectionId, meta.itemCode, meta.institutionId, meta.divisionPath,
        user.id, meta.takenAt ?? null, gps?.lat ?? null, gps?.lng ?? null, gps ? (meta.gps ? 'device' : 'exif') : null, meta.originalName ?? null],
    );
    return rows[0];
  }

  /**
   * Several stored images with the same metadata in one statement; returns their ids in input order
   * (the same bytes twice give the same id).
   */
  async recordMany(em: EntityManager, user: AuthUser, stored: { sha256: string; mime: string; size: number }[], meta: EvidenceMeta): Promise<string[]> {
    const unique = [...new Map(stored.map((s) => [s.sha256, s])).values()];
    const rows: { id: string; sha256: string }[] = await em.query(
      `INSERT INTO evidence (sha256, mime, size_bytes, purpose, inspection_id, item_code, institution_id, division_path, uploaded_by, device_taken_at)
       SELECT r.sha256, r.mime, r.size, $2, $3, $4, $5, $6, $7, $8 FROM jsonb_to_recordset($1::jsonb) AS r(sha256 text, mime text, size int)
       ON CONFLICT (inspection_id, coalesce(item_code, ''), purpose, sha256) DO UPDATE SET sha256 = EXCLUDED.sha256
       RETURNING id, sha256`,
      [JSON.stringify(unique.map((u) => ({ sha256: u.sha256, mime: u.mime, size: u.size }))), meta.purpose, meta.inspectionId, meta.itemCode,
        meta.institutionId, meta.divisionPath, user.id, meta.takenAt ?? null]);
    const idOf = new Map(rows.map((r) => [r.sha256, r.id]));
    return stored.map((s) => idOf.get(s.sha256)!);
  }

  /** An evidence row the user may see, or 404. */
  async readable(user: AuthUser, id: string): Promise<Evidence> {
    const qb = this.dataSource.getRepository(Evidence).createQueryBuilder('e').where('e.id = :id', { id });
    switch (user.role) {
      case 'inspector':
        qb.andWhere(`(e.uploaded_by = :uid OR EXISTS (SELECT 1 FROM inspection_team_member m WHERE m.inspection_id = e.inspection_id AND m.user_id = :uid))`, { uid: user.id });
        break;
      case 'institution':
        qb.andWhere(`e.institution_id = :iid AND (e.purpose = 'rectification' OR EXISTS (SELECT 1 FROM inspection i WHERE i.id = e.inspection_id AND i.status = 'submitted'))`, { iid: user.institutionId });
        break;
      default:
        qb.andWhere('e.division_path LIKE :p', { p: `${user.divisionPath}%` });
    }
    const found = await qb.getOne();
    if (!found) throw AppError.notFound('evidence.not_found');
    return found;
  }

  byIds(ids: string[], em: EntityManager = this.dataSource.manager): Promise<Evidence[]> {
    return ids.length ? em.getRepository(Evidence).createQueryBuilder('e').where('e.id IN (:...ids)', { ids }).getMany() : Promise.resolve([]);
  }

  forInspection(inspectionId: string, purpose: EvidencePurpose, em: EntityManager = this.dataSource.manager): Promise<Evidence[]> {
    return em.getRepository(Evidence).findBy({ inspectionId, purpose });
  }
}
