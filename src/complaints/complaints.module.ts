import { Module } from '@nestjs/common';

/** 投诉举报 (public complaints and their triage) — issue 16. */
@Module({})
export class ComplaintsModule {}
