import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Can, CurrentUser } from '../auth/auth.decorators';
import { AuditService } from '../audit/audit.service';
import { AuditQuery } from '../audit/dto/audit-query.dto';
import { AppError } from '../common/app-error';
import { fieldMessage, message } from '../common/messages';
import { AuthUser, scopeOf } from '../common/scope';
import { InstitutionsRepository } from '../institutions/institutions.repository';
import { InstitutionsService } from '../institutions/institutions.service';
import { AccountActionDto, CreateUserDto, UserQuery, WarrantNoDto } from '../users/dto/user.dto';
import { PendingPasswords } from '../users/one-time-password';
import type { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { accountConfirmPage, accountDetailPage, accountFormPage, accountListPage, issuedPasswordPage } from './account-pages';
import {
  accountConfirmView, AccountConfirmKind, accountDetailView, accountFormView, accountListView, auditLogView, issuedPasswordView, placeOf,
} from './account-view';
import { auditLogPage } from './audit-pages';
import type { Flash } from './view-common';
import { csrfOf, render, uuid } from './render';
import { formDto } from './web-form';
import { webQuery } from './web-query';
import { WebService } from './web.service';

const accountId = uuid('user.not_found');
const ACCOUNTS = { href: '/accounts', label: '账号' };
const OK: Record<string, string> = { disabled: '账号已停用，它的所有会话已结束。', enabled: '账号已重新启用。', warrant: '执法证号已保存。' };
const FIELD_LABELS: Record<string, string> = {
  username: '用户名', displayName: '姓名', role: '角色', divisionCode: '行政区划', institutionId: '机构', password: '密码', status: '状态', version: '版本', warrantNo: '执法证号',
};

/** 账号 and 审计日志 pages (/accounts…, /audit…), admin only. Thin: the users and audit services decide and scope. */
@ApiExcludeController()
@Controller()
export class AccountWebController {
  constructor(
    private readonly users: UsersService,
    private readonly audit: AuditService,
    private readonly pending: PendingPasswords,
    private readonly web: WebService,
    private readonly institutions: InstitutionsService,
    private readonly institutionsRepo: InstitutionsRepository,
  ) {}

  // ------------------------------------------------------------ accounts

  @Get('accounts')
  @Can('account.manage')
  async list(@CurrentUser() user: AuthUser, @Query() raw: Record<string, string>, @Query('ok') ok: string | undefined, @Res() res: Response) {
    const { query, filters } = webQuery(UserQuery, raw, ['q', 'role', 'status', 'divisionCode']);
    const [page, divisions] = await Promise.all([this.users.list(user, query), this.web.divisionsFor(user)]);
    const institutionNames = await this.institutionNames(user, page.items);
    render(res, { title: '账号', user, body: accountListPage(accountListView(user, page, filters, divisions, institutionNames, { ok: ok ? OK[ok] : undefined })) });
  }

  @Get('accounts/new')
  @Can('account.manage')
  async newForm(@CurrentUser() user: AuthUser, @Res() res: Response) {
    await this.renderForm(user, res, 200, {});
  }

  @Post('accounts')
  @Can('account.manage')
  async create(@CurrentUser() user: AuthUser, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const draft = Object.fromEntries(['username', 'displayName', 'role', 'divisionCode', 'institutionId', 'warrantNo'].map((k) => [k, typeof body[k] === 'string' ? (body[k] as string).trim() : '']));
    // Only the field the role uses is sent: a division (and the 执法证号) for bureau and inspector accounts, an institution otherwise.
    const input = {
      username: draft.username, displayName: draft.displayName, role: draft.role,
      ...(draft.role === 'institution' ? { institutionId: draft.institutionId || undefined } : { divisionCode: draft.divisionCode || undefined, warrantNo: draft.warrantNo || undefined }),
    };
    const { dto, errors } = formDto(CreateUserDto, input, FIELD_LABELS);
    if (errors.length) return this.renderForm(user, res, 400, draft, { errors });
    try {
      const created = await this.users.create(user, dto);
      this.pending.put(user.id, created.id, created.oneTimePassword!);
      res.redirect(303, `/accounts/${created.id}/issued?reason=created`);
    } catch (err) {
      if (!(err instanceof AppError) || err.status === 404 || err.status >= 500) throw err;
      await this.renderForm(user, res, err.status, draft, { errors: errorLines(err) });
    }
  }

  @Get('accounts/:id')
  @Can('account.manage')
  async detail(@CurrentUser() user: AuthUser, @Param('id', accountId) id: string, @Query('ok') ok: string | undefined, @Res() res: Response) {
    await this.renderDetail(user, id, res, 200, { ok: ok ? OK[ok] : undefined });
  }

  /** The one-time password, shown once to the admin who had it issued; a second look shows that it is gone. */
  @Get('accounts/:id/issued')
  @Can('account.manage')
  async issued(@CurrentUser() user: AuthUser, @Param('id', accountId) id: string, @Query('reason') reason: string | undefined, @Res() res: Response) {
    const account = await this.users.get(user, id);
    const password = this.pending.take(user.id, id);
    const why = reason === 'reset' ? 'reset' : 'created';
    render(res, {
      title: why === 'reset' ? '密码已重置' : '账号已创建', user, crumbs: [ACCOUNTS, { href: `/accounts/${id}`, label: account.displayName }],
      body: issuedPasswordPage(issuedPasswordView(account, password, why)),
    });
  }

  @Get('accounts/:id/disable')
  @Can('account.manage')
  async disableForm(@CurrentUser() user: AuthUser, @Param('id', accountId) id: string, @Res() res: Response) {
    await this.renderConfirm(user, id, 'disable', res, 200);
  }

  @Post('accounts/:id/disable')
  @Can('account.manage')
  async disable(@CurrentUser() user: AuthUser, @Param('id', accountId) id: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    await this.confirmed(user, id, 'disable', body, res, async (version) => {
      await this.users.setStatus(user, id, 'disabled', version);
      res.redirect(303, `/accounts/${id}?ok=disabled`);
    });
  }

  @Post('accounts/:id/enable')
  @Can('account.manage')
  async enable(@CurrentUser() user: AuthUser, @Param('id', accountId) id: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const { dto, errors } = formDto(AccountActionDto, { version: Number(body.version) }, FIELD_LABELS);
    if (errors.length) return this.renderDetail(user, id, res, 400, { errors });
    try {
      await this.users.setStatus(user, id, 'active', dto.version);
      res.redirect(303, `/accounts/${id}?ok=enabled`);
    } catch (err) {
      if (!(err instanceof AppError) || err.status === 404 || err.status >= 500) throw err;
      await this.renderDetail(user, id, res, err.status, { errors: errorLines(err) });
    }
  }

  /** 执法证号: set, changed or cleared (empty) on the account page; audited as an account update. */
  @Post('accounts/:id/warrant')
  @Can('account.manage')
  async warrant(@CurrentUser() user: AuthUser, @Param('id', accountId) id: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const { dto, errors } = formDto(WarrantNoDto, { warrantNo: typeof body.warrantNo === 'string' ? body.warrantNo.trim() : '', version: Number(body.version) }, FIELD_LABELS);
    if (errors.length) return this.renderDetail(user, id, res, 400, { errors });
    try {
      await this.users.update(user, id, { warrantNo: dto.warrantNo, version: dto.version });
      res.redirect(303, `/accounts/${id}?ok=warrant`);
    } catch (err) {
      if (!(err instanceof AppError) || err.status === 404 || err.status >= 500) throw err;
      await this.renderDetail(user, id, res, err.status, { errors: errorLines(err) });
    }
  }

  @Get('accounts/:id/reset-password')
  @Can('account.manage')
  async resetForm(@CurrentUser() user: AuthUser, @Param('id', accountId) id: string, @Res() res: Response) {
    await this.renderConfirm(user, id, 'reset', res, 200);
  }

  @Post('accounts/:id/reset-password')
  @Can('account.manage')
  async reset(@CurrentUser() user: AuthUser, @Param('id', accountId) id: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    await this.confirmed(user, id, 'reset', body, res, async (version) => {
      const { oneTimePassword } = await this.users.resetPassword(user, id, version);
      this.pending.put(user.id, id, oneTimePassword);
      res.redirect(303, `/accounts/${id}/issued?reason=reset`);
    });
  }

  // ------------------------------------------------------------ audit log

  @Get('audit')
  @Can('audit.read')
  async auditLog(@CurrentUser() user: AuthUser, @Query() raw: Record<string, string>, @Res() res: Response) {
    const { query, filters } = webQuery(AuditQuery, raw, ['entityType', 'entityId', 'actor', 'action', 'from', 'to']);
    const [page, choices, status] = await Promise.all([
      this.audit.list(user.divisionPath, query), this.audit.filterChoices(user.divisionPath), this.audit.status(user.divisionPath),
    ]);
    render(res, { title: '审计日志', user, body: auditLogPage(auditLogView(user, page, filters, choices, status, raw.verified === '1', csrfOf(res))) });
  }

  /** 校验审计链: a POST (it records the result as the last verification, so a page elsewhere cannot trigger it by a link). */
  @Post('audit/verify')
  @Can('audit.verify')
  async verify(@CurrentUser() user: AuthUser, @Res() res: Response) {
    await this.audit.verifyAndRecord(user.divisionPath, user.id);
    res.redirect(303, '/audit?verified=1#verification');
  }

  // ------------------------------------------------------------ helpers

  private async institutionNames(user: AuthUser, accounts: User[]): Promise<Map<string, string>> {
    const ids = [...new Set(accounts.map((u) => u.institutionId).filter((i): i is string => !!i))];
    return this.institutionsRepo.namesByIds(scopeOf(user), ids);
  }

  private async renderForm(user: AuthUser, res: Response, status: number, draft: Record<string, string>, flash?: Flash) {
    const [divisions, institutions] = await Promise.all([
      this.web.divisionsFor(user),
      this.institutions.list(user, { page: 1, pageSize: 100 }),
    ]);
    render(res, { status, title: '新建账号', user, crumbs: [ACCOUNTS], body: accountFormPage(accountFormView(csrfOf(res), divisions, institutions.items, draft, flash)) });
  }

  private async renderDetail(user: AuthUser, id: string, res: Response, status: number, flash?: Flash) {
    const account = await this.users.get(user, id);
    const divisions = await this.web.divisionsFor(user);
    const names = await this.institutionNames(user, [account]);
    const place = placeOf(account, new Map(divisions.map((d) => [d.code, d.name])), names);
    render(res, { status, title: account.displayName, user, crumbs: [ACCOUNTS], body: accountDetailPage(accountDetailView(user, account, place, csrfOf(res), flash)) });
  }

  private async renderConfirm(user: AuthUser, id: string, kind: AccountConfirmKind, res: Response, status: number, flash?: Flash) {
    const account = await this.users.get(user, id);
    const v = accountConfirmView(kind, account, csrfOf(res), flash);
    render(res, { status, title: v.title, user, crumbs: [ACCOUNTS, { href: `/accounts/${id}`, label: account.displayName }], body: accountConfirmPage(v) });
  }

  /** A confirmation form: refused without the checkbox; a refusal the admin can act on is shown on the same page. */
  private async confirmed(user: AuthUser, id: string, kind: AccountConfirmKind, body: Record<string, unknown>, res: Response, work: (version: number) => Promise<void>) {
    const { dto, errors } = formDto(AccountActionDto, { version: Number(body.version) }, FIELD_LABELS);
    if (body.confirm !== 'on') errors.push(message('account.confirm_required', 'zh'));
    if (errors.length) return this.renderConfirm(user, id, kind, res, 400, { errors });
    try {
      await work(dto.version);
    } catch (err) {
      if (!(err instanceof AppError) || err.status === 404 || err.status >= 500) throw err;
      await this.renderConfirm(user, id, kind, res, err.status, { errors: errorLines(err) });
    }
  }
}

function errorLines(err: AppError): string[] {
  return [message(err.code, 'zh', err.params), ...err.fields.map((f) => `${FIELD_LABELS[f.field] ?? f.field}：${fieldMessage(f.reason, 'zh', f.args)}`)];
}
