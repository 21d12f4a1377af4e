import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQuery } from '../../common/pagination';
import { IsCalendarDate } from '../../common/validators';

export class AuditQuery extends PageQuery {
  @ApiPropertyOptional({ description: '对象类型，如 user、institution、hazard / entity type' }) @IsOptional() @IsString() @MaxLength(40) entityType?: string;
  @ApiPropertyOptional({ description: '对象编号 / entity id' }) @IsOptional() @IsString() @MaxLength(64) entityId?: string;
  @ApiPropertyOptional({ description: '操作人用户名 / actor username' }) @IsOptional() @IsString() @MaxLength(64) actor?: string;
  @ApiPropertyOptional({ description: '操作，如 user.create / action' }) @IsOptional() @IsString() @MaxLength(64) action?: string;
  @ApiPropertyOptional({ description: '自该日起（含，上海时间）/ from this day (inclusive, Asia/Shanghai)' }) @IsOptional() @IsCalendarDate() from?: string;
  @ApiPropertyOptional({ description: '至该日止（含，上海时间）/ to this day (inclusive, Asia/Shanghai)' }) @IsOptional() @IsCalendarDate() to?: string;
}
