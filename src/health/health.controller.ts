import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { AuditService } from '../audit/audit.service';
import { APP_CONFIG, AppConfig } from '../config/env';
import { DatabaseRoleCheck } from '../database/database-role-check';
import { DocumentRendersService } from '../jobs/document-renders.service';
import { JobsService } from '../jobs/jobs.service';
import { withTimeout } from '../jobs/with-timeout';
import { HealthReport, healthVerdict } from './health';
import { HealthRepository } from './health.repository';

const CHECK_MS = 1_500;

async function settle<T>(work: () => Promise<T>): Promise<T | null> {
  try {
    return await withTimeout(work(), CHECK_MS, 'health check');
  } catch {
    return null;
  }
}

/** Public and cheap: counts and ages only, never a name or an id. Concurrent requests share one computation. */
@ApiTags('health 运行状态')
@Controller('health')
export class HealthController {
  private inFlight: Promise<HealthReport> | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly database: HealthRepository,
    private readonly jobs: JobsService,
    private readonly documents: DocumentRendersService,
    private readonly databaseRole: DatabaseRoleCheck,
    private readonly audit: AuditService,
  ) {}

  @Public()
  @Get()
  @ApiOperation({ summary: '数据库、队列、worker 与积压状态 / database, queue, workers and backlog (503 when degraded)' })
  async health(@Res({ passthrough: true }) res: Response): Promise<HealthReport> {
    this.inFlight ??= this.compute().finally(() => (this.inFlight = null));
    const report = await this.inFlight;
    res.status(report.status === 'ok' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    res.setHeader('Cache-Control', 'no-store');
    return report;
  }

  /** Liveness only (the process answers): for process supervisors and load balancers that must not act on a backlog. */
  @Public()
  @Get('live')
  @ApiOperation({ summary: '进程存活 / the process is alive' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  private async compute(): Promise<HealthReport> {
    const [db, queues, documents, outbox, audit] = await Promise.all([
      settle(async () => (await this.database.ping(), true)),
      settle(() => this.jobs.status(CHECK_MS)),
      settle(() => this.documents.backlog()),
      settle(() => this.documents.outboxBacklog()),
      settle(() => this.audit.sealingBacklog()),
    ]);
    return healthVerdict({ database: db !== null, queues, documents, outbox, audit, now: new Date(), backlogMinutes: this.config.HEALTH_BACKLOG_MINUTES,
      privilegedDatabaseRole: this.databaseRole.privileged() });
  }
}
