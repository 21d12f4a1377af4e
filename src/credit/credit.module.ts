import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ChecklistsModule } from '../checklists/checklists.module';
import { DivisionsModule } from '../divisions/divisions.module';
import { CreditController } from './credit.controller';
import { CreditRepository } from './credit.repository';
import { CreditService } from './credit.service';

/** 信用评价 (credit evaluation) and 失信认定 — issue 17. Imported by scoring (subsidy) and inspections (the draw). */
@Module({
  imports: [AuditModule, ChecklistsModule, DivisionsModule],
  controllers: [CreditController],
  providers: [CreditRepository, CreditService],
  exports: [CreditService],
})
export class CreditModule {}
