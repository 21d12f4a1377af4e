import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { ChecklistItem, RuleFileContent, RuleFileKind } from './domain';

/** A rule file under checklists/ (检查表、判定标准、评定表…) and which of its versions is in force. */
@Entity('rule_set')
export class RuleSet {
  @PrimaryColumn() code: string;
  @Column({ type: 'varchar' }) kind: RuleFileKind;
  @Column({ type: 'uuid', nullable: true }) currentVersionId: string | null;
}

/** One published, immutable version of a rule file (identified by the SHA-256 of its text). */
@Entity('rule_set_version')
export class RuleSetVersion {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column() ruleSetCode: string;
  @Column({ type: 'integer' }) versionNo: number;
  @Column({ type: 'char' }) contentHash: string;
  @Column() fileName: string;
  @Column() titleZh: string;
  @Column({ type: 'varchar', nullable: true }) titleEn: string | null;
  /** validated at publication; read it with the typed accessors (`checklistContent(version)`, …) */
  @Column({ type: 'jsonb' }) content: RuleFileContent;
  @Column({ type: 'text', select: false }) rawText: string;
  @Column({ type: 'jsonb' }) warnings: string[];
  @Column({ type: 'timestamptz' }) publishedAt: Date;
}

/** A checklist item as published in one version. */
@Entity('checklist_item')
export class ChecklistItemRow {
  @PrimaryColumn('uuid') versionId: string;
  @PrimaryColumn() code: string;
  @Column() category: string;
  @Column({ type: 'integer' }) position: number;
  @Column({ type: 'varchar' }) severity: 'general' | 'major';
  @Column({ type: 'jsonb' }) item: ChecklistItem;
}
