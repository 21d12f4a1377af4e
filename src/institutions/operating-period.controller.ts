import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { Can, CurrentUser } from '../auth/auth.decorators';
import { AppError } from '../common/app-error';
import { AuthUser } from '../common/scope';
import { IsCalendarDate } from '../common/validators';
import { OperatingStatusDto } from './dto/operating-status.dto';
import { OperatingPeriodService } from './operating-period.service';

const institutionId = new ParseUUIDPipe({ exceptionFactory: () => AppError.notFound('institution.not_found') });
const interruptionId = new ParseUUIDPipe({ exceptionFactory: () => AppError.notFound('interruption.not_found') });

export class OpenedOnDto {
  @ApiProperty({ description: '开业（开始运营）日期 / the first operating day' }) @IsCalendarDate() openedOn: string;
  @ApiProperty({ description: '更正依据 / why (e.g. 设立备案回执日期)' }) @IsString() @MinLength(2) @MaxLength(500) reason: string;
}

export class InterruptionDto {
  @ApiProperty({ enum: ['suspended', 'closed'], description: '暂停运营 / 停止运营' }) @IsIn(['suspended', 'closed']) kind: 'suspended' | 'closed';
  @ApiProperty({ description: '起（含）/ first day' }) @IsCalendarDate() fromDate: string;
  @ApiPropertyOptional({ description: '止（含），不填为至今 / last day, open-ended when absent' }) @IsOptional() @IsCalendarDate() toDate?: string | null;
  @ApiProperty({ description: '原因 / reason' }) @IsString() @MinLength(2) @MaxLength(500) reason: string;
}

export class EndInterruptionDto {
  @ApiProperty({ description: '最后一天（含）/ last day of the interruption' }) @IsCalendarDate() toDate: string;
  @ApiProperty({ description: '恢复运营的依据 / why it ended' }) @IsString() @MinLength(2) @MaxLength(500) reason: string;
}

@ApiTags('institutions 养老机构')
@ApiBearerAuth()
@Controller('api/institutions/:id')
export class OperatingPeriodController {
  constructor(private readonly periods: OperatingPeriodService) {}

  @Get('operating-period')
  @ApiOperation({ summary: '运营期：开业日期、暂停/关闭记录和床位、老人数变化历史 / operating period, interruptions and capacity history' })
  get(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string) {
    return this.periods.get(user, id);
  }

  @Put('operating-period')
  @Can('institution.operating_period')
  @ApiOperation({ summary: '更正开业日期（留痕）/ correct the opening day (audited)' })
  setOpenedOn(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Body() dto: OpenedOnDto) {
    return this.periods.setOpenedOn(user, id, dto);
  }

  @Post('interruptions')
  @Can('institution.operating_period')
  @ApiOperation({ summary: '登记暂停或停止运营期间（不可修改，只能结束一次）/ record a suspension or closure' })
  addInterruption(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Body() dto: InterruptionDto) {
    return this.periods.addInterruption(user, id, dto);
  }

  @Post('operating-status')
  @Can('institution.operating_period')
  @HttpCode(200)
  @ApiOperation({ summary: '停业整顿 / 恢复运营 / 注销（自指定日期起；状态与运营期一并记录，注销不可撤回；须带版本号）/ suspend, resume or close from a day' })
  changeStatus(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Body() dto: OperatingStatusDto) {
    return this.periods.changeStatus(user, id, dto);
  }

  @Post('interruptions/:interruptionId/end')
  @Can('institution.operating_period')
  @HttpCode(200)
  @ApiOperation({ summary: '结束未止的暂停/关闭期间 / end an open-ended interruption' })
  endInterruption(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Param('interruptionId', interruptionId) iid: string, @Body() dto: EndInterruptionDto) {
    return this.periods.endInterruption(user, id, iid, dto);
  }
}
