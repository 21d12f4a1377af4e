import { Module } from '@nestjs/common';

/** 人员与设备台账 and 安全责任公示牌 pages (issue 16). Loaded by HTTP processes only, like WebModule. */
@Module({})
export class RegistersWebModule {}
