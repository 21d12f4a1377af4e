import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, Min, ValidateNested } from 'class-validator';
import { PageQuery } from '../../common/pagination';
import { PATROL_AREAS, PATROL_KINDS, PATROL_RESULTS, PatrolArea, PatrolKind, PatrolResult } from '../domain/patrol-rules';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const emptyToUndefined = ({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() === '' ? undefined : trim({ value }));

export class CreatePointDto {
  @ApiProperty({ description: '点位名称（如：三楼东侧安全出口）/ name' }) @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(50) name: string;
  @ApiProperty({ enum: PATROL_AREAS, description: '区域 / area' }) @IsIn(PATROL_AREAS) area: PatrolArea;
}

export class StartPatrolDto {
  @ApiProperty({ enum: PATROL_KINDS, description: '日巡查、夜间巡查或月检查；时段按服务器时间确定 / kind; the slot is the server clock’s' }) @IsIn(PATROL_KINDS) kind: PatrolKind;
}

export class ScanDto {
  @ApiPropertyOptional({ description: '二维码中的点位令牌 / the QR label’s token' })
  @IsOptional() @Transform(emptyToUndefined) @IsString() @Matches(/^[A-Za-z0-9_-]{22,43}$/) token?: string;
  @ApiPropertyOptional({ description: '标签上印的 6 位点位码（手工输入）/ the 6-character code printed on the label' })
  @IsOptional() @Transform(({ value }) => (typeof value === 'string' ? value.trim().toUpperCase() || undefined : value)) @IsString() @Matches(/^[A-Z0-9]{6}$/) code?: string;
}

export class PatrolResultDto {
  @ApiProperty({ description: '巡查项编号 / item code' }) @IsString() @Matches(/^[A-Z]{2,5}-\d{3}$/) itemCode: string;
  @ApiProperty({ enum: PATROL_RESULTS, description: '正常、异常或不适用 / pass, fail or n/a' }) @IsIn(PATROL_RESULTS) result: PatrolResult;
  @ApiPropertyOptional({ description: '异常情况说明（异常时必填）/ what is wrong (required for a failure)' })
  @IsOptional() @Transform(emptyToUndefined) @IsString() @MaxLength(1000) note?: string;
}

export class SubmitPatrolDto {
  @ApiProperty({ type: [PatrolResultDto], description: '每个巡查项的结果 / a result for every item' })
  @IsArray() @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => PatrolResultDto) results: PatrolResultDto[];
  @ApiPropertyOptional({ description: '巡查备注 / note' }) @IsOptional() @Transform(emptyToUndefined) @IsString() @MaxLength(2000) note?: string;
}

export class CloseSelfHazardDto {
  @ApiProperty({ description: '整改情况 / what was done' }) @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(2000) note: string;
  @ApiProperty({ description: '所见版本（防止覆盖他人的修改）/ the version seen' }) @Type(() => Number) @IsInt() @Min(1) version: number;
}

export class PatrolQuery extends PageQuery {}

export class SelfHazardQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['open', 'closed'] }) @IsOptional() @IsIn(['open', 'closed']) status?: 'open' | 'closed';
}
