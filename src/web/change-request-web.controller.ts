import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { Response } from 'express';
import * as fs from 'node:fs';
import { Can, CurrentUser } from '../auth/auth.decorators';
import { can } from '../auth/permissions';
import { describeField } from '../checklists/domain/institution-profile';
import { AppError } from '../common/app-error';
import { fieldMessage, message } from '../common/messages';
import { AuthUser } from '../common/scope';
import { flattenValidationErrors } from '../common/validation';
import { EvidenceService } from '../evidence/evidence.service';
import { receiveUpload } from '../evidence/multipart-upload';
import { CONFIRMED_FIELDS } from '../institutions/change-request';
import { ChangeRequestsService } from '../institutions/change-requests.service';
import { ApproveChangeRequestDto, ChangeRequestQuery, CreateChangeRequestDto, RejectChangeRequestDto, WithdrawChangeRequestDto } from '../institutions/dto/change-request.dto';
import { InstitutionsService } from '../institutions/institutions.service';
import { changeRequestDetailPage, changeRequestListPage, fieldLabel, Flash, institutionChangePage } from './change-request-pages';
import { render, uuid, WebRequest } from './render';
import { changeRequestView, institutionChangeView } from './view-models';
import { webQuery } from './web-query';

const institutionId = uuid('institution.not_found');
const requestId = uuid('change_request.not_found');
const OK_MESSAGES: Record<string, string> = {
  filed: '变更申请已提交，等待主管部门审核。确认前档案保持不变。', approved: '已确认，机构档案已更新。',
  rejected: '已不予确认。', withdrawn: '申请已撤回。',
};

/** Validates a form body with the API's DTO; errors come back as readable lines. */
function formDto<T extends object>(cls: new () => T, body: Record<string, unknown>): { dto: T; errors: string[] } {
  const dto = plainToInstance(cls, Object.fromEntries(Object.entries(body).filter(([k]) => k !== '_csrf')));
  const errors = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true });
  return { dto, errors: flattenValidationErrors(errors).map((i) => lineOf(i.field, i.reason, i.args)) };
}

function lineOf(field: string, reason: string, args?: unknown[]): string {
  const name = field.startsWith('changes.') ? fieldLabel(field.slice('changes.'.length)) : field === 'reason' ? '变更理由' : field === 'note' ? '理由' : field === 'changes' ? '变更内容' : fieldLabel(field);
  return `${name}：${fieldMessage(reason, 'zh', args)}`;
}

/** The typed value of one profile input ('' for a field that needs a value stays '', so validation names it). */
function typedValue(name: string, raw: unknown): unknown {
  const spec = describeField(name)?.spec;
  const v = typeof raw === 'string' ? raw.trim() : raw;
  if (!spec || typeof v !== 'string') return v;
  if (spec.type === 'boolean') return v === 'true' ? true : v === 'false' ? false : v;
  if (spec.type === 'number') {
    if (v === '') return spec.nullable ? null : v;
    const n = Number(v);
    return Number.isFinite(n) ? n : v;
  }
  if (spec.type === 'enum' && v === '' && spec.nullable) return null;
  return v;
}

/** The change-request pages: the institution files and follows its request, the bureau reviews and decides. */
@ApiExcludeController()
@Controller()
@Can('change_request.read')
export class ChangeRequestWebController {
  constructor(private readonly requests: ChangeRequestsService, private readonly institutions: InstitutionsService, private readonly evidence: EvidenceService) {}

  @Get('change-requests')
  async list(@CurrentUser() user: AuthUser, @Query() raw: Record<string, string>, @Res() res: Response) {
    // Pending first by default; 全部 is every status.
    const chosen = raw.status || 'pending';
    const { query } = webQuery(ChangeRequestQuery, { ...raw, status: chosen === 'all' ? '' : chosen }, ['status']);
    const list = await this.requests.list(user, query);
    render(res, { title: '档案变更审核', user, body: changeRequestListPage(list, chosen) });
  }

  @Get('change-requests/:crid')
  async detail(@CurrentUser() user: AuthUser, @Param('crid', requestId) crid: string, @Query('ok') ok: string | undefined, @Req() req: WebRequest, @Res() res: Response) {
    await this.renderDetail(user, crid, req, res, 200, { ok: ok ? OK_MESSAGES[ok] : undefined });
  }

  @Post('change-requests/:crid/approve')
  @Can('change_request.decide')
  async approve(@CurrentUser() user: AuthUser, @Param('crid', requestId) crid: string, @Body() body: Record<string, unknown>, @Req() req: WebRequest, @Res() res: Response) {
    const { dto, errors } = formDto(ApproveChangeRequestDto, { ...body, version: Number(body.version), note: body.note || undefined });
    await this.decide(user, crid, req, res, errors, async () => (await this.requests.approve(user, undefined, crid, dto), 'approved'));
  }

