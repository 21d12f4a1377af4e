import { Module } from '@nestjs/common';

/** 突发事件 pages (issue 16). Loaded by HTTP processes only, like WebModule. */
@Module({})
export class IncidentsWebModule {}
