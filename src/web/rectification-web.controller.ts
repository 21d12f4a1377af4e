import { Body, Controller, Get, Param, Post, Query, Req, Res, UploadedFiles, UseInterceptors } from '@nestjs/common';
import { FilesInterceptor } from '@nestjs/platform-express';
import { ApiExcludeController } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { Response } from 'express';
import * as fs from 'node:fs';
import { Can, CurrentUser, Public } from '../auth/auth.decorators';
import { AppError } from '../common/app-error';
import { formatChineseDateTime, shanghaiDate } from '../common/calendar';
import { html } from '../common/html';
import { fieldMessage, message } from '../common/messages';
import { AuthUser } from '../common/scope';
import { flattenValidationErrors } from '../common/validation';
import { DecisionDto, ExtensionRequestDto, HazardQuery, ObjectionDto, RespondDto, VerifyDto } from '../rectification/dto/rectification.dto';
import { RectificationRepository } from '../rectification/rectification.repository';
import { RectificationService } from '../rectification/rectification.service';
import { can } from '../auth/permissions';
import { InspectionsRepository } from '../inspections/inspections.repository';
import { DataSource } from 'typeorm';
import { csrfOf, render, uuid, WebRequest } from './render';
import { hazardView, noticeView } from './view-models';
import { webQuery } from './web-query';
import { PageQuery } from '../common/pagination';
import { hazardDetailPage, ledgerPage, noticeDetailPage, noticeListPage } from './rectification-pages';

const hazardId = uuid('hazard.not_found');
const noticeId = uuid('notice.not_found');
const OK_MESSAGES: Record<string, string> = {
  responded: '整改情况已提交，等待复核。', extension: '延期申请已提交，等待审批。', objection: '陈述申辩已提交。',
  closed: '已复核通过并销号。', returned: '已退回整改。', decided: '已处理。',
};

/** Parses a form body into a DTO with the same validation as the API; errors come back as readable lines. */
function formDto<T extends object>(cls: new () => T, body: Record<string, unknown>): { dto: T; errors: string[] } {
  const dto = plainToInstance(cls, Object.fromEntries(Object.entries(body).filter(([k]) => k !== '_csrf')));
  const errors = validateSync(dto, { whitelist: true });
  return { dto, errors: flattenValidationErrors(errors).map((i) => `${i.field}：${fieldMessage(i.reason, 'zh', i.args)}`) };
}

const bool = (v: unknown) => v === true || v === 'true' || v === 'on';

/** The rectification pages: the institution's portal (notices, hazards, responses) and the bureau's ledger and verification. */
@ApiExcludeController()
@Controller()
export class RectificationWebController {
  constructor(
    private readonly rectification: RectificationService, private readonly repo: RectificationRepository,
    private readonly inspections: InspectionsRepository, private readonly dataSource: DataSource,
  ) {}

  @Get('notices')
  async notices(@CurrentUser() user: AuthUser, @Query() raw: Record<string, string>, @Res() res: Response) {
    const list = await this.rectification.notices(user, webQuery(PageQuery, raw, []).query);
    render(res, { title: '整改通知书', user, body: noticeListPage(list) });
  }

  @Get('notices/:id')
  async notice(@CurrentUser() user: AuthUser, @Param('id', noticeId) id: string, @Res() res: Response) {
    const d = await this.rectification.notice(user, id);
    render(res, { title: d.notice.noticeNo, user, body: noticeDetailPage(noticeView(user, d, shanghaiDate(new Date()), csrfOf(res))) });
  }

  @Post('notices/:id/acknowledge')
  @Can('notice.acknowledge')
  async acknowledge(@CurrentUser() user: AuthUser, @Param('id', noticeId) id: string, @Res() res: Response) {
    await this.rectification.acknowledge(user, id);
    res.redirect(303, `/notices/${id}`);
  }

