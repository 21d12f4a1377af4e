import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ChecklistsModule } from '../checklists/checklists.module';
import { DocumentsModule } from '../documents/documents.module';
import { EvidenceModule } from '../evidence/evidence.module';
import { InspectionsModule } from '../inspections/inspections.module';
import { InstitutionsModule } from '../institutions/institutions.module';
import { HazardsController } from './hazards.controller';
import { HazardsModule } from '../hazards/hazards.module';
import { MajorHazardsController } from './major-hazards.controller';
import { MajorHazardsRepository } from './major-hazards.repository';
import { MajorHazardsService } from './major-hazards.service';
import { NoticePdfService } from './notice-pdf.service';
import { NoticeSeriesRepository } from './notice-series.repository';
import { RectificationRepository } from './rectification.repository';
import { RectificationService } from './rectification.service';

@Module({
  imports: [AuditModule, ChecklistsModule, DocumentsModule, EvidenceModule, HazardsModule, InspectionsModule, InstitutionsModule],
  controllers: [HazardsController, MajorHazardsController],
  providers: [RectificationRepository, RectificationService, NoticePdfService, NoticeSeriesRepository, MajorHazardsRepository, MajorHazardsService],
  exports: [RectificationService, MajorHazardsService, NoticePdfService, RectificationRepository, HazardsModule],
})
export class RectificationModule {}
