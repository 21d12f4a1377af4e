import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { INT4_MAX, IsCalendarDate } from '../../common/validators';
import { STATUS_ACTIONS, StatusAction } from '../operating-status';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** 停业整顿 / 恢复运营 / 注销: the bureau's change of an institution's operating status, from a day. */
export class OperatingStatusDto {
  @ApiProperty({ enum: STATUS_ACTIONS, description: 'suspend 停业整顿 / resume 恢复运营 / close 注销（不可撤回）' }) @IsIn(STATUS_ACTIONS) action: StatusAction;
  @ApiProperty({ description: '生效日期：停业或注销的第一天，或恢复运营的第一天（不晚于今天）/ the day it takes effect' }) @IsCalendarDate() date: string;
  @ApiProperty({ description: '原因或依据（如整改通知书编号、注销决定）/ reason' }) @Transform(trim) @IsString() @MinLength(2) @MaxLength(500) reason: string;
  @ApiProperty({ description: '机构档案版本号 / the institution version the change is based on' }) @IsInt() @Min(1) @Max(INT4_MAX) version: number;
}
