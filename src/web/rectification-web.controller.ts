import { Body, Controller, Get, Param, Post, Query, Req, Res, UploadedFiles, UseInterceptors } from '@nestjs/common';
import { FilesInterceptor } from '@nestjs/platform-express';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import * as fs from 'node:fs';
import { Can, CurrentUser } from '../auth/auth.decorators';
import { AppError } from '../common/app-error';
import { formatChineseDate, shanghaiDate } from '../common/calendar';
import { fieldMessage, message } from '../common/messages';
import { AuthUser, scopeOf, SYSTEM_SCOPE } from '../common/scope';
import { can } from '../auth/permissions';
import { HAZARD_STATUS_LABELS } from '../common/labels';
import { label, labelEntries, labelMap } from '../common/vocabulary';
import { checklistContent } from '../checklists/domain';
import { DivisionsService } from '../divisions/divisions.service';
import type { Hazard } from '../hazards/hazard.entity';
import { ChecklistsService } from '../checklists/checklists.service';
import { PolicyService } from '../checklists/policy.service';
import { DeadlineDto, DecisionDto, ExtensionRequestDto, HAZARD_QUERY_KEYS, HazardQuery, ObjectionDto, PlanDto, ReinspectionDto, RespondDto, VerifyDto } from '../rectification/dto/rectification.dto';
import { MajorDecisionDto } from '../rectification/major-hazards.controller';
import { MajorHazardsService } from '../rectification/major-hazards.service';
import { RectificationService } from '../rectification/rectification.service';
import { UsersRepository } from '../users/users.repository';
import { render, uuid, WebRequest } from './render';
import { hazardView, majorDecisionView, MajorDraft } from './view-models';
import { HazardPage, ledgerView, PLAN_FIELD_LABELS, PLAN_FIELDS, PlanDraft, planView, timelineView } from './hazard-view';
import { pager } from './components';
import { webQuery } from './web-query';
import { hazardDetailPage, ledgerPage } from './rectification-pages';
import { bool, formDto } from './web-form';

const hazardId = uuid('hazard.not_found');
const OK_MESSAGES: Record<string, string> = {
  responded: '整改情况已提交，等待复核。', extension: '延期申请已提交，等待审批。', objection: '陈述申辩已提交。',
  closed: '已复核通过并销号。', returned: '已退回整改。', decided: '已处理。',
  major_confirmed: '已认定为重大隐患：整改期限已按重大隐患重新计算，机构须按期提交“五到位”整改方案。',
  major_downgraded: '已不认定为重大隐患，按一般隐患整改。',
  deadline: '整改期限已修改，机构将按新期限整改。', reinspection: '已安排现场复查，复查任务已派给复查组。',
  plan: '“五到位”整改方案已提交，主管部门可在本页查看。',
};

/** What a refused deadline or re-inspection form is shown again with. */
interface FormDrafts {
  deadline?: { dueDate?: string; reason?: string };
  reinspection?: { scheduledDate?: string; teamUserIds?: string[] };
  /** 五到位整改方案 as typed */
  plan?: PlanDraft;
}

const DEADLINE_FIELDS: Record<string, string> = { dueDate: '新的整改期限', reason: '调整理由' };
const REINSPECTION_FIELDS: Record<string, string> = { scheduledDate: '复查日期', teamUserIds: '复查组' };
const TIMELINE_LABELS: Record<string, string> = { ...labelMap('hazardAuditAction'), ...labelMap('hazardTimelineEvent') };

/** The decision form's fields by their label on the page (errors name the field the officer sees). */
const MAJOR_FIELDS: Record<string, string> = { confirm: '认定结论', decision: '认定结论', criterionCode: '判定标准', criterion: '判定标准', reason: '理由' };

/** The rectification pages: the institution's portal (notices, hazards, responses) and the bureau's ledger and verification. */
@ApiExcludeController()
@Controller()
export class RectificationWebController {
  constructor(
    private readonly rectification: RectificationService,
    private readonly majorHazards: MajorHazardsService, private readonly checklists: ChecklistsService,
    private readonly policies: PolicyService, private readonly users: UsersRepository, private readonly divisions: DivisionsService,
  ) {}

