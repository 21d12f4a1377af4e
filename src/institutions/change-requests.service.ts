import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { can, refusalCode } from '../auth/permissions';
import { AppError } from '../common/app-error';
import { Page, pageOf } from '../common/pagination';
import { AuthUser, scopeOf } from '../common/scope';
import { EvidenceService, StoredImage } from '../evidence/evidence.service';
import { ChangeRequestAction, decideChangeRequest, diffFacts, FactValues, nullIssues, staleFields } from './change-request';
import { ChangeRequestRow, ChangeRequestsRepository } from './change-requests.repository';
import { ApproveChangeRequestDto, ChangeRequestQuery, CreateChangeRequestDto, RejectChangeRequestDto, WithdrawChangeRequestDto } from './dto/change-request.dto';
import { Institution } from './institution.entity';
import { InstitutionsRepository } from './institutions.repository';
import { profileIssues, withLegacyFloors } from './profile-rules';

/** The API shape of a change request: the row without the internal scope column. */
export function toChangeRequestView(r: ChangeRequestRow) {
  const { divisionPath: _path, ...view } = r;
  return { ...view, attachmentUrl: r.attachmentEvidenceId ? `/api/institutions/${r.institutionId}/change-requests/${r.id}/attachment` : null };
}

/**
 * 机构档案变更申请: an institution asks, a bureau user confirms. The institution row only ever holds confirmed
 * values, so subsidies, applicability and scores need to know nothing about pending requests.
 */
