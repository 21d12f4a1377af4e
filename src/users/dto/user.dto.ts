import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { PageQuery } from '../../common/pagination';
import { INT4_MAX, IsDivisionCode, IsOmittable } from '../../common/validators';
import { ROLES, Role } from '../user.entity';

export class CreateUserDto {
  @ApiProperty({ description: '用户名（字母、数字、._-，3–64 位）/ username' }) @Matches(/^[A-Za-z0-9._-]{3,64}$/) username: string;
  @ApiProperty({ description: '姓名 / display name' }) @IsString() @IsNotEmpty() @MaxLength(64) displayName: string;
  @ApiProperty({ enum: ROLES, description: '角色 / role' }) @IsIn(ROLES) role: Role;
  @ApiPropertyOptional({ description: '行政区划（政府部门和检查员账号必填）/ division (bureau and inspector accounts)' })
  @IsOmittable() @IsDivisionCode() divisionCode?: string;
  @ApiPropertyOptional({ description: '绑定的机构（机构账号必填）/ institution (institution accounts)' })
  @IsOmittable() @IsUUID() institutionId?: string;
  @ApiProperty({ description: '初始密码（至少 10 位，不得为常见、易猜的密码，如拼音姓名、城市名、123456 类）/ initial password: at least 10 characters and not guessable (zxcvbn score ≥ 3)' }) @IsString() @MaxLength(128) password: string;
}

export class UpdateUserDto {
  @ApiPropertyOptional() @IsOmittable() @IsString() @IsNotEmpty() @MaxLength(64) displayName?: string;
  @ApiPropertyOptional({ enum: ['active', 'disabled'] }) @IsOmittable() @IsIn(['active', 'disabled']) status?: 'active' | 'disabled';
  @ApiPropertyOptional({ description: '重置密码 / new password' }) @IsOmittable() @IsString() @IsNotEmpty() @MaxLength(128) password?: string;
  @ApiProperty({ description: '修改所基于的版本号 / version' }) @IsInt() @Min(1) @Max(INT4_MAX) version: number;
}

export class UserQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ROLES }) @IsOptional() @IsIn(ROLES) role?: Role;
  @ApiPropertyOptional() @IsOptional() @IsUUID() institutionId?: string;
}
