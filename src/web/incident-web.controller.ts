import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Can, CurrentUser } from '../auth/auth.decorators';
import { can } from '../auth/permissions';
import { AppError } from '../common/app-error';
import { fieldMessage, message } from '../common/messages';
import { AuthUser } from '../common/scope';
import { mayLeadToGradeDecision } from '../incidents/domain/incident-rules';
import { AcknowledgeIncidentDto, IncidentQuery, OpenFollowUpDto, ReportIncidentDto } from '../incidents/dto/incident.dto';
import { IncidentsService } from '../incidents/incidents.service';
import { ScoringService } from '../scoring/scoring.service';
import { incidentDetailPage, incidentListPage, institutionIncidentsPage } from './incident-pages';
import { INCIDENT_FIELDS, incidentDetailView, incidentListView, institutionIncidentsView, shanghaiInstant } from './incident-view';
import { render, uuid, WebRequest } from './render';
import { bool, formDto } from './web-form';
import { webQuery } from './web-query';
import type { Flash } from './view-common';

const institutionId = uuid('institution.not_found');
const incidentId = uuid('incident.not_found');
const OK: Record<string, string> = {
  reported: '报告已提交，主管部门已收到通知。', acknowledged: '已确认收到。', follow_up: '跟进检查已创建，检查组已收到任务通知。',
};

const text = (v: unknown) => (typeof v === 'string' ? v : '');
function num(v: unknown): unknown {
  const s = text(v).trim();
  if (s === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : s;
}
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' && v ? [v] : []);

/** Shanghai wall time now, for the datetime-local input's max. */
function shanghaiNowLocal(): string {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 16);
}

/** 突发事件 pages: the institution reports, the bureau lists, acknowledges (two steps) and opens a follow-up inspection. */
@ApiExcludeController()
@Controller()
@Can('incident.read')
export class IncidentWebController {
  constructor(private readonly incidents: IncidentsService, private readonly scoring: ScoringService) {}

  @Get('incidents')
  async list(@CurrentUser() user: AuthUser, @Query() raw: Record<string, string>, @Res() res: Response) {
    const { query, filters } = webQuery(IncidentQuery, raw, ['grade', 'status', 'late']);
    const [page, summary] = await Promise.all([this.incidents.list(user, query), this.incidents.summary(user)]);
    render(res, { title: '突发事件', user, body: incidentListPage(incidentListView(page, filters, summary)) });
  }

  @Get('incidents/:incidentId')
  async detail(@CurrentUser() user: AuthUser, @Param('incidentId', incidentId) id: string, @Query('ok') ok: string | undefined, @Req() req: WebRequest, @Res() res: Response) {
    await this.renderDetail(user, id, req, res, 200, { ok: ok ? OK[ok] : undefined });
  }

  /** 确认收到 in two steps: the note is checked and shown back with a confirmation; step=commit acknowledges. */
  @Post('incidents/:incidentId/acknowledge')
  @Can('incident.acknowledge')
  async acknowledge(@CurrentUser() user: AuthUser, @Param('incidentId', incidentId) id: string, @Body() body: Record<string, unknown>, @Req() req: WebRequest, @Res() res: Response) {
    const note = text(body.note).trim();
    if (body.step === 'edit') return this.renderDetail(user, id, req, res, 200, {}, { draft: { note } });
    const { dto, errors } = formDto(AcknowledgeIncidentDto, { version: num(body.version), note }, INCIDENT_FIELDS);
    if (errors.length) return this.renderDetail(user, id, req, res, 400, { errors }, { draft: { note } });
    if (body.step !== 'commit') return this.renderDetail(user, id, req, res, 200, {}, { confirming: { note } });
    if (!bool(body.confirm)) return this.renderDetail(user, id, req, res, 400, { errors: [`${INCIDENT_FIELDS.confirm}：${fieldMessage('incidentConfirm', 'zh')}`] }, { confirming: { note } });
    try {
      await this.incidents.acknowledge(user, id, dto);
      res.redirect(303, `/incidents/${id}?ok=acknowledged`);
    } catch (err) {
      if (!userFacing(err)) throw err;
      await this.renderDetail(user, id, req, res, err.status, { errors: errorLines(err) }, { draft: { note } });
    }
  }

