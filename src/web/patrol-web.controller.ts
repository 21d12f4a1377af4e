import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Can, CurrentUser } from '../auth/auth.decorators';
import { can } from '../auth/permissions';
import { SafetyWorkPolicyService } from '../checklists/safety-work-policy.service';
import { AppError } from '../common/app-error';
import { shanghaiDate } from '../common/calendar';
import { fieldMessage, message } from '../common/messages';
import { AuthUser } from '../common/scope';
import { label } from '../common/vocabulary';
import { renderPatrolLabels } from '../patrols/patrol-labels.pdf';
import { CloseSelfHazardDto, CreatePointDto, PatrolQuery, ScanDto, SelfHazardQuery, StartPatrolDto, SubmitPatrolDto } from '../patrols/dto/patrol.dto';
import { OVERVIEW_DAYS, PatrolsService } from '../patrols/patrols.service';
import { patrolPage, patrolsPage, scanPage } from './patrol-pages';
import { patrolPageView, PatrolPageView, patrolsPageView, PatrolsPageView, scanPageView } from './patrol-view';
import { render, uuid, WebRequest } from './render';
import { formDto } from './web-form';
import { webQuery } from './web-query';

const institutionId = uuid('institution.not_found');
const patrolId = uuid('patrol.not_found');
const pointId = uuid('patrol.point_not_found');
const selfHazardId = uuid('self_hazard.not_found');
const OK: Record<string, string> = { point: '点位已登记，请打印二维码标签张贴。', retired: '点位已停用。', submitted: '巡查已提交。', closed: '自查隐患已整改销号。' };
const FIELDS: Record<string, string> = { name: '点位名称', area: '区域', code: '点位码', token: '二维码', note: '备注', kind: '巡查类型', results: '巡查项', version: '版本' };

/** 巡查 pages: the institution's patrols, one patrol's form, the QR landing page of a point, the labels PDF. */
@ApiExcludeController()
@Controller()
@Can('patrol.read')
export class PatrolWebController {
  constructor(private readonly patrols: PatrolsService, private readonly policy: SafetyWorkPolicyService) {}

  @Get('institutions/:id/patrols')
  async page(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Query() raw: Record<string, string>, @Req() req: WebRequest, @Res() res: Response) {
    const ok = raw.ok && OK[raw.ok] ? { page: { ok: OK[raw.ok] } } : {};
    await this.renderOverview(user, id, raw, req, res, 200, ok);
  }

  @Post('institutions/:id/patrols')
  @Can('patrol.record')
  async start(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Body() body: Record<string, unknown>, @Req() req: WebRequest, @Res() res: Response) {
    const { dto, errors } = formDto(StartPatrolDto, { kind: body.kind }, FIELDS);
    if (errors.length) return this.renderOverview(user, id, {}, req, res, 400, { page: { errors } });
    try {
      const patrol = await this.patrols.start(user, id, dto);
      res.redirect(303, `/patrols/${patrol.id}`);
    } catch (err) {
      if (!(err instanceof AppError) || err.status === 404 || err.status >= 500) throw err;
      await this.renderOverview(user, id, {}, req, res, err.status, { page: { errors: errorLines(err) } });
    }
  }

  @Post('institutions/:id/patrol-points')
  @Can('patrol.record')
  async addPoint(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Body() body: Record<string, unknown>, @Req() req: WebRequest, @Res() res: Response) {
    const draft = { name: String(body.name ?? ''), area: String(body.area ?? '') };
    const { dto, errors } = formDto(CreatePointDto, draft, FIELDS);
    if (errors.length) return this.renderOverview(user, id, {}, req, res, 400, { point: { errors } }, draft);
    try {
      await this.patrols.addPoint(user, id, dto);
      res.redirect(303, `/institutions/${id}/patrols?ok=point#pts-h`);
    } catch (err) {
      if (!(err instanceof AppError) || err.status === 404 || err.status >= 500) throw err;
      await this.renderOverview(user, id, {}, req, res, err.status, { point: { errors: errorLines(err) } }, draft);
    }
  }

