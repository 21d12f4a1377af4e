import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { User } from '../users/user.entity';
import { AuthSession, LoginAttempt } from './session.entity';
import type { SignInHistory } from './sign-in-throttle';

@Injectable()
export class SessionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  findUserWithHash(username: string): Promise<(User & { passwordHash: string }) | null> {
    return this.dataSource.getRepository(User).createQueryBuilder('u').addSelect('u.passwordHash')
      .where('u.username = :username', { username }).getOne() as Promise<(User & { passwordHash: string }) | null>;
  }

  /**
   * Failed sign-ins within the window: for this username from this address (only since the pair's last success),
   * for this username from anywhere (with the latest), and from this address for any username; and whether the
   * username has signed in successfully from this address since `knownSince`.
   */
  async signInHistory(username: string, ip: string, since: Date, knownSince: Date): Promise<SignInHistory> {
    const [row] = await this.dataSource.query(
      `WITH recent AS (
         SELECT username, ip, succeeded, at FROM login_attempt WHERE at > $3 AND (username = $1 OR ip = $2)
       ), pair_success AS (
         SELECT max(at) AS at FROM recent WHERE succeeded AND username = $1 AND ip = $2
       )
       SELECT count(*) FILTER (WHERE NOT succeeded AND username = $1 AND ip = $2
                                 AND at > coalesce((SELECT at FROM pair_success), '-infinity'))::int AS pair,
              count(*) FILTER (WHERE NOT succeeded AND username = $1)::int AS by_user,
              max(at) FILTER (WHERE NOT succeeded AND username = $1) AS last_user_failure,
              count(*) FILTER (WHERE NOT succeeded AND ip = $2)::int AS by_ip,
              EXISTS (SELECT 1 FROM login_attempt WHERE username = $1 AND ip = $2 AND succeeded AND at > $4) AS known
         FROM recent`,
      [username, ip, since, knownSince],
    );
    return { pair: row.pair, byUser: row.by_user, lastUserFailure: row.last_user_failure, byIp: row.by_ip, knownAddress: row.known };
  }

  async recordAttempt(username: string, ip: string, succeeded: boolean): Promise<void> {
    await this.dataSource.getRepository(LoginAttempt).insert({ username: username.slice(0, 64), ip: ip.slice(0, 64), succeeded, at: new Date() });
  }

  async createSession(em: EntityManager, session: Pick<AuthSession, 'tokenHash' | 'userId' | 'kind' | 'csrfToken' | 'expiresAt'>): Promise<AuthSession> {
    const repo = em.getRepository(AuthSession);
    return repo.save(repo.create(session));
  }

  /** 最近登录: the moment of the account's last successful sign-in (not an edit of the account: no version bump). */
  async markSignedIn(em: EntityManager, userId: string, at: Date): Promise<void> {
    await em.query('UPDATE app_user SET last_sign_in_at = $2 WHERE id = $1', [userId, at]);
  }

  /** One query per request: the live session and its active account. */
  async findLiveSession(tokenHash: string, now: Date): Promise<{ session: Pick<AuthSession, 'id' | 'kind' | 'csrfToken'>; user: User; placeName: string } | null> {
    const [row] = await this.dataSource.query(
      `SELECT s.id AS "sessionId", s.kind, s.csrf_token AS "csrfToken", u.id, u.username, u.display_name AS "displayName", u.role,
              u.division_code AS "divisionCode", u.division_path AS "divisionPath", u.institution_id AS "institutionId", u.status, u.version,
              coalesce(i.name, d.name, u.division_code) AS "placeName"
         FROM auth_session s JOIN app_user u ON u.id = s.user_id
         LEFT JOIN division d ON d.code = u.division_code LEFT JOIN institution i ON i.id = u.institution_id
        WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2 AND u.status = 'active'`, [tokenHash, now]);
    if (!row) return null;
    const { sessionId, kind, csrfToken, placeName, ...user } = row;
    return { session: { id: sessionId, kind, csrfToken }, user: user as User, placeName };
  }

  async revoke(tokenHash: string): Promise<void> {
    await this.dataSource.getRepository(AuthSession).update({ tokenHash, revokedAt: IsNull() }, { revokedAt: new Date() });
  }
}
