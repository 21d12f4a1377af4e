import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Can, CurrentUser } from '../auth/auth.decorators';
import { gradingApplies } from '../checklists/domain';
import { AppError } from '../common/app-error';
import { shanghaiDate } from '../common/calendar';
import { fieldMessage, message } from '../common/messages';
import { AuthUser } from '../common/scope';
import { IssuingBureaus } from '../documents/issuing-bureau';
import { InstitutionsService } from '../institutions/institutions.service';
import { AssessmentQuery, DecideGradeDto, OpenAssessmentDto } from '../scoring/dto/scoring.dto';
import { gradeResultPdf } from '../scoring/scoring.controller';
import { ScoringService } from '../scoring/scoring.service';
import { assessmentPage, finalizeConfirmPage, gradeListPage, openAssessmentPage } from './grade-pages';
import { assessmentPageView, DecisionDraft, decisionFormView, finalizeConfirmView, gradeListView, GradePreview, nextSection, openFormView, sectionsOf } from './grade-view';
import { render, uuid, WebRequest } from './render';
import { bool, formDto } from './web-form';
import { webQuery } from './web-query';

const gradeId = uuid('grade.not_found');
const CRUMBS = [{ href: '/grades', label: '等级评定' }];
const OK_MESSAGES: Record<string, string> = {
  opened: '已开启等级评定。请按部分录入评分，每一处扣分须填写说明。',
  saved: '已保存该部分评分。',
  finalized: '已定稿。评定结论自今日起生效，可下载评定结果 PDF。',
  decided: '决定已作出并记入审计日志。',
};
const OPEN_FIELDS: Record<string, string> = { institutionId: '养老机构', formVersionNo: '评分表版本', noSeriousAccident: '安全事故核实', registrationInOrder: '手续核实' };
const DECISION_FIELDS: Record<string, string> = { kind: '决定', newGrade: '降为', reason: '理由', basis: '依据', effectiveOn: '生效日期' };

const text = (v: unknown) => (typeof v === 'string' ? v : '');
const errorLines = (err: AppError, labels: Record<string, string> = {}) => [
  ...(err.code === 'validation.failed' && err.fields.length ? [] : [message(err.code, 'zh', err.params)]),
  ...err.fields.map((f) => `${labels[f.field] ?? f.field}：${fieldMessage(f.reason, 'zh', f.args)}`),
];
const userFacing = (err: unknown): err is AppError => err instanceof AppError && err.status !== 404 && err.status < 500;

/** 等级评定 pages (/grades…): the list, opening, section-by-section scoring, finalization with confirmation, decisions. */
@ApiExcludeController()
@Controller()
export class GradeWebController {
  constructor(private readonly scoring: ScoringService, private readonly institutions: InstitutionsService, private readonly bureaus: IssuingBureaus) {}

  @Get('grades')
  @Can('grade.read')
  async list(@CurrentUser() user: AuthUser, @Query() raw: Record<string, string>, @Res() res: Response) {
    const { query, filters } = webQuery(AssessmentQuery, raw, ['status', 'expiring', 'sort']);
    const page = await this.scoring.assessments(user, query as AssessmentQuery & { page: number; pageSize: number });
    render(res, { title: '等级评定', user, body: gradeListPage(gradeListView(user, page.items, filters, shanghaiDate(new Date()), page.expiring), page) });
  }

  @Get('grades/new')
  @Can('grade.open')
  async newForm(@CurrentUser() user: AuthUser, @Query('q') q: string | undefined, @Req() req: WebRequest, @Res() res: Response) {
    await this.renderOpen(user, req, res, 200, { q: text(q).trim().slice(0, 50) });
  }