  /**
   * 隐患台账: the HazardQuery filters (the same DTO, service and condition as GET /api/hazards and the exports), the
   * streets of the viewer's scope and the checklists' categories for the form, and export links with the same filters.
   */
  @Get('hazards')
  async ledger(@CurrentUser() user: AuthUser, @Query() raw: Record<string, string>, @Res() res: Response) {
    const { query, filters } = webQuery(HazardQuery, raw, HAZARD_QUERY_KEYS);
    const [page, streets, categoryNames] = await Promise.all([
      this.rectification.ledger(user, query),
      user.role === 'institution' ? Promise.resolve({ items: [] }) : this.divisions.list(scopeOf(user), { level: 'street', page: 1, pageSize: 100 }),
      this.categoryNames(),
    ]);
    const view = ledgerView(page.items, page.total, filters, {
      today: shanghaiDate(new Date()), streets: streets.items, categoryNames, statusLabels: HAZARD_STATUS_LABELS, severityLabels: labelMap('severity'),
      sortLabels: labelEntries('hazardSort'), canExport: can(user, 'export.read'), shanghaiDay: shanghaiDate,
    });
    render(res, { title: '隐患台账', user, body: ledgerPage(view, pager(page, '/hazards', filters)) });
  }

  @Get('hazards/:id')
  async hazard(@CurrentUser() user: AuthUser, @Param('id', hazardId) id: string, @Query('ok') ok: string | undefined, @Req() req: WebRequest, @Res() res: Response) {
    await this.renderHazard(user, id, req, res, 200, { ok: ok ? OK_MESSAGES[ok] : undefined });
  }

  @Post('hazards/:id/respond')
  @Can('hazard.respond')
  @UseInterceptors(FilesInterceptor('photos', 6))
  async respond(@CurrentUser() user: AuthUser, @Param('id') rawId: string, @Body() body: Record<string, unknown>, @UploadedFiles() files: { path: string; originalname: string }[] | undefined, @Req() req: WebRequest, @Res() res: Response) {
    try {
      // Checked here rather than by a pipe: the upload interceptor runs first, and the finally removes its files.
      const id: string = await hazardId.transform(rawId, { type: 'param', data: 'id' });
      const { dto, errors } = formDto(RespondDto, body);
      if (errors.length) return await this.renderHazard(user, id, req, res, 400, { errors });
      await this.attempt(user, id, req, res, async () => {
        const evidenceIds: string[] = [];
        for (const f of files ?? []) {
          evidenceIds.push((await this.rectification.uploadRectificationPhoto(user, id, await fs.promises.readFile(f.path), { originalName: f.originalname })).id);
        }
        await this.rectification.respond(user, id, { ...dto, evidenceIds });
        return 'responded';
      });
    } finally {
      await Promise.all((files ?? []).map((f) => fs.promises.rm(f.path, { force: true })));
    }
  }

  @Post('hazards/:id/extension')
  @Can('extension.request')
  async extension(@CurrentUser() user: AuthUser, @Param('id', hazardId) id: string, @Body() body: Record<string, unknown>, @Req() req: WebRequest, @Res() res: Response) {
    const { dto, errors } = formDto(ExtensionRequestDto, body);
    if (errors.length) return this.renderHazard(user, id, req, res, 400, { errors });
    await this.attempt(user, id, req, res, async () => (await this.rectification.requestExtension(user, id, dto), 'extension'));
  }

  @Post('hazards/:id/objection')
  @Can('objection.file')
  async objection(@CurrentUser() user: AuthUser, @Param('id', hazardId) id: string, @Body() body: Record<string, unknown>, @Req() req: WebRequest, @Res() res: Response) {
    const { dto, errors } = formDto(ObjectionDto, body);
    if (errors.length) return this.renderHazard(user, id, req, res, 400, { errors });
    await this.attempt(user, id, req, res, async () => (await this.rectification.fileObjection(user, id, dto), 'objection'));
  }

  @Post('hazards/:id/verify')
  @Can('hazard.verify')
  async verify(@CurrentUser() user: AuthUser, @Param('id', hazardId) id: string, @Body() body: Record<string, unknown>, @Req() req: WebRequest, @Res() res: Response) {
    const { dto, errors } = formDto(VerifyDto, { ...body, accept: bool(body.accept), onSite: bool(body.onSite), reason: body.reason || undefined, newDueDate: body.newDueDate || undefined });
    if (errors.length) return this.renderHazard(user, id, req, res, 400, { errors });
    await this.attempt(user, id, req, res, async () => (await this.rectification.verify(user, id, dto), dto.accept ? 'closed' : 'returned'));
  }

