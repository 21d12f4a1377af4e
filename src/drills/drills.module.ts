import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ChecklistsModule } from '../checklists/checklists.module';
import { EvidenceModule } from '../evidence/evidence.module';
import { DrillsController } from './drills.controller';
import { DrillsRepository } from './drills.repository';
import { DrillsService } from './drills.service';

/** 演练与培训 (drills and training records) — issue 16. */
@Module({
  imports: [AuditModule, ChecklistsModule, EvidenceModule],
  controllers: [DrillsController],
  providers: [DrillsRepository, DrillsService],
  exports: [DrillsService],
})
export class DrillsModule {}
