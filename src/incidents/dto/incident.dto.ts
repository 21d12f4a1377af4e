import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { PageQuery } from '../../common/pagination';
import { INT4_MAX, IsCalendarDate, IsInstant } from '../../common/validators';
import { INCIDENT_GRADES, INCIDENT_STATUSES, INCIDENT_TYPES, IncidentGrade, IncidentStatus, IncidentType } from '../domain/incident-rules';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class ReportIncidentDto {
  @ApiProperty({ enum: INCIDENT_TYPES, description: '事件类型（民发〔2025〕32号）/ type' }) @IsIn(INCIDENT_TYPES) type: IncidentType;
  @ApiProperty({ enum: INCIDENT_GRADES, description: '事件等级：一般 / 较大 / 重大 / 特别重大 / grade' }) @IsIn(INCIDENT_GRADES) grade: IncidentGrade;
  @ApiProperty({ description: '发生时间（含时区）/ when it happened, e.g. 2026-12-01T21:30:00+08:00' }) @IsInstant() occurredAt: string;
  @ApiProperty({ description: '事件经过 / what happened' }) @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(2000) summary: string;
  @ApiProperty({ description: '涉及老人数 / residents affected' }) @IsInt() @Min(0) @Max(100000) residentsAffected: number;
  @ApiProperty({ description: '已采取的先期处置措施 / first measures taken' }) @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(2000) firstMeasures: string;
}

export class AcknowledgeIncidentDto {
  @ApiProperty({ description: '报告的版本号 / the report version' }) @IsInt() @Min(1) @Max(INT4_MAX) version: number;
  @ApiProperty({ description: '确认意见（如：已电话核实，督促做好善后）/ note' }) @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(1000) note: string;
}

export class OpenFollowUpDto {
  @ApiProperty({ description: '报告的版本号 / the report version' }) @IsInt() @Min(1) @Max(INT4_MAX) version: number;
  @ApiProperty({ type: [String], description: '检查组（第一位为组长）/ team, lead first' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(10) @IsUUID('all', { each: true }) teamUserIds: string[];
  @ApiPropertyOptional({ description: '计划检查日期 / scheduled day' }) @IsOptional() @IsCalendarDate() scheduledDate?: string;
}

export class IncidentQuery extends PageQuery {
  @ApiPropertyOptional({ enum: INCIDENT_GRADES }) @IsOptional() @IsIn(INCIDENT_GRADES) grade?: IncidentGrade;
  @ApiPropertyOptional({ enum: INCIDENT_STATUSES }) @IsOptional() @IsIn(INCIDENT_STATUSES) status?: IncidentStatus;
  @ApiPropertyOptional({ enum: ['true', 'false'], description: '迟报 / reported late' }) @IsOptional() @IsIn(['true', 'false']) late?: 'true' | 'false';
  @ApiPropertyOptional() @IsOptional() @IsUUID() institutionId?: string;
}
