import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CreditModule } from '../credit/credit.module';
import { ScoringModule } from '../scoring/scoring.module';
import { DisclosureController } from './disclosure.controller';
import { DisclosureRepository } from './disclosure.repository';

@Module({ imports: [ScoringModule, AuditModule, CreditModule], controllers: [DisclosureController], providers: [DisclosureRepository] })
export class DisclosureModule {}
