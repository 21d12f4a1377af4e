import { Module } from '@nestjs/common';

/** 突发事件报告 (incident reports) — issue 16. */
@Module({})
export class IncidentsModule {}
