import { Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Can, CurrentUser, Public } from '../auth/auth.decorators';
import { formatChineseDateTime, shanghaiDate } from '../common/calendar';
import { html } from '../common/html';
import { PageQuery } from '../common/pagination';
import { AuthUser } from '../common/scope';
import { RectificationRepository } from '../rectification/rectification.repository';
import { RectificationService } from '../rectification/rectification.service';
import { noticeDetailPage, noticeListPage } from './notice-pages';
import { noticeView } from './notice-view';
import { csrfOf, render, uuid } from './render';
import { webQuery } from './web-query';

const noticeId = uuid('notice.not_found');

/** 整改通知书 pages: issuing from a submitted inspection, the list, one notice, 签收, and the public authenticity check. */
@ApiExcludeController()
@Controller()
export class NoticeWebController {
  constructor(private readonly rectification: RectificationService, private readonly repo: RectificationRepository) {}

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
