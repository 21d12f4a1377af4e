import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One append-only, hash-chained record of a state change. */
@Entity('audit_event')
export class AuditEvent {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column({ type: 'timestamptz' }) occurredAt: Date;
  @Column({ type: 'uuid', nullable: true }) actorId: string | null;
  @Column() actorRole: string;
  @Column() actorName: string;
  @Column() action: string;
  @Column() entityType: string;
  @Column() entityId: string;
  @Column({ type: 'text', nullable: true }) scopePath: string | null;
  @Column({ type: 'jsonb', nullable: true }) before: unknown;
  @Column({ type: 'jsonb', nullable: true }) after: unknown;
  @Column({ type: 'varchar', nullable: true }) requestId: string | null;
  @Column({ type: 'char' }) prevHash: string;
  @Column({ type: 'char' }) hash: string;
}
