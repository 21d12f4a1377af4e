import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Can, CurrentUser } from '../auth/auth.decorators';
import { AppError } from '../common/app-error';
import { fieldMessage, message } from '../common/messages';
import { AuthUser, scopeOf } from '../common/scope';
import { DivisionsService } from '../divisions/divisions.service';
import { ratingIssues } from '../inspections/domain/visit-rating';
import { RatingQuery, VisitQuery } from '../inspections/dto/inspection-code.dto';
import { InspectionCodesService, VisitView } from '../inspections/inspection-codes.service';
import { codeEntryPage, ratingsPage, visitPage } from './inspection-code-pages';
import { CODE_FIELDS, codeEntryView, ratingsPageView, visitPageView } from './inspection-code-view';
import { csrfOf, render, uuid } from './render';
import type { Flash } from './view-common';
import { webQuery } from './web-query';

const inspectionId = uuid('inspection.not_found');
const OK: Record<string, string> = {
  confirmed: '已确认：检查码核验无误，核验人和核验时间已记录在检查记录上。',
  already: '该检查码此前已核验过，以下是首次核验的记录。',
  rated: '评价已提交，谢谢。评价只有主管部门可见。',
};
const text = (v: unknown) => (typeof v === 'string' ? v : '');
function score(v: unknown): number | undefined {
  const s = text(v).trim();
  return /^\d{1,2}$/.test(s) ? Number(s) : undefined;
}

/**
 * 检查码 pages: the institution's 核验检查码 (enter or scan the code, see the team, confirm), its visits and their
 * rating, and the bureau's 检查评价. Thin: InspectionCodesService decides, scopes and counts wrong guesses.
 */
@ApiExcludeController()
@Controller()
export class InspectionCodeWebController {
  constructor(private readonly codes: InspectionCodesService, private readonly divisions: DivisionsService) {}

  /** 核验检查码; `?code=` (the QR's address) fills the field in — nothing is looked up before the user asks. */
  @Get('inspection-codes')
  @Can('inspection_code.verify')
  async entry(@CurrentUser() user: AuthUser, @Query() raw: Record<string, string>, @Res() res: Response) {
    await this.renderEntry(user, res, 200, { code: typeof raw.code === 'string' ? raw.code.slice(0, 40) : '', page: raw.page });
  }

  @Post('inspection-codes/lookup')
  @Can('inspection_code.verify')
  async lookup(@CurrentUser() user: AuthUser, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const code = text(body.code).slice(0, 200);
    try {
      const visit = await this.codes.lookup(user, code);
      res.setHeader('Cache-Control', 'no-store');
      this.renderVisit(user, res, 200, visit, { heldCode: code });
    } catch (err) {
      if (!userFacing(err)) throw err;
      await this.renderEntry(user, res, err.status, { code, flash: { errors: errorLines(err) } });
    }
  }

  @Post('inspection-codes/confirm')
  @Can('inspection_code.verify')
  async confirm(@CurrentUser() user: AuthUser, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const code = text(body.code).slice(0, 200);
    try {
      const { visit, alreadyConfirmed } = await this.codes.confirm(user, code);
      res.redirect(303, `/inspection-codes/visits/${visit.inspectionId}?ok=${alreadyConfirmed ? 'already' : 'confirmed'}`);
    } catch (err) {
      if (!userFacing(err)) throw err;
      await this.renderEntry(user, res, err.status, { code, flash: { errors: errorLines(err) } });
    }
  }

  @Get('inspection-codes/visits/:id')
  @Can('inspection_code.verify')
  async visit(@CurrentUser() user: AuthUser, @Param('id', inspectionId) id: string, @Query('ok') ok: string | undefined, @Res() res: Response) {
    this.renderVisit(user, res, 200, await this.codes.visit(user, id), { flash: { ok: ok ? OK[ok] : undefined } });
  }

  @Post('inspection-codes/visits/:id/rating')
  @Can('inspection.rate')
  async rate(@CurrentUser() user: AuthUser, @Param('id', inspectionId) id: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const draft = { conduct: text(body.conduct), clarity: text(body.clarity), comment: text(body.comment) };
    const dto = { conduct: score(body.conduct)!, clarity: score(body.clarity)!, comment: draft.comment };
    const issues = ratingIssues(dto);
    if (issues.length) {
      return this.renderVisit(user, res, 400, await this.codes.visit(user, id), { draft, flash: { errors: [message('validation.failed', 'zh'), ...issues.map(fieldLine)] } });
    }
    try {
      await this.codes.rate(user, id, dto);
      res.redirect(303, `/inspection-codes/visits/${id}?ok=rated`);
    } catch (err) {
      if (!userFacing(err)) throw err;
      this.renderVisit(user, res, err.status, await this.codes.visit(user, id), { draft, flash: { errors: errorLines(err) } });
    }
  }

  /** 检查评价 (the bureau): the filtered ratings of its subtree, the averages, per inspector; CSV and XLSX of the same filter. */
  @Get('inspection-ratings')
  @Can('inspection_rating.read')
  async ratings(@CurrentUser() user: AuthUser, @Query() raw: Record<string, string>, @Res() res: Response) {
    const { query, filters } = webQuery(RatingQuery, raw, ['divisionCode', 'from', 'to', 'minScore', 'maxScore', 'inspectorId']);
    const [page, divisions] = await Promise.all([this.codes.ratings(user, query), this.divisions.list(scopeOf(user), { page: 1, pageSize: 100 })]);
    render(res, { title: '检查评价', user, body: ratingsPage(ratingsPageView(page, filters, divisions.items)) });
  }

  private async renderEntry(user: AuthUser, res: Response, status: number, opts: { code?: string; page?: string; flash?: Flash }) {
    const { query } = webQuery(VisitQuery, { page: opts.page ?? '' }, []);
    const visits = await this.codes.visits(user, query);
    render(res, { status, title: '核验检查码', user, body: codeEntryPage(codeEntryView({ csrf: csrfOf(res), code: opts.code, flash: opts.flash, visits })) });
  }

  private renderVisit(user: AuthUser, res: Response, status: number, visit: VisitView, opts: { heldCode?: string; flash?: Flash; draft?: Record<string, string> }) {
    const view = visitPageView(visit, { csrf: csrfOf(res), flash: opts.flash, draft: opts.draft, heldCode: opts.heldCode ?? null });
    render(res, { status, title: visit.code ? `检查码 ${visit.code}` : `检查 · ${visit.kindLabel}`, user, crumbs: [{ href: '/inspection-codes', label: '核验检查码' }], body: visitPage(view) });
  }
}

function userFacing(err: unknown): err is AppError {
  return err instanceof AppError && err.status !== 404 && err.status < 500;
}

function fieldLine(f: { field: string; reason: string; args?: unknown[] }): string {
  return `${CODE_FIELDS[f.field] ?? f.field}：${fieldMessage(f.reason, 'zh', f.args)}`;
}

function errorLines(err: AppError): string[] {
  return [message(err.code, 'zh', err.params), ...err.fields.map(fieldLine)];
}
