import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuthUser } from '../common/scope';
import { Can, CurrentUser, Public } from '../auth/auth.decorators';
import { SessionsService } from './sessions.service';
import { LoginDto } from './dto/login.dto';
import { SameOriginGuard } from '../auth/same-origin';
import { clearSessionCookie, setSessionCookie } from '../auth/session-cookie';
import { APP_CONFIG, AppConfig } from '../config/env';

@ApiTags('auth 登录')
@Controller('api/auth')
export class SessionsController {
  constructor(private readonly auth: SessionsService, @Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Public()
  @Post('tokens')
  @HttpCode(201)
  @ApiOperation({ summary: '以用户名和密码换取 API 令牌（Bearer）/ exchange credentials for a bearer token' })
  async token(@Body() dto: LoginDto, @Req() req: Request) {
    const s = await this.auth.login(dto.username, dto.password, req.ip ?? 'unknown', 'api');
    return { token: s.token, tokenType: 'Bearer', expiresAt: s.expiresAt, user: s.user };
  }

  @Public()
  @Post('login')
  @UseGuards(SameOriginGuard)
  @HttpCode(200)
  @ApiOperation({ summary: '网页登录：设置 httpOnly 会话 Cookie，返回 CSRF 令牌 / web sign-in (session cookie + CSRF token)' })
  async login(@Body() dto: LoginDto, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const s = await this.auth.login(dto.username, dto.password, req.ip ?? 'unknown', 'web');
    setSessionCookie(res, s.token, s.expiresAt, this.config.COOKIE_SECURE);
    return { user: s.user, csrfToken: s.csrfToken, expiresAt: s.expiresAt };
  }

  @Post('logout')
  @Can('session.end')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: '退出登录（使当前会话或令牌失效）/ sign out' })
  async logout(@Req() req: Request & { sessionToken?: string }, @Res({ passthrough: true }) res: Response) {
    if (req.sessionToken) await this.auth.logout(req.sessionToken);
    clearSessionCookie(res);
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOperation({ summary: '当前账号 / the signed-in account' })
  me(@CurrentUser() user: AuthUser) {
    return user;
  }
}
