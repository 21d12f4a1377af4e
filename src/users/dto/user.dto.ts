import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { PageQuery } from '../../common/pagination';
import { INT4_MAX, IsDivisionCode, IsOmittable } from '../../common/validators';
import { ROLES, Role } from '../user.entity';

export const ACCOUNT_STATUSES = ['active', 'disabled'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

/**
 * 执法证号: letters, digits, Chinese characters and brackets, at most 32 (the formats differ by province and agency);
 * the empty string clears it.
 */
export const WARRANT_NO_PATTERN = /^(|[\p{Script=Han}A-Za-z0-9（）()〔〕［］\[\]\-]{1,32})$/u;
const WARRANT_NO_DESCRIPTION = '执法证号（检查员、监管人员的行政执法证号；被检查机构核验检查码时看到；机构账号不填；空字符串或 null 清除）'
  + ' / warrant number of an account that inspects, shown to the inspected institution when it confirms the inspection code';

export class CreateUserDto {
  @ApiProperty({ description: '用户名（字母、数字、._-，3–64 位）/ username' }) @Matches(/^[A-Za-z0-9._-]{3,64}$/) username: string;
  @ApiProperty({ description: '姓名 / display name' }) @IsString() @IsNotEmpty() @MaxLength(64) displayName: string;
  @ApiProperty({ enum: ROLES, description: '角色 / role' }) @IsIn(ROLES) role: Role;
  @ApiPropertyOptional({ description: '行政区划（政府部门和检查员账号必填）/ division (bureau and inspector accounts)' })
  @IsOmittable() @IsDivisionCode() divisionCode?: string;
  @ApiPropertyOptional({ description: '绑定的机构（机构账号必填）/ institution (institution accounts)' })
  @IsOmittable() @IsUUID() institutionId?: string;
  @ApiPropertyOptional({
    description: '初始密码（至少 10 位，不得为常见、易猜的密码，如拼音姓名、城市名、123456 类）；省略时由系统生成一次性密码，仅在本次响应的 oneTimePassword 中返回一次'
      + ' / initial password: at least 10 characters and not guessable (zxcvbn score ≥ 3); when omitted the server generates a one-time password, returned once as oneTimePassword',
  })
  @IsOmittable() @IsString() @MaxLength(128) password?: string;
  @ApiPropertyOptional({ description: WARRANT_NO_DESCRIPTION, maxLength: 32 })
  @IsOptional() @IsString() @MaxLength(32) @Matches(WARRANT_NO_PATTERN) warrantNo?: string | null;
}

export class UpdateUserDto {
  @ApiPropertyOptional() @IsOmittable() @IsString() @IsNotEmpty() @MaxLength(64) displayName?: string;
  @ApiPropertyOptional({ description: WARRANT_NO_DESCRIPTION, maxLength: 32, nullable: true })
  @IsOptional() @IsString() @MaxLength(32) @Matches(WARRANT_NO_PATTERN) warrantNo?: string | null;
  @ApiPropertyOptional({ enum: ACCOUNT_STATUSES }) @IsOmittable() @IsIn(ACCOUNT_STATUSES) status?: AccountStatus;
  @ApiPropertyOptional({ description: '重置密码 / new password' }) @IsOmittable() @IsString() @IsNotEmpty() @MaxLength(128) password?: string;
  @ApiProperty({ description: '修改所基于的版本号 / version' }) @IsInt() @Min(1) @Max(INT4_MAX) version: number;
}

/** 修改执法证号 (the account page's form): the number (empty: clear) and the version the admin saw. */
export class WarrantNoDto {
  @ApiProperty({ description: WARRANT_NO_DESCRIPTION }) @IsString() @MaxLength(32) @Matches(WARRANT_NO_PATTERN) warrantNo: string;
  @ApiProperty({ description: '修改所基于的版本号 / version' }) @IsInt() @Min(1) @Max(INT4_MAX) version: number;
}

/** 停用、启用、重置密码: the version the admin saw. */
export class AccountActionDto {
  @ApiProperty({ description: '操作所基于的版本号 / version' }) @IsInt() @Min(1) @Max(INT4_MAX) version: number;
}

export class UserQuery extends PageQuery {
  @ApiPropertyOptional({ description: '用户名或姓名关键字 / username or display name contains' }) @IsOptional() @IsString() @MaxLength(64) q?: string;
  @ApiPropertyOptional({ enum: ROLES }) @IsOptional() @IsIn(ROLES) role?: Role;
  @ApiPropertyOptional({ enum: ACCOUNT_STATUSES }) @IsOptional() @IsIn(ACCOUNT_STATUSES) status?: AccountStatus;
  @ApiPropertyOptional({ description: '行政区划（含下级）/ division, with its subtree' }) @IsOptional() @IsDivisionCode() divisionCode?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() institutionId?: string;
}
