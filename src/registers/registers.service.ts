import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { can } from '../auth/permissions';
import { SafetyWorkPolicyService } from '../checklists/safety-work-policy.service';
import { AppError } from '../common/app-error';
import { addDays, formatChineseDate, shanghaiDate } from '../common/calendar';
import { Page, pageOf } from '../common/pagination';
import { AuthUser, scopeOf } from '../common/scope';
import { label } from '../common/vocabulary';
import type { EvidencePurpose } from '../evidence/evidence.entity';
import { EvidenceService } from '../evidence/evidence.service';
import { Institution } from '../institutions/institution.entity';
import { InstitutionsRepository } from '../institutions/institutions.repository';
import { NotificationsRepository } from '../notifications/notifications.repository';
import { JobContext, JOBS, MAINTENANCE_QUEUE } from '../outbox/job-names';
import { OnJob } from '../outbox/on-job.decorator';
import {
  alertHorizon, candidateItemCode, certificateIssues, dueAlertThreshold, expiryAlertText, ExpiryStatus, expiryStatus, staffIssues, testIssues,
} from './domain/register-rules';
import {
  CreateCertificateDto, CreateEquipmentDto, CreateStaffDto, RecordTestDto, RegisterQuery, UpdateCertificateDto, UpdateEquipmentDto, UpdateStaffDto,
} from './dto/register.dto';
import { CertificateRow, EquipmentRow, ExpiringItem, RegistersRepository, StaffRow, TestRow } from './registers.repository';

/** The evidence purpose of a certificate photo (evidence.purpose is varchar(16)); allowed by the CHECK since migration Registers1765220100000. */
export const CERTIFICATE_PHOTO_PURPOSE: EvidencePurpose = 'register_cert';
/** 站内通知 kind of an expiry alert (NOTIFICATION_KINDS). */
export const EXPIRY_NOTIFICATION_KIND = 'register.expiring';
/** The entity a register notification is about: the institution's register (href /institutions/:id/registers). */
export const REGISTER_ENTITY_TYPE = 'institution_register';

export type WithStatus<T> = T & { status: ExpiryStatus };
export type EquipmentView = Omit<EquipmentRow, 'tests'> & { tests: WithStatus<TestRow>[] };

/** One expired certificate or test, offered to the inspector as a pre-filled finding of a checklist item. */
export interface FindingCandidate {
  itemKind: ExpiringItem['itemKind'];
  id: string;
  /** what expired, e.g. 消防设施操作员证书 / 电梯定期检验 */
  what: string;
  holder: string;
  reference: string | null;
  expiresOn: string;
  /** the finding note the inspector confirms (or discards) */
  note: string;
}

export interface FindingCandidates {
  institutionId: string;
  asOf: string;
  items: { itemCode: string; candidates: FindingCandidate[] }[];
}

/** The label of what an expiring item is (a certificate's type, or the equipment kind and its test). */
export function whatOf(i: Pick<ExpiringItem, 'itemKind' | 'certType' | 'equipmentKind' | 'testKind'>): string {
  return i.itemKind === 'certificate' ? label('certificateType', i.certType) : `${label('equipmentKind', i.equipmentKind)}${label('statutoryTestKind', i.testKind)}`;
}

/**
 * 人员与设备台账: the institution keeps its staff, their certificates and its equipment's statutory dates; the bureau
 * may correct them. Every change is one transaction with its audit event; entries are retired, never deleted.
 */
@Injectable()
export class RegistersService {
  private readonly logger = new Logger(RegistersService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly repo: RegistersRepository,
    private readonly institutions: InstitutionsRepository,
    private readonly evidence: EvidenceService,
    private readonly audit: AuditService,
    private readonly policy: SafetyWorkPolicyService,
    private readonly notifications: NotificationsRepository,
  ) {}

  /** The institution in the caller's scope (404 otherwise), for a read. */
  async institution(user: AuthUser, institutionId: string): Promise<Institution> {
    if (!can(user, 'register.read')) throw AppError.forbidden();
    const found = await this.institutions.findById(scopeOf(user), institutionId);
    if (!found) throw AppError.notFound('institution.not_found');
    return found;
  }

