import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Can, CurrentUser } from '../auth/auth.decorators';
import { AppError } from '../common/app-error';
import { shanghaiDate } from '../common/calendar';
import { fieldMessage, message } from '../common/messages';
import { AuthUser, scopeOf } from '../common/scope';
import { DivisionsService } from '../divisions/divisions.service';
import { CreateScheduleDto } from '../scoring/dto/scoring.dto';
import { CompareQuery, ScheduleQuery } from '../scoring/dto/subsidy-pages.dto';
import { SubsidiesService } from '../scoring/subsidies.service';
import { csrfOf, render, uuid } from './render';
import { comparePage, scheduleListPage, schedulePage } from './subsidy-pages';
import { ComputeForm, compareView, DivisionOption, scheduleListView, ScheduleListItem, scheduleView, StoredSchedule } from './subsidy-view';
import { formDto } from './web-form';
import { webQuery } from './web-query';

const scheduleId = uuid('subsidy.not_found');
const CRUMBS = [{ href: '/subsidies', label: '运营补贴' }];
/** The compute form's fields by their label on the page (errors name the field the officer sees). */
const FIELDS: Record<string, string> = { divisionCode: '区划', periodStart: '期间起', periodEnd: '期间止', confirm: '确认', with: '对比对象' };
const OK_MESSAGES: Record<string, string> = {
  computed: '发放表已生成（草稿）。请核对每家机构的计算过程，再提交管理员审批。',
  recomputed: '草稿已按当前数据重新计算。',
  approved: '发放表已审批并冻结，不可再修改。',
};

/** 运营补贴 pages (/subsidies…): the same SubsidiesService as /api/subsidy-schedules, scoped there. */
@ApiExcludeController()
@Controller()
export class SubsidyWebController {
  constructor(private readonly subsidies: SubsidiesService, private readonly divisions: DivisionsService) {}

  @Get('subsidies')
  @Can('subsidy.read')
  async list(@CurrentUser() user: AuthUser, @Query() raw: Record<string, string>, @Res() res: Response) {
    await this.renderList(user, raw, res, 200, { ok: raw.ok ? OK_MESSAGES[raw.ok] : undefined });
  }

  /** 生成发放表 from the page form; a refusal re-renders the list with the errors naming the field. */
  @Post('subsidies')
  @Can('subsidy.create')
  async compute(@CurrentUser() user: AuthUser, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
    const form: ComputeForm = { divisionCode: text(body.divisionCode), periodStart: text(body.periodStart), periodEnd: text(body.periodEnd) };
    const { dto, errors } = formDto(CreateScheduleDto, { ...form }, FIELDS);
    if (errors.length) return this.renderList(user, {}, res, 400, { errors }, form);
    try {
      const s = await this.subsidies.createSchedule(user, dto);
      res.redirect(303, `/subsidies/${s.id}?ok=computed`);
    } catch (err) {
      const errors = refusal(err);
      await this.renderList(user, {}, res, (err as AppError).status, { errors }, form);
    }
  }

  @Get('subsidies/:id')
  @Can('subsidy.read')
  async schedule(@CurrentUser() user: AuthUser, @Param('id', scheduleId) id: string, @Query('ok') ok: string | undefined, @Query('step') step: string | undefined, @Res() res: Response) {
    await this.renderSchedule(user, id, res, 200, { ok: ok ? OK_MESSAGES[ok] : undefined }, step === 'approve');
  }

  /** 重新计算: drafts only; an approved schedule answers 409 on its own page (it is frozen). */
  @Post('subsidies/:id/recompute')
  @Can('subsidy.create')
  async recompute(@CurrentUser() user: AuthUser, @Param('id', scheduleId) id: string, @Res() res: Response) {
    await this.attempt(user, id, res, async () => (await this.subsidies.recompute(user, id), 'recomputed'));
  }

  /** 审批 after the confirmation section: the box "批准后不可修改" must be ticked. */
  @Post('subsidies/:id/approve')
  @Can('subsidy.approve')
  async approve(@CurrentUser() user: AuthUser, @Param('id', scheduleId) id: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    if (body.confirm !== 'yes') {
      return this.renderSchedule(user, id, res, 400, { errors: [`${FIELDS.confirm}：${fieldMessage('approveConfirm', 'zh')}`] }, true);
    }
    await this.attempt(user, id, res, async () => (await this.subsidies.approve(user, id, typeof body.reviewed === 'string' ? body.reviewed : ''), 'approved'));
  }

  @Get('subsidies/:id/compare')
  @Can('subsidy.read')
  async compare(@CurrentUser() user: AuthUser, @Param('id', scheduleId) id: string, @Query() raw: Record<string, string>, @Res() res: Response) {
    const { query } = webQuery(CompareQuery, raw, ['with']);
    const result = await this.subsidies.compare(user, id, query.with);
    const same = await this.subsidies.schedules(user, Object.assign(new ScheduleQuery(), { divisionCode: result.schedule.divisionCode, pageSize: 50 }));
    const choices = (same.items as ScheduleListItem[]).filter((x) => x.divisionCode === result.schedule.divisionCode);
    render(res, {
      title: '发放表对比', user, body: comparePage(compareView(result, choices)),
      crumbs: [...CRUMBS, { href: `/subsidies/${id}`, label: `${result.schedule.divisionName} ${result.schedule.periodStart} 至 ${result.schedule.periodEnd}` }],
    });
  }

  private async renderList(user: AuthUser, raw: Record<string, string>, res: Response, status: number, flash: { ok?: string; errors?: string[] }, form?: ComputeForm) {
    const { query, filters } = webQuery(ScheduleQuery, raw, ['status', 'divisionCode']);
    const [page, divisions] = await Promise.all([
      this.subsidies.schedules(user, query),
      this.divisions.list(scopeOf(user), { page: 1, pageSize: 100 }),
    ]);
    const options: DivisionOption[] = divisions.items.filter((d) => d.level !== 'community').map((d) => ({ code: d.code, name: d.name, level: d.level }));
    const view = scheduleListView(user, page as never, filters, options, { today: shanghaiDate(new Date()), form, flash, csrf: csrfOf(res) });
    render(res, { status, title: '运营补贴', user, body: scheduleListPage(view) });
  }

  private async renderSchedule(user: AuthUser, id: string, res: Response, status: number, flash: { ok?: string; errors?: string[] }, confirming = false) {
    const s = (await this.subsidies.schedule(user, id)) as StoredSchedule;
    const places = await this.subsidies.linePlaces(s.lines);
    const view = scheduleView(user, s, places, { confirming, flash, csrf: csrfOf(res) });
    render(res, { status, title: view.title, user, body: schedulePage(view), crumbs: CRUMBS });
  }

  /** Runs a move; a refusal the user can act on (409 frozen, 400, 403) is shown on the schedule page. */
  private async attempt(user: AuthUser, id: string, res: Response, work: () => Promise<string>) {
    try {
      const ok = await work();
      res.redirect(303, `/subsidies/${id}?ok=${ok}`);
    } catch (err) {
      const errors = refusal(err);
      await this.renderSchedule(user, id, res, (err as AppError).status, { errors });
    }
  }
}

/** The readable lines of a refusal (message, then each field by its label); anything else is rethrown. */
function refusal(err: unknown): string[] {
  if (!(err instanceof AppError) || err.status === 404 || err.status >= 500) throw err;
  const fields = err.fields.map((f) => `${FIELDS[f.field] ?? f.field}：${fieldMessage(f.reason, 'zh', f.args)}`);
  return err.code === 'validation.failed' && fields.length ? fields : [message(err.code, 'zh', err.params), ...fields];
}
