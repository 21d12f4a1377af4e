import { Body, Controller, Get, Param, ParseIntPipe, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { Response } from 'express';
import { Can, CurrentUser } from '../auth/auth.decorators';
import { PolicyService } from '../checklists/policy.service';
import { AppError, FieldIssue } from '../common/app-error';
import { AuthUser, scopeOf } from '../common/scope';
import { sendStoredFile } from '../common/send-file';
import { flattenValidationErrors } from '../common/validation';
import { ComplaintsService } from '../complaints/complaints.service';
import type { ComplaintAction } from '../complaints/domain/complaint';
import {
  AcceptComplaintDto, ComplaintQuery, MergeComplaintDto, OpenComplaintInspectionDto, ReferComplaintDto, RejectComplaintDto, ReplyComplaintDto,
} from '../complaints/dto/complaint.dto';
import { UsersRepository } from '../users/users.repository';
import { complaintDetailPage, complaintListPage } from './complaint-pages';
import { complaintDetailView, complaintListView, errorLines } from './complaint-view';
import { csrfOf, render, uuid } from './render';
import { webQuery } from './web-query';

const complaintId = uuid('complaint.not_found');
const position = new ParseIntPipe({ exceptionFactory: () => AppError.notFound('evidence.not_found') });

const OK: Record<string, string> = {
  accept: '已受理。请在答复期限前答复投诉人。', merge: '已合并到另一件投诉。', refer: '已转办。', reject: '已不予受理，理由投诉人可见。',
  open_inspection: '已发起投诉核查，核查组已收到通知。', reply: '已答复投诉人，本件办结。',
};

type FormBody = Record<string, unknown>;

/** A form body as the API's DTO (the confirmation box is the page's own: every action here is final). */
function parse<T extends object>(cls: new () => T, body: FormBody): { dto: T; issues: FieldIssue[] } {
  const { _csrf: _t, confirm, ...rest } = body;
  const dto = plainToInstance(cls, rest);
  const issues = flattenValidationErrors(validateSync(dto, { whitelist: true, forbidNonWhitelisted: true }));
  if (confirm !== 'on' && confirm !== 'true') issues.push({ field: 'confirm', reason: 'complaintConfirmRequired' });
  return { dto, issues };
}

const list = (v: unknown): string[] => (Array.isArray(v) ? v : typeof v === 'string' && v ? [v] : []).filter((x): x is string => typeof x === 'string');

/** 投诉举报 for the handling bureau: the list (filters, overdue) and one complaint with its triage forms. */
@ApiExcludeController()
@Controller('complaints')
@Can('complaint.read')
export class ComplaintWebController {
  constructor(private readonly complaints: ComplaintsService, private readonly users: UsersRepository, private readonly policies: PolicyService) {}

  @Get()
  async list(@CurrentUser() user: AuthUser, @Query() raw: Record<string, string>, @Res() res: Response) {
    const { query, filters } = webQuery(ComplaintQuery, raw, ['status', 'institutionId', 'olderThanDays', 'overdue']);
    const [page, institutions] = await Promise.all([this.complaints.list(user, query), this.complaints.institutionsWithComplaints(user)]);
    render(res, { title: '投诉举报', user, body: complaintListPage(complaintListView(page, filters, institutions)) });
  }

  @Get(':id')
  async detail(@CurrentUser() user: AuthUser, @Param('id', complaintId) id: string, @Query('ok') ok: string | undefined, @Res() res: Response) {
    await this.renderDetail(user, id, res, 200, { ok: ok && OK[ok] ? OK[ok] : null });
  }

  @Get(':id/photos/:position')
  async photo(@CurrentUser() user: AuthUser, @Param('id', complaintId) id: string, @Param('position', position) n: number, @Res() res: Response) {
    const file = await this.complaints.photo(user, id, n);
    res.setHeader('Cache-Control', 'private, max-age=86400, immutable');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    sendStoredFile(res.type(file.mime), file.path, 'evidence.not_found');
  }

  @Post(':id/accept')
  @Can('complaint.triage')
  accept(@CurrentUser() user: AuthUser, @Param('id', complaintId) id: string, @Body() body: FormBody, @Res() res: Response) {
    const { dto, issues } = parse(AcceptComplaintDto, body);
    return this.act(user, id, res, 'accept', body, issues, () => this.complaints.accept(user, id, dto));
  }

  @Post(':id/merge')
  @Can('complaint.triage')
  merge(@CurrentUser() user: AuthUser, @Param('id', complaintId) id: string, @Body() body: FormBody, @Res() res: Response) {
    const { dto, issues } = parse(MergeComplaintDto, body);
    return this.act(user, id, res, 'merge', body, issues, () => this.complaints.merge(user, id, dto));
  }

  @Post(':id/refer')
  @Can('complaint.triage')
  refer(@CurrentUser() user: AuthUser, @Param('id', complaintId) id: string, @Body() body: FormBody, @Res() res: Response) {
    const { dto, issues } = parse(ReferComplaintDto, body);
    return this.act(user, id, res, 'refer', body, issues, () => this.complaints.refer(user, id, dto));
  }

  @Post(':id/reject')
  @Can('complaint.triage')
  reject(@CurrentUser() user: AuthUser, @Param('id', complaintId) id: string, @Body() body: FormBody, @Res() res: Response) {
    const { dto, issues } = parse(RejectComplaintDto, body);
    return this.act(user, id, res, 'reject', body, issues, () => this.complaints.reject(user, id, dto));
  }

  @Post(':id/inspection')
  @Can('complaint.triage')
  inspection(@CurrentUser() user: AuthUser, @Param('id', complaintId) id: string, @Body() body: FormBody, @Res() res: Response) {
    const form = { ...body, teamUserIds: list(body.teamUserIds), scheduledDate: body.scheduledDate || undefined };
    const { dto, issues } = parse(OpenComplaintInspectionDto, form);
    return this.act(user, id, res, 'open_inspection', form, issues, () => this.complaints.openInspection(user, id, dto));
  }

  @Post(':id/reply')
  @Can('complaint.reply')
  reply(@CurrentUser() user: AuthUser, @Param('id', complaintId) id: string, @Body() body: FormBody, @Res() res: Response) {
    const { dto, issues } = parse(ReplyComplaintDto, body);
    return this.act(user, id, res, 'reply', body, issues, () => this.complaints.reply(user, id, dto));
  }

  /** Runs an action; a refusal the officer can act on is shown on the complaint's page with the form kept open. */
  private async act(user: AuthUser, id: string, res: Response, action: ComplaintAction, body: FormBody, issues: FieldIssue[], work: () => Promise<unknown>) {
    const draft = Object.fromEntries(Object.entries(body).filter(([k]) => k !== '_csrf' && k !== 'version' && k !== 'confirm')) as Record<string, string | string[]>;
    if (issues.length) return this.renderDetail(user, id, res, 400, { draft, errorsFor: action, errors: errorLines('validation.failed', {}, issues) });
    try {
      await work();
      res.redirect(303, `/complaints/${id}?ok=${action}`);
    } catch (err) {
      if (!(err instanceof AppError) || err.status === 404 || err.status >= 500) throw err;
      await this.renderDetail(user, id, res, err.status, { draft, errorsFor: action, errors: errorLines(err.code, err.params, err.fields) });
    }
  }

  private async renderDetail(user: AuthUser, id: string, res: Response, status: number, flash: {
    ok?: string | null; draft?: Record<string, string | string[]>; errorsFor?: ComplaintAction; errors?: ReturnType<typeof errorLines>;
  }) {
    const detail = await this.complaints.detail(user, id);
    const c = detail.complaint;
    const open = c.status === 'received' || c.status === 'accepted';
    const [candidates, [inspectors], policy] = await Promise.all([
      open ? this.complaints.list(user, { page: 1, pageSize: 50, institutionId: c.institutionId, status: 'open' }) : Promise.resolve({ items: [] }),
      open && !c.inspectionId ? this.users.page(scopeOf(user), { role: 'inspector', status: 'active' }, 0, 100) : Promise.resolve([[]] as [never[]]),
      this.policies.current(),
    ]);
    const view = complaintDetailView(user, detail, {
      mergeCandidates: candidates.items, inspectors: inspectors.map((u) => ({ id: u.id, name: u.displayName })), minTeam: policy.values.team.minSize,
      csrf: csrfOf(res), ...flash,
    });
    render(res, { status, title: `投诉 · ${c.institutionName}`, user, body: complaintDetailPage(view), crumbs: [{ href: '/complaints', label: '投诉举报' }] });
  }
}