  @Post('change-requests/:crid/reject')
  @Can('change_request.decide')
  async reject(@CurrentUser() user: AuthUser, @Param('crid', requestId) crid: string, @Body() body: Record<string, unknown>, @Req() req: WebRequest, @Res() res: Response) {
    const { dto, errors } = formDto(RejectChangeRequestDto, { ...body, version: Number(body.version) });
    await this.decide(user, crid, req, res, errors, async () => (await this.requests.reject(user, undefined, crid, dto), 'rejected'));
  }

  @Post('change-requests/:crid/withdraw')
  @Can('change_request.withdraw')
  async withdraw(@CurrentUser() user: AuthUser, @Param('crid', requestId) crid: string, @Body() body: Record<string, unknown>, @Req() req: WebRequest, @Res() res: Response) {
    const { dto, errors } = formDto(WithdrawChangeRequestDto, { ...body, version: Number(body.version) });
    await this.decide(user, crid, req, res, errors, async () => (await this.requests.withdraw(user, undefined, crid, dto), 'withdrawn'));
  }

  @Get('institutions/:id/change-requests')
  async institutionPage(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Query('ok') ok: string | undefined, @Req() req: WebRequest, @Res() res: Response) {
    await this.renderInstitution(user, id, req, res, 200, { ok: ok ? OK_MESSAGES[ok] : undefined });
  }

  /** The filing form: every confirmed field is sent; only those that differ from the confirmed row become the request. */
  @Post('institutions/:id/change-requests')
  @Can('change_request.file')
  async file(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Req() req: WebRequest, @Res() res: Response) {
    // The attachment streams to a temporary file after the fields; nothing is kept for a refused request.
    const received = await receiveUpload(req, {
      fileField: 'attachment', maxBytes: this.evidence.maxBytes, maxMb: this.evidence.maxMb, dir: this.evidence.incomingDir,
      maxFields: 40, beforeFile: () => this.requests.assertMayFile(user, id),
    });
    try {
      const body = received.fields;
      const changes = Object.fromEntries(CONFIRMED_FIELDS.filter((f) => f in body).map((f) => [f, typedValue(f, body[f])]));
      const { dto, errors } = formDto(CreateChangeRequestDto, { version: Number(body.version), reason: body.reason, changes });
      if (errors.length) return await this.renderInstitution(user, id, req, res, 400, { errors }, body);
      const data = received.file?.size ? await fs.promises.readFile(received.file.path) : undefined;
      try {
        await this.requests.file(user, id, dto, data ? { buffer: data, originalName: received.file?.originalName ?? undefined } : undefined);
        res.redirect(303, `/institutions/${id}/change-requests?ok=filed`);
      } catch (err) {
        if (!(err instanceof AppError) || err.status === 404 || err.status >= 500) throw err;
        await this.renderInstitution(user, id, req, res, err.status, { errors: errorLines(err) }, body);
      }
    } finally {
      await received.discard();
    }
  }

  private async renderInstitution(user: AuthUser, id: string, req: WebRequest, res: Response, status: number, flash: Flash, draft?: Record<string, string>) {
    const institution = await this.institutions.get(user, id);
    const [pending, history] = await Promise.all([
      this.requests.pendingFor(user, id),
      this.requests.list(user, { page: 1, pageSize: 20 }, id),
    ]);
    const body = institutionChangePage(institutionChangeView(user, { institution, pending, history: history.items.filter((r) => r.status !== 'pending'), draft }, req.csrfToken ?? '', flash));
    const crumbs = [...(can(user, 'institution.list') ? [{ href: '/institutions', label: '机构名录' }] : []), { href: `/institutions/${institution.id}`, label: institution.name }];
    render(res, { status, title: `档案变更申请 · ${institution.name}`, user, body, crumbs });
  }

  private async renderDetail(user: AuthUser, crid: string, req: WebRequest, res: Response, status: number, flash: Flash) {
    const r = await this.requests.get(user, crid);
    const current = r.status === 'pending' ? await this.institutions.get(user, r.institutionId) : null;
    const view = changeRequestView(user, r, current, req.csrfToken ?? '', flash);
    render(res, { status, title: `档案变更申请 · ${r.institutionName}`, user, body: changeRequestDetailPage(view), crumbs: [view.back] });
  }

  /** Runs a decision; a refusal the user can act on is shown on the request page, anything else goes to the error page. */
  private async decide(user: AuthUser, crid: string, req: WebRequest, res: Response, errors: string[], work: () => Promise<string>) {
    if (errors.length) return this.renderDetail(user, crid, req, res, 400, { errors });
    try {
      const ok = await work();
      res.redirect(303, `/change-requests/${crid}?ok=${ok}`);
    } catch (err) {
      if (!(err instanceof AppError) || err.status === 404 || err.status >= 500) throw err;
      await this.renderDetail(user, crid, req, res, err.status, { errors: errorLines(err) });
    }
  }
}

function errorLines(err: AppError): string[] {
  return [message(err.code, 'zh', err.params), ...err.fields.map((f) => lineOf(f.field, f.reason, f.args))];
}
