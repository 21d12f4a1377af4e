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
import { NoticeContent, noticeContent } from '../reports/notice-content';
import type { RectificationNoticeData } from '../reports/notice.pdf';
import type { Inspection } from '../inspections/inspection.entity';
import { can } from '../auth/permissions';
import { shanghaiDate } from '../common/calendar';
import { DOCUMENT_SERIES, formatDocumentNo, seriesKey } from '../documents/document-numbers';
import { DataSource } from 'typeorm';
import { NoticeSeriesRepository } from './notice-series.repository';
import { NoticeRow, RectificationRepository } from './rectification.repository';

/** The preview of a notice: a draft with the number it would get now, or the notice already issued. */
export type NoticePreview =
  | { kind: 'draft'; inspection: Inspection; institutionName: string; expectedNo: string; hazardCount: number; content: NoticeContent }
  | { kind: 'issued'; notice: NoticeRow };

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
    private readonly series: NoticeSeriesRepository,
    private readonly dataSource: DataSource,
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
    const pdf = await renderRectificationNotice(await this.noticeData(inspection, notice));
    await this.repo.setNoticePdf(noticeId, 'rendered', await storePdf(this.fileOf(noticeId), pdf));
    return true;
  }

  /** The full public address a notice is verified at (the QR code and the printed line). */
  verifyUrl(verifyToken: string): string {
    return `${this.config.PUBLIC_URL.replace(/\/+$/, '')}/verify/notice/${verifyToken}`;
  }

  /**
   * What the notice says — the same data for the PDF, the notice page and the print view (and, before it exists, the
   * preview: no number yet, issued now, no verification link).
   */
  private async noticeData(
    inspection: Inspection,
    head: { noticeNo: string; issuedAt: Date; verifyToken: string | null; divisionPath: string; institutionId: string },
  ): Promise<RectificationNoticeData> {
    const { name, address, creditCode } = (await this.institutions.findById(SYSTEM_SCOPE, head.institutionId))!;
    const hazards = await this.hazards.forInspection(inspection.id);
    // The items as the inspection saw them: its checklist version with its local rule set (local items cite the local document).
    const items = new Map((await this.checklists.pinnedItems(inspection.checklistVersionId, inspection.localRuleSetVersionId)).map((i) => [i.code, i]));
    const printableCriteria = new Set((await this.checklists.majorCriteria()).map((c) => c.code));
    const bureau = await this.bureaus.of(head.divisionPath);
    // The 陈述申辩 window of the policy the inspection was made under (the same one the hazards' deadlines use).
    const days = (await this.policies.byId(inspection.productPolicyVersionId ?? null)).values.objection.workingDays;
    return {
      noticeNo: head.noticeNo, bureauName: bureau.name,
      institution: { name, address, creditCode },
      inspection: { date: inspection.submittedAt!, kindLabel: INSPECTION_KIND_LABELS[inspection.kind], reportNo: inspection.reportNo! },
      issuedAt: head.issuedAt,
      hazards: noticeHazardRows(hazards, items, printableCriteria),
      majorCount: hazards.filter((h) => h.severity === 'major').length,
      howToRespond: [
        '请登录颐安系统“机构端”，在“整改通知”中签收本通知书，并对每项隐患逐项填写整改情况（整改内容、举一反三排查情况、长效措施、责任人、完成日期），上传整改后照片。',
        '确有困难不能按期完成的，应在整改期限届满前在线申请延期，说明理由和拟完成日期，经批准后方可延期。',
        `对检查认定的隐患有异议的，可在签收本通知书之日起 ${days} 个工作日内在线提出陈述和申辩，由非本次检查组成员的工作人员复核。`,
        '整改完成后由检查人员复核（书面或现场），符合要求的予以销号；未按期整改的，将依法依规督办处理。',
      ],
      verifyUrl: head.verifyToken ? this.verifyUrl(head.verifyToken) : '',
      contact: null,
    };
  }

  /** An issued notice's content in the caller's scope (the notice page and the print view). */
  async content(user: AuthUser, noticeId: string): Promise<{ notice: NoticeRow; content: NoticeContent }> {
    const notice = await this.repo.notice(scopeOf(user), noticeId);
    if (!notice) throw AppError.notFound('notice.not_found');
    const inspection = (await this.inspections.findUnscoped(notice.inspectionId))!;
    return { notice, content: noticeContent(await this.noticeData(inspection, notice)) };
  }

  /** The notice issued from an inspection, if any (in the caller's scope). */
  async ofInspection(user: AuthUser, inspectionId: string): Promise<NoticeRow | null> {
    const inspection = await this.inspections.findById(user, inspectionId);
    if (!inspection) return null;
    const notice = await this.repo.noticeOfInspection(this.dataSource.manager, inspectionId);
    return notice && (await this.repo.notice(scopeOf(user), notice.id)) ? notice : null;
  }

  /**
   * 预览: the notice an officer would issue from a submitted inspection, before anything is written — its content,
   * and the number it would get now (peeked, not reserved: it is taken when the notice is issued). An inspection that
   * already has its notice answers with that notice instead.
   */
  async preview(user: AuthUser, inspectionId: string): Promise<NoticePreview> {
    if (!can(user, 'notice.issue')) throw AppError.forbidden();
    const inspection = await this.inspections.findById(user, inspectionId);
    if (!inspection || inspection.status !== 'submitted') throw AppError.notFound('inspection.not_found');
    const existing = await this.ofInspection(user, inspectionId);
    if (existing) return { kind: 'issued', notice: existing };
    const hazards = await this.hazards.forInspection(inspectionId);
    if (!hazards.length) throw AppError.conflict('notice.no_hazards');
    const now = new Date();
    const bureau = await this.bureaus.of(inspection.divisionPath);
    const year = Number(shanghaiDate(now).slice(0, 4));
    const expectedNo = formatDocumentNo(bureau.abbreviation, DOCUMENT_SERIES.notice.type, year, (await this.series.lastNumber(seriesKey(bureau.series, 'notice'), year)) + 1);
    const data = await this.noticeData(inspection, { noticeNo: expectedNo, issuedAt: now, verifyToken: null, divisionPath: inspection.divisionPath, institutionId: inspection.institutionId });
    return { kind: 'draft', inspection, institutionName: data.institution.name, expectedNo, hazardCount: hazards.length, content: noticeContent(data) };
  }

  async read(user: AuthUser, noticeId: string): Promise<{ file: string; noticeNo: string }> {
    const notice = await this.repo.notice(scopeOf(user), noticeId);
    if (!notice) throw AppError.notFound('notice.not_found');
    return { file: renderedPdf(notice.pdfStatus, this.fileOf(noticeId), 'notice.pdf_not_ready'), noticeNo: notice.noticeNo };
  }
}
