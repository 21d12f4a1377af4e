import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { AuditRepository } from './audit.repository';
import { AuditSealer } from './audit-sealer';
import { AuditService } from './audit.service';

@Module({
  controllers: [AuditController],
  providers: [AuditRepository, AuditSealer, AuditService],
  exports: [AuditService, AuditSealer],
})
export class AuditModule {}
