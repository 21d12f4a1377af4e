import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsDateString, IsInt, IsObject, IsOptional, IsUUID, Matches, Min } from 'class-validator';

export class OpenAssessmentDto {
  @ApiProperty() @IsUUID() institutionId: string;
  @ApiProperty({ description: '评定期内未发生较大及以上安全事故（评定人员核实）/ no serious accident in the window' }) @IsBoolean() noSeriousAccident: boolean;
  @ApiProperty({ description: '登记备案手续齐全 / registration and filing in order' }) @IsBoolean() registrationInOrder: boolean;
}

export class ScoreItemsDto {
  @ApiProperty({ description: '各评分项得分 { itemCode: points } / points per sub-item' }) @IsObject() itemPoints: Record<string, number>;
  @ApiPropertyOptional({ description: '扣分说明 { itemCode: note } / a note for each deduction' }) @IsOptional() @IsObject() itemNotes?: Record<string, string>;
  @ApiProperty() @IsInt() @Min(1) version: number;
}

export class FinalizeDto {
  @ApiProperty() @IsInt() @Min(1) version: number;
}

export class CreateScheduleDto {
  @ApiProperty({ description: '区划 / division' }) @Matches(/^\d{6}(\d{3}(\d{3})?)?$/) divisionCode: string;
  @ApiProperty({ description: '期间起 / period start' }) @IsDateString({ strict: true }) periodStart: string;
  @ApiProperty({ description: '期间止（含）/ period end, inclusive' }) @IsDateString({ strict: true }) periodEnd: string;
}
