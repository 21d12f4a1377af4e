import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { PageQuery } from '../../common/pagination';
import { INT4_MAX, IsCalendarDate, IsNumberRecord, IsTextRecord } from '../../common/validators';

export class OpenAssessmentDto {
  @ApiProperty() @IsUUID() institutionId: string;
  @ApiProperty({ description: '评定期内未发生较大及以上安全事故（评定人员核实）/ no serious accident in the window' }) @IsBoolean() noSeriousAccident: boolean;
  @ApiProperty({ description: '登记备案手续齐全 / registration and filing in order' }) @IsBoolean() registrationInOrder: boolean;
  @ApiPropertyOptional({ description: '评分表版本号（GB/T 37276 评分表的已发布版本；默认现行版本）/ the grading form version (default: the one in force)' })
  @IsOptional() @IsInt() @Min(1) @Max(INT4_MAX) formVersionNo?: number;
}

export class ScoreItemsDto {
  @ApiProperty({ description: '各评分项得分 { itemCode: points } / points per sub-item' }) @IsNumberRecord(500, -1_000_000, 1_000_000) itemPoints: Record<string, number>;
  @ApiPropertyOptional({ description: '扣分说明 { itemCode: note } / a note for each deduction' }) @IsOptional() @IsTextRecord(500, 2000) itemNotes?: Record<string, string>;
  @ApiProperty() @IsInt() @Min(1) @Max(INT4_MAX) version: number;
  @ApiPropertyOptional({ description: '按部分保存（评分表部分代码，如 ENV）：只接受该部分的评分项，且该部分每一处扣分须有说明（否则 400 逐项指明）/ save one part: only its items, every deduction in it with a note' })
  @IsOptional() @IsString() @Matches(/^[A-Z][A-Z0-9_-]{0,19}$/) part?: string;
}

export class FinalizeDto {
  @ApiProperty() @IsInt() @Min(1) @Max(INT4_MAX) version: number;
  @ApiPropertyOptional({ description: '前提条件不满足时拒绝定稿（409 grade.prerequisites_unmet，逐条指明），而不是定稿为“未达等级” / refuse instead of finalizing 未达等级 when a prerequisite fails' })
  @IsOptional() @IsBoolean() requireGrade?: boolean;
}

/** 等级评定列表的状态 / the standing of an assessment today. */
export const ASSESSMENT_STANDINGS = ['open', 'in_force', 'superseded', 'revoked', 'expired'] as const;
export type AssessmentStanding = (typeof ASSESSMENT_STANDINGS)[number];
/** 即将到期: a grade in force whose validity ends within this many days (today included). */
export const EXPIRING_WITHIN_DAYS = 90;

export class AssessmentQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID() institutionId?: string;
  @ApiPropertyOptional({ enum: ASSESSMENT_STANDINGS, description: '评定中 open / 现行有效 in_force / 已被后评覆盖 superseded / 已撤销 revoked / 已过期 expired' })
  @IsOptional() @IsIn(ASSESSMENT_STANDINGS) status?: AssessmentStanding;
  @ApiPropertyOptional({ description: `即将到期：现行有效的等级在 ${EXPIRING_WITHIN_DAYS} 天内到期 / a grade in force ending within ${EXPIRING_WITHIN_DAYS} days` })
  @IsOptional() @IsIn(['true']) expiring?: 'true';
  @ApiPropertyOptional({ enum: ['-opened', 'expiry'], description: '排序：最近开启 -opened（默认）/ 有效期止日升序 expiry' })
  @IsOptional() @IsIn(['-opened', 'expiry']) sort?: '-opened' | 'expiry';
}

/** 撤销 / 降级 a finalized grade (POST /api/grades/:id/decisions). */
export class DecideGradeDto {
  @ApiProperty({ enum: ['revoke', 'lower'], description: '撤销 revoke / 降级 lower' }) @IsIn(['revoke', 'lower']) kind: 'revoke' | 'lower';
  @ApiPropertyOptional({ description: '降级后的等级（1–4，须低于现等级；仅降级时填写）/ the lowered grade (lower only)' }) @IsOptional() @IsInt() @Min(1) @Max(5) newGrade?: number;
  @ApiProperty({ description: '理由（事故、确认的重大隐患等）/ reason' }) @IsString() @MinLength(2) @MaxLength(2000) @Matches(/\S/) reason: string;
  @ApiProperty({ description: '依据（法规、文件及条款，按原文填写）/ the legal or document basis as entered' }) @IsString() @MinLength(2) @MaxLength(2000) @Matches(/\S/) basis: string;
  @ApiProperty({ description: '生效日期（不早于等级生效日）/ effective date' }) @IsCalendarDate() effectiveOn: string;
}

export class GradeOnQuery {
  @ApiPropertyOptional({ description: '日期（默认今天）/ the date (default today)' }) @IsOptional() @IsCalendarDate() on?: string;
}

export class CreateScheduleDto {
  @ApiProperty({ description: '区划 / division' }) @Matches(/^\d{6}(\d{3}(\d{3})?)?$/) divisionCode: string;
  @ApiProperty({ description: '期间起 / period start' }) @IsCalendarDate() periodStart: string;
  @ApiProperty({ description: '期间止（含）/ period end, inclusive' }) @IsCalendarDate() periodEnd: string;
}
