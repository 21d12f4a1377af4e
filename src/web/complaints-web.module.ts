import { Module } from '@nestjs/common';

/** 投诉举报 pages: the public form and tracking page, the bureau list and triage (issue 16). Loaded by HTTP processes only, like WebModule. */
@Module({})
export class ComplaintsWebModule {}
