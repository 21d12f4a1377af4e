import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { PageQuery } from '../../common/pagination';
import { IsCalendarDate } from '../../common/validators';

/** The hazard ledger's filters (隐患台账), for the API and the ledger page alike. */
export class HazardQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['open', 'responded', 'returned', 'closed'] }) @IsOptional() @IsIn(['open', 'responded', 'returned', 'closed']) status?: string;
  @ApiPropertyOptional({ enum: ['general', 'major'] }) @IsOptional() @IsIn(['general', 'major']) severity?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(/^[A-Z]{2,8}$/) category?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() institutionId?: string;
  @ApiPropertyOptional({ description: '区划（含下级）/ division subtree' }) @IsOptional() @Matches(/^\d{6}(\d{3}(\d{3})?)?$/) divisionCode?: string;
  @ApiPropertyOptional({ description: '挂牌督办 / listed major hazards' })
  @IsOptional() @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value)) @IsBoolean() listed?: boolean;
  @ApiPropertyOptional({ description: '已逾期 / overdue' })
  @IsOptional() @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value)) @IsBoolean() overdue?: boolean;
}


export class RespondDto {
  @ApiProperty({ description: '整改了什么 / what was fixed' }) @IsString() @MinLength(2) @MaxLength(2000) whatWasFixed: string;
  @ApiProperty({ description: '举一反三：还检查了哪些地方 / other places checked' }) @IsString() @MinLength(2) @MaxLength(2000) otherPlacesChecked: string;
  @ApiProperty({ description: '长效措施 / the lasting change' }) @IsString() @MinLength(2) @MaxLength(2000) lastingChange: string;
  @ApiProperty({ description: '整改责任人 / responsible person' }) @IsString() @MinLength(1) @MaxLength(64) responsiblePerson: string;
  @ApiProperty({ description: '完成日期 / completed on (YYYY-MM-DD)' }) @IsCalendarDate() completedOn: string;
  @ApiPropertyOptional({ type: [String], description: '整改后照片 / after-photos (evidence ids)' })
  @IsOptional() @IsArray() @ArrayMaxSize(20) @IsUUID('all', { each: true }) evidenceIds?: string[];
}

export class VerifyDto {
  @ApiProperty({ description: 'true 销号 / false 退回' }) @IsBoolean() accept: boolean;
  @ApiPropertyOptional({ description: '退回原因（退回时必填）/ reason (required to return)' }) @IsOptional() @IsString() @MaxLength(2000) reason?: string;
  @ApiPropertyOptional({ description: '退回后的新期限 / new due date when returned' }) @IsOptional() @IsCalendarDate() newDueDate?: string;
  @ApiPropertyOptional({ description: '是否现场核查 / verified on site' }) @IsOptional() @IsBoolean() onSite?: boolean;
}

export class ExtensionRequestDto {
  @ApiProperty({ description: '申请延期至 / requested due date' }) @IsCalendarDate() requestedDueDate: string;
  @ApiProperty({ description: '延期理由 / reason' }) @IsString() @MinLength(2) @MaxLength(2000) reason: string;
}

export class DecisionDto {
  @ApiProperty({ description: '同意 / approve (extension) or uphold (objection)' }) @IsBoolean() approve: boolean;
  @ApiProperty({ description: '理由 / reason' }) @IsString() @MinLength(2) @MaxLength(2000) reason: string;
}

export class ObjectionDto {
  @ApiProperty({ description: '陈述申辩内容 / statement' }) @IsString() @MinLength(2) @MaxLength(5000) statement: string;
}

export class PlanDto {
  @ApiProperty({ description: '临时管控措施 / interim measures' }) @IsString() @MinLength(2) @MaxLength(2000) interimMeasures: string;
  @ApiProperty({ description: '整改措施 / measures' }) @IsString() @MinLength(2) @MaxLength(2000) measures: string;
  @ApiProperty({ description: '整改资金 / funds' }) @IsString() @MinLength(1) @MaxLength(500) funds: string;
  @ApiProperty({ description: '责任人 / responsible person' }) @IsString() @MinLength(1) @MaxLength(64) responsiblePerson: string;
  @ApiProperty({ description: '完成时限 / deadline' }) @IsCalendarDate() deadline: string;
  @ApiProperty({ description: '应急预案 / emergency plan' }) @IsString() @MinLength(2) @MaxLength(2000) emergencyPlan: string;
}

export class DeadlineDto {
  @ApiProperty() @IsCalendarDate() dueDate: string;
  @ApiProperty({ description: '调整理由 / reason' }) @IsString() @MinLength(2) @MaxLength(2000) reason: string;
}

export class ReinspectionDto {
  @ApiProperty({ type: [String], description: '复查组（至少 2 人）/ team' }) @IsArray() @ArrayMaxSize(10) @IsUUID('all', { each: true }) teamUserIds: string[];
  @ApiPropertyOptional() @IsOptional() @IsCalendarDate() scheduledDate?: string;
}
