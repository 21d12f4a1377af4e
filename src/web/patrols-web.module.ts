import { Module } from '@nestjs/common';
import { ChecklistsModule } from '../checklists/checklists.module';
import { PatrolsModule } from '../patrols/patrols.module';
import { PatrolWebController } from './patrol-web.controller';

/** 巡查 pages (issue 16). Loaded by HTTP processes only, like WebModule. */
@Module({
  imports: [ChecklistsModule, PatrolsModule],
  controllers: [PatrolWebController],
})
export class PatrolsWebModule {}
