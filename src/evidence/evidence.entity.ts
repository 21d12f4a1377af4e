import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Markup } from './markup';

/** `change_request`: a supporting document of an institution's 档案变更申请; `register_cert`: a certificate photo of the staff register; `drill_photo`: a photo of a drill. */
export type EvidencePurpose = 'finding' | 'signature' | 'rectification' | 'change_request' | 'register_cert' | 'drill_photo';

/** 佐证材料 — a photo or signature image, stored content-addressed by its SHA-256. */
@Entity('evidence')
export class Evidence {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'char' }) sha256: string;
  @Column() mime: string;
  @Column({ type: 'integer' }) sizeBytes: number;
  @Column({ type: 'varchar' }) purpose: EvidencePurpose;
  @Column({ type: 'uuid', nullable: true }) inspectionId: string | null;
  @Column({ type: 'varchar', nullable: true }) itemCode: string | null;
  @Column('uuid') institutionId: string;
  @Column() divisionPath: string;
  @Column('uuid') uploadedBy: string;
  @Column({ type: 'timestamptz', nullable: true }) deviceTakenAt: Date | null;
  @Column({ type: 'timestamptz' }) receivedAt: Date;
  @Column({ type: 'double precision', nullable: true }) gpsLat: number | null;
  @Column({ type: 'double precision', nullable: true }) gpsLng: number | null;
  @Column({ type: 'varchar', nullable: true }) gpsSource: 'device' | 'exif' | null;
  @Column({ type: 'varchar', nullable: true }) originalName: string | null;
  /** 照片标注: the markup layer drawn over the photo (the bytes above are never changed); null: none */
  @Column({ type: 'jsonb', nullable: true }) markup: Markup | null;
  @Column({ type: 'timestamptz', nullable: true }) markupUpdatedAt: Date | null;
}
