import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { DivisionsModule } from '../divisions/divisions.module';
import { EvidenceModule } from '../evidence/evidence.module';
import { ChangeRequestsController } from './change-requests.controller';
import { ChangeRequestsRepository } from './change-requests.repository';
import { ChangeRequestsService } from './change-requests.service';
import { InstitutionHistoryRepository } from './institution-history.repository';
import { InstitutionHistoryService } from './institution-history.service';
import { InstitutionsController } from './institutions.controller';
import { InstitutionsRepository } from './institutions.repository';
import { InstitutionsService } from './institutions.service';
import { OperatingPeriodController } from './operating-period.controller';
import { OperatingPeriodRepository } from './operating-period.repository';
import { OperatingPeriodService } from './operating-period.service';

@Module({
  imports: [DivisionsModule, AuditModule, EvidenceModule],
  controllers: [InstitutionsController, ChangeRequestsController, OperatingPeriodController],
  providers: [InstitutionsRepository, InstitutionsService, ChangeRequestsRepository, ChangeRequestsService, OperatingPeriodRepository, OperatingPeriodService,
    InstitutionHistoryRepository, InstitutionHistoryService],
  exports: [InstitutionsRepository, InstitutionsService, ChangeRequestsService, OperatingPeriodService, InstitutionHistoryService],
})
export class InstitutionsModule {}
