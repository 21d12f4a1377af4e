import { Module } from '@nestjs/common';
import { DivisionsController } from './divisions.controller';
import { DivisionsRepository } from './divisions.repository';
import { DivisionsService } from './divisions.service';

@Module({
  controllers: [DivisionsController],
  providers: [DivisionsRepository, DivisionsService],
  exports: [DivisionsRepository, DivisionsService],
})
export class DivisionsModule {}
