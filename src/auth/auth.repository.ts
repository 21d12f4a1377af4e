import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, IsNull, MoreThan } from 'typeorm';
import { User } from '../users/user.entity';
import { AuthSession, LoginAttempt } from './auth-session.entity';

@Injectable()
export class AuthRepository {
  constructor(private readonly dataSource: DataSource) {}

  findUserWithHash(username: string): Promise<(User & { passwordHash: string }) | null> {
    return this.dataSource.getRepository(User).createQueryBuilder('u').addSelect('u.passwordHash')
      .where('u.username = :username', { username }).getOne() as Promise<(User & { passwordHash: string }) | null>;
  }

  async recentFailures(username: string, ip: string, since: Date): Promise<{ byUser: number; byIp: number }> {
    const [row] = await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE username = $1)::int AS by_user, count(*) FILTER (WHERE ip = $2)::int AS by_ip
         FROM login_attempt WHERE NOT succeeded AND at > $3 AND (username = $1 OR ip = $2)`,
      [username, ip, since],
    );
    return { byUser: row.by_user, byIp: row.by_ip };
  }

  async recordAttempt(username: string, ip: string, succeeded: boolean): Promise<void> {
    await this.dataSource.getRepository(LoginAttempt).insert({ username: username.slice(0, 64), ip: ip.slice(0, 64), succeeded, at: new Date() });
  }

  async createSession(em: EntityManager, session: Pick<AuthSession, 'tokenHash' | 'userId' | 'kind' | 'csrfToken' | 'expiresAt'>): Promise<AuthSession> {
    const repo = em.getRepository(AuthSession);
    return repo.save(repo.create(session));
  }

  /** A live session and its active user, by token hash. */
  async findLiveSession(tokenHash: string, now: Date): Promise<{ session: AuthSession; user: User } | null> {
    const session = await this.dataSource.getRepository(AuthSession).findOneBy({ tokenHash, revokedAt: IsNull(), expiresAt: MoreThan(now) });
    if (!session) return null;
    const user = await this.dataSource.getRepository(User).findOneBy({ id: session.userId, status: 'active' });
    return user ? { session, user } : null;
  }

  async revoke(tokenHash: string): Promise<void> {
    await this.dataSource.getRepository(AuthSession).update({ tokenHash, revokedAt: IsNull() }, { revokedAt: new Date() });
  }
}
