import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';
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

export class CreateScheduleDto {
  @ApiProperty({ description: '区划 / division' }) @Matches(/^\d{6}(\d{3}(\d{3})?)?$/) divisionCode: string;
  @ApiProperty({ description: '期间起 / period start' }) @IsCalendarDate() periodStart: string;
  @ApiProperty({ description: '期间止（含）/ period end, inclusive' }) @IsCalendarDate() periodEnd: string;
}
