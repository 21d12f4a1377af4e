import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import type { AppConfig } from '../config/env';
import { prepareDatabaseAtBoot } from '../database/prepare-database';
import { DEFAULT_JOB_OPTIONS, MAINTENANCE_QUEUE, REPORTS_QUEUE } from './jobs.constants';
import { DocumentRendersRepository } from './document-renders.repository';
import { DocumentRendersService } from './document-renders.service';
import { JobHandlers } from './job-handlers';
import { JobsService } from './jobs.service';
import { OutboxRelay } from './outbox-relay';
import { queueConnection } from './queue-connection';

/**
 * Queue wiring, shared by every process: the queues, the `@OnJob` handlers discovered at boot (the app does not
 * start when a job has no handler or two), the outbox relay and the schedules. The processors live in WorkersModule.
 */
@Module({})
export class JobsModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: JobsModule,
      global: true,
      imports: [
        DiscoveryModule,
        // After the owner has migrated the queues' schema (a Queue checks it as soon as it is constructed).
        BullModule.forRootAsync({
          useFactory: async () => {
            await prepareDatabaseAtBoot(config);
            return { connection: queueConnection(config), prefix: config.QUEUE_PREFIX, defaultJobOptions: DEFAULT_JOB_OPTIONS };
          },
        }),
        BullModule.registerQueue({ name: MAINTENANCE_QUEUE }, { name: REPORTS_QUEUE }),
      ],
      providers: [JobHandlers, JobsService, OutboxRelay, DocumentRendersRepository, DocumentRendersService],
      exports: [JobHandlers, JobsService, OutboxRelay, DocumentRendersService, BullModule],
    };
  }
}