  /**
   * 疑似重大隐患的认定 in two steps: the form is checked (a criterion of the confirmable list when confirming, a
   * reason) and shown back with what confirming sets in motion; `step=commit` decides through MajorHazardsService,
   * which checks again (the lifecycle refuses a member of the finding team); `step=edit` returns to the form.
   */
  @Post('hazards/:id/major-decision')
  @Can('hazard.major_decide')
  async majorDecision(@CurrentUser() user: AuthUser, @Param('id', hazardId) id: string, @Body() body: Record<string, unknown>, @Req() req: WebRequest, @Res() res: Response) {
    const text = (v: unknown) => (typeof v === 'string' ? v : '');
    const decision = body.decision === 'confirm' || body.decision === 'downgrade' ? body.decision : undefined;
    const draft: MajorDraft = { decision, criterionCode: text(body.criterionCode).trim() || undefined, reason: text(body.reason).trim() || undefined };
    if (body.step === 'edit') return this.renderHazard(user, id, req, res, 200, {}, { draft });
    const confirm = decision === 'confirm';
    const { dto, errors } = formDto(MajorDecisionDto, { confirm, criterionCode: confirm ? draft.criterionCode : undefined, reason: draft.reason ?? '' }, MAJOR_FIELDS);
    if (!decision) errors.unshift(`${MAJOR_FIELDS.decision}：请选择“认定为重大隐患”或“不认定（按一般隐患整改）”`);
    if (!draft.reason) errors.push(`${MAJOR_FIELDS.reason}：${fieldMessage('isNotEmpty', 'zh')}`);
    if (confirm && !draft.criterionCode) errors.push(`${MAJOR_FIELDS.criterionCode}：认定为重大隐患时须选择所依据的判定标准条款`);
    if (confirm && draft.criterionCode && !(await this.checklists.majorCriteria()).some((c) => c.code === draft.criterionCode)) {
      errors.push(`${MAJOR_FIELDS.criterionCode}：${fieldMessage('criterionNotConfirmable', 'zh', [draft.criterionCode])}`);
    }
    if (errors.length) return this.renderHazard(user, id, req, res, 400, { errors }, { draft });
    if (body.step !== 'commit') return this.renderHazard(user, id, req, res, 200, {}, { draft, confirming: true });
    await this.attempt(user, id, req, res, async () => {
      await this.majorHazards.decideMajor(user, id, dto);
      return confirm ? 'major_confirmed' : 'major_downgraded';
    }, MAJOR_FIELDS, { draft });
  }

  /** 修改整改期限: the same service move as POST /api/hazards/:id/deadline (the lifecycle checks the policy's maximum and the team). */
  @Post('hazards/:id/deadline')
  @Can('hazard.deadline_change')
  async deadline(@CurrentUser() user: AuthUser, @Param('id', hazardId) id: string, @Body() body: Record<string, unknown>, @Req() req: WebRequest, @Res() res: Response) {
    const draft = { dueDate: typeof body.dueDate === 'string' ? body.dueDate : undefined, reason: typeof body.reason === 'string' ? body.reason : undefined };
    const { dto, errors } = formDto(DeadlineDto, { dueDate: draft.dueDate || undefined, reason: draft.reason?.trim() ?? '' }, DEADLINE_FIELDS);
    if (errors.length) return this.renderHazard(user, id, req, res, 400, { errors }, {}, { deadline: draft });
    await this.attempt(user, id, req, res, async () => (await this.rectification.changeDeadline(user, id, dto), 'deadline'), DEADLINE_FIELDS, {}, { deadline: draft });
  }

  /** 安排复查: the same service as POST /api/inspections/:id/reinspection, for the inspection that found this hazard. */
  @Post('hazards/:id/reinspection')
  @Can('reinspection.schedule')
  async reinspection(@CurrentUser() user: AuthUser, @Param('id', hazardId) id: string, @Body() body: Record<string, unknown>, @Req() req: WebRequest, @Res() res: Response) {
    const team = (Array.isArray(body.teamUserIds) ? body.teamUserIds : typeof body.teamUserIds === 'string' ? [body.teamUserIds] : []).filter((x): x is string => typeof x === 'string');
    const draft = { scheduledDate: typeof body.scheduledDate === 'string' ? body.scheduledDate : undefined, teamUserIds: team };
    const { dto, errors } = formDto(ReinspectionDto, { teamUserIds: team, scheduledDate: draft.scheduledDate || undefined }, REINSPECTION_FIELDS);
    if (!draft.scheduledDate) errors.push(`${REINSPECTION_FIELDS.scheduledDate}：${fieldMessage('isDefined', 'zh')}`);
    if (errors.length) return this.renderHazard(user, id, req, res, 400, { errors }, {}, { reinspection: draft });
    const h = (await this.rectification.hazard(user, id)).hazard;
    await this.attempt(user, id, req, res, async () => (await this.rectification.createReinspection(user, h.inspectionId, dto), 'reinspection'), REINSPECTION_FIELDS, {}, { reinspection: draft });
  }

