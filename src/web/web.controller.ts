import { Body, Controller, Get, Inject, Post, Query, Req, Res } from '@nestjs/common';
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
import { formatChineseDateTime, shanghaiDate } from '../common/calendar';
import { label } from '../common/vocabulary';
import { AlarmQuery } from '../devices/dto/device.dto';
import { DevicesService } from '../devices/devices.service';
import { projectRoot } from '../common/project-root';
import { csrfOf, render, WebRequest } from './render';
import { homeView } from './home-view';
import { homePage, loginPage } from './pages';
import { WorkspaceWebData } from './workspace-web.service';
import { workspaceHistoryView, workspaceHomeView, workspaceScoreView } from './workspace-view';
import { workspaceHistoryPage, workspaceHomePage, workspaceScorePage } from './workspace-pages';

const LOGIN_CSRF_COOKIE = 'yian_login_csrf';
/** 24 random bytes in base64url. */
const LOGIN_TOKEN = /^[A-Za-z0-9_-]{32}$/;

/** Server-rendered pages for the three kinds of user. Each page is a thin wrapper over the same services as the API. */
@ApiExcludeController()
@Controller()
export class WebController {
  constructor(
    private readonly auth: SessionsService,
    private readonly web: WebService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    /** 机构工作台's data (issue 14). */
    private readonly workspace: WorkspaceWebData,
    /** 待确认的报警 on the institution's home (issue 17). */
    private readonly devices: DevicesService,
  ) {}

  @Public()
  @Get()
  async home(@OptionalUser() user: AuthUser | undefined, @Res() res: Response) {
    if (!user) return res.redirect(303, '/login');
    if (user.role === 'institution' && user.institutionId) {
      const today = shanghaiDate(new Date());
      const [home, open] = await Promise.all([this.workspace.home(user), this.devices.alarms(user, Object.assign(new AlarmQuery(), { state: 'unconfirmed' as const, page: 1, pageSize: 1 }))]);
      const first = open.items[0] ? `${label('deviceEventKind', open.items[0].kind)}：${open.items[0].location}（${formatChineseDateTime(open.items[0].raisedAt)}）。` : null;
      return render(res, { title: '首页', user, body: workspaceHomePage(workspaceHomeView(home, today, csrfOf(res)), { open: open.total, first }) });
    }
    const data = await this.web.homeData(user);
    render(res, { title: '首页', user, body: homePage(homeView(user, data, shanghaiDate(new Date()), csrfOf(res))) });
  }

  /** 安全评分 of the institution's workspace: the score's ledger, the grade in force, the approved subsidy lines (institution accounts only). */
  @Get('workspace/score')
  async workspaceScore(@CurrentUser() user: AuthUser, @Res() res: Response) {
    const view = workspaceScoreView(await this.workspace.score(user), shanghaiDate(new Date()));
    render(res, { title: '安全评分', user, body: workspaceScorePage(view) });
  }

  /** 历史 of the institution's workspace: submitted inspections (record PDF) and every hazard, two pagers (`ip`, `hp`). */
  @Get('workspace/history')
  async workspaceHistory(@CurrentUser() user: AuthUser, @Query('ip') ip: string | undefined, @Query('hp') hp: string | undefined, @Res() res: Response) {
    const page = (v: string | undefined) => Math.min(Math.max(1, Number.parseInt(v ?? '1', 10) || 1), 10_000);
    const view = workspaceHistoryView(await this.workspace.history(user, { inspections: page(ip), hazards: page(hp) }));
    render(res, { title: '检查与隐患历史', user, body: workspaceHistoryPage(view) });
  }

  @Public()
  @Get('login')
  loginForm(@Query('next') next: string | undefined, @Req() req: Request, @Res() res: Response) {
    this.renderLogin(req, res, 200, { next: safeNext(next) });
  }

  /** Login CSRF: a double-submit token (cookie + hidden field), since there is no session yet. */
  @Public()
  @Post('login')
  async login(@Body() body: Record<string, string>, @Req() req: Request, @Res() res: Response) {
    const next = safeNext(body.next);
    const cookieToken = (req.cookies as Record<string, string>)[LOGIN_CSRF_COOKIE] ?? '';
    const sent = String(body._csrf ?? '');
    if (!isSameOriginRequest(req, this.config.PUBLIC_URL) || !cookieToken || sent.length !== cookieToken.length || !timingSafeEqual(Buffer.from(sent), Buffer.from(cookieToken))) {
      return this.renderLogin(req, res, 403, { next, username: body.username, error: message('csrf.invalid', 'zh') });
    }
    try {
      const s = await this.auth.login(String(body.username ?? ''), String(body.password ?? ''), req.ip ?? 'unknown', 'web');
      setSessionCookie(res, s.token, s.expiresAt, this.config.COOKIE_SECURE);
      res.clearCookie(LOGIN_CSRF_COOKIE, { path: '/login' });
      return res.redirect(303, next);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      return this.renderLogin(req, res, err.status, { next, username: body.username, error: message(err.code, 'zh', err.params) });
    }
  }

  @Post('logout')
  @Can('session.end')
  async logout(@Req() req: WebRequest, @Res() res: Response) {
    if (req.sessionToken) await this.auth.logout(req.sessionToken);
    clearSessionCookie(res);
    res.redirect(303, '/login');
  }

  /** The service worker must be served from the root to control the form pages. */
  @Public()
  @Get('sw.js')
  serviceWorker(@Res() res: Response) {
    res.setHeader('Service-Worker-Allowed', '/');
    res.setHeader('Cache-Control', 'no-cache');
    res.type('application/javascript').sendFile('sw.js', { root: path.join(projectRoot(), 'src', 'web', 'static'), dotfiles: 'allow' });
  }

  /**
   * The login token stays the same for the browser until it signs in (the cookie is cleared then): a second load of
   * /login — another tab, or a page of the signed-out app fetched in the background and redirected here — must not
   * turn the form already on screen into "页面已过期". A cookie that is not one of our tokens is replaced.
   */
  private renderLogin(req: Request, res: Response, status: number, opts: { next: string; username?: string; error?: string }) {
    const held = (req.cookies as Record<string, string> | undefined)?.[LOGIN_CSRF_COOKIE];
    const csrf = typeof held === 'string' && LOGIN_TOKEN.test(held) ? held : randomBytes(24).toString('base64url');
    res.cookie(LOGIN_CSRF_COOKIE, csrf, { httpOnly: true, sameSite: 'strict', secure: this.config.COOKIE_SECURE, path: '/login' });
    render(res, { status, title: '登录', body: loginPage({ csrf, ...opts }) });
  }
}

/** Only same-site paths, so the login form cannot be used as an open redirect. */
function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?!\/)[^\s\\]*$/.test(next) && !next.startsWith('/login') ? next : '/';
}