  @Post('grades/new')
  @Can('grade.open')
  async open(@CurrentUser() user: AuthUser, @Body() body: Record<string, unknown>, @Req() req: WebRequest, @Res() res: Response) {
    const draft = { noSeriousAccident: bool(body.noSeriousAccident), registrationInOrder: bool(body.registrationInOrder) };
    const versionNo = /^\d{1,9}$/.test(text(body.formVersionNo)) ? Number(body.formVersionNo) : undefined;
    const { dto, errors } = formDto(OpenAssessmentDto, { institutionId: text(body.institutionId), formVersionNo: versionNo, ...draft }, OPEN_FIELDS);
    const state = { q: '', selectedId: text(body.institutionId), versionNo, draft };
    if (!text(body.institutionId)) return this.renderOpen(user, req, res, 400, { ...state, errors: ['养老机构：请选择要评定的机构'] });
    if (errors.length) return this.renderOpen(user, req, res, 400, { ...state, errors });
    try {
      const a = await this.scoring.openAssessment(user, dto);
      res.redirect(303, `/grades/${a.id}?ok=opened`);
    } catch (err) {
      if (!userFacing(err)) throw err;
      await this.renderOpen(user, req, res, err.status, { ...state, errors: errorLines(err, OPEN_FIELDS) });
    }
  }

  @Get('grades/:id')
  @Can('grade.read')
  async assessment(@CurrentUser() user: AuthUser, @Param('id', gradeId) id: string, @Query() raw: Record<string, string>, @Req() req: WebRequest, @Res() res: Response) {
    await this.renderAssessment(user, id, req, res, 200, { part: text(raw.part) || undefined, flash: { ok: OK_MESSAGES[text(raw.ok)] } });
  }

  /** 按部分保存: the section's points and notes; every deduction needs its note (the service refuses, naming the item). */
  @Post('grades/:id/scores')
  @Can('grade.score')
  async scores(@CurrentUser() user: AuthUser, @Param('id', gradeId) id: string, @Body() body: Record<string, unknown>, @Req() req: WebRequest, @Res() res: Response) {
    const preview = (await this.scoring.preview(user, id)) as unknown as GradePreview;
    const part = preview.form.form.parts.find((p) => p.code === text(body.part));
    if (!part) throw AppError.validation([{ field: 'part', reason: 'gradePartUnknown', args: [text(body.part)] }]);
    const draft = { points: {} as Record<string, string>, notes: {} as Record<string, string> };
    const itemPoints: Record<string, number> = {};
    const itemNotes: Record<string, string> = {};
    const errors: string[] = [];
    const bad: string[] = [];
    for (const item of part.items) {
      const rawPoints = text(body[`p-${item.code}`]).trim();
      const note = text(body[`n-${item.code}`]).trim();
      draft.points[item.code] = rawPoints;
      draft.notes[item.code] = note;
      if (note || preview.assessment.itemNotes[item.code] !== undefined) itemNotes[item.code] = note;
      if (rawPoints === '') continue;
      const value = Number(rawPoints);
      if (!/^\d+(\.\d+)?$/.test(rawPoints) || !Number.isFinite(value)) { errors.push(`${item.code} ${item.title.zh}：${fieldMessage('gradePointsNotNumber', 'zh', [item.code])}`); bad.push(item.code); continue; }
      itemPoints[item.code] = value;
    }
    const version = Number(text(body.version));
    const again = (status: number, lines: string[], codes: string[]) =>
      this.renderAssessment(user, id, req, res, status, { part: part.code, draft, errorCodes: codes, flash: { errors: lines } }, preview);
    if (errors.length) return again(400, errors, bad);
    try {
      await this.scoring.scoreItems(user, id, { itemPoints, itemNotes, version, part: part.code });
    } catch (err) {
      if (!userFacing(err)) throw err;
      const titles = new Map(part.items.map((i) => [i.code, `${i.code} ${i.title.zh}`]));
      const codes = err.fields.map((f) => f.field.replace(/^item(Points|Notes)\./, ''));
      const labels = Object.fromEntries(err.fields.map((f) => {
        const code = f.field.replace(/^item(Points|Notes)\./, '');
        return [f.field, `${titles.get(code) ?? code}${f.field.startsWith('itemNotes.') ? ' 扣分说明' : ' 得分'}`];
      }));
      return again(err.status, errorLines(err, labels), codes);
    }
    const fresh = await this.scoring.assessment(user, id);
    const sections = sectionsOf(preview.form.form, fresh.itemPoints, fresh.itemNotes, id, null);
    res.redirect(303, `/grades/${id}?ok=saved&part=${encodeURIComponent(nextSection(sections, part.code))}`);
  }

