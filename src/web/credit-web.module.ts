import { Module } from '@nestjs/common';
import { CreditModule } from '../credit/credit.module';
import { InspectionsModule } from '../inspections/inspections.module';
import { CreditWebController } from './credit-web.controller';

/** 信用评价 pages (issue 17). Loaded by HTTP processes only, like WebModule. */
@Module({
  imports: [CreditModule, InspectionsModule],
  controllers: [CreditWebController],
})
export class CreditWebModule {}
