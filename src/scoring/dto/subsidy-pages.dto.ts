import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { PageQuery } from '../../common/pagination';

export const SCHEDULE_STATUSES = ['draft', 'approved'] as const;
export type ScheduleStatus = (typeof SCHEDULE_STATUSES)[number];

/** GET /api/subsidy-schedules (and the /subsidies page): a page of schedules, optionally by status and division. */
export class ScheduleQuery extends PageQuery {
  @ApiPropertyOptional({ enum: SCHEDULE_STATUSES, description: '状态：草稿 draft / 已审批 approved' })
  @IsOptional() @IsIn(SCHEDULE_STATUSES) status?: ScheduleStatus;

  @ApiPropertyOptional({ description: '区划（含下级）/ division, its subtree included' })
  @IsOptional() @Matches(/^\d{6}(\d{3}(\d{3})?)?$/) divisionCode?: string;
}

/** GET /api/subsidy-schedules/:id/compare: the schedule to compare with — an id, or `previous` (default). */
export class CompareQuery {
  @ApiPropertyOptional({ description: '对比的发放表 id，或 previous（同一区划上一期，默认）/ a schedule id or "previous"', default: 'previous' })
  @IsOptional() @Matches(/^(previous|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i) with?: string;
}
