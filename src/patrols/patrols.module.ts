import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ChecklistsModule } from '../checklists/checklists.module';
import { PatrolsController } from './patrols.controller';
import { PatrolsRepository } from './patrols.repository';
import { PatrolsService } from './patrols.service';

/** 日巡查、夜间巡查、月检查 and 自查隐患 (issue 16, item 1). */
@Module({
  imports: [AuditModule, ChecklistsModule],
  controllers: [PatrolsController],
  providers: [PatrolsRepository, PatrolsService],
  exports: [PatrolsService],
})
export class PatrolsModule {}
