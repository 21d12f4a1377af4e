import { Module } from '@nestjs/common';
import { ChecklistsModule } from '../checklists/checklists.module';
import { PatrolsModule } from '../patrols/patrols.module';
import { SafetyWorkModule } from '../safety-work/safety-work.module';
import { PatrolWebController } from './patrol-web.controller';
import { SafetyWorkWebController } from './safety-work-web.controller';

/** 巡查 pages and the bureau's 机构安全工作 page (issue 16). Loaded by HTTP processes only, like WebModule. */
@Module({
  imports: [ChecklistsModule, PatrolsModule, SafetyWorkModule],
  controllers: [PatrolWebController, SafetyWorkWebController],
})
export class PatrolsWebModule {}
