import * as fs from 'node:fs';
import { sendStoredFile } from '../common/send-file';
import { EvidenceService } from '../evidence/evidence.service';
import { receiveUpload } from '../evidence/multipart-upload';
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
import { DrillsService } from '../drills/drills.service';
import { DrillQuery, RecordDrillDto, RecordTrainingDto, TraineeQuery } from '../drills/dto/drill.dto';
import { drillBody, trainingBody } from './drill-form';
import { drillsPage } from './drill-pages';
import { DRILL_FIELDS, DrillDraft, drillsPageView, DrillsPageView, TRAINING_FIELDS, trainingFieldLabel } from './drill-view';
import { render, uuid, WebRequest } from './render';
import { formDto } from './web-form';
import { webQuery } from './web-query';

const institutionId = uuid('institution.not_found');
const OK: Record<string, string> = { drill: '演练已登记。', training: '培训已登记。', photo: '照片已添加。' };
const drillId = uuid('drill.not_found');
const evidenceId = uuid('evidence.not_found');

/** 演练与培训 page of one institution: the half-year flag, the records, and (for the institution) the two forms. */
@ApiExcludeController()
@Controller()
@Can('drill.read')
export class DrillWebController {
  constructor(private readonly drills: DrillsService, private readonly policy: SafetyWorkPolicyService, private readonly evidence: EvidenceService) {}

  /** A drill photo: streamed to a temporary file with the evidence size limit, decoded and re-encoded, then linked. */
  @Post('institutions/:id/drills/:drillId/photos')
  @Can('drill.record')
  async addPhoto(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Param('drillId', drillId) drill: string, @Req() req: WebRequest, @Res() res: Response) {
    const received = await receiveUpload(req, {
      fileField: 'photo', maxBytes: this.evidence.maxBytes, maxMb: this.evidence.maxMb, dir: this.evidence.incomingDir,
      beforeFile: async () => void (await this.drills.get(user, id, drill)),
    });
    try {
      const buffer = received.file?.size ? await fs.promises.readFile(received.file.path) : undefined;
      await this.drills.addPhoto(user, id, drill, buffer, received.file?.originalName ?? undefined);
      res.redirect(303, `/institutions/${id}/drills?ok=photo#drill-${drill}`);
    } catch (err) {
      if (!(err instanceof AppError) || err.status === 404 || err.status >= 500) throw err;
      await this.renderPage(user, id, {}, req, res, err.status, { page: { errors: errorLines(err, (f) => (f === 'photo' || f === 'file' ? '照片' : f)) } });
    } finally {
      await received.discard();
    }
  }

  @Get('institutions/:id/drills/:drillId/photos/:evidenceId')
  async photo(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Param('drillId', drillId) drill: string, @Param('evidenceId', evidenceId) ev: string, @Res() res: Response) {
    const file = await this.drills.photo(user, id, drill, ev);
    res.setHeader('Cache-Control', 'private, max-age=86400, immutable');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    sendStoredFile(res.type(file.mime), file.path, 'evidence.not_found');
  }

  @Get('institutions/:id/drills')
  async page(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Query() raw: Record<string, string>, @Req() req: WebRequest, @Res() res: Response) {
    const ok = raw.ok && OK[raw.ok] ? { page: { ok: OK[raw.ok] } } : {};
    await this.renderPage(user, id, raw, req, res, 200, ok);
  }

  @Post('institutions/:id/drills')
  @Can('drill.record')
  async record(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Body() body: Record<string, unknown>, @Req() req: WebRequest, @Res() res: Response) {
    const draft = stringsOf(body);
    const { dto, errors } = formDto(RecordDrillDto, drillBody(body), DRILL_FIELDS);
    if (errors.length) return this.renderPage(user, id, {}, req, res, 400, { drill: { errors } }, { drillDraft: draft });
    try {
      const drill = await this.drills.record(user, id, dto);
      res.redirect(303, `/institutions/${id}/drills?ok=drill#drill-${drill.id}`);
    } catch (err) {
      if (!(err instanceof AppError) || err.status === 404 || err.status >= 500) throw err;
      await this.renderPage(user, id, {}, req, res, err.status, { drill: { errors: errorLines(err, (f) => DRILL_FIELDS[f] ?? f) } }, { drillDraft: draft });
    }
  }

  @Post('institutions/:id/trainings')
  @Can('drill.record')
  async recordTraining(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Body() body: Record<string, unknown>, @Req() req: WebRequest, @Res() res: Response) {
    const draft = stringsOf(body);
    const parsed = trainingBody(body);
    const count = (parsed.dto.trainees as unknown[]).length;
    const labels = Object.fromEntries([...Object.keys(TRAINING_FIELDS), ...Array.from({ length: count }, (_, i) => ['name', 'idLast4', 'role'].map((k) => `trainees.${i}.${k}`)).flat()]
      .map((f) => [f, trainingFieldLabel(f)]));
    const { dto, errors } = formDto(RecordTrainingDto, parsed.dto, labels);
    const lines = [...parsed.lineErrors, ...errors];
    if (lines.length) return this.renderPage(user, id, {}, req, res, 400, { training: { errors: lines } }, { trainingDraft: draft });
    try {
      await this.drills.recordTraining(user, id, dto);
      res.redirect(303, `/institutions/${id}/drills?ok=training#trainees-h`);
    } catch (err) {
      if (!(err instanceof AppError) || err.status === 404 || err.status >= 500) throw err;
      await this.renderPage(user, id, {}, req, res, err.status, { training: { errors: errorLines(err, trainingFieldLabel) } }, { trainingDraft: draft });
    }
  }

  private async renderPage(user: AuthUser, id: string, raw: Record<string, string>, req: WebRequest, res: Response, status: number,
    flash: DrillsPageView['flash'], drafts: { drillDraft?: DrillDraft; trainingDraft?: DrillDraft } = {}) {
    const { query } = webQuery(DrillQuery, { page: raw.page ?? '' }, []);
    const { query: tquery } = webQuery(TraineeQuery, { page: raw.tpage ?? '' }, []);
    const institution = await this.drills.institution(user, id);
    const [statusNow, drills, trainees, policy] = await Promise.all([
      this.drills.status(user, id), this.drills.list(user, id, query), this.drills.trainees(user, id, tquery), this.policy.current(),
    ]);
    const view = drillsPageView(user, {
      institution: { id, name: institution.name }, residents: institution.residents, status: statusNow, drills, trainees,
      trainingMonths: policy.values.drills.trainingMonths, csrf: req.csrfToken ?? '', today: shanghaiDate(new Date()), flash, ...drafts,
    });
    const crumbs = [...(can(user, 'institution.list') ? [{ href: '/institutions', label: '机构名录' }] : []), { href: `/institutions/${id}`, label: institution.name }];
    render(res, { status, title: `演练与培训 · ${institution.name}`, user, body: drillsPage(view), crumbs });
  }
}

function stringsOf(body: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(body).filter(([k, v]) => k !== '_csrf' && typeof v === 'string')) as Record<string, string>;
}

function errorLines(err: AppError, fieldLabel: (f: string) => string): string[] {
  return [message(err.code, 'zh', err.params), ...err.fields.map((f) => `${fieldLabel(f.field)}：${fieldMessage(f.reason, 'zh', f.args)}`)];
}
