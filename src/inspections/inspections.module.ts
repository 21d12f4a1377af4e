import { DynamicModule, Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ChecklistsModule } from '../checklists/checklists.module';
import { DivisionsModule } from '../divisions/divisions.module';
import { DocumentsModule } from '../documents/documents.module';
import { EvidenceController } from '../evidence/evidence.controller';
import { EvidenceModule } from '../evidence/evidence.module';
import { InstitutionsModule } from '../institutions/institutions.module';
import { ReportsProcessor } from '../jobs/reports.processor';
import { RectificationModule } from '../rectification/rectification.module';
import { UsersModule } from '../users/users.module';
import { InspectionReportService } from './inspection-report.service';
import { InspectionsController } from './inspections.controller';
import { InspectionsRepository } from './inspections.repository';
import { InspectionsService } from './inspections.service';
import { PlansController } from './plans.controller';

/** Plans, inspections, evidence and the report job; the report worker only where the process runs workers. */
@Module({})
export class InspectionsModule {
  static forRoot(opts: { workers: boolean }): DynamicModule {
    return {
      module: InspectionsModule,
      imports: [AuditModule, ChecklistsModule, DivisionsModule, DocumentsModule, EvidenceModule, InstitutionsModule, RectificationModule, UsersModule],
      controllers: [InspectionsController, PlansController, EvidenceController],
      providers: [InspectionsRepository, InspectionsService, InspectionReportService, ...(opts.workers ? [ReportsProcessor] : [])],
      exports: [InspectionsService, InspectionsRepository, InspectionReportService],
    };
  }
}
