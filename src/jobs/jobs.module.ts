import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import type { AppConfig } from '../config/env';
import { MAINTENANCE_QUEUE, REPORTS_QUEUE } from './jobs.constants';
import { JobsService } from './jobs.service';
import { MaintenanceProcessor } from './maintenance.processor';
import { OutboxService } from './outbox.service';
import { queueConnection } from './queue-connection';

/** Queue wiring. Processors (workers) are registered only in processes whose role includes the worker. */
@Module({})
export class JobsModule {
  static forRoot(config: AppConfig): DynamicModule {
    const withWorkers = config.PROCESS_ROLE !== 'api';
    return {
      module: JobsModule,
      global: true,
      imports: [
        BullModule.forRoot({
          connection: queueConnection(config),
          prefix: config.QUEUE_PREFIX,
          defaultJobOptions: {
            attempts: 5,
            backoff: { type: 'exponential', delay: 2_000 },
            removeOnComplete: { age: 7 * 24 * 3600, count: 1000 },
            removeOnFail: { age: 30 * 24 * 3600 },
          },
        }),
        BullModule.registerQueue({ name: MAINTENANCE_QUEUE }, { name: REPORTS_QUEUE }),
        AuditModule,
      ],
      providers: [JobsService, OutboxService, ...(withWorkers ? [MaintenanceProcessor] : [])],
      exports: [JobsService, OutboxService, BullModule],
    };
  }
}
