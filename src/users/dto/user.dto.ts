import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength, Min } from 'class-validator';
import { PageQuery } from '../../common/pagination';
import { IsDivisionCode } from '../../common/validators';
import { ROLES, Role } from '../user.entity';

export class CreateUserDto {
  @ApiProperty({ description: '用户名（字母、数字、._-，3–64 位）/ username' }) @Matches(/^[A-Za-z0-9._-]{3,64}$/) username: string;
  @ApiProperty({ description: '姓名 / display name' }) @IsString() @IsNotEmpty() @MaxLength(64) displayName: string;
  @ApiProperty({ enum: ROLES, description: '角色 / role' }) @IsIn(ROLES) role: Role;
  @ApiPropertyOptional({ description: '行政区划（政府部门和检查员账号必填）/ division (bureau and inspector accounts)' })
  @IsOptional() @IsDivisionCode() divisionCode?: string;
  @ApiPropertyOptional({ description: '绑定的机构（机构账号必填）/ institution (institution accounts)' })
  @IsOptional() @IsUUID() institutionId?: string;
  @ApiProperty({ description: '初始密码（至少 10 位，含字母和数字）/ initial password' }) @IsString() @MaxLength(128) password: string;
}

export class UpdateUserDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(64) displayName?: string;
  @ApiPropertyOptional({ enum: ['active', 'disabled'] }) @IsOptional() @IsIn(['active', 'disabled']) status?: 'active' | 'disabled';
  @ApiPropertyOptional({ description: '重置密码 / new password' }) @IsOptional() @IsString() @MaxLength(128) password?: string;
  @ApiProperty({ description: '修改所基于的版本号 / version' }) @IsInt() @Min(1) version: number;
}

export class UserQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ROLES }) @IsOptional() @IsIn(ROLES) role?: Role;
  @ApiPropertyOptional() @IsOptional() @IsUUID() institutionId?: string;
}
