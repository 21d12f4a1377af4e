import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ChecklistsModule } from '../checklists/checklists.module';
import { DivisionsModule } from '../divisions/divisions.module';
import { DocumentsModule } from '../documents/documents.module';
import { EvidenceController } from '../evidence/evidence.controller';
import { EvidenceModule } from '../evidence/evidence.module';
import { InstitutionsModule } from '../institutions/institutions.module';
import { HazardsDataModule } from '../rectification/hazards-data.module';
import { UsersModule } from '../users/users.module';
import { InspectionReportService } from './inspection-report.service';
import { InspectionsController } from './inspections.controller';
import { InspectionsRepository } from './inspections.repository';
import { InspectionsService } from './inspections.service';
import { PlansController } from './plans.controller';

@Module({
  imports: [AuditModule, ChecklistsModule, DivisionsModule, DocumentsModule, EvidenceModule, HazardsDataModule, InstitutionsModule, UsersModule],
  controllers: [InspectionsController, PlansController, EvidenceController],
  providers: [InspectionsRepository, InspectionsService, InspectionReportService],
  exports: [InspectionsService, InspectionsRepository, InspectionReportService],
})
export class InspectionsModule {}
