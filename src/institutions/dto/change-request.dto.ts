import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, IsUUID, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { INT4_MAX } from '../../common/validators';
import { PageQuery } from '../../common/pagination';
import { CHANGE_REQUEST_STATUSES, ChangeRequestStatus } from '../change-request';
import { BuildingProfileDto } from './institution.dto';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** The requested values of the building profile; only the fields being changed need to be sent. */
export class ProfileChangesDto extends PartialType(BuildingProfileDto) {}

export class CreateChangeRequestDto {
  @ApiProperty({ description: '申请所基于的机构档案版本号 / the institution version this request is based on' }) @IsInt() @Min(1) @Max(INT4_MAX) version: number;
  @ApiProperty({ description: '申请变更的字段及新值（床位、各照护等级老人数、建筑档案）/ the requested values', type: ProfileChangesDto })
  @IsObject() @ValidateNested() @Type(() => ProfileChangesDto) changes: ProfileChangesDto;
  @ApiProperty({ description: '变更理由（必填）/ reason, required' }) @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(1000) reason: string;
  @ApiPropertyOptional({ description: '佐证材料（先上传到 …/change-requests/attachments）/ supporting document, uploaded first' })
  @IsOptional() @IsUUID() attachmentId?: string;
}

export class ApproveChangeRequestDto {
  @ApiProperty({ description: '申请的版本号 / the request version' }) @IsInt() @Min(1) @Max(INT4_MAX) version: number;
  @ApiPropertyOptional({ description: '审核意见 / note' }) @IsOptional() @Transform(trim) @IsString() @MaxLength(1000) note?: string;
}

export class RejectChangeRequestDto {
  @ApiProperty({ description: '申请的版本号 / the request version' }) @IsInt() @Min(1) @Max(INT4_MAX) version: number;
  @ApiProperty({ description: '不予确认的理由（必填）/ reason, required' }) @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(1000) note: string;
}

export class WithdrawChangeRequestDto {
  @ApiProperty({ description: '申请的版本号 / the request version' }) @IsInt() @Min(1) @Max(INT4_MAX) version: number;
}

export class ChangeRequestQuery extends PageQuery {
  @ApiPropertyOptional({ enum: CHANGE_REQUEST_STATUSES, description: '状态 / status' }) @IsOptional() @IsIn(CHANGE_REQUEST_STATUSES) status?: ChangeRequestStatus;
  @ApiPropertyOptional({ description: '机构 / institution' }) @IsOptional() @IsUUID() institutionId?: string;
}
