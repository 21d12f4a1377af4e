import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { HealthController } from './health.controller';
import { HealthRepository } from './health.repository';

@Module({ imports: [AuditModule], controllers: [HealthController], providers: [HealthRepository] })
export class HealthModule {}
