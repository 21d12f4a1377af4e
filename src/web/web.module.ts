import { Module } from '@nestjs/common';
import { ChecklistsModule } from '../checklists/checklists.module';
import { DivisionsModule } from '../divisions/divisions.module';
import { InspectionsModule } from '../inspections/inspections.module';
import { InstitutionsModule } from '../institutions/institutions.module';
import { RectificationModule } from '../rectification/rectification.module';
import { WebController } from './web.controller';
import { WebService } from './web.service';

@Module({
  imports: [ChecklistsModule, DivisionsModule, InstitutionsModule, InspectionsModule, RectificationModule],
  controllers: [WebController],
  providers: [WebService],
})
export class WebModule {}
