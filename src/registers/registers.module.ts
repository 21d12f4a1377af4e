import { Module } from '@nestjs/common';

/** 人员与设备台账、安全责任公示牌 (staff, certificates, statutory tests, the safety board) — issue 16. */
@Module({})
export class RegistersModule {}
