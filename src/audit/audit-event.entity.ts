import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One append-only record of a state change. Written unchained with its transaction's id (column `xid`, written by
 * AuditRepository.insertMany); the sealer chains it in table audit_seal. `prevHash`/`hash` are set only on events of
 * the first release (the legacy chain).
 */
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
  @Column({ type: 'char', nullable: true }) prevHash: string | null;
  @Column({ type: 'char', nullable: true }) hash: string | null;
}
