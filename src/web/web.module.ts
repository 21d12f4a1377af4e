import { Module } from '@nestjs/common';
import { ChecklistsModule } from '../checklists/checklists.module';
import { DashboardModule } from '../dashboard/dashboard.module';
import { DivisionsModule } from '../divisions/divisions.module';
import { InspectionsModule } from '../inspections/inspections.module';
import { InstitutionsModule } from '../institutions/institutions.module';
import { RectificationModule } from '../rectification/rectification.module';
import { RectificationWebController } from './rectification-web.controller';
import { WebController } from './web.controller';
import { WebService } from './web.service';

@Module({
  imports: [DashboardModule, ChecklistsModule, DivisionsModule, InstitutionsModule, InspectionsModule, RectificationModule],
  controllers: [WebController, RectificationWebController],
  providers: [WebService],
})
export class WebModule {}
