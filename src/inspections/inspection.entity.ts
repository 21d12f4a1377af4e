import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

export const INSPECTION_KINDS = ['routine', 'random', 'joint', 'special', 'complaint', 'reinspection'] as const;
export type InspectionKind = (typeof INSPECTION_KINDS)[number];
export type InspectionStatus = 'assigned' | 'in_progress' | 'submitted' | 'cancelled';

/** 检查计划 — a plan; for 双随机 it records the seed, algorithm and rosters so the draw can be re-run and checked. */
@Entity('inspection_plan')
export class InspectionPlan {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column() name: string;
  @Column({ type: 'varchar' }) kind: InspectionKind;
  @Column({ type: 'text', array: true }) jointAgencies: string[];
  @Column() divisionCode: string;
  @Column() divisionPath: string;
  @Column('uuid') checklistVersionId: string;
  @Column({ type: 'integer' }) teamSize: number;
  @Column({ type: 'integer' }) conflictMonths: number;
  @Column({ type: 'integer', nullable: true }) sampleCount: number | null;
  @Column({ type: 'numeric', nullable: true, transformer: { to: (v: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) } }) sampleRatio: number | null;
  @Column({ type: 'date', nullable: true }) scheduledFrom: string | null;
  @Column({ type: 'date', nullable: true }) scheduledTo: string | null;
  @Column() seed: string;
  @Column() algorithm: string;
  @Column({ type: 'jsonb' }) drawInput: object;
  @Column({ type: 'jsonb' }) drawResult: object;
  @Column({ type: 'varchar' }) status: 'drawn' | 'published';
  @Column({ type: 'timestamptz', nullable: true }) publishedAt: Date | null;
  @Column('uuid') createdBy: string;
  @Column({ type: 'timestamptz' }) createdAt: Date;
  @Column({ type: 'integer' }) version: number;
}

/** 检查 — one inspection of one institution, pinned to the checklist version it is filled against. */
@Entity('inspection')
export class Inspection {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid', nullable: true }) planId: string | null;
  @Column({ type: 'varchar' }) kind: InspectionKind;
  @Column('uuid') institutionId: string;
  @Column() divisionPath: string;
  @Column('uuid') checklistVersionId: string;
  @Column({ type: 'varchar' }) status: InspectionStatus;
  @Column({ type: 'date', nullable: true }) scheduledDate: string | null;
  @Column({ type: 'timestamptz', nullable: true }) startedAt: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) submittedAt: Date | null;
  @Column({ type: 'uuid', nullable: true }) submissionId: string | null;
  @Column({ type: 'uuid', nullable: true }) submittedBy: string | null;
  @Column({ type: 'varchar', nullable: true }) reportNo: string | null;
  @Column({ type: 'varchar' }) reportStatus: 'none' | 'pending' | 'rendered' | 'failed';
  @Column({ type: 'char', nullable: true }) reportSha256: string | null;
  @Column({ type: 'jsonb', nullable: true, select: false }) draft: object | null;
  @Column({ type: 'timestamptz', nullable: true }) draftSavedAt: Date | null;
  @Column('uuid') createdBy: string;
  @Column({ type: 'timestamptz' }) createdAt: Date;
  @Column({ type: 'timestamptz' }) updatedAt: Date;
  /** 复查: the inspection whose hazards this re-inspection checks, and the only items it holds. */
  @Column({ type: 'uuid', nullable: true }) parentInspectionId: string | null;
  @Column({ type: 'text', array: true, nullable: true }) itemCodes: string[] | null;
  /** The product policy in force at creation (NULL: made before policies were data — the legacy values). */
  @Column({ type: 'uuid', nullable: true }) productPolicyVersionId: string | null;
  /** The deploying city's local rule set in force at creation (NULL: national rules only). */
  @Column({ type: 'uuid', nullable: true }) localRuleSetVersionId: string | null;
  @Column({ type: 'integer' }) version: number;
}

@Entity('inspection_team_member')
export class InspectionTeamMember {
  @PrimaryColumn('uuid') inspectionId: string;
  @PrimaryColumn('uuid') userId: string;
  @Column({ type: 'varchar' }) role: 'lead' | 'member';
}
