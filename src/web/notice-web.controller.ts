import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { AppError } from '../common/app-error';
import { Can, CurrentUser, Public } from '../auth/auth.decorators';
import { formatChineseDateTime, shanghaiDate } from '../common/calendar';
import { Html, html } from '../common/html';
import { message } from '../common/messages';
import { qrSvg } from '../reports/notice-qr';
import { NoticePdfService } from '../rectification/notice-pdf.service';
import type { Flash } from './view-common';
import { PageQuery } from '../common/pagination';
import { AuthUser } from '../common/scope';
import { RectificationRepository } from '../rectification/rectification.repository';
import { RectificationService } from '../rectification/rectification.service';
import { noticeDetailPage, noticeListPage, noticePreviewPage, noticePrintPage } from './notice-pages';
import { noticeDetailView, noticePreviewView, noticeStatusJson } from './notice-view';
import { csrfOf, render, uuid } from './render';
import { webQuery } from './web-query';

const noticeId = uuid('notice.not_found');
const inspectionId = uuid('inspection.not_found');
const OK_MESSAGES: Record<string, string> = {
  issued: '整改通知书已下达，机构已收到站内通知。',
  already_issued: '本次检查的整改通知书已经下达，以下是已下达的通知书（每次检查只下达一份）。',
};

/** 整改通知书 pages: issuing from a submitted inspection, the list, one notice, 签收, and the public authenticity check. */
@ApiExcludeController()
@Controller()
export class NoticeWebController {
  constructor(
    private readonly rectification: RectificationService, private readonly repo: RectificationRepository, private readonly noticePdfs: NoticePdfService,
  ) {}

  @Get('notices')
  async notices(@CurrentUser() user: AuthUser, @Query() raw: Record<string, string>, @Res() res: Response) {
    const list = await this.rectification.notices(user, webQuery(PageQuery, raw, []).query);
    render(res, { title: '整改通知书', user, body: noticeListPage(list) });
  }

  @Get('notices/:id')
  async notice(@CurrentUser() user: AuthUser, @Param('id', noticeId) id: string, @Query('ok') ok: string | undefined, @Res() res: Response) {
    const view = await this.detailView(user, id, res, ok && OK_MESSAGES[ok] ? { ok: OK_MESSAGES[ok] } : undefined);
    render(res, { title: view.notice.noticeNo, user, crumbs: [{ href: '/notices', label: '整改通知书' }], body: noticeDetailPage(view) });
  }

  /** What the notice page polls until the PDF is rendered (scoped like the notice). */
  @Get('notices/:id/status')
  async status(@CurrentUser() user: AuthUser, @Param('id', noticeId) id: string, @Res() res: Response) {
    const { notice } = await this.rectification.notice(user, id);
    res.setHeader('Cache-Control', 'no-store');
    res.json(noticeStatusJson(notice));
  }

  /** 打印版: the notice in HTML with print styles (the same content as the PDF). */
  @Get('notices/:id/print')
  async print(@CurrentUser() user: AuthUser, @Param('id', noticeId) id: string, @Res() res: Response) {
    const view = await this.detailView(user, id, res);
    render(res, {
      title: `${view.notice.noticeNo} 打印版`, user,
      crumbs: [{ href: '/notices', label: '整改通知书' }, { href: `/notices/${id}`, label: view.notice.noticeNo }], body: noticePrintPage(view),
    });
  }

  @Post('notices/:id/acknowledge')
  @Can('notice.acknowledge')
  async acknowledge(@CurrentUser() user: AuthUser, @Param('id', noticeId) id: string, @Res() res: Response) {
    await this.rectification.acknowledge(user, id);
    res.redirect(303, `/notices/${id}`);
  }

  /** 预览: the notice as it would be issued now, with the number it would get (nothing is reserved or written). */
  @Get('inspections/:id/notice/preview')
  async preview(@CurrentUser() user: AuthUser, @Param('id', inspectionId) id: string, @Res() res: Response) {
    await this.renderPreview(user, id, res, 200, []);
  }

  /** 确认下达: only with the confirmation ticked; a second submit finds the notice already issued (one per inspection). */
  @Post('inspections/:id/notice')
  @Can('notice.issue')
  async issue(@CurrentUser() user: AuthUser, @Param('id', inspectionId) id: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    if (body?.confirmed !== 'yes') return this.renderPreview(user, id, res, 400, [message('notice.confirm_required', 'zh')]);
    // The number the officer confirmed: if another notice took it first, nothing is issued and the preview says so.
    const expectedNo = typeof body.expectedNo === 'string' && body.expectedNo ? body.expectedNo : undefined;
    try {
      const { notice, created } = await this.rectification.issueNotice(user, id, expectedNo);
      res.redirect(303, `/notices/${notice.id}?ok=${created ? 'issued' : 'already_issued'}`);
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'notice.number_changed') throw err;
      return this.renderPreview(user, id, res, 409, [message(err.code, 'zh', err.params)]);
    }
  }

  private async renderPreview(user: AuthUser, id: string, res: Response, status: number, errors: string[]) {
    const preview = await this.noticePdfs.preview(user, id);
    if (preview.kind === 'issued') return res.redirect(303, `/notices/${preview.notice.id}?ok=already_issued`);
    const { institutionName } = preview;
    const view = noticePreviewView({ inspectionId: id, institutionName, expectedNo: preview.expectedNo, hazardCount: preview.hazardCount, content: preview.content }, csrfOf(res), errors);
    render(res, {
      status, title: '整改通知书预览', user,
      crumbs: [{ href: '/inspections', label: '检查' }, { href: `/inspections/${id}`, label: `${institutionName} · 检查记录` }], body: noticePreviewPage(view),
    });
  }

  private async detailView(user: AuthUser, id: string, res: Response, flash?: Flash) {
    const [d, { content }] = await Promise.all([this.rectification.notice(user, id), this.noticePdfs.content(user, id)]);
    const qr = new Html(await qrSvg(content.verifyUrl, `核验二维码：${content.verifyUrl}`));
    return noticeDetailView(user, { ...d, content, qr }, shanghaiDate(new Date()), csrfOf(res), flash);
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
}
