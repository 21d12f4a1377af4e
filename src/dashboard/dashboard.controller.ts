import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { Can, CurrentUser } from '../auth/auth.decorators';
import { AuthUser } from '../common/scope';
import { IsCalendarDate } from '../common/validators';
import { DashboardService } from './dashboard.service';

export class DashboardQuery {
  @ApiPropertyOptional({ description: '区划（默认本级）/ division' }) @IsOptional() @Matches(/^\d{6}(\d{3}(\d{3})?)?$/) divisionCode?: string;
  @ApiPropertyOptional({ description: '起始日期 / from' }) @IsOptional() @IsCalendarDate() from?: string;
  @ApiPropertyOptional({ description: '截止日期 / to' }) @IsOptional() @IsCalendarDate() to?: string;
}

@ApiTags('dashboard 监管看板')
@ApiBearerAuth()
@Can('dashboard.read')
@Controller('api/dashboard')
export class DashboardController {
  constructor(private readonly dashboard: DashboardService) {}

  @Get()
  @ApiOperation({ summary: '监管看板数据 / dashboard figures for a division and period' })
  get(@CurrentUser() user: AuthUser, @Query() query: DashboardQuery) {
    return this.dashboard.dashboard(user, query);
  }
}