  /** The policy's alert days (largest first), for status chips. */
  async alertDays(): Promise<number[]> {
    return (await this.policy.current()).values.registers.expiryAlertDays;
  }

  // ------------------------------------------------------------------ reads

  async staff(user: AuthUser, institutionId: string, query: RegisterQuery): Promise<Page<StaffRow>> {
    await this.institution(user, institutionId);
    const [items, total] = await this.repo.staffPage(scopeOf(user), institutionId, query.state, (query.page - 1) * query.pageSize, query.pageSize);
    return pageOf(items, total, query);
  }

  async currentStaff(user: AuthUser, institutionId: string): Promise<StaffRow[]> {
    await this.institution(user, institutionId);
    return this.repo.currentStaff(institutionId);
  }

  async certificates(user: AuthUser, institutionId: string, query: RegisterQuery, today = shanghaiDate(new Date())): Promise<Page<WithStatus<CertificateRow>>> {
    await this.institution(user, institutionId);
    const days = await this.alertDays();
    const [items, total] = await this.repo.certificatePage(scopeOf(user), institutionId, query.state, (query.page - 1) * query.pageSize, query.pageSize);
    return pageOf(items.map((c) => ({ ...c, status: expiryStatus(c.expiresOn, today, days) })), total, query);
  }

  async equipment(user: AuthUser, institutionId: string, query: RegisterQuery, today = shanghaiDate(new Date())): Promise<Page<EquipmentView>> {
    await this.institution(user, institutionId);
    const days = await this.alertDays();
    const [items, total] = await this.repo.equipmentPage(scopeOf(user), institutionId, query.state, (query.page - 1) * query.pageSize, query.pageSize);
    return pageOf(items.map((e) => ({ ...e, tests: e.tests.map((t) => ({ ...t, status: expiryStatus(t.expiresOn, today, days) })) })), total, query);
  }

  /** The stored photo of a certificate, to accounts that may read the register. */
  async photo(user: AuthUser, institutionId: string, certificateId: string): Promise<{ mime: string; path: string }> {
    await this.institution(user, institutionId);
    const c = await this.repo.certificateById(scopeOf(user), certificateId);
    if (!c || c.institutionId !== institutionId) throw AppError.notFound('register.certificate_not_found');
    if (!c.photoEvidenceId) throw AppError.notFound('register.photo_not_found');
    const photo = await this.repo.photoOf(this.dataSource.manager, c.photoEvidenceId, institutionId);
    if (!photo) throw AppError.notFound('register.photo_not_found');
    return { mime: photo.mime, path: this.evidence.store.pathOf(photo.sha256) };
  }

  // ------------------------------------------------------------------ staff

  async createStaff(user: AuthUser, institutionId: string, dto: CreateStaffDto): Promise<StaffRow> {
    const issues = staffIssues(dto);
    if (issues.length) throw AppError.validation(issues);
    const institution = await this.managed(user, institutionId);
    return this.dataSource.transaction(async (em) => {
      const fields = staffFields(dto);
      const id = await this.repo.insertStaff(em, { institutionId, ...fields, createdBy: user.id });
      await this.audit.record(em, { action: 'register_staff.create', entityType: 'register_staff', entityId: id, scopePath: institution.divisionPath, after: { institutionId, ...fields } });
      return (await this.repo.staffById(scopeOf(user), id, em))!;
    });
  }

  async updateStaff(user: AuthUser, institutionId: string, staffId: string, dto: UpdateStaffDto): Promise<StaffRow> {
    const issues = staffIssues(dto);
    if (issues.length) throw AppError.validation(issues);
    const institution = await this.managed(user, institutionId);
    return this.dataSource.transaction(async (em) => {
      const before = await this.lockedStaff(em, user, institutionId, staffId, dto.version);
      const fields = staffFields(dto);
      if (!(await this.repo.updateStaffIfVersion(em, staffId, dto.version, fields))) throw AppError.conflict('register.version_conflict');
      await this.audit.record(em, { action: 'register_staff.update', entityType: 'register_staff', entityId: staffId, scopePath: institution.divisionPath,
        before: { name: before.name, roles: before.roles, post: before.post, phone: before.phone, version: before.version }, after: { ...fields, version: before.version + 1 } });
      return (await this.repo.staffById(scopeOf(user), staffId, em))!;
    });
  }

