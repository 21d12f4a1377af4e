import { Inject, Injectable } from '@nestjs/common';
import { ChecklistsService } from '../checklists/checklists.service';
import { basisText, checklistContent, criterionText } from '../checklists/domain';
import { AppError } from '../common/app-error';
import { formatChineseDate } from '../common/calendar';
import { INSPECTION_KIND_LABELS, KIND_LABELS, ROLE_LABELS, SCOPE_LABELS, SEVERITY_LABELS } from '../common/labels';
import { AuthUser, SYSTEM_SCOPE } from '../common/scope';
import { APP_CONFIG, AppConfig } from '../config/env';
import { IssuingBureaus } from '../documents/issuing-bureau';
import { renderedPdf, storedPdfPath, storePdf } from '../documents/stored-pdf';
import { EvidenceService } from '../evidence/evidence.service';
import { InstitutionsRepository } from '../institutions/institutions.repository';
import { HazardsRepository } from '../hazards/hazards.repository';
import { JOBS, REPORTS_QUEUE } from '../outbox/job-names';
import { OnJob, permanentJobFailure } from '../outbox/on-job.decorator';
import { InspectionReportData, renderInspectionReport } from '../reports/inspection-report.pdf';
import { UsersRepository } from '../users/users.repository';
import type { Hazard } from '../hazards/hazard.entity';
import type { Inspection } from './inspection.entity';
import { InspectionsRepository, TeamMemberView } from './inspections.repository';
import { AnswerTrailRepository } from './answer-trail.repository';
import { InspectionCodesRepository } from './inspection-codes.repository';
import { InspectionCodesService } from './inspection-codes.service';
import type { TrailStep } from './domain/answer-trail';
import type { Markup } from '../evidence/markup';

/** One answered item of a submitted inspection, as reviewed. */
export interface ReviewItem {
  code: string;
  title: string;
  check: string;
  basis: string;
  result: 'pass' | 'fail' | 'na';
  note: string | null;
  location: string | null;
  scope: 'single' | 'multiple' | 'widespread' | null;
  severity: 'general' | 'major' | null;
  /** 判定标准: its code, and its text when it was retrieved (never reconstructed) */
  criterion: { code: string; text: string | null } | null;
  photos: { id: string; takenAt: Date | null; receivedAt: Date; gps: { lat: number; lng: number; source: string | null } | null; markup?: Markup | null; markupUpdatedAt?: Date | null }[];
  /** 作答轨迹: when and where the answer was given or changed (empty from older clients) */
  trail?: TrailStep[];
}

export interface InspectionReview {
  inspection: Inspection;
  institution: { id: string; name: string; address: string; creditCode: string; kindLabel: string };
  team: (TeamMemberView & { roleLabel: string })[];
  checklist: { title: string; code: string; versionNo: number; contentHash: string };
  categories: { code: string; title: string; items: ReviewItem[] }[];
  /** items of the pinned version without an answer (not applicable to this institution, or outside a re-inspection) */
  notAnswered: number;
  hazards: Hazard[];
  signatures: { role: string; label: string; name: string; evidenceId: string; signedAt: Date }[];
}

