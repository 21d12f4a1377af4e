import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Can, CurrentUser } from '../auth/auth.decorators';
import { AppError, FieldIssue } from '../common/app-error';
import { shanghaiDate } from '../common/calendar';
import { message } from '../common/messages';
import { AuthUser } from '../common/scope';
import { PlanQuery, CreatePlanDto, UpdatePlanDto } from '../inspections/dto/plan.dto';
import { editRefusal } from '../inspections/domain/plan-rules';
import { PlansService } from '../inspections/plans.service';
import { pager } from './components';
import { planDetailPage, planFormPage, planListPage } from './plan-pages';
import {
  FieldErrors, fieldErrors, newPlanValues, planDetailView, planFormIssues, planFormOf, planFormValues, planFormView, PlanFormValues, planListView,
  planRequest, VerifyOutcome,
} from './plan-view';
import { csrfOf, render, uuid } from './render';
import { webQuery } from './web-query';

const planId = uuid('plan.not_found');
const CRUMBS = [{ href: '/plans', label: '检查计划' }];
const OK_MESSAGES: Record<string, string> = {
  created: '计划已保存并完成抽取。请核对抽取结果；公示前仍可编辑。',
  updated: '修改已保存。', redrawn: '修改已保存，并已按新的条件重新抽取。',
  published: '已公示。抽查结果已在结果公示页公开。',
};

/** 检查计划 and 双随机 pages (/plans…): the same PlansService as /api/inspection-plans, scoped the same way. */
@ApiExcludeController()
@Can('plan.read')
@Controller()
export class PlanWebController {
  constructor(private readonly plans: PlansService) {}

  @Get('plans')
  async list(@CurrentUser() user: AuthUser, @Query() raw: Record<string, string>, @Query('ok') ok: string | undefined, @Res() res: Response) {
    const { query, filters } = webQuery(PlanQuery, raw, ['status', 'kind', 'periodFrom', 'periodTo']);
    const [page, names] = await Promise.all([this.plans.plans(user, query), this.plans.divisionNames(user)]);
    const view = planListView(user, page, filters, names);
    render(res, { title: '检查计划', user, body: planListPage(view, pager(page, '/plans', filters, '项计划'), { ok: ok ? OK_MESSAGES[ok] : undefined }) });
  }

  // Literal routes before `plans/:id` (the uuid pipe would answer 404 for "new").
  @Get('plans/new')
  async newForm(@CurrentUser() user: AuthUser, @Res() res: Response) {
    const options = await this.plans.formOptions(user);
    await this.renderForm(user, res, 200, { mode: 'create', values: newPlanValues(user.divisionCode, options.defaults) }, options);
  }

  @Post('plans')
  @Can('plan.create')
  async create(@CurrentUser() user: AuthUser, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const values = planFormValues(body);
    const request = planRequest(values, 'create');
    const issues = planFormIssues(request, 'create');
    if (issues.length) return this.renderForm(user, res, 400, { mode: 'create', values, errors: fieldErrors(issues) });
    await this.attempt(user, res, { mode: 'create', values }, async () => {
      const plan = await this.plans.createPlan(user, request as unknown as CreatePlanDto);
      return `/plans/${plan.id}?ok=created`;
    });
  }

  @Get('plans/:id')
  async detail(@CurrentUser() user: AuthUser, @Param('id', planId) id: string, @Query('ok') ok: string | undefined, @Res() res: Response) {
    await this.renderDetail(user, id, res, 200, { flash: { ok: ok ? OK_MESSAGES[ok] : undefined } });
  }

  /** 重新核验抽取: GET /api/inspection-plans/:id/verify, its outcome shown on the plan page. */
  @Get('plans/:id/verify')
  async verify(@CurrentUser() user: AuthUser, @Param('id', planId) id: string, @Res() res: Response) {
    const outcome = await this.plans.verifyPlan(user, id);
    await this.renderDetail(user, id, res, 200, { verify: { reproducible: outcome.reproducible, at: new Date(), selected: outcome.result.selected.length } });
  }

  @Get('plans/:id/edit')
  async editForm(@CurrentUser() user: AuthUser, @Param('id', planId) id: string, @Res() res: Response) {
    const d = await this.plans.planDetail(user, id);
    // Past editing (published, or an inspection started): the plan page says why.
    if (editRefusal(d.plan, d.plan.progress)) return res.redirect(303, `/plans/${id}`);
    const values = { ...planFormOf(d.spec), seed: '' };
    await this.renderForm(user, res, 200, { mode: 'edit', planId: id, version: d.plan.version, values, seedShown: d.plan.seed });
  }