  /** 离岗: the staff member and their current certificates leave the register (kept, marked retired). */
  async retireStaff(user: AuthUser, institutionId: string, staffId: string, version: number): Promise<StaffRow> {
    const institution = await this.managed(user, institutionId);
    return this.dataSource.transaction(async (em) => {
      await this.lockedStaff(em, user, institutionId, staffId, version);
      if (!(await this.repo.retireStaffIfVersion(em, staffId, version))) throw AppError.conflict('register.version_conflict');
      const certificates = await this.repo.retireCertificatesOf(em, staffId);
      await this.audit.record(em, { action: 'register_staff.retire', entityType: 'register_staff', entityId: staffId, scopePath: institution.divisionPath,
        before: { version }, after: { retired: true, version: version + 1, certificatesRetired: certificates } });
      return (await this.repo.staffById(scopeOf(user), staffId, em))!;
    });
  }

  // ------------------------------------------------------------------ certificates

  /** Refuses, before a byte of an upload is written, anyone who may not manage this register. */
  async assertMayManage(user: AuthUser, institutionId: string): Promise<void> {
    await this.managed(user, institutionId);
  }

  /** A certificate photo through the evidence pipeline (decoded, re-encoded, size-limited), before the certificate is saved. */
  async uploadPhoto(user: AuthUser, institutionId: string, file: Buffer | undefined, originalName?: string): Promise<{ id: string; sha256: string; mime: string; sizeBytes: number }> {
    const institution = await this.managed(user, institutionId);
    const prepared = await this.evidence.prepareImage(file, 'file', 'photo');
    const { stored: [stored], created } = await this.evidence.put([prepared]);
    try {
      return await this.dataSource.transaction(async (em) => {
        const ev = await this.evidence.record(em, user, stored, {
          purpose: CERTIFICATE_PHOTO_PURPOSE, inspectionId: null, itemCode: null, institutionId, divisionPath: institution.divisionPath,
          originalName: originalName?.slice(0, 200) ?? null,
        });
        await this.audit.record(em, { action: 'evidence.upload', entityType: 'evidence', entityId: ev.id, scopePath: institution.divisionPath, after: { purpose: CERTIFICATE_PHOTO_PURPOSE, sha256: ev.sha256 } });
        return { id: ev.id, sha256: ev.sha256, mime: ev.mime, sizeBytes: ev.sizeBytes };
      });
    } catch (err) {
      await this.evidence.discardUnreferenced(created);
      throw err;
    }
  }

  /**
   * Registers a certificate, with a photo referenced by id (uploaded first) or sent along (`upload`: decoded and
   * re-encoded in memory first, written only once every check has passed, taken back if the transaction fails).
   */
  async createCertificate(user: AuthUser, institutionId: string, dto: CreateCertificateDto, upload?: { buffer: Buffer; originalName?: string }): Promise<WithStatus<CertificateRow>> {
    const issues = certificateIssues(dto);
    if (issues.length) throw AppError.validation(issues);
    const institution = await this.managed(user, institutionId);
    const prepared = upload ? await this.evidence.prepareImage(upload.buffer, 'photo', 'photo') : null;
    let created: string[] = [];
    try {
      const saved = await this.unique('register.duplicate_certificate', () => this.dataSource.transaction(async (em) => {
        const staff = await this.repo.staffById(scopeOf(user), dto.staffId, em, true);
        if (!staff || staff.institutionId !== institutionId || staff.retiredAt) throw AppError.validation([{ field: 'staffId', reason: 'staffNotInRegister' }]);
        let photoEvidenceId = await this.photoId(em, dto.photoId, institutionId);
        if (prepared) {
          const written = await this.evidence.put([prepared]);
          created = written.created;
          const ev = await this.evidence.record(em, user, written.stored[0], {
            purpose: CERTIFICATE_PHOTO_PURPOSE, inspectionId: null, itemCode: null, institutionId, divisionPath: institution.divisionPath,
            originalName: upload?.originalName?.slice(0, 200) ?? null,
          });
          await this.audit.record(em, { action: 'evidence.upload', entityType: 'evidence', entityId: ev.id, scopePath: institution.divisionPath, after: { purpose: CERTIFICATE_PHOTO_PURPOSE, sha256: ev.sha256 } });
          photoEvidenceId = ev.id;
        }
        const fields = { certType: dto.certType, certNo: dto.certNo, issuedOn: dto.issuedOn, expiresOn: dto.expiresOn ?? null, photoEvidenceId };
        const id = await this.repo.insertCertificate(em, { institutionId, staffId: staff.id, ...fields, createdBy: user.id });
        await this.audit.record(em, { action: 'register_certificate.create', entityType: 'register_certificate', entityId: id, scopePath: institution.divisionPath,
          after: { institutionId, staffId: staff.id, ...fields } });
        return (await this.repo.certificateById(scopeOf(user), id, em))!;
      }));
      return this.withStatus(saved);
    } catch (err) {
      await this.evidence.discardUnreferenced(created);
      throw err;
    }
  }

