import { Inject, Injectable } from '@nestjs/common';
import { ChecklistsService } from '../checklists/checklists.service';
import { PolicyService } from '../checklists/policy.service';
import { AppError } from '../common/app-error';
import { INSPECTION_KIND_LABELS } from '../common/labels';
import { AuthUser, scopeOf, SYSTEM_SCOPE } from '../common/scope';
import { APP_CONFIG, AppConfig } from '../config/env';
import { IssuingBureaus } from '../documents/issuing-bureau';
import { renderedPdf, storedPdfPath, storePdf } from '../documents/stored-pdf';
import { InspectionsRepository } from '../inspections/inspections.repository';
import { InstitutionsRepository } from '../institutions/institutions.repository';
import { JOBS, REPORTS_QUEUE } from '../outbox/job-names';
import { OnJob, permanentJobFailure } from '../outbox/on-job.decorator';
import { noticeHazardRows } from '../reports/notice-rows';
import { renderRectificationNotice } from '../reports/notice.pdf';
import { HazardsRepository } from '../hazards/hazards.repository';
import { RectificationRepository } from './rectification.repository';

/** Renders 整改通知书 PDFs on the queue and serves them in scope. */
@Injectable()
export class NoticePdfService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repo: RectificationRepository,
    private readonly hazards: HazardsRepository,
    private readonly inspections: InspectionsRepository,
    private readonly institutions: InstitutionsRepository,
    private readonly checklists: ChecklistsService,
    private readonly bureaus: IssuingBureaus,
    private readonly policies: PolicyService,
  ) {}

  private fileOf(id: string): string {
    return storedPdfPath(this.config.DATA_DIR, `notice-${id}`);
  }

  @OnJob({ queue: REPORTS_QUEUE, name: JOBS.noticePdf })
  async renderJob({ noticeId }: { noticeId: string }): Promise<{ rendered: true }> {
    if (!(await this.render(noticeId))) throw permanentJobFailure(`notice ${noticeId} not found`);
    return { rendered: true };
  }

  async render(noticeId: string): Promise<boolean> {
    const notice = await this.repo.noticeUnscoped(noticeId);
    if (!notice) return false;
    const inspection = (await this.inspections.findUnscoped(notice.inspectionId))!;
    const { name, address, creditCode } = (await this.institutions.findById(SYSTEM_SCOPE, notice.institutionId))!;
    const hazards = await this.hazards.forInspection(notice.inspectionId);
    // The items as the inspection saw them: its checklist version with its local rule set (local items cite the local document).
    const items = new Map((await this.checklists.pinnedItems(inspection.checklistVersionId, inspection.localRuleSetVersionId)).map((i) => [i.code, i]));
    const printableCriteria = new Set((await this.checklists.majorCriteria()).map((c) => c.code));
    const bureau = await this.bureaus.of(notice.divisionPath);
    // The 陈述申辩 window of the policy the inspection was made under (the same one the hazards' deadlines use).
    const days = (await this.policies.byId(inspection.productPolicyVersionId ?? null)).values.objection.workingDays;
    const pdf = await renderRectificationNotice({
      noticeNo: notice.noticeNo, bureauName: bureau.name,
      institution: { name, address, creditCode },
      inspection: { date: inspection.submittedAt!, kindLabel: INSPECTION_KIND_LABELS[inspection.kind], reportNo: inspection.reportNo! },
      issuedAt: notice.issuedAt,
      hazards: noticeHazardRows(hazards, items, printableCriteria),
      majorCount: hazards.filter((h) => h.severity === 'major').length,
      howToRespond: [
        '请登录颐安系统“机构端”，在“整改通知”中签收本通知书，并对每项隐患逐项填写整改情况（整改内容、举一反三排查情况、长效措施、责任人、完成日期），上传整改后照片。',
        '确有困难不能按期完成的，应在整改期限届满前在线申请延期，说明理由和拟完成日期，经批准后方可延期。',
        `对检查认定的隐患有异议的，可在签收本通知书之日起 ${days} 个工作日内在线提出陈述和申辩，由非本次检查组成员的工作人员复核。`,
        '整改完成后由检查人员复核（书面或现场），符合要求的予以销号；未按期整改的，将依法依规督办处理。',
      ],
      verifyUrl: `${this.config.PUBLIC_URL}/verify/notice/${notice.verifyToken}`,
      contact: null,
    });
    await this.repo.setNoticePdf(noticeId, 'rendered', await storePdf(this.fileOf(noticeId), pdf));
    return true;
  }

  async read(user: AuthUser, noticeId: string): Promise<{ file: string; noticeNo: string }> {
    const notice = await this.repo.notice(scopeOf(user), noticeId);
    if (!notice) throw AppError.notFound('notice.not_found');
    return { file: renderedPdf(notice.pdfStatus, this.fileOf(noticeId), 'notice.pdf_not_ready'), noticeNo: notice.noticeNo };
  }
}
