import { DevicesModule } from '../devices/devices.module';
import { SafetyWorkModule } from '../safety-work/safety-work.module';
import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { MulterModule } from '@nestjs/platform-express';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { APP_CONFIG, AppConfig } from '../config/env';
import { ChecklistsModule } from '../checklists/checklists.module';
import { DashboardModule } from '../dashboard/dashboard.module';
import { DivisionsModule } from '../divisions/divisions.module';
import { EvidenceModule } from '../evidence/evidence.module';
import { InspectionsModule } from '../inspections/inspections.module';
import { InstitutionsModule } from '../institutions/institutions.module';
import { RectificationModule } from '../rectification/rectification.module';
import { UsersModule } from '../users/users.module';
import { AuditModule } from '../audit/audit.module';
import { DocumentsModule } from '../documents/documents.module';
import { ScoringModule } from '../scoring/scoring.module';
import { SessionsModule } from '../sessions/sessions.module';
import { AccountWebController } from './account-web.controller';
import { ChangeRequestWebController } from './change-request-web.controller';
import { DashboardWebController } from './dashboard-web.controller';
import { GradeWebController } from './grade-web.controller';
import { InspectionWebController } from './inspection-web.controller';
import { InstitutionWebController } from './institution-web.controller';
import { InstitutionWebData } from './institution-web.service';
import { NoticeWebController } from './notice-web.controller';
import { NotificationBadgeInterceptor } from './notification-badge.interceptor';
import { NotificationBadgeRepository } from './notification-badge.repository';
import { PlanWebController } from './plan-web.controller';
import { SubsidyWebController } from './subsidy-web.controller';
import { RectificationWebController } from './rectification-web.controller';
import { WebController } from './web.controller';
import { NotificationsWebController } from './notifications-web.controller';
import { WebService } from './web.service';
import { WorkspaceWebData } from './workspace-web.service';
import { WorkspaceRepository } from './workspace.repository';

@Module({
  imports: [
    // The pages' photo forms (after-photos) stream to disk with the evidence size limit enforced while receiving;
    // the handler reads, re-encodes and deletes each temporary file.
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        const dir = path.join(config.EVIDENCE_DIR ?? path.join(config.DATA_DIR, 'evidence'), 'incoming');
        fs.mkdirSync(dir, { recursive: true });
        return { dest: dir, limits: { fileSize: config.EVIDENCE_MAX_MB * 1024 * 1024, files: 6 } };
      },
    }),
    AuditModule, DashboardModule, ChecklistsModule, DivisionsModule, DocumentsModule, EvidenceModule, InstitutionsModule, InspectionsModule, RectificationModule, SafetyWorkModule, ScoringModule, SessionsModule, UsersModule, DevicesModule],
  controllers: [
    WebController, InstitutionWebController, InspectionWebController, NoticeWebController, RectificationWebController, ChangeRequestWebController,
    PlanWebController, GradeWebController, SubsidyWebController, AccountWebController, DashboardWebController, NotificationsWebController,
  ],
  providers: [WebService, InstitutionWebData, WorkspaceWebData, WorkspaceRepository, NotificationBadgeRepository, { provide: APP_INTERCEPTOR, useClass: NotificationBadgeInterceptor }],
})
export class WebModule {}