  /** Corrects or renews a certificate: a new expiry date starts its alerts afresh. */
  async updateCertificate(user: AuthUser, institutionId: string, certificateId: string, dto: UpdateCertificateDto): Promise<WithStatus<CertificateRow>> {
    const issues = certificateIssues(dto);
    if (issues.length) throw AppError.validation(issues);
    const institution = await this.managed(user, institutionId);
    const saved = await this.unique('register.duplicate_certificate', () => this.dataSource.transaction(async (em) => {
      const before = await this.lockedCertificate(em, user, institutionId, certificateId, dto.version);
      const photoEvidenceId = dto.photoId === undefined ? before.photoEvidenceId : await this.photoId(em, dto.photoId, institutionId);
      const fields = { certNo: dto.certNo, issuedOn: dto.issuedOn, expiresOn: dto.expiresOn ?? null, photoEvidenceId };
      if (!(await this.repo.updateCertificateIfVersion(em, certificateId, dto.version, fields))) throw AppError.conflict('register.version_conflict');
      await this.audit.record(em, { action: 'register_certificate.update', entityType: 'register_certificate', entityId: certificateId, scopePath: institution.divisionPath,
        before: { certNo: before.certNo, issuedOn: before.issuedOn, expiresOn: before.expiresOn, photoEvidenceId: before.photoEvidenceId, version: before.version },
        after: { ...fields, version: before.version + 1 } });
      return (await this.repo.certificateById(scopeOf(user), certificateId, em))!;
    }));
    return this.withStatus(saved);
  }

  async retireCertificate(user: AuthUser, institutionId: string, certificateId: string, version: number): Promise<WithStatus<CertificateRow>> {
    const institution = await this.managed(user, institutionId);
    const saved = await this.dataSource.transaction(async (em) => {
      await this.lockedCertificate(em, user, institutionId, certificateId, version);
      if (!(await this.repo.retireCertificateIfVersion(em, certificateId, version))) throw AppError.conflict('register.version_conflict');
      await this.audit.record(em, { action: 'register_certificate.retire', entityType: 'register_certificate', entityId: certificateId, scopePath: institution.divisionPath,
        before: { version }, after: { retired: true, version: version + 1 } });
      return (await this.repo.certificateById(scopeOf(user), certificateId, em))!;
    });
    return this.withStatus(saved);
  }

  // ------------------------------------------------------------------ equipment and statutory tests

  async createEquipment(user: AuthUser, institutionId: string, dto: CreateEquipmentDto): Promise<EquipmentView> {
    const institution = await this.managed(user, institutionId);
    const saved = await this.dataSource.transaction(async (em) => {
      const fields = { kind: dto.kind, name: dto.name, location: dto.location ?? null, registrationNo: dto.registrationNo ?? null };
      const id = await this.repo.insertEquipment(em, { institutionId, ...fields, createdBy: user.id });
      await this.audit.record(em, { action: 'register_equipment.create', entityType: 'register_equipment', entityId: id, scopePath: institution.divisionPath, after: { institutionId, ...fields } });
      return (await this.repo.equipmentById(scopeOf(user), id, em))!;
    });
    return this.equipmentView(saved);
  }

