import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ChecklistsModule } from '../checklists/checklists.module';
import { DivisionsModule } from '../divisions/divisions.module';
import { DocumentsModule } from '../documents/documents.module';
import { InstitutionsModule } from '../institutions/institutions.module';
import { ScoringController } from './scoring.controller';
import { ScoringRepository } from './scoring.repository';
import { ScoringService } from './scoring.service';

@Module({
  imports: [AuditModule, ChecklistsModule, DivisionsModule, DocumentsModule, InstitutionsModule],
  controllers: [ScoringController],
  providers: [ScoringRepository, ScoringService],
  exports: [ScoringService],
})
export class ScoringModule {}