  @Post('incidents/:incidentId/follow-up')
  @Can('incident.acknowledge')
  async followUp(@CurrentUser() user: AuthUser, @Param('incidentId', incidentId) id: string, @Body() body: Record<string, unknown>, @Req() req: WebRequest, @Res() res: Response) {
    const teamUserIds = list(body.teamUserIds);
    const draft = { teamUserIds: teamUserIds.join(','), scheduledDate: text(body.scheduledDate) };
    const { dto, errors } = formDto(OpenFollowUpDto, { version: num(body.version), teamUserIds, scheduledDate: text(body.scheduledDate) || undefined }, INCIDENT_FIELDS);
    if (errors.length) return this.renderDetail(user, id, req, res, 400, { errors }, { draft });
    try {
      await this.incidents.openFollowUp(user, id, dto);
      res.redirect(303, `/incidents/${id}?ok=follow_up`);
    } catch (err) {
      if (!userFacing(err)) throw err;
      await this.renderDetail(user, id, req, res, err.status, { errors: errorLines(err) }, { draft });
    }
  }

  @Get('institutions/:id/incidents')
  async institutionPage(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Query() raw: Record<string, string>, @Req() req: WebRequest, @Res() res: Response) {
    await this.renderInstitution(user, id, raw.page ?? '', req, res, 200, { ok: raw.ok ? OK[raw.ok] : undefined });
  }

  @Post('institutions/:id/incidents')
  @Can('incident.report')
  async report(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Body() body: Record<string, unknown>, @Req() req: WebRequest, @Res() res: Response) {
    const draft = Object.fromEntries(['type', 'grade', 'occurredAt', 'residentsAffected', 'summary', 'firstMeasures'].map((k) => [k, text(body[k])]));
    const { dto, errors } = formDto(ReportIncidentDto, {
      type: draft.type || undefined, grade: draft.grade || undefined, occurredAt: shanghaiInstant(draft.occurredAt), residentsAffected: num(body.residentsAffected),
      summary: draft.summary, firstMeasures: draft.firstMeasures,
    }, INCIDENT_FIELDS);
    if (errors.length) return this.renderInstitution(user, id, '', req, res, 400, { errors }, draft);
    try {
      const r = await this.incidents.report(user, id, dto);
      res.redirect(303, `/incidents/${r.id}?ok=reported`);
    } catch (err) {
      if (!userFacing(err)) throw err;
      await this.renderInstitution(user, id, '', req, res, err.status, { errors: errorLines(err) }, draft);
    }
  }

  private async renderInstitution(user: AuthUser, id: string, page: string, req: WebRequest, res: Response, status: number, flash: Flash, draft?: Record<string, string>) {
    const institution = await this.incidents.institution(user, id);
    const { query } = webQuery(IncidentQuery, { page }, []);
    const [list, reportHours] = await Promise.all([this.incidents.list(user, query, id), this.incidents.reportHours()]);
    const view = institutionIncidentsView(user, { institution, page: list, reportHours, draft, csrf: req.csrfToken ?? '', flash, now: shanghaiNowLocal() });
    const crumbs = [...(can(user, 'institution.list') ? [{ href: '/institutions', label: '机构名录' }] : []), { href: `/institutions/${id}`, label: institution.name }];
    render(res, { status, title: `突发事件 · ${institution.name}`, user, body: institutionIncidentsPage(view), crumbs });
  }

  private async renderDetail(user: AuthUser, id: string, req: WebRequest, res: Response, status: number, flash: Flash,
    extra: { draft?: Record<string, string>; confirming?: { note: string } } = {}) {
    const r = await this.incidents.get(user, id);
    const wantsGrade = mayLeadToGradeDecision(r.grade) && can(user, 'grade.decide');
    const [candidates, grade] = await Promise.all([
      this.incidents.teamCandidates(user, r),
      wantsGrade ? this.scoring.gradeInForce(user, r.institutionId) : Promise.resolve(null),
    ]);
    const view = incidentDetailView(user, r, { candidates, grade, csrf: req.csrfToken ?? '', flash, ...extra });
    render(res, { status, title: `突发事件报告 · ${r.institutionName}`, user, body: incidentDetailPage(view), crumbs: [view.back] });
  }
}

function userFacing(err: unknown): err is AppError {
  return err instanceof AppError && err.status !== 404 && err.status < 500;
}

function errorLines(err: AppError): string[] {
  return [message(err.code, 'zh', err.params), ...err.fields.map((f) => `${INCIDENT_FIELDS[f.field] ?? f.field}：${fieldMessage(f.reason, 'zh', f.args)}`)];
}