  @Post('inspections/:id/notice')
  @Can('notice.issue')
  async issue(@CurrentUser() user: AuthUser, @Param('id', uuid('inspection.not_found')) id: string, @Res() res: Response) {
    const { notice } = await this.rectification.issueNotice(user, id);
    res.redirect(303, `/notices/${notice.id}`);
  }

  @Get('hazards')
  async ledger(@CurrentUser() user: AuthUser, @Query() raw: Record<string, string>, @Res() res: Response) {
    const { query, filters } = webQuery(HazardQuery, raw, ['status', 'severity', 'overdue', 'listed']);
    const page = await this.rectification.ledger(user, query);
    render(res, { title: '隐患台账', user, body: ledgerPage(page, filters, shanghaiDate(new Date())) });
  }

  @Get('hazards/:id')
  async hazard(@CurrentUser() user: AuthUser, @Param('id', hazardId) id: string, @Query('ok') ok: string | undefined, @Req() req: WebRequest, @Res() res: Response) {
    await this.renderHazard(user, id, req, res, 200, { ok: ok ? OK_MESSAGES[ok] : undefined });
  }

  @Post('hazards/:id/respond')
  @Can('hazard.respond')
  @UseInterceptors(FilesInterceptor('photos', 6))
  async respond(@CurrentUser() user: AuthUser, @Param('id') rawId: string, @Body() body: Record<string, unknown>, @UploadedFiles() files: { path: string; originalname: string }[] | undefined, @Req() req: WebRequest, @Res() res: Response) {
    try {
      // Checked here rather than by a pipe: the upload interceptor runs first, and the finally removes its files.
      const id: string = await hazardId.transform(rawId, { type: 'param', data: 'id' });
      const { dto, errors } = formDto(RespondDto, body);
      if (errors.length) return await this.renderHazard(user, id, req, res, 400, { errors });
      await this.attempt(user, id, req, res, async () => {
        const evidenceIds: string[] = [];
        for (const f of files ?? []) {
          evidenceIds.push((await this.rectification.uploadRectificationPhoto(user, id, await fs.promises.readFile(f.path), { originalName: f.originalname })).id);
        }
        await this.rectification.respond(user, id, { ...dto, evidenceIds });
        return 'responded';
      });
    } finally {
      await Promise.all((files ?? []).map((f) => fs.promises.rm(f.path, { force: true })));
    }
  }

  @Post('hazards/:id/extension')
  @Can('extension.request')
  async extension(@CurrentUser() user: AuthUser, @Param('id', hazardId) id: string, @Body() body: Record<string, unknown>, @Req() req: WebRequest, @Res() res: Response) {
    const { dto, errors } = formDto(ExtensionRequestDto, body);
    if (errors.length) return this.renderHazard(user, id, req, res, 400, { errors });
    await this.attempt(user, id, req, res, async () => (await this.rectification.requestExtension(user, id, dto), 'extension'));
  }

  @Post('hazards/:id/objection')
  @Can('objection.file')
  async objection(@CurrentUser() user: AuthUser, @Param('id', hazardId) id: string, @Body() body: Record<string, unknown>, @Req() req: WebRequest, @Res() res: Response) {
    const { dto, errors } = formDto(ObjectionDto, body);
    if (errors.length) return this.renderHazard(user, id, req, res, 400, { errors });
    await this.attempt(user, id, req, res, async () => (await this.rectification.fileObjection(user, id, dto), 'objection'));
  }

  @Post('hazards/:id/verify')
  @Can('hazard.verify')
  async verify(@CurrentUser() user: AuthUser, @Param('id', hazardId) id: string, @Body() body: Record<string, unknown>, @Req() req: WebRequest, @Res() res: Response) {
    const { dto, errors } = formDto(VerifyDto, { ...body, accept: bool(body.accept), onSite: bool(body.onSite), reason: body.reason || undefined, newDueDate: body.newDueDate || undefined });
    if (errors.length) return this.renderHazard(user, id, req, res, 400, { errors });
    await this.attempt(user, id, req, res, async () => (await this.rectification.verify(user, id, dto), dto.accept ? 'closed' : 'returned'));
  }

