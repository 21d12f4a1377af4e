import { Module } from '@nestjs/common';
import { EvidenceModule } from '../evidence/evidence.module';
import { RegistersModule } from '../registers/registers.module';
import { RegisterWebController } from './register-web.controller';

/** 人员与设备台账 and 安全责任公示牌 pages (issue 16). Loaded by HTTP processes only, like WebModule. */
@Module({
  imports: [EvidenceModule, RegistersModule],
  controllers: [RegisterWebController],
})
export class RegistersWebModule {}
