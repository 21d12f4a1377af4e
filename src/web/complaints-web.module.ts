import { Module } from '@nestjs/common';
import { ChecklistsModule } from '../checklists/checklists.module';
import { ComplaintsModule } from '../complaints/complaints.module';
import { UsersModule } from '../users/users.module';
import { ComplaintPublicController } from './complaint-public.controller';
import { ComplaintWebController } from './complaint-web.controller';

/** 投诉举报 pages: the public form and tracking page, the bureau list and triage (issue 16). Loaded by HTTP processes only, like WebModule. */
@Module({
  imports: [ComplaintsModule, ChecklistsModule, UsersModule],
  controllers: [ComplaintPublicController, ComplaintWebController],
})
export class ComplaintsWebModule {}
