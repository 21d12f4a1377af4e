import { Module } from '@nestjs/common';
import { ChecklistsModule } from '../checklists/checklists.module';
import { DivisionsModule } from '../divisions/divisions.module';
import { InstitutionsModule } from '../institutions/institutions.module';
import { WebController } from './web.controller';
import { WebService } from './web.service';

@Module({
  imports: [ChecklistsModule, DivisionsModule, InstitutionsModule],
  controllers: [WebController],
  providers: [WebService],
})
export class WebModule {}
