import { DynamicModule, Module } from '@nestjs/common';
import { MaintenanceProcessor } from './maintenance.processor';
import { ReportsProcessor } from './reports.processor';

/**
 * The queue workers (one processor per queue); present only in processes whose role includes the worker. They
 * import no feature: each job runs the `@OnJob` handler its feature declared (see JobHandlers).
 */
@Module({})
export class WorkersModule {
  static forRoot(enabled: boolean): DynamicModule {
    return { module: WorkersModule, providers: enabled ? [MaintenanceProcessor, ReportsProcessor] : [] };
  }
}