  /** The confirmation step: what the grade will be, its validity, that it becomes the subsidy's basis — or why it cannot be finalized. */
  @Get('grades/:id/finalize')
  @Can('grade.finalize')
  async confirmFinalize(@CurrentUser() user: AuthUser, @Param('id', gradeId) id: string, @Req() req: WebRequest, @Res() res: Response) {
    await this.renderConfirm(user, id, req, res, 200, {});
  }

  @Post('grades/:id/finalize')
  @Can('grade.finalize')
  async finalize(@CurrentUser() user: AuthUser, @Param('id', gradeId) id: string, @Body() body: Record<string, unknown>, @Req() req: WebRequest, @Res() res: Response) {
    if (!bool(body.confirm)) return this.renderConfirm(user, id, req, res, 400, { errors: [`确认：${fieldMessage('gradeDecisionConfirm', 'zh')}`] });
    try {
      await this.scoring.finalize(user, id, Number(text(body.version)), { requireGrade: body.mode !== 'nograde' });
      res.redirect(303, `/grades/${id}?ok=finalized`);
    } catch (err) {
      if (!userFacing(err)) throw err;
      await this.renderConfirm(user, id, req, res, err.status, { errors: errorLines(err) });
    }
  }

  /** 撤销 / 降级 in two steps: the form is checked and shown back with what becomes final; step=commit decides. */
  @Post('grades/:id/decision')
  @Can('grade.decide')
  async decide(@CurrentUser() user: AuthUser, @Param('id', gradeId) id: string, @Body() body: Record<string, unknown>, @Req() req: WebRequest, @Res() res: Response) {
    const kind = body.kind === 'revoke' || body.kind === 'lower' ? body.kind : undefined;
    const draft: DecisionDraft = { kind, newGrade: text(body.newGrade) || undefined, reason: text(body.reason).trim(), basis: text(body.basis).trim(), effectiveOn: text(body.effectiveOn) };
    if (body.step === 'edit') return this.renderAssessment(user, id, req, res, 200, { decision: { draft } });
    const { dto, errors } = formDto(DecideGradeDto, {
      kind, reason: draft.reason, basis: draft.basis, effectiveOn: draft.effectiveOn,
      newGrade: kind === 'lower' && /^[1-5]$/.test(draft.newGrade ?? '') ? Number(draft.newGrade) : undefined,
    }, DECISION_FIELDS);
    if (!kind) errors.unshift(`${DECISION_FIELDS.kind}：请选择“降低等级”或“撤销等级”`);
    if (kind === 'lower' && !draft.newGrade) errors.push(`${DECISION_FIELDS.newGrade}：${fieldMessage('gradeLowerNeedsGrade', 'zh')}`);
    if (errors.length) return this.renderAssessment(user, id, req, res, 400, { decision: { draft, flash: { errors } } });
    if (body.step !== 'commit') return this.renderAssessment(user, id, req, res, 200, { decision: { draft, confirming: true } });
    if (!bool(body.confirm)) return this.renderAssessment(user, id, req, res, 400, { decision: { draft, confirming: true, flash: { errors: [`确认：${fieldMessage('gradeDecisionConfirm', 'zh')}`] } } });
    try {
      await this.scoring.decide(user, id, dto);
      res.redirect(303, `/grades/${id}?ok=decided`);
    } catch (err) {
      if (!userFacing(err)) throw err;
      await this.renderAssessment(user, id, req, res, err.status, { decision: { draft, flash: { errors: errorLines(err, DECISION_FIELDS) } } });
    }
  }

