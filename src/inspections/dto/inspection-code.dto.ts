import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { PageQuery } from '../../common/pagination';
import { IsCalendarDate, IsDivisionCode } from '../../common/validators';
import { RATING_MAX, RATING_MIN } from '../domain/visit-rating';

/** 核验检查码: the code as typed or scanned (case, spaces and hyphens are forgiven). */
export class InspectionCodeDto {
  @ApiProperty({ description: '检查码（8 位，如 7K2M-QX9D；大小写、空格、连字符均可）/ the inspection code as typed', example: '7K2M-QX9D' })
  @IsString() @MaxLength(200) code: string;
}

/** 评价本次检查: 检查人员执法规范 and 问题指出清楚, 1–5 each, and an optional comment (≤ 500 characters). */
export class RateVisitDto {
  @ApiProperty({ description: '检查人员执法规范（1 很不满意 … 5 很满意）/ the team’s conduct', minimum: RATING_MIN, maximum: RATING_MAX })
  @IsInt() @Min(RATING_MIN) @Max(RATING_MAX) conduct: number;
  @ApiProperty({ description: '问题指出清楚（1 很不满意 … 5 很满意）/ were the problems and what to do explained clearly', minimum: RATING_MIN, maximum: RATING_MAX })
  @IsInt() @Min(RATING_MIN) @Max(RATING_MAX) clarity: number;
  @ApiPropertyOptional({ description: '评价意见（选填，不超过 500 字；只有主管部门可见）/ optional comment, seen by the bureau only', maxLength: 500 })
  @IsOptional() @IsString() @MaxLength(2000) comment?: string;
}

/** 本机构的检查 (the institution's visits). */
export class VisitQuery extends PageQuery {}

/** 检查评价 (the bureau's list of ratings) and its CSV export. */
export class RatingQuery extends PageQuery {
  @ApiPropertyOptional({ description: '区划（含下级）/ division subtree' }) @IsOptional() @IsDivisionCode() divisionCode?: string;
  @ApiPropertyOptional({ description: '检查日期起（含，YYYY-MM-DD）/ visits submitted from' }) @IsOptional() @IsCalendarDate() from?: string;
  @ApiPropertyOptional({ description: '检查日期止（含）/ visits submitted until' }) @IsOptional() @IsCalendarDate() to?: string;
  @ApiPropertyOptional({ description: '两项评分中较低者不低于 / the lower score at least', minimum: RATING_MIN, maximum: RATING_MAX })
  @IsOptional() @Type(() => Number) @IsInt() @Min(RATING_MIN) @Max(RATING_MAX) minScore?: number;
  @ApiPropertyOptional({ description: '两项评分中较低者不高于（如 2：找出低分评价）/ the lower score at most', minimum: RATING_MIN, maximum: RATING_MAX })
  @IsOptional() @Type(() => Number) @IsInt() @Min(RATING_MIN) @Max(RATING_MAX) maxScore?: number;
  @ApiPropertyOptional({ description: '检查人员（该账号所在检查组的评价）/ ratings of visits this account was on' }) @IsOptional() @IsUUID() inspectorId?: string;
}
