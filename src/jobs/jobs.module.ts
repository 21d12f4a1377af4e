import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '../config/env';
import { MAINTENANCE_QUEUE, REPORTS_QUEUE } from './jobs.constants';
import { DocumentRendersRepository } from './document-renders.repository';
import { DocumentRendersService } from './document-renders.service';
import { JobsService } from './jobs.service';
import { OutboxService } from './outbox.service';
import { queueConnection } from './queue-connection';

/** Queue wiring, shared by every process; the processors live in WorkersModule. */
@Module({})
export class JobsModule {
  static forRoot(config: AppConfig): DynamicModule {
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
      ],
      providers: [JobsService, OutboxService, DocumentRendersRepository, DocumentRendersService],
      exports: [JobsService, OutboxService, DocumentRendersService, BullModule],
    };
  }
}