  /** The same PDF as GET /api/grade-assessments/:id/result.pdf, for a link that stays under /grades. */
  @Get('grades/:id/result.pdf')
  @Can('grade.read')
  async pdf(@CurrentUser() user: AuthUser, @Param('id', gradeId) id: string, @Res() res: Response) {
    const pdf = await gradeResultPdf(this.scoring, this.bureaus, user, id);
    res.setHeader('Content-Disposition', `inline; filename="grade.pdf"; filename*=UTF-8''${encodeURIComponent(pdf.fileName)}`);
    res.type('application/pdf').send(pdf.bytes);
  }

  // ------------------------------------------------------------------ rendering

  private async renderOpen(user: AuthUser, req: WebRequest, res: Response, status: number, s: {
    q: string; selectedId?: string; versionNo?: number; draft?: { noSeriousAccident: boolean; registrationInOrder: boolean }; errors?: string[];
  }) {
    const [list, forms] = await Promise.all([
      this.institutions.list(user, { page: 1, pageSize: 100, name: s.q || undefined, status: 'active' } as never),
      this.scoring.gradingForms(),
    ]);
    const choices = list.items.map((i) => {
      const g = gradingApplies(i);
      return { id: i.id, name: i.name, applies: g.applies, reason: g.applies ? undefined : g.reason };
    });
    const view = openFormView(choices, forms, { csrf: req.csrfToken ?? '', q: s.q, selectedId: s.selectedId, versionNo: s.versionNo, draft: s.draft, flash: { errors: s.errors }, more: list.total > list.items.length });
    render(res, { status, title: '开启等级评定', user, crumbs: CRUMBS, body: openAssessmentPage(view) });
  }

  private async standingOf(user: AuthUser, institutionId: string, id: string) {
    const rows = await this.scoring.assessments(user, { institutionId, page: 1, pageSize: 100 });
    const row = rows.items.find((r) => r.id === id);
    return row ? { standing: row.standing, currentGrade: row.currentGrade } : null;
  }

  private async renderAssessment(user: AuthUser, id: string, req: WebRequest, res: Response, status: number, s: {
    part?: string; flash?: { ok?: string; errors?: string[] }; draft?: { points: Record<string, string>; notes: Record<string, string> }; errorCodes?: string[];
    decision?: { draft?: DecisionDraft; confirming?: boolean; flash?: { ok?: string; errors?: string[] } };
  }, known?: GradePreview) {
    const preview = known && !s.decision ? known : ((await this.scoring.preview(user, id)) as unknown as GradePreview);
    const standing = preview.assessment.status === 'finalized' ? await this.standingOf(user, preview.assessment.institutionId, id) : null;
    const csrf = req.csrfToken ?? '';
    const view = assessmentPageView(user, preview, { csrf, part: s.part, flash: s.flash, draft: s.draft, errorCodes: s.errorCodes, standing });
    const decision = preview.assessment.status === 'finalized'
      ? decisionFormView(user, preview, standing, { csrf, today: shanghaiDate(new Date()), draft: s.decision?.draft, confirming: s.decision?.confirming, flash: s.decision?.flash })
      : null;
    render(res, { status, title: `等级评定 · ${preview.assessment.institutionName}`, user, crumbs: CRUMBS, body: assessmentPage(view, decision) });
  }

  private async renderConfirm(user: AuthUser, id: string, req: WebRequest, res: Response, status: number, flash: { errors?: string[] }) {
    const preview = (await this.scoring.preview(user, id)) as unknown as GradePreview;
    if (preview.assessment.status !== 'open') return res.redirect(303, `/grades/${id}`);
    render(res, {
      status, title: `确认定稿 · ${preview.assessment.institutionName}`, user,
      crumbs: [...CRUMBS, { href: `/grades/${id}`, label: preview.assessment.institutionName }],
      body: finalizeConfirmPage(finalizeConfirmView(preview, req.csrfToken ?? '', flash)),
    });
  }
}
