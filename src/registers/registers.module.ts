import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ChecklistsModule } from '../checklists/checklists.module';
import { DocumentsModule } from '../documents/documents.module';
import { EvidenceModule } from '../evidence/evidence.module';
import { InstitutionsModule } from '../institutions/institutions.module';
import { RegistersController } from './registers.controller';
import { RegistersRepository } from './registers.repository';
import { RegistersService } from './registers.service';
import { SafetyBoardService } from './safety-board.service';

/** 人员与设备台账、安全责任公示牌 (staff, certificates, statutory tests, the safety board) — issue 16. */
@Module({
  imports: [AuditModule, ChecklistsModule, DocumentsModule, EvidenceModule, InstitutionsModule],
  controllers: [RegistersController],
  providers: [RegistersRepository, RegistersService, SafetyBoardService],
  exports: [RegistersService, SafetyBoardService],
})
export class RegistersModule {}