  async updateEquipment(user: AuthUser, institutionId: string, equipmentId: string, dto: UpdateEquipmentDto): Promise<EquipmentView> {
    const institution = await this.managed(user, institutionId);
    const saved = await this.dataSource.transaction(async (em) => {
      const before = await this.lockedEquipment(em, user, institutionId, equipmentId, dto.version);
      const fields = { name: dto.name, location: dto.location ?? null, registrationNo: dto.registrationNo ?? null };
      if (!(await this.repo.updateEquipmentIfVersion(em, equipmentId, dto.version, fields))) throw AppError.conflict('register.version_conflict');
      await this.audit.record(em, { action: 'register_equipment.update', entityType: 'register_equipment', entityId: equipmentId, scopePath: institution.divisionPath,
        before: { name: before.name, location: before.location, registrationNo: before.registrationNo, version: before.version }, after: { ...fields, version: before.version + 1 } });
      return (await this.repo.equipmentById(scopeOf(user), equipmentId, em))!;
    });
    return this.equipmentView(saved);
  }

  async retireEquipment(user: AuthUser, institutionId: string, equipmentId: string, version: number): Promise<EquipmentView> {
    const institution = await this.managed(user, institutionId);
    const saved = await this.dataSource.transaction(async (em) => {
      await this.lockedEquipment(em, user, institutionId, equipmentId, version);
      if (!(await this.repo.retireEquipmentIfVersion(em, equipmentId, version))) throw AppError.conflict('register.version_conflict');
      await this.audit.record(em, { action: 'register_equipment.retire', entityType: 'register_equipment', entityId: equipmentId, scopePath: institution.divisionPath,
        before: { version }, after: { retired: true, version: version + 1 } });
      return (await this.repo.equipmentById(scopeOf(user), equipmentId, em))!;
    });
    return this.equipmentView(saved);
  }

  /**
   * Records one statutory date of an equipment (检验、年度检测、维保合同、维修保养): the first time a new record; again
   * for the same kind a renewal of that record (its version required), whose new date starts the alerts afresh.
   */
  async recordTest(user: AuthUser, institutionId: string, equipmentId: string, dto: RecordTestDto): Promise<EquipmentView> {
    const institution = await this.managed(user, institutionId);
    const saved = await this.unique('register.duplicate_test', () => this.dataSource.transaction(async (em) => {
      const equipment = await this.repo.equipmentById(scopeOf(user), equipmentId, em, true);
      if (!equipment || equipment.institutionId !== institutionId) throw AppError.notFound('register.equipment_not_found');
      if (equipment.retiredAt) throw AppError.conflict('register.retired');
      const issues = testIssues({ equipmentKind: equipment.kind, testKind: dto.testKind, lastDoneOn: dto.lastDoneOn, expiresOn: dto.expiresOn },
        { test: (k) => label('statutoryTestKind', k), equipment: (k) => label('equipmentKind', k) });
      if (issues.length) throw AppError.validation(issues);
      const fields = { lastDoneOn: dto.lastDoneOn ?? null, expiresOn: dto.expiresOn, reportNo: dto.reportNo ?? null };
      const existing = equipment.tests.find((t) => t.testKind === dto.testKind);
      if (!existing) {
        const id = await this.repo.insertTest(em, { equipmentId, institutionId, equipmentKind: equipment.kind, testKind: dto.testKind, ...fields, createdBy: user.id });
        await this.audit.record(em, { action: 'register_statutory_test.create', entityType: 'register_statutory_test', entityId: id, scopePath: institution.divisionPath,
          after: { equipmentId, testKind: dto.testKind, ...fields } });
      } else {
        if (dto.version === undefined) throw AppError.conflict('register.duplicate_test');
        if (!(await this.repo.updateTestIfVersion(em, existing.id, dto.version, fields))) throw AppError.conflict('register.version_conflict');
        await this.audit.record(em, { action: 'register_statutory_test.update', entityType: 'register_statutory_test', entityId: existing.id, scopePath: institution.divisionPath,
          before: { lastDoneOn: existing.lastDoneOn, expiresOn: existing.expiresOn, reportNo: existing.reportNo, version: existing.version },
          after: { ...fields, version: existing.version + 1 } });
      }
      return (await this.repo.equipmentById(scopeOf(user), equipmentId, em))!;
    }));
    return this.equipmentView(saved);
  }

