import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Can, CurrentUser } from '../auth/auth.decorators';
import { can } from '../auth/permissions';
import { ChecklistsService } from '../checklists/checklists.service';
import { AppError } from '../common/app-error';
import { message } from '../common/messages';
import { AuthUser } from '../common/scope';
import { CreateInstitutionDto, UpdateInstitutionDto } from '../institutions/dto/institution.dto';
import { OperatingStatusDto } from '../institutions/dto/operating-status.dto';
import type { Institution } from '../institutions/institution.entity';
import { InstitutionsService } from '../institutions/institutions.service';
import { OperatingPeriodService } from '../institutions/operating-period.service';
import type { Flash } from './view-common';
import {
  blankFormValues, changesAnything, errorsByField, formSections, formValuesOf, issueLines, mergeConflict, parseInstitutionForm, submittedValues,
} from './institution-form';
import { applicabilityPage, institutionDetailPage, institutionFormPage, institutionListPage } from './institution-pages';
import { formModeFor, InstitutionDetailPage, institutionDetailView, institutionFormView, institutionListView, placeName } from './institution-view';
import { InstitutionWebData } from './institution-web.service';
import { csrfOf, render, uuid } from './render';
import { formDto } from './web-form';

const institutionId = uuid('institution.not_found');
const OK_MESSAGES: Record<string, string> = {
  created: '机构已登记。', updated: '档案已保存。', unchanged: '没有修改任何内容。',
  suspend: '已登记停业整顿：自所填日期起不计发运营补贴。', resume: '已登记恢复运营。', close: '机构已注销。',
};
const STATUS_FIELDS: Record<string, string> = { action: '操作', date: '日期', reason: '原因或依据', version: '档案版本' };
const DIRECTORY = { href: '/institutions', label: '机构名录' };

/** The refusal of a service, as lines: its message, then each field's. */
function refusalLines(err: AppError, labels: Record<string, string> = {}): string[] {
  const head = err.code === 'validation.failed' ? [] : [message(err.code, 'zh', err.params)];
  return [...head, ...issueLines(err.fields, labels).map((l) => l.text)];
}

/** A refusal the page shows (the user can act on it); anything else goes to the error page. */
const shown = (err: unknown): err is AppError => err instanceof AppError && err.status !== 404 && err.status < 500;

/** 机构名录 pages: the registry, registering and editing an institution, its page with history and operating status. */
@ApiExcludeController()
@Controller()
export class InstitutionWebController {

  constructor(
    private readonly checklists: ChecklistsService,
    private readonly institutions: InstitutionsService,
    private readonly periods: OperatingPeriodService,
    private readonly data: InstitutionWebData,
  ) {}

  @Get('institutions')
  @Can('institution.list')
  async list(@CurrentUser() user: AuthUser, @Query() query: Record<string, string>, @Res() res: Response) {
    const { page, filters, divisions } = await this.data.list(user, query);
    render(res, { title: '机构名录', user, body: institutionListPage(page, filters, institutionListView(user, divisions)) });
  }

  // Declared before institutions/:id (the uuid pipe would answer 404 for "new").
  @Get('institutions/new')
  @Can('institution.create')
  async newForm(@CurrentUser() user: AuthUser, @Res() res: Response) {
    await this.renderForm(user, res, null, 200, blankFormValues());
  }

  @Post('institutions/new')
  @Can('institution.create')
  async create(@CurrentUser() user: AuthUser, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const sections = formSections('create');
    const values = submittedValues(body, sections);
    const { dto, errors } = parseInstitutionForm(values, 'create', sections);
    if (!dto) return this.renderForm(user, res, null, 400, values, { errors });
    try {
      const created = await this.institutions.create(user, dto as CreateInstitutionDto);
      res.redirect(303, `/institutions/${created.id}?ok=created`);
    } catch (err) {
      if (!shown(err)) throw err;
      await this.renderForm(user, res, null, err.status, values, { errors: errorsByField(err.fields), summary: refusalLines(err) });
    }
  }

  @Get('institutions/:id')
  async detail(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Query('ok') ok: string | undefined, @Res() res: Response) {
    await this.renderDetail(user, id, res, 200, { ok: ok ? OK_MESSAGES[ok] : undefined });
  }

  @Get('institutions/:id/edit')
  @Can('institution.update')
  async editForm(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Res() res: Response) {
    const institution = await this.data.get(user, id);
    await this.renderForm(user, res, institution, 200, formValuesOf(institution));
  }

