import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import * as path from 'node:path';
import { Can, CurrentUser, Public } from '../auth/auth.decorators';
import { AuthUser } from '../common/scope';
import { DashboardQuery } from '../dashboard/dashboard.controller';
import { DashboardService } from '../dashboard/dashboard.service';
import { dashboardPage, ECHARTS_PATH } from './dashboard-page';
import { dashboardView } from './dashboard-view';
import { render } from './render';
import { SafetyWorkService } from '../safety-work/safety-work.service';
import { DevicesService } from '../devices/devices.service';
import { PlansService } from '../inspections/plans.service';
import { can } from '../auth/permissions';
import { WebService } from './web.service';

/** Apache ECharts' ES-module build, as installed (package.json pins the version). */
const ECHARTS_FILE = path.join(path.dirname(require.resolve('echarts/package.json')), 'dist', 'echarts.esm.min.mjs');

/** 监管看板. */
@ApiExcludeController()
@Controller()
export class DashboardWebController {
  constructor(private readonly dashboard: DashboardService, private readonly web: WebService, private readonly safetyWork: SafetyWorkService, private readonly devices: DevicesService, private readonly plans: PlansService) {}

  @Get('dashboard')
  @Can('dashboard.read')
  async dashboardPage(@CurrentUser() user: AuthUser, @Query() query: DashboardQuery, @Res() res: Response) {
    const [data, divisions, safety, duty, strata] = await Promise.all([
      this.dashboard.dashboard(user, query), this.web.divisionsFor(user), this.safetyWork.dashboardCounts(user),
      can(user, 'device.read') ? this.devices.overview(user, 1) : Promise.resolve(null),
      can(user, 'plan.read') ? this.plans.latestStratified(user) : Promise.resolve(undefined),
    ]);
    render(res, { title: '监管看板', user, body: dashboardPage(dashboardView(data, divisions), safety, duty, strata) });
  }

  /**
   * The charting library, from node_modules (no CDN: the CSP allows only this origin). Under /static/ so it may be
   * cached like the other static files; public, as it holds no data.
   */
  @Public()
  @Get(ECHARTS_PATH.slice(1))
  echarts(@Res() res: Response) {
    res.setHeader('Cache-Control', 'public, max-age=3600');
    // dotfiles: 'allow' — an installation inside a dot-folder (e.g. ~/.local/yian) must still serve it.
    res.type('text/javascript').sendFile(path.basename(ECHARTS_FILE), { root: path.dirname(ECHARTS_FILE), dotfiles: 'allow' });
  }
}
