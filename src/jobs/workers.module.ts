import { DynamicModule, Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { InspectionsModule } from '../inspections/inspections.module';
import { RectificationModule } from '../rectification/rectification.module';
import { ScoringModule } from '../scoring/scoring.module';
import { MaintenanceProcessor } from './maintenance.processor';
import { ReportsProcessor } from './reports.processor';

/** The queue workers (one processor per queue); present only in processes whose role includes the worker. */
@Module({})
export class WorkersModule {
  static forRoot(enabled: boolean): DynamicModule {
    return {
      module: WorkersModule,
      imports: [AuditModule, InspectionsModule, RectificationModule, ScoringModule],
      providers: enabled ? [MaintenanceProcessor, ReportsProcessor] : [],
    };
  }
}
