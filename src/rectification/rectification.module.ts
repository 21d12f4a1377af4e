import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ChecklistsModule } from '../checklists/checklists.module';
import { DocumentsModule } from '../documents/documents.module';
import { EvidenceModule } from '../evidence/evidence.module';
import { InspectionsModule } from '../inspections/inspections.module';
import { InstitutionsModule } from '../institutions/institutions.module';
import { HazardsController } from './hazards.controller';
import { HazardsModule } from '../hazards/hazards.module';
import { NoticePdfService } from './notice-pdf.service';
import { RectificationRepository } from './rectification.repository';
import { RectificationService } from './rectification.service';

@Module({
  imports: [AuditModule, ChecklistsModule, DocumentsModule, EvidenceModule, HazardsModule, InspectionsModule, InstitutionsModule],
  controllers: [HazardsController],
  providers: [RectificationRepository, RectificationService, NoticePdfService],
  exports: [RectificationService, NoticePdfService, RectificationRepository, HazardsModule],
})
export class RectificationModule {}
