import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type HazardStatus = 'open' | 'responded' | 'returned' | 'closed';

/** 隐患 — a failed checklist item that must be rectified by its due date (Asia/Shanghai calendar day). */
@Entity('hazard')
export class Hazard {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') inspectionId: string;
  @Column('uuid') institutionId: string;
  @Column() divisionPath: string;
  @Column('uuid') checklistVersionId: string;
  @Column() itemCode: string;
  @Column() category: string;
  @Column() titleZh: string;
  @Column({ type: 'varchar' }) severity: 'general' | 'major';
  @Column({ type: 'varchar', nullable: true }) majorCriterion: string | null;
  @Column({ type: 'varchar' }) scope: 'single' | 'multiple' | 'widespread';
  @Column() location: string;
  @Column({ type: 'text' }) note: string;
  @Column({ type: 'integer' }) deadlineDays: number;
  @Column({ type: 'date' }) dueDate: string;
  @Column({ type: 'varchar' }) status: HazardStatus;
  @Column() overdue: boolean;
  @Column({ type: 'timestamptz', nullable: true }) escalatedAt: Date | null;
  @Column() listed: boolean;
  @Column({ type: 'timestamptz', nullable: true }) closedAt: Date | null;
  /** 五到位 plan due (major hazards: 7 days) */
  @Column({ type: 'date', nullable: true }) planDueDate: string | null;
  @Column({ type: 'varchar', nullable: true }) closureReason: 'verified' | 'objection_upheld' | null;
  @Column({ type: 'uuid', nullable: true }) reinspectionId: string | null;
  @Column({ type: 'timestamptz' }) createdAt: Date;
  @Column({ type: 'timestamptz' }) updatedAt: Date;
  @Column({ type: 'integer' }) version: number;
}
