import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { AppError } from '../common/app-error';
import { requestContext } from '../common/request-context';
import { AuthUser } from '../common/scope';
import { dummyPasswordHash, verifyPassword } from '../auth/passwords';
import { ResolvedSession, SessionResolver } from '../auth/session-resolver';
import { APP_CONFIG, AppConfig } from '../config/env';
import { User } from '../users/user.entity';
import { AuthSession } from './session.entity';
import { SessionsRepository } from './sessions.repository';
import { KNOWN_ADDRESS_DAYS, throttleDecision } from './sign-in-throttle';

export interface IssuedSession {
  token: string;
  csrfToken: string | null;
  expiresAt: Date;
  user: AuthUser;
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function toAuthUser(u: User): AuthUser {
  return { id: u.id, username: u.username, displayName: u.displayName, role: u.role, divisionCode: u.divisionCode, divisionPath: u.divisionPath, institutionId: u.institutionId };
}

@Injectable()
export class SessionsService implements SessionResolver {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly auth: SessionsRepository,
    private readonly audit: AuditService,
  ) {}

  /**
   * Checks the password and opens a session ('web': cookie + CSRF token; 'api': bearer token).
   * Failed attempts are throttled per username + address, with a slower back-off per username (see sign-in-throttle.ts).
   */
  async login(username: string, password: string, ip: string, kind: AuthSession['kind']): Promise<IssuedSession> {
    const key = username.slice(0, 64);
    const now = new Date();
    const since = new Date(now.getTime() - this.config.LOGIN_WINDOW_MINUTES * 60_000);
    const knownSince = new Date(now.getTime() - KNOWN_ADDRESS_DAYS * 86_400_000);
    const history = await this.auth.signInHistory(key, ip, since, knownSince);
    const decision = throttleDecision(history, { maxFailures: this.config.LOGIN_MAX_FAILURES, windowMinutes: this.config.LOGIN_WINDOW_MINUTES }, now);
    if (!decision.allowed) {
      throw new AppError(429, decision.code, decision.code === 'auth.rate_limited' ? { minutes: decision.minutes } : { seconds: decision.seconds });
    }
    const user = await this.auth.findUserWithHash(username);
    const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
    await this.auth.recordAttempt(key, ip, ok && !!user);
    if (!user || !ok) throw new AppError(401, 'auth.invalid_credentials');
    if (user.status !== 'active') throw new AppError(403, 'auth.account_disabled');

    const token = randomBytes(32).toString('base64url');
    const csrfToken = kind === 'web' ? randomBytes(32).toString('base64url') : null;
    const expiresAt = new Date(Date.now() + this.config.SESSION_TTL_HOURS * 3_600_000);
    const authUser = toAuthUser(user);
    await requestContext.withActor({ userId: user.id, role: user.role, username: user.username }, () =>
      this.dataSource.transaction(async (em) => {
        const session = await this.auth.createSession(em, { tokenHash: tokenHash(token), userId: user.id, kind, csrfToken, expiresAt });
        await this.auth.markSignedIn(em, user.id, now);
        await this.audit.record(em, { action: 'auth.login', entityType: 'auth_session', entityId: session.id, scopePath: user.divisionPath, after: { kind, expiresAt } });
      }),
    );
    return { token, csrfToken, expiresAt, user: authUser };
  }

  async resolve(token: string): Promise<ResolvedSession | null> {
    const found = await this.auth.findLiveSession(tokenHash(token), new Date());
    return found ? { user: { ...toAuthUser(found.user), placeName: found.placeName }, session: found.session } : null;
  }

  logout(token: string): Promise<void> {
    return this.auth.revoke(tokenHash(token));
  }
}
