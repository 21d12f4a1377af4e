import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { CREDIT_LEVELS, type CreditLevel } from '../../checklists/domain/credit-rules';
import { PageQuery } from '../../common/pagination';
import { IsCalendarDate } from '../../common/validators';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const emptyToUndefined = ({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() === '' ? undefined : trim({ value }));

export class CreditListQuery extends PageQuery {
  @ApiPropertyOptional({ description: '区划（街道，含下级）/ division subtree' }) @IsOptional() @Transform(emptyToUndefined) @Matches(/^\d{6}(\d{3}(\d{3})?)?$/) divisionCode?: string;
  @ApiPropertyOptional({ enum: CREDIT_LEVELS, description: '信用等级 / level' }) @IsOptional() @Transform(emptyToUndefined) @IsIn(CREDIT_LEVELS) level?: CreditLevel;
  @ApiPropertyOptional({ enum: ['yes', 'no'], description: '失信认定生效中 / under a dishonesty decision' }) @IsOptional() @Transform(emptyToUndefined) @IsIn(['yes', 'no']) dishonest?: 'yes' | 'no';
  @ApiPropertyOptional({ enum: ['yes', 'no'], description: '按信用频次应安排检查 / due by the yearly inspection count of its level' }) @IsOptional() @Transform(emptyToUndefined) @IsIn(['yes', 'no']) due?: 'yes' | 'no';
}

export class CreditExportQuery {
  @ApiPropertyOptional({ description: '区划（街道，含下级）/ division subtree' }) @IsOptional() @Transform(emptyToUndefined) @Matches(/^\d{6}(\d{3}(\d{3})?)?$/) divisionCode?: string;
  @ApiPropertyOptional({ enum: CREDIT_LEVELS }) @IsOptional() @Transform(emptyToUndefined) @IsIn(CREDIT_LEVELS) level?: CreditLevel;
  @ApiPropertyOptional({ enum: ['yes', 'no'] }) @IsOptional() @Transform(emptyToUndefined) @IsIn(['yes', 'no']) dishonest?: 'yes' | 'no';
  @ApiPropertyOptional({ enum: ['yes', 'no'] }) @IsOptional() @Transform(emptyToUndefined) @IsIn(['yes', 'no']) due?: 'yes' | 'no';
}

/** 失信认定: the bureau's decision on one institution. */
export class DecideDishonestyDto {
  @ApiProperty({ description: '机构 / institution' }) @IsUUID() institutionId: string;
  @ApiProperty({ description: '认定理由 / reason' }) @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(2000) reason: string;
  @ApiProperty({ description: '认定依据（局方填写的文件名称与条款）/ legal basis as entered by the bureau' }) @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(1000) legalBasis: string;
  @ApiProperty({ description: '认定日期（不晚于今天）/ decision day' }) @IsCalendarDate() decidedOn: string;
}

export class ObjectDishonestyDto {
  @ApiProperty({ description: '陈述申辩 / objection' }) @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(2000) objection: string;
}

export class ReviewObjectionDto {
  @ApiProperty({ enum: ['uphold', 'withdraw'], description: 'uphold = 申辩不成立、维持认定；withdraw = 申辩成立、撤销认定' }) @IsIn(['uphold', 'withdraw']) outcome: 'uphold' | 'withdraw';
  @ApiProperty({ description: '处理意见 / review note' }) @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(2000) note: string;
}

export class RepairDto {
  @ApiProperty({ description: '信用修复理由 / reason' }) @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(2000) reason: string;
}

export class AsOfQuery {
  @ApiPropertyOptional({ description: '评价日（默认今天）/ evaluation day' }) @IsOptional() @Transform(emptyToUndefined) @IsCalendarDate() asOf?: string;
}
