import { Module } from '@nestjs/common';
import { ChecklistsModule } from '../checklists/checklists.module';
import { DivisionsModule } from '../divisions/divisions.module';
import { DashboardController } from './dashboard.controller';
import { DashboardRepository } from './dashboard.repository';
import { DashboardService } from './dashboard.service';

@Module({
  imports: [ChecklistsModule, DivisionsModule],
  controllers: [DashboardController],
  providers: [DashboardRepository, DashboardService],
  exports: [DashboardService],
})
export class DashboardModule {}
