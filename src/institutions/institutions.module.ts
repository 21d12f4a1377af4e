import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { DivisionsModule } from '../divisions/divisions.module';
import { InstitutionsController } from './institutions.controller';
import { InstitutionsRepository } from './institutions.repository';
import { InstitutionsService } from './institutions.service';

@Module({
  imports: [DivisionsModule, AuditModule],
  controllers: [InstitutionsController],
  providers: [InstitutionsRepository, InstitutionsService],
  exports: [InstitutionsRepository, InstitutionsService],
})
export class InstitutionsModule {}