  @Post('institutions/:id/patrol-points/:pointId/retire')
  @Can('patrol.record')
  async retirePoint(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Param('pointId', pointId) point: string, @Res() res: Response) {
    await this.patrols.retirePoint(user, id, point);
    res.redirect(303, `/institutions/${id}/patrols?ok=retired#pts-h`);
  }

  @Get('institutions/:id/patrol-points/labels.pdf')
  @Can('patrol.record')
  async labels(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Res() res: Response) {
    const { institution, points } = await this.patrols.labels(user, id);
    const pdf = await renderPatrolLabels({
      institutionName: institution.name, printedOn: shanghaiDate(new Date()),
      labels: points.map((p) => ({ name: p.name, areaLabel: label('patrolArea', p.area), code: p.code, url: p.url })),
    });
    res.setHeader('Cache-Control', 'private, no-store');
    res.setHeader('Content-Disposition', `inline; filename="patrol-labels-${id}.pdf"; filename*=UTF-8''${encodeURIComponent('巡查点位标签')}.pdf`);
    res.type('application/pdf').send(pdf);
  }

  @Get('patrols/:patrolId')
  async patrol(@CurrentUser() user: AuthUser, @Param('patrolId', patrolId) id: string, @Query() raw: Record<string, string>, @Req() req: WebRequest, @Res() res: Response) {
    const flash: PatrolPageView['flash'] = raw.scanned ? { scan: { ok: raw.scanned === 'again' ? '该点位本次巡查已记录过，保留首次到位时间。' : '已记录到位。' } } : {};
    await this.renderPatrol(user, id, req, res, 200, flash);
  }

  @Post('patrols/:patrolId/scans')
  @Can('patrol.record')
  async scan(@CurrentUser() user: AuthUser, @Param('patrolId', patrolId) id: string, @Body() body: Record<string, unknown>, @Req() req: WebRequest, @Res() res: Response) {
    const { dto, errors } = formDto(ScanDto, { code: body.code, token: body.token }, FIELDS);
    if (errors.length) return this.renderPatrol(user, id, req, res, 400, { scan: { errors } });
    try {
      const r = await this.patrols.scan(user, id, dto);
      res.redirect(303, `/patrols/${id}?scanned=${r.created ? 'ok' : 'again'}#scan-h`);
    } catch (err) {
      if (!(err instanceof AppError) || err.status === 404 || err.status >= 500) throw err;
      await this.renderPatrol(user, id, req, res, err.status, { scan: { errors: errorLines(err) } });
    }
  }

  @Post('patrols/:patrolId/submit')
  @Can('patrol.record')
  async submit(@CurrentUser() user: AuthUser, @Param('patrolId', patrolId) id: string, @Body() body: Record<string, unknown>, @Req() req: WebRequest, @Res() res: Response) {
    const draft = Object.fromEntries(Object.entries(body).filter(([k, v]) => k !== '_csrf' && typeof v === 'string')) as Record<string, string>;
    const results = Object.keys(draft).filter((k) => k.startsWith('result.')).map((k) => {
      const itemCode = k.slice('result.'.length);
      return { itemCode, result: draft[k], note: draft[`note.${itemCode}`] };
    });
    const { dto, errors } = formDto(SubmitPatrolDto, { results, note: draft.note }, FIELDS);
    if (errors.length) return this.renderPatrol(user, id, req, res, 400, { submit: { errors } }, draft);
    try {
      const patrol = await this.patrols.submit(user, id, dto);
      res.redirect(303, `/institutions/${patrol.institutionId}/patrols?ok=submitted`);
    } catch (err) {
      if (!(err instanceof AppError) || err.status === 404 || err.status >= 500) throw err;
      await this.renderPatrol(user, id, req, res, err.status, { submit: { errors: errorLines(err) } }, draft);
    }
  }