  /** 五到位整改方案 of a major hazard: the same DTO and service as POST /api/hazards/:id/plan (audited there); errors name the field. */
  @Post('hazards/:id/plan')
  @Can('hazard.plan_submit')
  async plan(@CurrentUser() user: AuthUser, @Param('id', hazardId) id: string, @Body() body: Record<string, unknown>, @Req() req: WebRequest, @Res() res: Response) {
    const draft: PlanDraft = Object.fromEntries(PLAN_FIELDS.map((f) => [f.name, typeof body[f.name] === 'string' ? (body[f.name] as string) : ''])) as PlanDraft;
    const values = Object.fromEntries(Object.entries(draft).map(([k, v]) => [k, v?.trim() || undefined]));
    // An empty field is named as missing (not as "not a valid date"); the DTO checks the rest as the API does.
    const missing = PLAN_FIELDS.filter((f) => !values[f.name]).map((f) => f.label);
    const { dto, errors: invalid } = formDto(PlanDto, values, PLAN_FIELD_LABELS);
    const errors = [...missing.map((l) => `${l}：${fieldMessage('isNotEmpty', 'zh')}`), ...invalid.filter((e) => !missing.some((l) => e.startsWith(`${l}：`)))];
    if (errors.length) return this.renderHazard(user, id, req, res, 400, { errors }, {}, { plan: draft });
    await this.attempt(user, id, req, res, async () => (await this.rectification.submitPlan(user, id, dto), 'plan'), PLAN_FIELD_LABELS, {}, { plan: draft });
  }

  @Post('extensions/:id/decide')
  @Can('extension.decide')
  async decideExtension(@CurrentUser() user: AuthUser, @Param('id', uuid('extension.not_found')) id: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const { dto, errors } = formDto(DecisionDto, { ...body, approve: bool(body.approve) });
    if (errors.length) throw AppError.validation([{ field: 'reason', reason: 'isNotEmpty' }]);
    const { hazardId } = await this.rectification.decideExtension(user, id, dto);
    res.redirect(303, `/hazards/${hazardId}?ok=decided`);
  }

  @Post('objections/:id/decide')
  @Can('objection.decide')
  async decideObjection(@CurrentUser() user: AuthUser, @Param('id', uuid('objection.not_found')) id: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const { dto, errors } = formDto(DecisionDto, { ...body, approve: bool(body.approve) });
    if (errors.length) throw AppError.validation([{ field: 'reason', reason: 'isNotEmpty' }]);
    const { hazardId } = await this.rectification.decideObjection(user, id, dto);
    res.redirect(303, `/hazards/${hazardId}?ok=decided`);
  }

  /**
   * The hazard page shows exactly the actions the lifecycle allows this user now (`allowedActions` of the API), and
   * for an action the user's role could take but may not here, the reason (e.g. a team member cannot verify).
   */
  private async renderHazard(user: AuthUser, id: string, req: WebRequest, res: Response, status: number, flash: { ok?: string; errors?: string[] }, majorForm: { draft?: MajorDraft; confirming?: boolean } = {}, drafts: FormDrafts = {}) {
    const d = await this.rectification.hazard(user, id);
    const allowed = new Set(d.allowedActions);
    const today = shanghaiDate(new Date());
    const view = hazardView(user, d, { today, awaitingResponse: null, team: [] }, req.csrfToken ?? '', flash);
    const page = {
      ...view,
      timeline: timelineView(d.timeline, (a) => TIMELINE_LABELS[a] ?? a, (r) => label('role', r), formatChineseDate),
      reinspection: await this.reinspectionView(user, d.hazard, drafts.reinspection),
      forms: { deadline: drafts.deadline },
      can: {
        changeDeadline: allowed.has('change_deadline'),
        respond: user.role === 'institution' && allowed.has('respond'),
        extend: allowed.has('extend_request'),
        object: allowed.has('object'),
        verify: allowed.has('accept'),
        decideExtension: allowed.has('extend_decide'),
        decideObjection: allowed.has('object_decide'),
      },
    };
    const reasons = Object.fromEntries(Object.entries(d.refusals).map(([a, code]) => [a, message(code, 'zh')]));
    const major = d.hazard.majorStatus ? await this.majorView(d, reasons, majorForm) : null;
    const plan = planView(d.hazard, d.history.plan, { mayFile: user.role === 'institution' && allowed.has('plan_submit'), today, draft: drafts.plan, errors: drafts.plan ? flash.errors : undefined });
    render(res, { status, title: d.hazard.titleZh, user, crumbs: [{ href: '/hazards', label: user.role === 'institution' ? '隐患' : '隐患台账' }], body: hazardDetailPage({ ...page, major, plan }, reasons) });
  }

