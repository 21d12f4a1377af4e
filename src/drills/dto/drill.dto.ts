import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsNotEmpty, IsNumber, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested,
} from 'class-validator';
import { PageQuery } from '../../common/pagination';
import { IsCalendarDate } from '../../common/validators';
import { DRILL_FORMS, DRILL_KINDS, DrillForm, DrillKind, TRAINING_TOPICS, TrainingTopic } from '../domain/drill-rules';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const emptyToUndefined = ({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() === '' ? undefined : trim({ value }));

/** Residents evacuated, by care level (0 when none of that level took part). */
export class EvacuatedDto {
  @ApiProperty({ description: '自理老人 / self-care' }) @IsInt() @Min(0) @Max(10000) selfCare: number;
  @ApiProperty({ description: '轻度失能 / mildly disabled' }) @IsInt() @Min(0) @Max(10000) mildlyDisabled: number;
  @ApiProperty({ description: '中度失能 / moderately disabled' }) @IsInt() @Min(0) @Max(10000) moderatelyDisabled: number;
  @ApiProperty({ description: '重度失能 / severely disabled' }) @IsInt() @Min(0) @Max(10000) severelyDisabled: number;
}

export class RecordDrillDto {
  @ApiProperty({ description: '演练日期 / day held' }) @IsCalendarDate() heldOn: string;
  @ApiProperty({ enum: DRILL_KINDS, description: '演练类型 / kind' }) @IsIn(DRILL_KINDS) kind: DrillKind;
  @ApiProperty({ enum: DRILL_FORMS, description: '实战演练（计入每半年一次的要求）或桌面推演 / live (counts) or tabletop' }) @IsIn(DRILL_FORMS) form: DrillForm;
  @ApiProperty({ description: '参加演练的工作人员数 / staff taking part' }) @IsInt() @Min(0) @Max(10000) participantsStaff: number;
  @ApiPropertyOptional({ description: '参加人员说明（如消防站、家属志愿者）/ who else took part' })
  @IsOptional() @Transform(emptyToUndefined) @IsString() @MaxLength(500) participantsNote?: string;
  @ApiProperty({ type: EvacuatedDto, description: '按照护等级的疏散人数 / residents evacuated by care level' })
  @IsObject() @ValidateNested() @Type(() => EvacuatedDto) evacuated: EvacuatedDto;
  @ApiPropertyOptional({ description: '疏散用时（秒）；实战疏散演练必填 / evacuation time in seconds, required for a live evacuation' })
  @IsOptional() @IsInt() @Min(1) @Max(86400) evacuationSeconds?: number;
  @ApiProperty({ description: '存在问题与改进措施 / lessons' }) @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(2000) lessons: string;
}

export class TraineeDto {
  @ApiProperty({ description: '姓名 / name' }) @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(50) name: string;
  @ApiPropertyOptional({ description: '身份证号后四位 / last 4 of the ID number' })
  @IsOptional() @Transform(emptyToUndefined) @Matches(/^[0-9]{3}[0-9X]$/) idLast4?: string;
  @ApiPropertyOptional({ description: '岗位 / role' }) @IsOptional() @Transform(emptyToUndefined) @IsString() @MaxLength(50) role?: string;
}

/** One training session; one record per trainee. */
export class RecordTrainingDto {
  @ApiProperty({ description: '培训日期 / day held' }) @IsCalendarDate() heldOn: string;
  @ApiProperty({ enum: TRAINING_TOPICS, description: '培训内容 / topic' }) @IsIn(TRAINING_TOPICS) topic: TrainingTopic;
  @ApiProperty({ description: '学时（小时）/ hours' }) @IsNumber({ maxDecimalPlaces: 1 }) @Min(0.5) @Max(24) hours: number;
  @ApiPropertyOptional({ description: '授课人或单位 / trainer' }) @IsOptional() @Transform(emptyToUndefined) @IsString() @MaxLength(100) trainer?: string;
  @ApiProperty({ type: [TraineeDto], description: '参训人员 / trainees' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => TraineeDto) trainees: TraineeDto[];
}

export class DrillQuery extends PageQuery {}
export class TraineeQuery extends PageQuery {}