  /** The page a point's QR code opens: it names the point and offers the patrols in progress to record it in. */
  @Get('patrol-points/:token')
  async scanLanding(@CurrentUser() user: AuthUser, @Param('token') token: string, @Req() req: WebRequest, @Res() res: Response) {
    if (!/^[A-Za-z0-9_-]{22,43}$/.test(token)) throw AppError.notFound('patrol.point_not_found');
    const target = await this.patrols.scanTarget(user, token);
    res.setHeader('Cache-Control', 'no-store');
    render(res, { title: `巡查点位 · ${target.point.name}`, user, body: scanPage(scanPageView(user, target, req.csrfToken ?? '')),
      crumbs: [{ href: `/institutions/${target.point.institutionId}/patrols`, label: '巡查' }] });
  }

  @Post('self-hazards/:hazardId/close')
  @Can('patrol.record')
  async close(@CurrentUser() user: AuthUser, @Param('hazardId', selfHazardId) id: string, @Body() body: Record<string, unknown>, @Req() req: WebRequest, @Res() res: Response) {
    const { dto, errors } = formDto(CloseSelfHazardDto, { note: body.note, version: body.version }, FIELDS);
    const institution = user.institutionId;
    if (errors.length) {
      if (!institution) throw AppError.validation([{ field: 'note', reason: 'isNotEmpty' }]);
      return this.renderOverview(user, institution, {}, req, res, 400, { selfHazard: { errors } });
    }
    try {
      const h = await this.patrols.closeSelfHazard(user, id, dto);
      res.redirect(303, `/institutions/${h.institutionId}/patrols?ok=closed#sh-${h.id}`);
    } catch (err) {
      if (!(err instanceof AppError) || err.status === 404 || err.status >= 500 || !institution) throw err;
      await this.renderOverview(user, institution, {}, req, res, err.status, { selfHazard: { errors: errorLines(err) } });
    }
  }

  private async renderOverview(user: AuthUser, id: string, raw: Record<string, string>, req: WebRequest, res: Response, status: number,
    flash: PatrolsPageView['flash'], pointDraft?: Record<string, string>) {
    const { query } = webQuery(PatrolQuery, { page: raw.ppage ?? '' }, []);
    const { query: hquery } = webQuery(SelfHazardQuery, { page: raw.page ?? '' }, []);
    const overview = await this.patrols.overview(user, id);
    const [patrols, selfHazards, policy] = await Promise.all([this.patrols.patrols(user, id, query), this.patrols.selfHazards(user, id, hquery), this.policy.current()]);
    const view = patrolsPageView(user, { overview, days: OVERVIEW_DAYS, values: policy.values, patrols, selfHazards, csrf: req.csrfToken ?? '', flash, pointDraft });
    const crumbs = [...(can(user, 'institution.list') ? [{ href: '/institutions', label: '机构名录' }] : []), { href: `/institutions/${id}`, label: overview.institution.name }];
    render(res, { status, title: `巡查 · ${overview.institution.name}`, user, body: patrolsPage(view), crumbs });
  }

  private async renderPatrol(user: AuthUser, id: string, req: WebRequest, res: Response, status: number, flash: PatrolPageView['flash'], draft: Record<string, string> = {}) {
    const detail = await this.patrols.detail(user, id);
    const view = patrolPageView(user, detail, req.csrfToken ?? '', flash, draft);
    render(res, { status, title: view.title, user, body: patrolPage(view), crumbs: [{ href: `/institutions/${detail.patrol.institutionId}/patrols`, label: '巡查' }] });
  }
}

function errorLines(err: AppError): string[] {
  return [message(err.code, 'zh', err.params), ...err.fields.map((f) => `${FIELDS[f.field] ?? (f.field.startsWith('results.') ? '巡查项' : f.field)}：${fieldMessage(f.reason, 'zh', f.args)}`)];
}
