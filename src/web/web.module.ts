import { Module } from '@nestjs/common';
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
import { ChangeRequestWebController } from './change-request-web.controller';
import { RectificationWebController } from './rectification-web.controller';
import { WebController } from './web.controller';
import { WebService } from './web.service';

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
    DashboardModule, ChecklistsModule, DivisionsModule, EvidenceModule, InstitutionsModule, InspectionsModule, RectificationModule, UsersModule],
  controllers: [WebController, RectificationWebController, ChangeRequestWebController],
  providers: [WebService],
})
export class WebModule {}
