import { Inject, Injectable } from '@nestjs/common';
import * as path from 'node:path';
import { EntityManager } from 'typeorm';
import { AppError } from '../common/app-error';
import { AuthUser } from '../common/scope';
import { APP_CONFIG, AppConfig } from '../config/env';
import { Evidence, EvidencePurpose } from './evidence.entity';
import { EvidenceRepository } from './evidence.repository';
import { EvidenceStore } from './evidence-store';
import { CanonicalImage, canonicalImage, ImageKind, ImageRefused, MAX_INPUT_PIXELS } from './canonical-image';
import { exifGps } from './exif-gps';
import { checkMarkup, Markup } from './markup';
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

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig, private readonly repo: EvidenceRepository) {
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
    const keep = await this.repo.referencedHashes(sha256s);
    await Promise.all(sha256s.filter((s) => !keep.has(s)).map((s) => this.store.remove(s)));
  }

  /** Where multipart uploads stream to before they are checked. */
  get incomingDir(): string {
    return this.store.incomingDir;
  }

  /** Records stored bytes; the same bytes for the same inspection, item and purpose give back the existing row. */
  record(em: EntityManager, user: AuthUser, stored: StoredImage, meta: EvidenceMeta): Promise<Evidence> {
    const gps = meta.gps ?? stored.exif;
    return this.repo.insert(em, {
      sha256: stored.sha256, mime: stored.mime, size: stored.size, purpose: meta.purpose, inspectionId: meta.inspectionId, itemCode: meta.itemCode,
      institutionId: meta.institutionId, divisionPath: meta.divisionPath, uploadedBy: user.id, takenAt: meta.takenAt ?? null,
      gps: gps ? { lat: gps.lat, lng: gps.lng, source: meta.gps ? 'device' : 'exif' } : null, originalName: meta.originalName ?? null,
    });
  }

  /**
   * Several stored images with the same metadata in one statement; returns their ids in input order
   * (the same bytes twice give the same id).
   */
  async recordMany(em: EntityManager, user: AuthUser, stored: { sha256: string; mime: string; size: number }[], meta: EvidenceMeta): Promise<string[]> {
    const unique = [...new Map(stored.map((s) => [s.sha256, s])).values()];
    const idOf = await this.repo.insertMany(em, unique, {
      purpose: meta.purpose, inspectionId: meta.inspectionId, itemCode: meta.itemCode, institutionId: meta.institutionId,
      divisionPath: meta.divisionPath, uploadedBy: user.id, takenAt: meta.takenAt ?? null,
    });
    return stored.map((s) => idOf.get(s.sha256)!);
  }

  /** An evidence row the user may see, or 404. */
  async readable(user: AuthUser, id: string): Promise<Evidence> {
    const found = await this.repo.findReadable(user, id);
    if (!found) throw AppError.notFound('evidence.not_found');
    return found;
  }

  /**
   * Replaces a photo's markup layer after checking it (400 naming the field); the photo itself is never changed.
   * The caller decides who may and writes the audit event in the same transaction.
   */
  async saveMarkup(em: EntityManager, user: AuthUser, id: string, input: unknown): Promise<{ markup: Markup | null; before: Markup | null; updatedAt: Date | null }> {
    let markup: Markup | null = null;
    if (input !== null) {
      const checked = checkMarkup(input);
      if (!checked.markup) throw AppError.validation(checked.issues);
      markup = checked.markup.shapes.length ? checked.markup : null;
    }
    const saved = await this.repo.setMarkup(em, id, markup, user.id);
    if (!saved) throw AppError.notFound('evidence.not_found');
    return { markup, before: saved.before, updatedAt: saved.updatedAt };
  }

  byIds(ids: string[], em?: EntityManager): Promise<Evidence[]> {
    return this.repo.byIds(ids, em);
  }

  forInspection(inspectionId: string, purpose: EvidencePurpose, em?: EntityManager): Promise<Evidence[]> {
    return this.repo.forInspection(inspectionId, purpose, em);
  }
}