  /**
   * 安排复查: the one scheduled and not yet done, or the form with the inspectors of the viewer's scope (bureau only,
   * hazard not closed) — after a re-inspection that left the hazard open, a next one may be scheduled.
   */
  private async reinspectionView(user: AuthUser, h: Hazard, draft: FormDrafts['reinspection']): Promise<HazardPage['reinspection']> {
    const state = h.reinspectionId ? await this.rectification.reinspectionState(user, h.reinspectionId) : null;
    const last = h.reinspectionId && state ? { id: h.reinspectionId, linked: state.visible } : null;
    if (state?.open) return { scheduled: last, previous: null, form: null };
    if (!can(user, 'reinspection.schedule') || h.status === 'closed') return { scheduled: null, previous: last, form: null };
    const [open, [inspectors], policy] = await Promise.all([
      this.rectification.openHazardCount(user, h.inspectionId),
      this.users.page(scopeOf(user), { role: 'inspector', status: 'active' }, 0, 100),
      this.policies.byId(h.productPolicyVersionId ?? null),
    ]);
    return {
      scheduled: null, previous: last,
      form: { openCount: open, minTeam: policy.values.team.minSize, inspectors: inspectors.map((u) => ({ id: u.id, name: u.displayName })), draft },
    };
  }

  /** Category code → name, from the checklists in force (the ledger's 类别 choices and column). */
  private async categoryNames(): Promise<Record<string, string>> {
    const versions = await this.checklists.currentOfKind('inspection_checklist');
    return Object.fromEntries(versions.flatMap((v) => checklistContent(v).categories.map((c) => [c.code, c.title.zh] as const)));
  }

  /** The facts of the 疑似重大隐患 part: the confirmable criteria, the pinned policy's duties, who reported and who decided. */
  private async majorView(d: Awaited<ReturnType<RectificationService['hazard']>>, reasons: Record<string, string>, form: { draft?: MajorDraft; confirming?: boolean }) {
    const h = d.hazard;
    const ids = [h.suspectedBy, h.majorDecidedBy].filter((x): x is string => !!x);
    const [criteria, policy, people] = await Promise.all([
      this.checklists.majorCriteria(), this.policies.byId(h.productPolicyVersionId ?? null),
      // Display names only, of people the viewer sees act on a hazard in its scope (a deciding officer may sit above it).
      Promise.all(ids.map((uid) => this.users.findById(SYSTEM_SCOPE, uid))),
    ]);
    const names = new Map(people.filter((u) => !!u).map((u) => [u!.id, u!.displayName]));
    const p = policy.values;
    return majorDecisionView(h, {
      today: shanghaiDate(new Date()), allowedActions: d.allowedActions, refusals: reasons, names,
      criteria: criteria.map((c) => ({ code: c.code, text: c.text.zh })),
      duties: { planDays: p.deadlines.majorPlanDays, majorMaxDays: p.deadlines.majorMaxDays, objectionWorkingDays: p.objection.workingDays },
      ...form,
    });
  }

  /** Runs a move; a refusal the user can act on is shown on the hazard page, anything else goes to the error page. */
  private async attempt(user: AuthUser, id: string, req: WebRequest, res: Response, work: () => Promise<string>, labels: Record<string, string> = {}, majorForm: { draft?: MajorDraft } = {}, drafts: FormDrafts = {}) {
    try {
      const ok = await work();
      res.redirect(303, `/hazards/${id}?ok=${ok}`);
    } catch (err) {
      if (!(err instanceof AppError) || err.status === 404 || err.status >= 500) throw err;
      const errors = [message(err.code, 'zh', err.params), ...err.fields.map((f) => `${labels[f.field] ?? f.field}：${fieldMessage(f.reason, 'zh', f.args)}`)];
      await this.renderHazard(user, id, req, res, err.status, { errors }, majorForm, drafts);
    }
  }
}
