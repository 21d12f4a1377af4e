import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Max, MaxLength, Min,
} from 'class-validator';
import { PageQuery } from '../../common/pagination';
import { INT4_MAX, IsCalendarDate } from '../../common/validators';
import { COMPLAINT_CATEGORIES, COMPLAINT_STATUSES, ComplaintCategory, ComplaintStatus } from '../domain/complaint';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const emptyToUndefined = ({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() === '' ? undefined : trim({ value }));

/**
 * 投诉举报 from the public form (no account). The description's length limit is the policy's
 * (`complaints.maxDescriptionChars`, checked by the service); this cap only bounds what is parsed at all.
 */
export class FileComplaintDto {
  @ApiProperty({ description: '被投诉机构 / the institution' }) @IsUUID() institutionId: string;
  @ApiProperty({ enum: COMPLAINT_CATEGORIES, description: '问题类别 / category' }) @IsIn(COMPLAINT_CATEGORIES) category: ComplaintCategory;
  @ApiProperty({ description: '问题描述 / what happened' }) @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(20000) description: string;
  @ApiPropertyOptional({ description: '联系方式（可不填，匿名投诉）；仅受理的主管部门可见 / contact, optional; seen only by the handling bureau' })
  @IsOptional() @Transform(emptyToUndefined) @IsString() @MaxLength(100) contact?: string;
}

export class TrackComplaintDto {
  @ApiProperty({ description: '查询码 / tracking code' }) @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(64) code: string;
}

export const COMPLAINT_AGES = ['3', '7', '15', '30'] as const;

export class ComplaintQuery extends PageQuery {
  @ApiPropertyOptional({ enum: [...COMPLAINT_STATUSES, 'open'], description: '状态（open = 待受理与办理中）/ status; open = received or accepted' })
  @IsOptional() @IsIn([...COMPLAINT_STATUSES, 'open']) status?: ComplaintStatus | 'open';
  @ApiPropertyOptional({ description: '机构 / institution' }) @IsOptional() @IsUUID() institutionId?: string;
  @ApiPropertyOptional({ enum: COMPLAINT_AGES, description: '收到已超过 N 天 / received more than N days ago' })
  @IsOptional() @IsIn(COMPLAINT_AGES) olderThanDays?: (typeof COMPLAINT_AGES)[number];
  @ApiPropertyOptional({ description: '只看逾期（未按期受理或答复）/ overdue only' })
  @IsOptional() @Transform(({ value }) => (value === 'true' || value === true ? true : value === 'false' || value === false ? false : value)) @IsBoolean() overdue?: boolean;
}

class VersionedDto {
  @ApiProperty({ description: '读取时的版本号 / the version read' }) @Type(() => Number) @IsInt() @Min(1) @Max(INT4_MAX) version: number;
}

export class AcceptComplaintDto extends VersionedDto {}

export class MergeComplaintDto extends VersionedDto {
  @ApiProperty({ description: '合并到的投诉 / the complaint this one duplicates' }) @IsUUID() intoId: string;
}

export class ReferComplaintDto extends VersionedDto {
  @ApiProperty({ description: '转办的部门名称 / the agency it is referred to' }) @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(100) agency: string;
}

export class RejectComplaintDto extends VersionedDto {
  @ApiProperty({ description: '不予受理的理由（必填，投诉人可见）/ reason, shown to the complainant' }) @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(1000) reason: string;
}

export class ReplyComplaintDto extends VersionedDto {
  @ApiProperty({ description: '答复内容（投诉人凭查询码可见）/ the reply the complainant reads' }) @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(4000) reply: string;
}

export class OpenComplaintInspectionDto extends VersionedDto {
  @ApiProperty({ type: [String], description: '检查组（第一位为组长）/ team, lead first' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(10) @IsUUID('all', { each: true }) teamUserIds: string[];
  @ApiPropertyOptional({ description: '计划检查日期 / scheduled date' }) @IsOptional() @IsCalendarDate() scheduledDate?: string;
}
