import { Module } from '@nestjs/common';
import { ChecklistsModule } from '../checklists/checklists.module';
import { DrillsModule } from '../drills/drills.module';
import { EvidenceModule } from '../evidence/evidence.module';
import { DrillWebController } from './drill-web.controller';

/** 演练与培训 pages (issue 16). Loaded by HTTP processes only, like WebModule. */
@Module({
  imports: [ChecklistsModule, DrillsModule, EvidenceModule],
  controllers: [DrillWebController],
})
export class DrillsWebModule {}
