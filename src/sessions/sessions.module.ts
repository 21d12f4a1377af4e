import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuditModule } from '../audit/audit.module';
import { AuthGuard } from '../auth/auth.guard';
import { SessionResolver } from '../auth/session-resolver';
import { SessionsController } from './sessions.controller';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';

/**
 * Signing in (web sessions and API tokens, rate-limited and audited) and the global guard that checks every
 * request. Above the features: sign-in writes audit events; the guard, decorators and permissions it uses live in
 * `auth/`, beneath every feature.
 */
@Global()
@Module({
  imports: [AuditModule],
  controllers: [SessionsController],
  providers: [SessionsRepository, SessionsService, { provide: SessionResolver, useExisting: SessionsService }, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [SessionsService],
})
export class SessionsModule {}
