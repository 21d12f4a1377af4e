import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ScoringModule } from '../scoring/scoring.module';
import { DisclosureController } from './disclosure.controller';
import { DisclosureRepository } from './disclosure.repository';

@Module({ imports: [ScoringModule, AuditModule], controllers: [DisclosureController], providers: [DisclosureRepository] })
export class DisclosureModule {}
