import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { DivisionsModule } from '../divisions/divisions.module';
import { EvidenceModule } from '../evidence/evidence.module';
import { ChangeRequestsController } from './change-requests.controller';
import { ChangeRequestsRepository } from './change-requests.repository';
import { ChangeRequestsService } from './change-requests.service';
import { InstitutionsController } from './institutions.controller';
import { InstitutionsRepository } from './institutions.repository';
import { InstitutionsService } from './institutions.service';

@Module({
  imports: [DivisionsModule, AuditModule, EvidenceModule],
  controllers: [InstitutionsController, ChangeRequestsController],
  providers: [InstitutionsRepository, InstitutionsService, ChangeRequestsRepository, ChangeRequestsService],
  exports: [InstitutionsRepository, InstitutionsService, ChangeRequestsService],
})
export class InstitutionsModule {}