  /** The version of an equipment's statutory test of this kind, if recorded (the page's renewal form does not carry it). */
  async testVersion(user: AuthUser, institutionId: string, equipmentId: string, testKind: string): Promise<number | undefined> {
    await this.institution(user, institutionId);
    const e = await this.repo.equipmentById(scopeOf(user), equipmentId);
    if (!e || e.institutionId !== institutionId) throw AppError.notFound('register.equipment_not_found');
    return e.tests.find((t) => t.testKind === testKind)?.version;
  }

  // ------------------------------------------------------------------ finding candidates (待确认问题)

  /**
   * The expired certificates and statutory tests of an institution, grouped by the checklist item they are a
   * finding candidate for (the inspection form pre-fills them; the inspector confirms). Bounded by the item codes.
   */
  async findingCandidates(user: AuthUser, institutionId: string, today = shanghaiDate(new Date())): Promise<FindingCandidates> {
    await this.institution(user, institutionId);
    const expired = await this.repo.expiring(null, addDays(today, -1), { scope: scopeOf(user), institutionId });
    const byItem = new Map<string, FindingCandidate[]>();
    for (const e of expired) {
      const code = e.itemKind === 'certificate' ? candidateItemCode({ kind: 'certificate', certType: e.certType! }) : candidateItemCode({ kind: 'statutory_test', equipmentKind: e.equipmentKind!, testKind: e.testKind! });
      if (!code) continue;
      const what = whatOf(e);
      const reference = e.certNo;
      const note = e.itemKind === 'certificate'
        ? `${e.holder}的${what}（编号 ${e.certNo}）已于 ${formatChineseDate(e.expiresOn)} 到期，台账未见续期记录。`
        : `${e.holder}的${what}有效期至 ${formatChineseDate(e.expiresOn)}，已过期，台账未见新的检验记录。`;
      byItem.set(code, [...(byItem.get(code) ?? []), { itemKind: e.itemKind, id: e.id, what, holder: e.holder, reference, expiresOn: e.expiresOn, note }]);
    }
    return { institutionId, asOf: today, items: [...byItem.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([itemCode, candidates]) => ({ itemCode, candidates })) };
  }

  // ------------------------------------------------------------------ expiry alerts (到期提醒)

  /**
   * 到期提醒 — the daily job: every current certificate and statutory test whose days left reach a threshold of the
   * policy in force (registers.expiryAlertDays, [30, 7]) is notified once per threshold and expiry date to the
   * institution's accounts and to the supervising bureau. Running it again changes nothing; a renewal (a new expiry
   * date) starts afresh. One transaction per alert (claim + two notifications), so one bad row cannot hold up the rest.
   */
  @OnJob({ queue: MAINTENANCE_QUEUE, name: JOBS.registersExpiring })
  registersExpiringJob(data: { at?: string }, job: JobContext): Promise<number> {
    return this.sendExpiryAlerts(new Date(data.at ?? job.timestamp));
  }

