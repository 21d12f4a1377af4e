import { Global, Module } from '@nestjs/common';
import { OutboxRepository } from './outbox.repository';
import { OutboxService } from './outbox.service';

/**
 * The outbox, beneath every feature: features write queue work here and never import the jobs module; the relay
 * and the handlers' discovery live in `jobs/`, above the features.
 */
@Global()
@Module({ providers: [OutboxRepository, OutboxService], exports: [OutboxRepository, OutboxService] })
export class OutboxModule {}
