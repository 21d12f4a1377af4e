import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Can, CurrentUser } from '../auth/auth.decorators';
import { ChecklistsService } from '../checklists/checklists.service';
import { AuthUser } from '../common/scope';
import { applicabilityPage, institutionDetailPage, institutionListPage } from './institution-pages';
import { institutionView } from './institution-view';
import { render, uuid } from './render';
import { WebService } from './web.service';

/** 机构名录 pages: the registry, one institution, its applicable checklist items. */
@ApiExcludeController()
@Controller()
export class InstitutionWebController {
  constructor(private readonly web: WebService, private readonly checklists: ChecklistsService) {}

  @Get('institutions')
  @Can('institution.list')
  async institutions(@CurrentUser() user: AuthUser, @Query() query: Record<string, string>, @Res() res: Response) {
    const { page, filters, divisions } = await this.web.institutionList(user, query);
    render(res, { title: '机构名录', user, body: institutionListPage(page, filters, divisions) });
  }

  @Get('institutions/:id')
  async institution(@CurrentUser() user: AuthUser, @Param('id', uuid('institution.not_found')) id: string, @Res() res: Response) {
    const detail = await this.web.institutionDetail(user, id);
    render(res, { title: detail.institution.name, user, body: institutionDetailPage(institutionView(user, detail)) });
  }

  @Get('institutions/:id/checklist')
  async checklist(@CurrentUser() user: AuthUser, @Param('id', uuid('institution.not_found')) id: string, @Res() res: Response) {
    const view = await this.checklists.applicableFor(user, id, 'fire-safety-inspection');
    render(res, { title: '适用检查项', user, body: applicabilityPage(view) });
  }
}
