import { Module } from '@nestjs/common';

/** 演练与培训 (drills and training records) — issue 16. */
@Module({})
export class DrillsModule {}