@Injectable()
export class ChangeRequestsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly requests: ChangeRequestsRepository,
    private readonly institutions: InstitutionsRepository,
    private readonly evidence: EvidenceService,
    private readonly audit: AuditService,
  ) {}

  async list(user: AuthUser, query: ChangeRequestQuery, institutionId?: string): Promise<Page<ChangeRequestRow>> {
    assertMayRead(user);
    const scope = scopeOf(user);
    if (institutionId && !(await this.institutions.findById(scope, institutionId))) throw AppError.notFound('institution.not_found');
    const filter = { status: query.status, institutionId: institutionId ?? query.institutionId };
    const [items, total] = await this.requests.page(scope, filter, (query.page - 1) * query.pageSize, query.pageSize);
    return pageOf(items, total, query);
  }

  async get(user: AuthUser, id: string, institutionId?: string): Promise<ChangeRequestRow> {
    assertMayRead(user);
    const found = await this.requests.findById(scopeOf(user), id);
    if (!found || (institutionId && found.institutionId !== institutionId)) throw AppError.notFound('change_request.not_found');
    return found;
  }

  /** The pending request of an institution in scope, if any (for the profile pages). */
  async pendingFor(user: AuthUser, institutionId: string): Promise<ChangeRequestRow | null> {
    assertMayRead(user);
    const r = await this.requests.pendingFor(institutionId);
    return r && (await this.requests.findById(scopeOf(user), r.id)) ? r : null;
  }

  /** The path of a stored attachment, to accounts that may read the request. */
  async attachment(user: AuthUser, institutionId: string, id: string): Promise<{ mime: string; sha256: string; path: string }> {
    const r = await this.get(user, id, institutionId);
    if (!r.attachmentEvidenceId) throw AppError.notFound('evidence.not_found');
    const [ev] = await this.evidence.byIds([r.attachmentEvidenceId]);
    if (!ev) throw AppError.notFound('evidence.not_found');
    return { mime: ev.mime, sha256: ev.sha256, path: this.evidence.store.pathOf(ev.sha256) };
  }

  /** Refuses, before a byte of an upload is written, anyone who may not file for this institution. */
  async assertMayFile(user: AuthUser, institutionId: string): Promise<void> {
    await this.filingInstitution(user, institutionId);
  }

  /** A supporting document (an image of the licence, the bed approval …), uploaded before the request is filed. */
  async uploadAttachment(user: AuthUser, institutionId: string, file: Buffer | undefined, originalName?: string) {
    const institution = await this.filingInstitution(user, institutionId);
    const prepared = await this.evidence.prepareImage(file, 'file', 'photo');
    const { stored: [stored], created } = await this.evidence.put([prepared]);
    return this.dataSource.transaction(async (em) => {
      const ev = await this.recordAttachment(em, user, institution, stored, originalName);
      await this.audit.record(em, { action: 'evidence.upload', entityType: 'evidence', entityId: ev.id, scopePath: institution.divisionPath, after: { purpose: 'change_request', sha256: ev.sha256 } });
      return ev;
    }).catch(async (err) => {
      await this.evidence.discardUnreferenced(created);
      throw err;
    });
  }

  /**
   * Files a change request. Refused when nothing changes, when the merged profile breaks a rule, when the institution
   * changed since the form was read (409), or while another request is pending (409: withdraw it first — a second
   * request never silently replaces one a bureau user may be reviewing).
   */
  async file(user: AuthUser, institutionId: string, dto: CreateChangeRequestDto, upload?: { buffer: Buffer; originalName?: string }): Promise<ChangeRequestRow> {
    const requested = stripUndefined(dto.changes ?? {});
    const nulls = nullIssues(requested);
    if (nulls.length) throw AppError.validation(nulls);
    await this.filingInstitution(user, institutionId);
    // Decoded and re-encoded in memory first; written only once every check has passed.
    const prepared = upload ? await this.evidence.prepareImage(upload.buffer, 'attachment', 'photo') : null;
    const scope = scopeOf(user);
    let created: string[] = [];
    try {
      return await this.dataSource.transaction(async (em) => {
        const current = await this.institutions.findById(scope, institutionId, em, true);
        if (!current) throw AppError.notFound('institution.not_found');
        if (current.version !== dto.version) throw AppError.conflict('institution.version_conflict', { current: current.version });
        const { before, after } = diffFacts(current, withLegacyFloors(requested as Partial<Institution>, current) as FactValues);
        if (Object.keys(after).length === 0) throw AppError.validation([{ field: 'changes', reason: 'noChange' }]);
        const issues = profileIssues({ ...current, ...after } as Institution);
        if (issues.length) throw AppError.validation(issues.map((i) => ({ ...i, field: `changes.${i.field}` })));
        const pending = await this.requests.pendingFor(institutionId, em);
        if (pending) throw AppError.conflict('change_request.pending_exists', { requestedAt: pending.requestedAt.toISOString() });
        let attachmentEvidenceId: string | null = null;
        if (prepared) {
          const written = await this.evidence.put([prepared]);
          created = written.created;
          attachmentEvidenceId = (await this.recordAttachment(em, user, current, written.stored[0], upload?.originalName)).id;
        }
        else if (dto.attachmentId) {
          if (!(await this.requests.attachmentOf(em, dto.attachmentId, institutionId))) throw AppError.validation([{ field: 'attachmentId', reason: 'attachmentNotFound' }]);
          attachmentEvidenceId = dto.attachmentId;
        }
        const id = await this.requests.insert(em, { institutionId, divisionPath: current.divisionPath, requestedBy: user.id, before, after, reason: dto.reason, attachmentEvidenceId });
        await this.audit.record(em, {
          action: 'institution_change_request.create', entityType: 'institution_change_request', entityId: id, scopePath: current.divisionPath,
          after: { institutionId, before, after, reason: dto.reason, attachmentEvidenceId },
        });
        return (await this.requests.findById(scope, id, em))!;
      });
    } catch (err) {
      await this.evidence.discardUnreferenced(created);
      // Two requests filed at the same moment: the partial unique index lets one through.
      if ((err as { code?: string }).code === '23505' && String((err as { constraint?: string }).constraint).includes('one_pending')) {
        throw AppError.conflict('change_request.pending_exists', { requestedAt: '' });
      }
      throw err;
    }
  }

  /**
   * Confirms the request: the institution row takes the requested values (version bump, audited as an institution
   * update), provided every value the request was filed against is still the confirmed one.
   */
  approve(user: AuthUser, institutionId: string | undefined, id: string, dto: ApproveChangeRequestDto): Promise<ChangeRequestRow> {
    return this.decide(user, institutionId, id, 'approve', dto.version, dto.note ?? null, async (em, r) => {
      const scope = scopeOf(user);
      const current = await this.institutions.findById(scope, r.institutionId, em, true);
      if (!current) throw AppError.notFound('institution.not_found');
      const stale = staleFields(current, r.before);
      if (stale.length) {
        throw new AppError(409, 'change_request.stale', {}, stale.map((s) => ({ field: s.field, reason: 'staleValue', args: [show(s.filedAgainst), show(s.now)] })));
      }
      const issues = profileIssues({ ...current, ...r.after } as Institution);
      if (issues.length) throw new AppError(409, 'change_request.no_longer_valid', {}, issues);
      if (!(await this.institutions.updateIfVersion(em, scope, current.id, current.version, r.after as Partial<Institution>))) {
        throw AppError.conflict('institution.version_conflict', { current: '?' });
      }
      const updated = (await this.institutions.findById(scope, current.id, em))!;
      return async () => {
        await this.audit.record(em, {
          action: 'institution.update', entityType: 'institution', entityId: current.id, scopePath: updated.divisionPath,
          before: { ...r.before, version: current.version }, after: { ...r.after, version: updated.version, changeRequestId: r.id },
        });
      };
    });
  }

  reject(user: AuthUser, institutionId: string | undefined, id: string, dto: RejectChangeRequestDto): Promise<ChangeRequestRow> {
    return this.decide(user, institutionId, id, 'reject', dto.version, dto.note, async () => undefined);
  }

  withdraw(user: AuthUser, institutionId: string | undefined, id: string, dto: WithdrawChangeRequestDto): Promise<ChangeRequestRow> {
    return this.decide(user, institutionId, id, 'withdraw', dto.version, null, async () => undefined);
  }

  /** One transaction per decision: lock the request, check the move, apply its effect, record it, audit last. */
  private async decide(
    user: AuthUser, institutionId: string | undefined, id: string, action: ChangeRequestAction, version: number, note: string | null,
    effect: (em: EntityManager, r: ChangeRequestRow) => Promise<(() => Promise<void>) | undefined>,
  ): Promise<ChangeRequestRow> {
    assertMayRead(user);
    const scope = scopeOf(user);
    return this.dataSource.transaction(async (em) => {
      const r = await this.requests.findById(scope, id, em, true);
      if (!r || (institutionId && r.institutionId !== institutionId)) throw AppError.notFound('change_request.not_found');
      const move = decideChangeRequest(r.status, action, user.role);
      if ('refusal' in move) {
        if (move.refusal === 'forbidden') throw AppError.forbidden();
        throw AppError.conflict('change_request.not_pending');
      }
      if (r.version !== version) throw AppError.conflict('change_request.version_conflict');
      const auditEffect = await effect(em, r);
      if (!(await this.requests.decideIfVersion(em, id, version, { status: move.next, decidedBy: user.id, note }))) {
        throw AppError.conflict('change_request.version_conflict');
      }
      await auditEffect?.();
      await this.audit.record(em, {
        action: `institution_change_request.${action}`, entityType: 'institution_change_request', entityId: id, scopePath: r.divisionPath,
        before: { status: r.status, version: r.version }, after: { status: move.next, version: r.version + 1, note, institutionId: r.institutionId },
      });
      return (await this.requests.findById(scope, id, em))!;
    });
  }

  private async filingInstitution(user: AuthUser, institutionId: string): Promise<Institution> {
    if (!can(user, 'change_request.file')) throw AppError.forbidden(refusalCode(user, 'change_request.file'));
    const institution = await this.institutions.findById(scopeOf(user), institutionId);
    if (!institution) throw AppError.notFound('institution.not_found');
    return institution;
  }

  private recordAttachment(em: EntityManager, user: AuthUser, institution: Institution, stored: StoredImage, originalName?: string) {
    return this.evidence.record(em, user, stored, {
      purpose: 'change_request', inspectionId: null, itemCode: null, institutionId: institution.id, divisionPath: institution.divisionPath,
      originalName: originalName?.slice(0, 200) ?? null,
    });
  }
}

function assertMayRead(user: AuthUser): void {
  if (!can(user, 'change_request.read')) throw AppError.forbidden();
}

function stripUndefined(o: object): FactValues {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as FactValues;
}

function show(v: unknown): string {
  return v === null || v === undefined ? '—' : String(v);
}
