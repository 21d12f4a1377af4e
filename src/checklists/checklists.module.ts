import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { InstitutionsModule } from '../institutions/institutions.module';
import { ChecklistsController } from './checklists.controller';
import { ChecklistsRepository } from './checklists.repository';
import { ChecklistsService } from './checklists.service';

@Module({
  imports: [AuditModule, InstitutionsModule],
  controllers: [ChecklistsController],
  providers: [ChecklistsRepository, ChecklistsService],
  exports: [ChecklistsService],
})
export class ChecklistsModule {}