  /**
   * Saves only the fields that changed, at the version the form was opened at. A stale version is not an error
   * page: the form comes back (409) from the current version, with what changed beside what you typed.
   */
  @Post('institutions/:id/edit')
  @Can('institution.update')
  async update(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const institution = await this.data.get(user, id);
    const mode = formModeFor(user, institution);
    const sections = formSections(mode, institution.status);
    const values = submittedValues(body, sections);
    const opened = openedValues(body._opened) ?? formValuesOf(institution);
    const version = Number(body.version);
    const { dto, errors } = parseInstitutionForm(values, mode, sections, institution, Number.isInteger(version) ? version : undefined);
    if (!dto) return this.renderForm(user, res, institution, 400, values, { errors, opened, version });
    if (!changesAnything(dto) && version === institution.version) return res.redirect(303, `/institutions/${id}?ok=unchanged`);
    try {
      await this.institutions.update(user, id, dto as UpdateInstitutionDto);
      res.redirect(303, `/institutions/${id}?ok=updated`);
    } catch (err) {
      if (!shown(err)) throw err;
      if (err.code === 'institution.version_conflict') {
        const current = await this.data.get(user, id);
        const divisions = await this.data.divisionsFor(user);
        const { rows, merged } = mergeConflict(sections, opened, values, formValuesOf(current), (code) => placeName(code, divisions));
        return this.renderForm(user, res, current, 409, merged, { conflict: { rows, currentVersion: current.version, updatedAt: current.updatedAt }, opened: formValuesOf(current) });
      }
      await this.renderForm(user, res, institution, err.status, values, { errors: errorsByField(err.fields), summary: refusalLines(err), opened, version });
    }
  }

  /** 停业整顿 / 恢复运营 / 注销 from a day; closing asks for a confirmation first (it is final). */
  @Post('institutions/:id/operating-status')
  @Can('institution.operating_period')
  async changeStatus(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const raw = { action: String(body.action ?? ''), date: String(body.date ?? ''), reason: String(body.reason ?? '').trim() };
    const draft = (errors: string[]) => ({ action: (['suspend', 'resume', 'close'].includes(raw.action) ? raw.action : 'suspend') as 'suspend', date: raw.date, reason: raw.reason, errors });
    const { dto, errors } = formDto(OperatingStatusDto, { ...raw, version: Number(body.version) }, STATUS_FIELDS);
    if (errors.length) return this.renderDetail(user, id, res, 400, {}, { statusDraft: draft(errors) });
    if (dto.action === 'close' && !(body.confirm === 'yes' && body.ack === 'on')) {
      return this.renderDetail(user, id, res, 200, {}, { confirmClose: { date: dto.date, reason: dto.reason } });
    }
    try {
      await this.periods.changeStatus(user, id, dto);
      res.redirect(303, `/institutions/${id}?ok=${dto.action}#status`);
    } catch (err) {
      if (!shown(err)) throw err;
      await this.renderDetail(user, id, res, err.status, {}, { statusDraft: draft(refusalLines(err, STATUS_FIELDS)) });
    }
  }

  @Get('institutions/:id/checklist')
  async checklist(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Res() res: Response) {
    const view = await this.checklists.applicableFor(user, id, 'fire-safety-inspection');
    render(res, { title: '适用检查项', user, body: applicabilityPage(view), crumbs: this.crumbs(user, { id, name: view.institution.name }) });
  }

  private crumbs(user: AuthUser, institution?: { id: string; name: string }) {
    return [...(can(user, 'institution.list') ? [DIRECTORY] : []), ...(institution ? [{ href: `/institutions/${institution.id}`, label: institution.name }] : [])];
  }

  private async renderForm(user: AuthUser, res: Response, institution: Institution | null, status: number, values: Record<string, string>, extra: {
    errors?: Record<string, string[]>; summary?: string[]; opened?: Record<string, string>; version?: number;
    conflict?: { rows: ReturnType<typeof mergeConflict>['rows']; currentVersion: number; updatedAt: Date };
  } = {}) {
    const divisions = await this.data.divisionsFor(user);
    const view = institutionFormView(user, { institution, divisions, values, opened: extra.opened, errors: extra.errors, summary: extra.summary, csrf: csrfOf(res), conflict: extra.conflict });
    // A refused form keeps the version it was opened at (resubmitting it stays a stale edit until reloaded).
    if (extra.version !== undefined && !extra.conflict) view.version = extra.version;
    const title = !institution ? '登记机构' : view.mode === 'contacts' ? '修改联系方式' : '编辑机构档案';
    render(res, { status, title, user, body: institutionFormPage(view), crumbs: this.crumbs(user, institution ?? undefined) });
  }

  private async renderDetail(user: AuthUser, id: string, res: Response, status: number, flash: Flash, extra: {
    statusDraft?: InstitutionDetailPage['statusDraft']; confirmClose?: InstitutionDetailPage['confirmClose'];
  } = {}) {
    const d = await this.data.detail(user, id);
    const view = institutionDetailView(user, { ...d, csrf: csrfOf(res), flash, ...extra });
    render(res, { status, title: d.institution.name, user, body: institutionDetailPage(view), crumbs: this.crumbs(user) });
  }
}

/** The values the edit form was opened with (a hidden field; only used to compare, never saved). */
function openedValues(raw: unknown): Record<string, string> | null {
  if (typeof raw !== 'string' || raw.length > 20_000) return null;
  try {
    const v = JSON.parse(raw) as unknown;
    if (!v || typeof v !== 'object' || Array.isArray(v)) return null;
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([, x]) => typeof x === 'string')) as Record<string, string>;
  } catch {
    return null;
  }
}