  async sendExpiryAlerts(at = new Date()): Promise<number> {
    const today = shanghaiDate(at);
    const policy = await this.policy.current();
    const days = policy.values.registers.expiryAlertDays;
    const items = await this.repo.expiring(today, alertHorizon(today, days));
    let sent = 0;
    for (const item of items) {
      const threshold = dueAlertThreshold(item.expiresOn, today, days);
      if (threshold === null) continue;
      const claimed = await this.dataSource.transaction(async (em) => {
        if (!(await this.repo.claimAlert(em, { itemKind: item.itemKind, itemId: item.id, institutionId: item.institutionId, expiresOn: item.expiresOn, thresholdDays: threshold, policyVersionId: policy.versionId }))) return false;
        const text = expiryAlertText({ what: whatOf(item), holder: item.holder, expiresOn: item.expiresOn, thresholdDays: threshold }, formatChineseDate);
        const key = `register-expiring-${item.itemKind}-${item.id}-${item.expiresOn}-${threshold}`;
        for (const audience of ['institution', 'bureau'] as const) {
          await this.notifications.notify(em, {
            audience, institutionId: audience === 'institution' ? item.institutionId : null, divisionPath: item.divisionPath, kind: EXPIRY_NOTIFICATION_KIND,
            title: audience === 'bureau' ? `${item.institutionName}：${text.title}` : text.title, body: text.body,
            entityType: REGISTER_ENTITY_TYPE, entityId: item.institutionId, dedupKey: `${key}-${audience}`,
          });
        }
        return true;
      });
      if (claimed) sent++;
    }
    if (sent) this.logger.log(`register expiry alerts sent: ${sent}`);
    return sent;
  }

  // ------------------------------------------------------------------ helpers

  /** The institution in scope for a change: register.manage, in scope (404 otherwise), not closed. */
  private async managed(user: AuthUser, institutionId: string): Promise<Institution> {
    if (!can(user, 'register.manage')) throw AppError.forbidden();
    const found = await this.institutions.findById(scopeOf(user), institutionId);
    if (!found) throw AppError.notFound('institution.not_found');
    return found;
  }

  private async lockedStaff(em: EntityManager, user: AuthUser, institutionId: string, id: string, version: number): Promise<StaffRow> {
    const s = await this.repo.staffById(scopeOf(user), id, em, true);
    if (!s || s.institutionId !== institutionId) throw AppError.notFound('register.staff_not_found');
    if (s.retiredAt) throw AppError.conflict('register.retired');
    if (s.version !== version) throw AppError.conflict('register.version_conflict');
    return s;
  }

  private async lockedCertificate(em: EntityManager, user: AuthUser, institutionId: string, id: string, version: number): Promise<CertificateRow> {
    const c = await this.repo.certificateById(scopeOf(user), id, em, true);
    if (!c || c.institutionId !== institutionId) throw AppError.notFound('register.certificate_not_found');
    if (c.retiredAt) throw AppError.conflict('register.retired');
    if (c.version !== version) throw AppError.conflict('register.version_conflict');
    return c;
  }

  private async lockedEquipment(em: EntityManager, user: AuthUser, institutionId: string, id: string, version: number): Promise<EquipmentRow> {
    const e = await this.repo.equipmentById(scopeOf(user), id, em, true);
    if (!e || e.institutionId !== institutionId) throw AppError.notFound('register.equipment_not_found');
    if (e.retiredAt) throw AppError.conflict('register.retired');
    if (e.version !== version) throw AppError.conflict('register.version_conflict');
    return e;
  }

  private async photoId(em: EntityManager, photoId: string | null | undefined, institutionId: string): Promise<string | null> {
    if (!photoId) return null;
    if (!(await this.repo.photoOf(em, photoId, institutionId))) throw AppError.validation([{ field: 'photoId', reason: 'certificatePhotoNotFound' }]);
    return photoId;
  }

  /** A unique index refusing a second current entry becomes a 409 with the register's own code. */
  private async unique<T>(code: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if ((err as { code?: string }).code === '23505') throw AppError.conflict(code);
      throw err;
    }
  }

  private async withStatus(c: CertificateRow): Promise<WithStatus<CertificateRow>> {
    return { ...c, status: expiryStatus(c.expiresOn, shanghaiDate(new Date()), await this.alertDays()) };
  }

  private async equipmentView(e: EquipmentRow): Promise<EquipmentView> {
    const days = await this.alertDays();
    const today = shanghaiDate(new Date());
    return { ...e, tests: e.tests.map((t) => ({ ...t, status: expiryStatus(t.expiresOn, today, days) })) };
  }
}

function staffFields(dto: CreateStaffDto): { name: string; roles: string[]; post: string | null; phone: string | null } {
  return { name: dto.name, roles: [...new Set(dto.roles)], post: dto.post ?? null, phone: dto.phone ?? null };
}

