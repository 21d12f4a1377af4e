import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ChecklistsModule } from '../checklists/checklists.module';
import { DivisionsModule } from '../divisions/divisions.module';
import { CreditModule } from '../credit/credit.module';
import { DocumentsModule } from '../documents/documents.module';
import { InstitutionsModule } from '../institutions/institutions.module';
import { ScoringController } from './scoring.controller';
import { ScoringRepository } from './scoring.repository';
import { ScoringService } from './scoring.service';
import { SubsidiesController } from './subsidies.controller';
import { SubsidiesRepository } from './subsidies.repository';
import { SubsidiesService } from './subsidies.service';

@Module({
  imports: [AuditModule, ChecklistsModule, CreditModule, DivisionsModule, DocumentsModule, InstitutionsModule],
  controllers: [ScoringController, SubsidiesController],
  providers: [ScoringRepository, ScoringService, SubsidiesRepository, SubsidiesService],
  exports: [ScoringService, ScoringRepository, SubsidiesService],
})
export class ScoringModule {}
