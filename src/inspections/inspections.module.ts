import { RegistersModule } from '../registers/registers.module';
import { Module } from '@nestjs/common';
import { DevicesModule } from '../devices/devices.module';
import { CreditModule } from '../credit/credit.module';
import { AuditModule } from '../audit/audit.module';
import { ChecklistsModule } from '../checklists/checklists.module';
import { DivisionsModule } from '../divisions/divisions.module';
import { DocumentsModule } from '../documents/documents.module';
import { EvidenceModule } from '../evidence/evidence.module';
import { InstitutionsModule } from '../institutions/institutions.module';
import { HazardsModule } from '../hazards/hazards.module';
import { UsersModule } from '../users/users.module';
import { InspectionFormService } from './inspection-form.service';
import { InspectionPhotosController } from './inspection-photos.controller';
import { InspectionReportService } from './inspection-report.service';
import { InspectionsController } from './inspections.controller';
import { InspectionsRepository } from './inspections.repository';
import { InspectionsService } from './inspections.service';
import { OfflineBundleController } from './offline-bundle.controller';
import { OfflineBundleRepository } from './offline-bundle.repository';
import { OfflineBundleService } from './offline-bundle.service';
import { PlansController } from './plans.controller';
import { PlansRepository } from './plans.repository';
import { PlansService } from './plans.service';
import { AnswerTrailRepository } from './answer-trail.repository';
import { PhotoMarkupController } from './photo-markup.controller';
import { PhotoMarkupRepository } from './photo-markup.repository';
import { PhotoMarkupService } from './photo-markup.service';
import { PreviousFindingsRepository } from './previous-findings.repository';
import { InspectionCodesController } from './inspection-codes.controller';
import { InspectionCodesRepository } from './inspection-codes.repository';
import { InspectionCodesService } from './inspection-codes.service';

@Module({
  imports: [AuditModule, ChecklistsModule, DivisionsModule, DocumentsModule, EvidenceModule, HazardsModule, InstitutionsModule, RegistersModule, UsersModule, DevicesModule, CreditModule],
  controllers: [OfflineBundleController, InspectionsController, PlansController, InspectionPhotosController, PhotoMarkupController, InspectionCodesController],
  providers: [OfflineBundleRepository, OfflineBundleService, InspectionsRepository, InspectionsService, PlansRepository, PlansService, InspectionFormService, InspectionReportService, PreviousFindingsRepository, AnswerTrailRepository, PhotoMarkupRepository, PhotoMarkupService, InspectionCodesRepository, InspectionCodesService],
  exports: [InspectionsService, PlansService, InspectionFormService, InspectionsRepository, InspectionReportService, InspectionCodesService, InspectionCodesRepository],
})
export class InspectionsModule {}