  @Post('plans/:id/edit')
  @Can('plan.update')
  async edit(@CurrentUser() user: AuthUser, @Param('id', planId) id: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const values = planFormValues(body);
    const version = Number(body.version);
    const request = planRequest(values, 'edit');
    const issues = planFormIssues(request, 'edit');
    if (!Number.isInteger(version) || version < 1) issues.push({ field: 'version', reason: 'isInt' });
    const form = { mode: 'edit' as const, planId: id, version, values };
    if (issues.length) return this.renderForm(user, res, 400, { ...form, errors: fieldErrors(issues) });
    await this.attempt(user, res, form, async () => {
      const plan = await this.plans.updatePlan(user, id, { ...(request as unknown as UpdatePlanDto), version });
      return `/plans/${id}?ok=${plan.redrawn ? 'redrawn' : 'updated'}`;
    });
  }

  /** 发布: the confirmation step, stating what becomes final. */
  @Get('plans/:id/publish')
  async publishConfirm(@CurrentUser() user: AuthUser, @Param('id', planId) id: string, @Res() res: Response) {
    await this.renderDetail(user, id, res, 200, { confirming: true });
  }

  @Post('plans/:id/publish')
  @Can('plan.publish')
  async publish(@CurrentUser() user: AuthUser, @Param('id', planId) id: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    if (body.confirm !== 'yes') {
      return this.renderDetail(user, id, res, 400, { confirming: true, publishErrors: ['确认公示：请勾选“我已核对抽取结果和检查结果，确认公示”'] });
    }
    // The version the confirmation showed: a plan edited since then is refused (409), not published unseen.
    const version = Number(body.version);
    try {
      if (!Number.isInteger(version) || version < 1) throw AppError.conflict();
      await this.plans.publishPlan(user, id, version);
    } catch (err) {
      if (!(err instanceof AppError) || err.status !== 409) throw err;
      return this.renderDetail(user, id, res, 409, { confirming: true, publishErrors: [message(err.code, 'zh', err.params)] });
    }
    res.redirect(303, `/plans/${id}?ok=published`);
  }

  /** Runs a change; a refusal the officer can act on comes back on the form, naming the field. */
  private async attempt(user: AuthUser, res: Response, form: FormState, work: () => Promise<string>) {
    try {
      res.redirect(303, await work());
    } catch (err) {
      if (!(err instanceof AppError) || err.status === 404 || err.status >= 500) throw err;
      const head = err.code === 'validation.failed' ? [] : [message(err.code, 'zh', err.params)];
      await this.renderForm(user, res, err.status, { ...form, errors: fieldErrors(err.fields as FieldIssue[], head) });
    }
  }

  private async renderForm(user: AuthUser, res: Response, status: number, form: FormState & { errors?: FieldErrors; seedShown?: string }, options?: Awaited<ReturnType<PlansService['formOptions']>>) {
    const opts = options ?? await this.plans.formOptions(user);
    const view = planFormView({ ...form, csrf: csrfOf(res), options: opts, userDivisionCode: user.divisionCode });
    const crumbs = form.mode === 'edit' ? [...CRUMBS, { href: `/plans/${form.planId}`, label: form.values.name || '计划' }] : CRUMBS;
    render(res, { status, title: view.title, user, crumbs, body: planFormPage(view, form.seedShown) });
  }

  private async renderDetail(user: AuthUser, id: string, res: Response, status: number, ctx: { flash?: { ok?: string }; verify?: VerifyOutcome; confirming?: boolean; publishErrors?: string[] }) {
    const [d, names] = await Promise.all([this.plans.planDetail(user, id), this.plans.divisionNames(user)]);
    const view = planDetailView(user, d, { ...ctx, csrf: csrfOf(res), divisionName: names.get(d.plan.divisionCode) ?? d.plan.divisionCode, today: shanghaiDate(new Date()) });
    render(res, { status, title: d.plan.name, user, crumbs: CRUMBS, body: planDetailPage(view) });
  }
}

interface FormState {
  mode: 'create' | 'edit';
  planId?: string;
  version?: number;
  values: PlanFormValues;
}
