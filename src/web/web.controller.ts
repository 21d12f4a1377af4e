import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { Can, CurrentUser, OptionalUser, Public } from '../auth/auth.decorators';
import { SessionsService } from '../sessions/sessions.service';
import { isSameOriginRequest } from '../auth/same-origin';
import { clearSessionCookie, setSessionCookie } from '../auth/session-cookie';
import { AppError } from '../common/app-error';
import { message } from '../common/messages';
import { AuthUser } from '../common/scope';
import { APP_CONFIG, AppConfig } from '../config/env';
import { WebService } from './web.service';
import * as path from 'node:path';
import { shanghaiDate } from '../common/calendar';
import { projectRoot } from '../common/project-root';
import { InspectionsService } from '../inspections/inspections.service';
import { inspectionFormPage } from './inspection-form.page';
import { DashboardQuery } from '../dashboard/dashboard.controller';
import { DashboardService } from '../dashboard/dashboard.service';
import { dashboardPage } from './dashboard-page';
import { inspectionDetailPage, inspectionListPage } from './inspection-pages';
import { csrfOf, render, uuid, WebRequest } from './render';
import { homeView, inspectionListView, inspectionView, institutionView } from './view-models';
import { webQuery } from './web-query';
import { InspectionQuery } from '../inspections/dto/inspection.dto';
import { applicabilityPage, homePage, institutionDetailPage, institutionListPage, loginPage } from './pages';
import { ChecklistsService } from '../checklists/checklists.service';

const LOGIN_CSRF_COOKIE = 'yian_login_csrf';

/** Server-rendered pages for the three kinds of user. Each page is a thin wrapper over the same services as the API. */
@ApiExcludeController()
@Controller()
export class WebController {
  constructor(
    private readonly auth: SessionsService,
    private readonly web: WebService,
    private readonly checklists: ChecklistsService,
    private readonly inspections: InspectionsService,
    private readonly dashboard: DashboardService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Get()
  async home(@OptionalUser() user: AuthUser | undefined, @Res() res: Response) {
    if (!user) return res.redirect(303, '/login');
    const data = await this.web.homeData(user);
    render(res, { title: '首页', user, body: homePage(homeView(user, data, shanghaiDate(new Date()))) });
  }

  @Public()
  @Get('login')
  loginForm(@Query('next') next: string | undefined, @Res() res: Response) {
    this.renderLogin(res, 200, { next: safeNext(next) });
  }

  /** Login CSRF: a double-submit token (cookie + hidden field), since there is no session yet. */
  @Public()
  @Post('login')
  async login(@Body() body: Record<string, string>, @Req() req: Request, @Res() res: Response) {
    const next = safeNext(body.next);
    const cookieToken = (req.cookies as Record<string, string>)[LOGIN_CSRF_COOKIE] ?? '';
    const sent = String(body._csrf ?? '');
    if (!isSameOriginRequest(req, this.config.PUBLIC_URL) || !cookieToken || sent.length !== cookieToken.length || !timingSafeEqual(Buffer.from(sent), Buffer.from(cookieToken))) {
      return this.renderLogin(res, 403, { next, username: body.username, error: message('csrf.invalid', 'zh') });
    }
    try {
      const s = await this.auth.login(String(body.username ?? ''), String(body.password ?? ''), req.ip ?? 'unknown', 'web');
      setSessionCookie(res, s.token, s.expiresAt, this.config.COOKIE_SECURE);
      res.clearCookie(LOGIN_CSRF_COOKIE, { path: '/login' });
      return res.redirect(303, next);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      return this.renderLogin(res, err.status, { next, username: body.username, error: message(err.code, 'zh', err.params) });
    }
  }

  @Post('logout')
  @Can('session.end')
  async logout(@Req() req: WebRequest, @Res() res: Response) {
    if (req.sessionToken) await this.auth.logout(req.sessionToken);
    clearSessionCookie(res);
    res.redirect(303, '/login');
  }

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

  @Get('inspections')
  async inspectionList(@CurrentUser() user: AuthUser, @Query() raw: Record<string, string>, @Res() res: Response) {
    const { query, filters } = webQuery(InspectionQuery, raw, ['status']);
    const list = await this.inspections.list(user, query);
    render(res, { title: '检查', user, body: inspectionListPage(inspectionListView(user, list, filters.status ?? '')) });
  }

  @Get('inspections/:id')
  async inspection(@CurrentUser() user: AuthUser, @Param('id', uuid('inspection.not_found')) id: string, @Res() res: Response) {
    const detail = await this.inspections.detail(user, id);
    render(res, { title: detail.institution.name, user, body: inspectionDetailPage(inspectionView(user, detail, shanghaiDate(new Date()), csrfOf(res))) });
  }

  /** The on-site form: a shell the client script fills from /api/inspections/:id/form and the local draft. */
  @Get('inspections/:id/fill')
  @Can('inspection.form_page')
  async fill(@CurrentUser() user: AuthUser, @Param('id', uuid('inspection.not_found')) id: string, @Res() res: Response) {
    const detail = await this.inspections.detail(user, id);
    res.setHeader('Cache-Control', 'no-cache');
    render(res, {
      title: `现场检查 · ${detail.institution.name}`, user,
      body: inspectionFormPage({ inspectionId: id, institutionName: detail.institution.name, csrfToken: csrfOf(res) }),
    });
  }

  @Get('dashboard')
  @Can('dashboard.read')
  async dashboardPage(@CurrentUser() user: AuthUser, @Query() query: DashboardQuery, @Res() res: Response) {
    const data = await this.dashboard.dashboard(user, query);
    const divisions = await this.web.divisionsFor(user);
    render(res, { title: '监管看板', user, body: dashboardPage(data, divisions) });
  }

  /** The service worker must be served from the root to control the form pages. */
  @Public()
  @Get('sw.js')
  serviceWorker(@Res() res: Response) {
    res.setHeader('Service-Worker-Allowed', '/');
    res.setHeader('Cache-Control', 'no-cache');
    res.type('application/javascript').sendFile('sw.js', { root: path.join(projectRoot(), 'src', 'web', 'static'), dotfiles: 'allow' });
  }

  private renderLogin(res: Response, status: number, opts: { next: string; username?: string; error?: string }) {
    const csrf = randomBytes(24).toString('base64url');
    res.cookie(LOGIN_CSRF_COOKIE, csrf, { httpOnly: true, sameSite: 'strict', secure: this.config.COOKIE_SECURE, path: '/login' });
    render(res, { status, title: '登录', body: loginPage({ csrf, ...opts }) });
  }
}

/** Only same-site paths, so the login form cannot be used as an open redirect. */
function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?!\/)[^\s\\]*$/.test(next) && !next.startsWith('/login') ? next : '/';
}