/** Renders the inspection report PDF (on the queue) and serves it to those who may read the inspection. */
@Injectable()
export class InspectionReportService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly inspections: InspectionsRepository,
    private readonly institutions: InstitutionsRepository,
    private readonly hazards: HazardsRepository,
    private readonly checklists: ChecklistsService,
    private readonly evidence: EvidenceService,
    private readonly users: UsersRepository,
    private readonly trails: AnswerTrailRepository,
    private readonly bureaus: IssuingBureaus,
    private readonly codes: InspectionCodesService,
    private readonly codeRows: InspectionCodesRepository,
  ) {}

  private fileOf(inspectionId: string): string {
    return storedPdfPath(this.config.DATA_DIR, `inspection-${inspectionId}`);
  }

  @OnJob({ queue: REPORTS_QUEUE, name: JOBS.inspectionReport })
  async renderJob({ inspectionId }: { inspectionId: string }): Promise<{ rendered: true }> {
    if (!(await this.render(inspectionId))) throw permanentJobFailure(`inspection ${inspectionId} is not submitted`);
    return { rendered: true };
  }

  /** Renders and stores the report; returns false when the inspection is gone or not submitted (nothing to do). */
  async render(inspectionId: string): Promise<boolean> {
    const data = await this.reportData(inspectionId);
    if (!data) return false;
    const sha256 = await storePdf(this.fileOf(inspectionId), await renderInspectionReport(data));
    await this.inspections.setReport(inspectionId, 'rendered', sha256);
    return true;
  }

  async read(user: AuthUser, inspectionId: string): Promise<{ file: string; reportNo: string }> {
    const inspection = await this.inspections.findById(user, inspectionId);
    if (!inspection || inspection.status !== 'submitted') throw AppError.notFound('inspection.not_found');
    return { file: renderedPdf(inspection.reportStatus, this.fileOf(inspectionId), 'inspection.report_not_ready'), reportNo: inspection.reportNo! };
  }

  /**
   * 检查记录审阅: a submitted inspection as the bureau reviews it — every answered item (answer, note, location,
   * scope, severity, 判定标准 with its text, 依据, photos with their time and GPS), the team, the signatures, the
   * pinned checklist version. Read in the caller's scope (an inspection out of scope is not found).
   */
  async review(user: AuthUser, inspectionId: string): Promise<InspectionReview> {
    const inspection = await this.inspections.findById(user, inspectionId);
    if (!inspection || inspection.status !== 'submitted') throw AppError.notFound('inspection.not_found');
    const institution = (await this.institutions.findById({ kind: 'division', path: '/' }, inspection.institutionId))!;
    const { version, items } = await this.checklists.pinnedApplicability(inspection.checklistVersionId, institution, inspection.localRuleSetVersionId);
    const criteria = new Map((await this.checklists.majorCriteria()).map((c) => [c.code, c.text.zh]));
    const [team, responses, hazards, photosByItem, signatures] = await Promise.all([
      this.inspections.teams([inspectionId]).then((t) => t.get(inspectionId) ?? []),
      this.inspections.responses(inspectionId),
      this.hazards.forInspection(inspectionId),
      this.inspections.responseEvidence(inspectionId),
      this.inspections.signatures(inspectionId),
    ]);
    const roles = await this.users.rolesByIds(SYSTEM_SCOPE, team.map((m) => m.userId));
    const evidenceById = new Map((await this.evidence.byIds([...photosByItem.values()].flat())).map((e) => [e.id, e]));
    const byCode = new Map(responses.map((r) => [r.itemCode, r]));
    const trails = await this.trails.of(inspectionId);
    const categories = checklistContent(version).categories;
    const answered = categories.map((c) => ({
      code: c.code, title: c.title.zh,
      items: items.filter((i) => i.category === c.code && byCode.has(i.code)).map((i): ReviewItem => {
        const r = byCode.get(i.code)!;
        const criterion = r.majorCriterion ?? null;
        return {
          code: i.code, title: i.title.zh, check: i.check.zh, basis: basisText(i),
          result: r.result, note: r.note, location: r.location, scope: r.scope, severity: r.severity,
          criterion: criterion ? { code: criterion, text: criteria.get(criterion) ?? null } : null,
          photos: (photosByItem.get(i.code) ?? []).map((id) => evidenceById.get(id)).filter((e) => e !== undefined).map((e) => ({
            id: e.id, takenAt: e.deviceTakenAt, receivedAt: e.receivedAt,
            gps: e.gpsLat !== null && e.gpsLng !== null ? { lat: e.gpsLat, lng: e.gpsLng, source: e.gpsSource } : null,
            markup: e.markup ?? null, markupUpdatedAt: e.markupUpdatedAt ?? null,
          })),
          trail: trails.get(i.code) ?? [],
        };
      }),
    })).filter((c) => c.items.length > 0);
    return {
      inspection,
      institution: { id: institution.id, name: institution.name, address: institution.address, creditCode: institution.creditCode, kindLabel: KIND_LABELS[institution.kind] },
      team: team.map((m) => ({ ...m, roleLabel: `${m.role === 'lead' ? '组长' : '组员'} · ${ROLE_LABELS[roles.get(m.userId) ?? ''] ?? ''}` })),
      checklist: { title: version.titleZh, code: version.ruleSetCode, versionNo: version.versionNo, contentHash: version.contentHash },
      categories: answered,
      notAnswered: items.length - responses.length,
      hazards,
      signatures: signatures.map((s) => ({ role: s.role, label: s.role === 'inspector' ? '检查人员' : '机构负责人签收', name: s.signerName, evidenceId: s.evidenceId, signedAt: s.signedAt })),
    };
  }

  async reportData(inspectionId: string): Promise<InspectionReportData | null> {
    const inspection = await this.inspections.findUnscoped(inspectionId);
    if (!inspection || inspection.status !== 'submitted') return null;
    const institution = (await this.institutions.findById({ kind: 'division', path: '/' }, inspection.institutionId))!;
    const { version, applicable, items } = await this.checklists.pinnedApplicability(inspection.checklistVersionId, institution, inspection.localRuleSetVersionId);
    const printableCriteria = new Set((await this.checklists.majorCriteria()).map((c) => c.code));
    const [team, responses, hazards, photosByItem, signatures] = await Promise.all([
      this.inspections.teams([inspectionId]).then((t) => t.get(inspectionId) ?? []),
      this.inspections.responses(inspectionId),
      this.hazards.forInspection(inspectionId),
      this.inspections.responseEvidence(inspectionId),
      this.inspections.signatures(inspectionId),
    ]);
    const roles = await this.users.rolesByIds(SYSTEM_SCOPE, team.map((m) => m.userId));
    const byCode = new Map(items.map((i) => [i.code, i]));
    const result = new Map(responses.map((r) => [r.itemCode, r.result]));
    const categories = checklistContent(version).categories;
    const summary = categories.map((c) => {
      const codes = items.filter((i) => i.category === c.code).map((i) => i.code);
      const count = (r: string) => codes.filter((code) => result.get(code) === r).length;
      const notApplicable = count('na') + codes.filter((code) => !applicable.some((a) => a.code === code)).length;
      return { categoryTitle: c.title.zh, passed: count('pass'), failed: count('fail'), notApplicable };
    }).filter((s) => s.passed + s.failed + s.notApplicable > 0);
    const evidenceRows = await this.evidence.byIds([...photosByItem.values()].flat().concat(signatures.map((s) => s.evidenceId)));
    const evidenceById = new Map(evidenceRows.map((e) => [e.id, e]));
    // The stored bytes as they are: the renderer re-encodes each image before layout (files kept by earlier
    // releases were never canonicalised) and draws a placeholder for one that is missing or cannot be decoded.
    const load = async (id: string): Promise<Buffer | null> => {
      const e = evidenceById.get(id);
      return e ? this.evidence.store.read(e.sha256).catch(() => null) : null;
    };
    const findings = await Promise.all(hazards.map(async (h) => {
      const item = byCode.get(h.itemCode);
      const photos = await Promise.all((photosByItem.get(h.itemCode) ?? []).map(load));
      return {
        itemCode: h.itemCode, title: h.titleZh, basis: basisText(item ?? { basis: [] }), location: h.location,
        severityLabel: SEVERITY_LABELS[h.severity] + (criterionText(h.majorCriterion, printableCriteria) ? `（${h.majorCriterion}）` : ''), scopeLabel: SCOPE_LABELS[h.scope],
        note: h.note, deadline: h.deadlineDays === 0 ? `立即整改（${formatChineseDate(h.dueDate)}）` : `${formatChineseDate(h.dueDate)}前（${h.deadlineDays}天）`,
        photos: photos.map((data) => ({ data })),
      };
    }));
    const bureau = await this.bureaus.of(inspection.divisionPath);
    // 检查码: whether the institution confirmed the visit (the record says so either way), and the team's 执法证号
    const [verification, cards] = await Promise.all([this.codes.verification(inspectionId), this.codeRows.teamCards([inspectionId])]);
    const warrants = new Map((cards.get(inspectionId) ?? []).map((c) => [c.userId, c.warrantNo]));
    return {
      reportNo: inspection.reportNo!, bureauName: bureau.name,
      institution: { name: institution.name, address: institution.address, creditCode: institution.creditCode, kindLabel: KIND_LABELS[institution.kind], contactName: institution.contactName, contactPhone: institution.contactPhone },
      inspection: {
        kindLabel: INSPECTION_KIND_LABELS[inspection.kind], startedAt: inspection.startedAt ?? inspection.submittedAt!, submittedAt: inspection.submittedAt!, planName: null,
        codeVerification: verification.text,
      },
      team: team.map((m) => ({ name: m.displayName, roleLabel: `${m.role === 'lead' ? '组长' : '组员'} · ${ROLE_LABELS[roles.get(m.userId) ?? ''] ?? ''}`, warrantNo: warrants.get(m.userId) ?? null })),
      checklist: { title: version.titleZh, versionNo: version.versionNo, contentHash: version.contentHash },
      summary, findings,
      signatures: await Promise.all(signatures.map(async (s) => ({
        label: s.role === 'inspector' ? '检查人员' : '机构负责人签收', name: s.signerName, image: await load(s.evidenceId), signedAt: s.signedAt,
      }))),
      generatedAt: new Date(),
    };
  }
}