  @Post('extensions/:id/decide')
  @Can('extension.decide')
  async decideExtension(@CurrentUser() user: AuthUser, @Param('id', uuid('extension.not_found')) id: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const { dto, errors } = formDto(DecisionDto, { ...body, approve: bool(body.approve) });
    if (errors.length) throw AppError.validation([{ field: 'reason', reason: 'isNotEmpty' }]);
    const { hazardId } = await this.rectification.decideExtension(user, id, dto);
    res.redirect(303, `/hazards/${hazardId}?ok=decided`);
  }

  @Post('objections/:id/decide')
  @Can('objection.decide')
  async decideObjection(@CurrentUser() user: AuthUser, @Param('id', uuid('objection.not_found')) id: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const { dto, errors } = formDto(DecisionDto, { ...body, approve: bool(body.approve) });
    if (errors.length) throw AppError.validation([{ field: 'reason', reason: 'isNotEmpty' }]);
    const { hazardId } = await this.rectification.decideObjection(user, id, dto);
    res.redirect(303, `/hazards/${hazardId}?ok=decided`);
  }

  /** Public check that a printed notice is genuine (no personal data). */
  @Public()
  @Get('verify/notice/:token')
  async verifyNotice(@Param('token') token: string, @Res() res: Response) {
    const notice = /^[0-9a-f]{32}$/.test(token) ? await this.repo.noticeByToken(token) : null;
    const body = notice
      ? html`<h1>整改通知书核验</h1><section class="card"><p class="ok" role="status">此通知书由颐安系统签发，真实有效。</p><dl class="profile">
          <dt>编号</dt><dd>${notice.noticeNo}</dd><dt>机构</dt><dd>${notice.institutionName}</dd><dt>下达时间</dt><dd>${formatChineseDateTime(notice.issuedAt)}</dd>
          <dt>签收</dt><dd>${notice.acknowledgedAt ? '已签收' : '未签收'}</dd></dl></section>`
      : html`<h1>整改通知书核验</h1><p class="error" role="alert">未找到该通知书，请核对链接。</p>`;
    render(res, { status: notice ? 200 : 404, title: '通知书核验', body });
  }

  private async renderHazard(user: AuthUser, id: string, req: WebRequest, res: Response, status: number, flash: { ok?: string; errors?: string[] }) {
    const d = await this.rectification.hazard(user, id);
    // The facts the relational conditions need: who awaits verification (never its responder) and the team (never decides an objection).
    const [awaitingResponse, team] = await Promise.all([
      d.hazard.status === 'responded' && can(user, 'hazard.verify') ? this.repo.latestResponse(this.dataSource.manager, id) : null,
      can(user, 'objection.decide') ? this.inspections.teams([d.hazard.inspectionId]).then((t) => t.get(d.hazard.inspectionId) ?? []) : [],
    ]);
    const page = hazardView(user, d, { today: shanghaiDate(new Date()), awaitingResponse, team }, req.csrfToken ?? '', flash);
    render(res, { status, title: d.hazard.titleZh, user, body: hazardDetailPage(page) });
  }

  /** Runs a move; a refusal the user can act on is shown on the hazard page, anything else goes to the error page. */
  private async attempt(user: AuthUser, id: string, req: WebRequest, res: Response, work: () => Promise<string>) {
    try {
      const ok = await work();
      res.redirect(303, `/hazards/${id}?ok=${ok}`);
    } catch (err) {
      if (!(err instanceof AppError) || err.status === 404 || err.status >= 500) throw err;
      const errors = [message(err.code, 'zh', err.params), ...err.fields.map((f) => `${f.field}：${fieldMessage(f.reason, 'zh', f.args)}`)];
      await this.renderHazard(user, id, req, res, err.status, { errors });
    }
  }
}
