import { Module } from '@nestjs/common';

/** 演练与培训 pages (issue 16). Loaded by HTTP processes only, like WebModule. */
@Module({})
export class DrillsWebModule {}
