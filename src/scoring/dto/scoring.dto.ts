import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { INT4_MAX, IsCalendarDate, IsNumberRecord, IsTextRecord } from '../../common/validators';

export class OpenAssessmentDto {
  @ApiProperty() @IsUUID() institutionId: string;
  @ApiProperty({ description: '评定期内未发生较大及以上安全事故（评定人员核实）/ no serious accident in the window' }) @IsBoolean() noSeriousAccident: boolean;
  @ApiProperty({ description: '登记备案手续齐全 / registration and filing in order' }) @IsBoolean() registrationInOrder: boolean;
}

export class ScoreItemsDto {
  @ApiProperty({ description: '各评分项得分 { itemCode: points } / points per sub-item' }) @IsNumberRecord(500, -1_000_000, 1_000_000) itemPoints: Record<string, number>;
  @ApiPropertyOptional({ description: '扣分说明 { itemCode: note } / a note for each deduction' }) @IsOptional() @IsTextRecord(500, 2000) itemNotes?: Record<string, string>;
  @ApiProperty() @IsInt() @Min(1) @Max(INT4_MAX) version: number;
}

export class FinalizeDto {
  @ApiProperty() @IsInt() @Min(1) @Max(INT4_MAX) version: number;
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
