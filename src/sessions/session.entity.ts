import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A login: a browser session (cookie) or an API bearer token. Only the token's SHA-256 is stored. */
@Entity('auth_session')
export class AuthSession {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'char' }) tokenHash: string;
  @Column() userId: string;
  @Column({ type: 'varchar' }) kind: 'web' | 'api';
  @Column({ type: 'char', nullable: true }) csrfToken: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @Column({ type: 'timestamptz' }) expiresAt: Date;
  @Column({ type: 'timestamptz', nullable: true }) revokedAt: Date | null;
}

@Entity('login_attempt')
export class LoginAttempt {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column() username: string;
  @Column() ip: string;
  @Column() succeeded: boolean;
  @Column({ type: 'timestamptz' }) at: Date;
}
