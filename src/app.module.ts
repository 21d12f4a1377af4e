import { DynamicModule, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from './audit/audit.module';
import { ChecklistsModule } from './checklists/checklists.module';
import { RequestIdMiddleware } from './common/request-id.middleware';
import { ConfigModule } from './config/config.module';
import type { AppConfig } from './config/env';
import { dataSourceOptions } from './database/data-source';
import { DatabaseModule } from './database/database-role-check';
import { prepareDatabaseAtBoot } from './database/prepare-database';
import { DashboardModule } from './dashboard/dashboard.module';
import { DemoModule } from './demo/demo.module';
import { DisclosureModule } from './disclosure/disclosure.module';
import { ExportsModule } from './exports/exports.module';
import { DivisionsModule } from './divisions/divisions.module';
import { HealthModule } from './health/health.module';
import { InspectionsModule } from './inspections/inspections.module';
import { InstitutionsModule } from './institutions/institutions.module';
import { RectificationModule } from './rectification/rectification.module';
import { JobsModule } from './jobs/jobs.module';
import { OutboxModule } from './outbox/outbox.module';
import { PartitionsModule } from './partitions/partitions.module';
import { NotificationsModule } from './notifications/notifications.module';
import { WorkersModule } from './jobs/workers.module';
import { UsersModule } from './users/users.module';
import { ScoringModule } from './scoring/scoring.module';
import { SessionsModule } from './sessions/sessions.module';
import { WebModule } from './web/web.module';
import { ComplaintsWebModule } from './web/complaints-web.module';
import { RegistersWebModule } from './web/registers-web.module';
import { DrillsWebModule } from './web/drills-web.module';
import { IncidentsWebModule } from './web/incidents-web.module';
import { CreditWebModule } from './web/credit-web.module';
import { ComplaintsModule } from './complaints/complaints.module';
import { RegistersModule } from './registers/registers.module';
import { DrillsModule } from './drills/drills.module';
import { PatrolsModule } from './patrols/patrols.module';
import { DevicesModule } from './devices/devices.module';
import { DevicesWebModule } from './web/devices-web.module';
import { PatrolsWebModule } from './web/patrols-web.module';
import { IncidentsModule } from './incidents/incidents.module';
import { CreditModule } from './credit/credit.module';
import { InspectionCodesWebModule } from './web/inspection-codes-web.module';

@Module({})
export class AppModule implements NestModule {
  static forRoot(config: AppConfig): DynamicModule {
    const http = config.PROCESS_ROLE !== 'worker';
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        // The migrations (and BullMQ's schema, and the app role's grants) run first, as the owner on a short-lived
        // connection (DATABASE_OWNER_URL, else DATABASE_URL); then the pool connects as the app (DATABASE_URL).
        TypeOrmModule.forRootAsync({
          useFactory: async () => {
            await prepareDatabaseAtBoot(config);
            return { ...dataSourceOptions(config.DATABASE_URL, {}, config.DB_POOL_MAX), migrationsRun: false, logging: false /* failed queries surface as exceptions, logged once by the error filter */ };
          },
        }),
        DatabaseModule,
        OutboxModule,
        NotificationsModule,
        JobsModule.forRoot(config),
        AuditModule,
        SessionsModule,
        DivisionsModule,
        InstitutionsModule,
        ChecklistsModule,
        InspectionsModule,
        WorkersModule.forRoot(config.PROCESS_ROLE !== 'api'),
        RectificationModule,
        ScoringModule,
        UsersModule,
        DemoModule,
        // issue 16: the institution's own safety work and the public's voice
        ComplaintsModule, RegistersModule, DrillsModule, IncidentsModule, PatrolsModule,
        // issue 17: signals and risk
        DevicesModule, CreditModule,
        PartitionsModule, // the daily job creating the history tables' monthly partitions ahead
        ...(http ? [HealthModule, WebModule, DashboardModule, DisclosureModule, ExportsModule, ComplaintsWebModule, RegistersWebModule, DrillsWebModule, IncidentsWebModule, PatrolsWebModule, DevicesWebModule, CreditWebModule, InspectionCodesWebModule] : []),
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestIdMiddleware).forRoutes('*path');
  }
}
