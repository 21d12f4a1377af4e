import { Module } from '@nestjs/common';
import { CreditModule } from '../credit/credit.module';
import { CreditWebController } from './credit-web.controller';

/** 信用评价 pages (issue 17). Loaded by HTTP processes only, like WebModule. */
@Module({
  imports: [CreditModule],
  controllers: [CreditWebController],
})
export class CreditWebModule {}
