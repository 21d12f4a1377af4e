import { Module } from '@nestjs/common';
import { ChecklistsModule } from '../checklists/checklists.module';
import { PatrolsModule } from '../patrols/patrols.module';
import { SafetyWorkRepository } from './safety-work.repository';
import { SafetyWorkService } from './safety-work.service';

/** 机构安全工作: the bureau's view of institutions' own safety work and the public's voice (issue 16, item 7). */
@Module({
  imports: [ChecklistsModule, PatrolsModule],
  providers: [SafetyWorkRepository, SafetyWorkService],
  exports: [SafetyWorkService],
})
export class SafetyWorkModule {}
