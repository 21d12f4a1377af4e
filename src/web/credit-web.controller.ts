import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Can, CurrentUser } from '../auth/auth.decorators';
import { AppError } from '../common/app-error';
import { fieldMessage, message } from '../common/messages';
import { AuthUser } from '../common/scope';
import { CreditService } from '../credit/credit.service';
import { PlansService } from '../inspections/plans.service';
import { CreditListQuery, DecideDishonestyDto, ObjectDishonestyDto, RepairDto, ReviewObjectionDto } from '../credit/dto/credit.dto';
import { creditLedgerPage, creditListPage } from './credit-pages';
import { CREDIT_FIELDS, creditLedgerView, creditListView, type CreditLedgerView } from './credit-view';
import { render, uuid, WebRequest } from './render';
import type { Flash } from './view-common';
import { bool, formDto } from './web-form';
import { webQuery } from './web-query';

const institutionId = uuid('credit.institution_not_found');
const decisionId = uuid('credit.decision_not_found');
const OK: Record<string, string> = {
  decided: '失信认定已作出，自认定日期起生效。', object: '申辩已提交，局方处理前认定仍然有效。', uphold: '已维持认定。', withdraw: '已撤销认定，失信措施不再执行。', repair: '已信用修复，失信措施不再执行。',
};
const text = (v: unknown) => (typeof v === 'string' ? v : '');

/** 信用评价 pages: the bureau's list, an institution's level with its ledger, and the 失信 forms (confirmed in two steps). */
@ApiExcludeController()
@Controller()
@Can('credit.read')
export class CreditWebController {
  constructor(private readonly credit: CreditService, private readonly plans: PlansService) {}

  @Get('credit')
  async list(@CurrentUser() user: AuthUser, @Query() raw: Record<string, string>, @Res() res: Response) {
    if (user.role === 'institution') return res.redirect(303, `/institutions/${user.institutionId}/credit`);
    const { query, filters } = webQuery(CreditListQuery, raw, ['divisionCode', 'level', 'dishonest', 'due']);
    render(res, { title: '信用评价', user, body: creditListPage(creditListView(await this.credit.list(user, query), filters)) });
  }

  @Get('institutions/:id/credit')
  async ledger(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Query('ok') ok: string | undefined, @Req() req: WebRequest, @Res() res: Response) {
    await this.renderLedger(user, id, req, res, 200, { ok: ok ? OK[ok] : undefined });
  }

  /** 失信认定 in two steps: the form is checked and shown back; step=commit with the box ticked decides. */
  @Post('institutions/:id/credit/dishonesty')
  @Can('credit.decide')
  async decide(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Body() body: Record<string, unknown>, @Req() req: WebRequest, @Res() res: Response) {
    const draft = { reason: text(body.reason).trim(), legalBasis: text(body.legalBasis).trim(), decidedOn: text(body.decidedOn) };
    if (body.step === 'edit') return this.renderLedger(user, id, req, res, 200, {}, { draft });
    const { dto, errors } = formDto(DecideDishonestyDto, { institutionId: id, ...draft }, CREDIT_FIELDS);
    if (errors.length) return this.renderLedger(user, id, req, res, 400, { errors }, { draft });
    if (body.step !== 'commit') return this.renderLedger(user, id, req, res, 200, {}, { confirming: draft });
    if (!bool(body.confirm)) return this.renderLedger(user, id, req, res, 400, { errors: [`${CREDIT_FIELDS.confirm}：${fieldMessage('creditConfirm', 'zh')}`] }, { confirming: draft });
    try {
      await this.credit.decide(user, dto);
      res.redirect(303, `/institutions/${id}/credit?ok=decided`);
    } catch (err) {
      if (!userFacing(err)) throw err;
      await this.renderLedger(user, id, req, res, err.status, { errors: errorLines(err) }, { draft });
    }
  }

  @Post('credit/dishonesty/:id/objection')
  @Can('credit.object')
  async object(@CurrentUser() user: AuthUser, @Param('id', decisionId) id: string, @Body() body: Record<string, unknown>, @Req() req: WebRequest, @Res() res: Response) {
    await this.act(user, id, req, res, 'object', ObjectDishonestyDto, { objection: text(body.objection) }, false, body, (dto) => this.credit.object(user, id, dto));
  }

  @Post('credit/dishonesty/:id/review')
  @Can('credit.decide')
  async review(@CurrentUser() user: AuthUser, @Param('id', decisionId) id: string, @Body() body: Record<string, unknown>, @Req() req: WebRequest, @Res() res: Response) {
    const outcome = text(body.outcome);
    await this.act(user, id, req, res, outcome === 'withdraw' ? 'withdraw' : 'uphold', ReviewObjectionDto, { outcome: outcome || undefined, note: text(body.note) }, true, body, (dto) => this.credit.review(user, id, dto));
  }

  @Post('credit/dishonesty/:id/repair')
  @Can('credit.decide')
  async repair(@CurrentUser() user: AuthUser, @Param('id', decisionId) id: string, @Body() body: Record<string, unknown>, @Req() req: WebRequest, @Res() res: Response) {
    await this.act(user, id, req, res, 'repair', RepairDto, { reason: text(body.reason) }, true, body, (dto) => this.credit.repair(user, id, dto));
  }

  private async act<T extends object>(user: AuthUser, id: string, req: WebRequest, res: Response, ok: string, cls: new () => T, input: Record<string, unknown>,
    needsConfirm: boolean, body: Record<string, unknown>, run: (dto: T) => Promise<unknown>) {
    const d = await this.credit.decision(user, id);
    const { dto, errors } = formDto(cls, input, CREDIT_FIELDS);
    if (needsConfirm && !bool(body.confirm)) errors.push(`${CREDIT_FIELDS.confirm}：${fieldMessage('creditConfirm', 'zh')}`);
    if (errors.length) return this.renderLedger(user, d.institutionId, req, res, 400, { errors });
    try {
      await run(dto);
      res.redirect(303, `/institutions/${d.institutionId}/credit?ok=${ok}`);
    } catch (err) {
      if (!userFacing(err)) throw err;
      await this.renderLedger(user, d.institutionId, req, res, err.status, { errors: errorLines(err) });
    }
  }

  private async renderLedger(user: AuthUser, id: string, req: WebRequest, res: Response, status: number, flash: Flash,
    extra: { draft?: Record<string, string>; confirming?: CreditLedgerView['confirming'] } = {}) {
    const c = await this.credit.institutionCredit(user, id);
    const strata = await this.plans.strataOf(id, c.standing);
    const view = creditLedgerView(user, c, { csrf: req.csrfToken ?? '', flash, ...extra, strata });
    const crumbs = view.back ? [view.back, { href: `/institutions/${id}`, label: c.institution.name }] : [{ href: `/institutions/${id}`, label: c.institution.name }];
    render(res, { status, title: `信用等级 · ${c.institution.name}`, user, body: creditLedgerPage(view), crumbs });
  }
}

function userFacing(err: unknown): err is AppError {
  return err instanceof AppError && err.status !== 404 && err.status < 500;
}

function errorLines(err: AppError): string[] {
  return [message(err.code, 'zh', err.params), ...err.fields.map((f) => `${CREDIT_FIELDS[f.field] ?? f.field}：${fieldMessage(f.reason, 'zh', f.args)}`)];
}
