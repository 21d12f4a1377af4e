import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Can, CurrentUser } from '../auth/auth.decorators';
import { shanghaiDate } from '../common/calendar';
import { AuthUser } from '../common/scope';
import { InspectionQuery } from '../inspections/dto/inspection.dto';
import { InspectionsService } from '../inspections/inspections.service';
import { inspectionFormPage } from './inspection-form.page';
import { inspectionDetailPage, inspectionListPage, inspectionReviewPage } from './inspection-pages';
import { inspectionListView, inspectionReviewView, inspectionView } from './view-models';
import { InspectionReportService } from '../inspections/inspection-report.service';
import { NoticePdfService } from '../rectification/notice-pdf.service';
import { csrfOf, render, uuid } from './render';
import { taskListView } from './task-list-view';
import { webQuery } from './web-query';
import { isOnTeam } from '../auth/relations';
import { Html } from '../common/html';
import { InspectionCodesService } from '../inspections/inspection-codes.service';
import { qrSvg } from '../reports/notice-qr';

/** 检查 pages: the list (an inspector's tasks), one inspection, the on-site form shell. */
@ApiExcludeController()
@Controller()
export class InspectionWebController {
  constructor(
    private readonly inspections: InspectionsService, private readonly reports: InspectionReportService, private readonly notices: NoticePdfService,
    private readonly codes: InspectionCodesService,
  ) {}

  @Get('inspections')
  async inspectionList(@CurrentUser() user: AuthUser, @Query() raw: Record<string, string>, @Res() res: Response) {
    const { query, filters } = webQuery(InspectionQuery, raw, ['status']);
    const list = await this.inspections.list(user, query);
    // An inspector's list is 我的检查任务 with the offline day (task-list-view.ts); everyone else's is unchanged.
    res.setHeader('X-Yian-User', user.id); // the service worker keeps each cached copy with its user (sw.js)
    render(res, { title: '检查', user, body: inspectionListPage(taskListView(user, list, filters.status ?? '', csrfOf(res))) });
  }

  @Get('inspections/:id')
  async inspection(
    @CurrentUser() user: AuthUser, @Param('id', uuid('inspection.not_found')) id: string, @Query('failed') failed: string | undefined, @Res() res: Response,
  ) {
    const detail = await this.inspections.detail(user, id);
    res.setHeader('X-Yian-User', user.id); // the service worker keeps each cached copy with its user (sw.js)
    // A submitted inspection is reviewed (answers, photos, signatures); an open one stays the team's task page.
    // 检查码: what the record says about the institution's confirmation (both pages), the team's own code and QR
    // (open inspections, team members only), the institution's rating (the bureau; the institution's own visit state).
    const verification = await this.codes.verification(id);
    if (detail.inspection.status === 'submitted') {
      const [review, notice, rating, ratingWindow, visit] = await Promise.all([
        this.reports.review(user, id), this.notices.ofInspection(user, id), this.codes.ratingFor(user, id), this.codes.ratingWindow(id),
        user.role === 'institution' ? this.codes.visit(user, id) : Promise.resolve(null),
      ]);
      const view = inspectionReviewView(user, review, { failedOnly: failed === '1', today: shanghaiDate(new Date()), notice, verification, rating, ratingWindow, visitState: visit?.ratingState ?? null });
      return render(res, { title: `${review.institution.name} · 检查记录`, user, crumbs: [{ href: '/inspections', label: '检查' }], body: inspectionReviewPage(view) });
    }
    const team = isOnTeam(detail.team, user.id) ? await this.codes.teamCodeOf(id) : null;
    const view = inspectionView(user, detail, shanghaiDate(new Date()), csrfOf(res), { team, verification });
    // The QR is drawn here (SVG, made by the qrcode library from the address): the page is cached for offline use.
    const qr = view.code ? new Html(await qrSvg(view.code.verifyUrl, `检查码二维码：${view.code.display}`)) : null;
    render(res, { title: detail.institution.name, user, crumbs: [{ href: '/inspections', label: user.role === 'inspector' ? '我的检查任务' : '检查' }], body: inspectionDetailPage(view, { qr }) });
  }

  /** The on-site form: a shell the client script fills from /api/inspections/:id/form and the local draft. */
  @Get('inspections/:id/fill')
  @Can('inspection.form_page')
  async fill(@CurrentUser() user: AuthUser, @Param('id', uuid('inspection.not_found')) id: string, @Res() res: Response) {
    const detail = await this.inspections.detail(user, id);
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('X-Yian-User', user.id); // the service worker keeps each cached copy with its user (sw.js)
    render(res, {
      title: `现场检查 · ${detail.institution.name}`, user,
      body: inspectionFormPage({ inspectionId: id, institutionName: detail.institution.name, csrfToken: csrfOf(res), userId: user.id }),
    });
  }
}
