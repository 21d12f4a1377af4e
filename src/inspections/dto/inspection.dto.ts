import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsNumber, IsObject, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '../../common/pagination';
import { IsCalendarDate, IsInstant, IsSignaturePng } from '../../common/validators';
import { INSPECTION_KINDS, InspectionKind } from '../inspection.entity';

/** The plan DTOs live in plan.dto.ts; re-exported for the callers that import them from here. */
export { CreatePlanDto, PlanQuery, UpdatePlanDto } from './plan.dto';

export class CreateInspectionDto {
  @ApiProperty() @IsUUID() institutionId: string;
  @ApiProperty({ enum: INSPECTION_KINDS }) @IsIn(INSPECTION_KINDS) kind: InspectionKind;
  @ApiProperty({ type: [String], description: '检查组（第一位为组长，至少 2 人）/ team, lead first' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(10) @IsUUID('all', { each: true }) teamUserIds: string[];
  @ApiPropertyOptional() @IsOptional() @IsCalendarDate() scheduledDate?: string;
  @ApiPropertyOptional({ default: 'fire-safety-inspection' }) @IsOptional() @Matches(/^[A-Za-z0-9][A-Za-z0-9.-]*$/) checklistCode?: string;
}

export class InspectionQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['assigned', 'in_progress', 'submitted', 'cancelled'] })
  @IsOptional() @IsIn(['assigned', 'in_progress', 'submitted', 'cancelled']) status?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() institutionId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() planId?: string;
}

export class ResponseDto {
  @ApiProperty() @Matches(/^[A-Z]{2,8}-\d{3}$/) itemCode: string;
  @ApiProperty({ enum: ['pass', 'fail', 'na'] }) @IsIn(['pass', 'fail', 'na']) result: 'pass' | 'fail' | 'na';
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) note?: string;
  @ApiPropertyOptional({ description: '楼栋/楼层/房间' }) @IsOptional() @IsString() @MaxLength(200) location?: string;
  @ApiPropertyOptional({ enum: ['general', 'major'] }) @IsOptional() @IsIn(['general', 'major']) severity?: 'general' | 'major';
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(32) majorCriterion?: string;
  @ApiPropertyOptional({ enum: ['single', 'multiple', 'widespread'] }) @IsOptional() @IsIn(['single', 'multiple', 'widespread']) scope?: 'single' | 'multiple' | 'widespread';
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(20) @IsUUID('all', { each: true }) evidenceIds?: string[];
  @ApiPropertyOptional({ description: '疑似重大隐患：不合格项可标记为疑似重大，无须选择判定标准，由主管部门认定或降级 / suspected major hazard, decided by the bureau' })
  @IsOptional() @IsBoolean() suspectedMajor?: boolean;
  @ApiPropertyOptional({ description: '疑似理由 / why the finding may be major' }) @IsOptional() @IsString() @MaxLength(1000) suspectedReason?: string;
}

export class SignatureDto {
  @ApiProperty({ enum: ['inspector', 'institution_representative'] }) @IsIn(['inspector', 'institution_representative']) role: 'inspector' | 'institution_representative';
  @ApiPropertyOptional() @IsOptional() @IsUUID() userId?: string;
  @ApiProperty() @IsString() @MaxLength(64) signerName: string;
  @ApiProperty({ description: 'data:image/png;base64,…（PNG，不超过 300 KB）' }) @IsString() @MaxLength(420_000) @IsSignaturePng() image: string;
}

export class SubmitInspectionDto {
  @ApiProperty({ description: '客户端生成的提交编号，重试时不变 / client-generated, reused on retry' }) @IsUUID() submissionId: string;
  @ApiProperty({ type: [ResponseDto] }) @IsArray() @ArrayMaxSize(500) @ValidateNested({ each: true }) @Type(() => ResponseDto) responses: ResponseDto[];
  @ApiProperty({ type: [SignatureDto] }) @IsArray() @ArrayMaxSize(12) @ValidateNested({ each: true }) @Type(() => SignatureDto) signatures: SignatureDto[];
}

export class DraftDto {
  @ApiProperty({ description: '草稿内容（任意 JSON）' }) @IsObject() draft: Record<string, unknown>;
  @ApiProperty() @IsInstant() savedAt: string;
}

export class ConflictDto {
  @ApiProperty() @IsUUID() userId: string;
  @ApiProperty() @IsUUID() institutionId: string;
  @ApiProperty({ description: '利害关系说明 / the relationship' }) @IsString() @MaxLength(200) note: string;
}

export class EvidenceUploadDto {
  @ApiProperty() @IsUUID() inspectionId: string;
  @ApiProperty() @Matches(/^[A-Z]{2,8}-\d{3}$/) itemCode: string;
  @ApiPropertyOptional({ description: '设备拍摄时间 / device time' }) @IsOptional() @IsInstant() takenAt?: string;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsNumber() @Min(-90) @Max(90) lat?: number;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsNumber() @Min(-180) @Max(180) lng?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) clientId?: string;
}
