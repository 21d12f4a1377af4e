import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { DocumentsModule } from '../documents/documents.module';
import { EvidenceModule } from '../evidence/evidence.module';
import { InspectionsModule } from '../inspections/inspections.module';
import { HazardsController } from './hazards.controller';
import { HazardsDataModule } from './hazards-data.module';
import { NoticePdfService } from './notice-pdf.service';
import { RectificationRepository } from './rectification.repository';
import { RectificationService } from './rectification.service';

@Module({
  imports: [AuditModule, DocumentsModule, EvidenceModule, HazardsDataModule, InspectionsModule],
  controllers: [HazardsController],
  providers: [RectificationRepository, RectificationService, NoticePdfService],
  exports: [RectificationService, NoticePdfService, RectificationRepository, HazardsDataModule],
})
export class RectificationModule {}
