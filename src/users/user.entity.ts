import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Role } from '../common/roles';

export { BUREAU_ROLES, ROLES } from '../common/roles';
export type { Role } from '../common/roles';

/** An account. Bureau and inspector accounts are scoped to a division subtree; institution accounts to one institution. */
@Entity('app_user')
export class User {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column() username: string;
  @Column() displayName: string;
  @Column({ type: 'varchar' }) role: Role;
  @Column() divisionCode: string;
  @Column() divisionPath: string;
  @Column({ type: 'uuid', nullable: true }) institutionId: string | null;
  /** 执法证号 of an account that inspects (null: not registered); the inspected institution sees it when it confirms a 检查码. */
  @Column({ type: 'varchar', nullable: true }) warrantNo: string | null;
  @Column({ select: false }) passwordHash: string;
  @Column({ type: 'varchar' }) status: 'active' | 'disabled';
  @Column({ type: 'integer' }) version: number;
  /** The last successful sign-in (null: never signed in). Set by the sessions service, not by account edits. */
  @Column({ type: 'timestamptz', nullable: true }) lastSignInAt: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}
