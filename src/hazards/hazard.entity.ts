import { Column, Entity, PrimaryGeneratedColumn, VirtualColumn } from 'typeorm';
import { overdueSql } from './hazards.repository';

export type HazardStatus = 'open' | 'responded' | 'returned' | 'closed';
/** 疑似重大隐患: reported by the inspector, then confirmed or downgraded by a bureau officer not on the team. */
export type MajorStatus = 'suspected' | 'confirmed' | 'downgraded';

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
  /**
   * 逾期: the one definition (`overdueSql`, as of the database's Shanghai today), computed on every read — the
   * ledger filter, the exports, the dashboard and the sweep all use the same expression.
   */
  @VirtualColumn({ type: 'boolean', query: (alias) => overdueSql(alias) }) overdue: boolean;
  /**
   * The sweep's bookkeeping (column `overdue`): set with `escalatedAt` when the sweep escalated the hazard, cleared
   * with a new deadline or at closure. The safety score reads it (a score is recomputed at each escalation).
   * Never the overdue state — that is `overdue`.
   */
  @Column({ name: 'overdue', select: false }) escalatedOverdue: boolean;
  @Column({ type: 'timestamptz', nullable: true }) escalatedAt: Date | null;
  @Column() listed: boolean;
  @Column({ type: 'timestamptz', nullable: true }) closedAt: Date | null;
  /** 五到位 plan due (major hazards: 7 days) */
  @Column({ type: 'date', nullable: true }) planDueDate: string | null;
  @Column({ type: 'varchar', nullable: true }) closureReason: 'verified' | 'objection_upheld' | null;
  @Column({ type: 'uuid', nullable: true }) reinspectionId: string | null;
  /** the product policy the hazard was decided under (null: before policies were versioned → legacy values) */
  @Column({ type: 'uuid', nullable: true }) productPolicyVersionId: string | null;
  @Column({ type: 'varchar', nullable: true }) majorStatus: MajorStatus | null;
  @Column({ type: 'text', nullable: true }) suspectedReason: string | null;
  @Column({ type: 'uuid', nullable: true }) suspectedBy: string | null;
  @Column({ type: 'uuid', nullable: true }) majorDecidedBy: string | null;
  @Column({ type: 'timestamptz', nullable: true }) majorDecidedAt: Date | null;
  @Column({ type: 'text', nullable: true }) majorDecisionReason: string | null;
  /** a suspected major hazard is confirmed or downgraded by this date (policy.suspectedMajor.confirmWorkingDays) */
  @Column({ type: 'date', nullable: true }) majorConfirmDue: string | null;
  @Column({ type: 'timestamptz' }) createdAt: Date;
  @Column({ type: 'timestamptz' }) updatedAt: Date;
  @Column({ type: 'integer' }) version: number;
}
