import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Can, CurrentUser } from '../auth/auth.decorators';
import { AuthUser } from '../common/scope';
import { DashboardQuery } from '../dashboard/dashboard.controller';
import { DashboardService } from '../dashboard/dashboard.service';
import { dashboardPage } from './dashboard-page';
import { render } from './render';
import { WebService } from './web.service';

/** 监管看板. */
@ApiExcludeController()
@Controller()
export class DashboardWebController {
  constructor(private readonly dashboard: DashboardService, private readonly web: WebService) {}

  @Get('dashboard')
  @Can('dashboard.read')
  async dashboardPage(@CurrentUser() user: AuthUser, @Query() query: DashboardQuery, @Res() res: Response) {
    const data = await this.dashboard.dashboard(user, query);
    const divisions = await this.web.divisionsFor(user);
    render(res, { title: '监管看板', user, body: dashboardPage(data, divisions) });
  }
}
