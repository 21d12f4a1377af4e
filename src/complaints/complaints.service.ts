import { Inject, Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { createHmac } from 'node:crypto';
import * as path from 'node:path';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { can } from '../auth/permissions';
import { PolicyService } from '../checklists/policy.service';
import { SafetyWorkPolicyService } from '../checklists/safety-work-policy.service';
import { AppError, FieldIssue } from '../common/app-error';
import { shanghaiDate } from '../common/calendar';
import { findHostileValue } from '../common/hostile-input';
import { Page, pageOf } from '../common/pagination';
import { AuthUser, scopeOf } from '../common/scope';
import { readOrCreateSecret } from '../common/secret-file';
import { flattenValidationErrors } from '../common/validation';
import { APP_CONFIG, AppConfig } from '../config/env';
import { EvidenceService, PreparedImage } from '../evidence/evidence.service';
import { PlansService } from '../inspections/plans.service';
import { ReceivedComplaint } from './complaint-upload';
import { ComplaintPhoto, ComplaintRow, ComplaintsRepository, TrackedComplaint } from './complaints.repository';
import { ComplaintLimits, rateRefusal, sizeIssues } from './domain/abuse-limits';
import { ComplaintAction, ComplaintStatus, decideComplaint, mergeTargetRefusal, OPEN_STATUSES } from './domain/complaint';
import { complaintDeadlines } from './domain/deadlines';
import { newTrackingCode, normalizeTrackingCode, trackingHash } from './domain/tracking-code';
import {
  AcceptComplaintDto, ComplaintQuery, FileComplaintDto, MergeComplaintDto, OpenComplaintInspectionDto, ReferComplaintDto, RejectComplaintDto, ReplyComplaintDto,
} from './dto/complaint.dto';

/** What the complainant gets back once: the tracking code (never stored in clear) and the deadlines. */
export interface FiledComplaint {
  trackingCode: string;
  institutionName: string;
  receivedAt: Date;
  triageDueOn: string;
  replyDueOn: string;
}

/** One complaint for the handling bureau: the row, the contact (personal data: this view only), photos, duplicates. */
export interface ComplaintDetail {
  complaint: ComplaintRow;
  contact: string | null;
  photos: ComplaintPhoto[];
  mergedFrom: { id: string; receivedAt: Date }[];
}

/** What a decision sets on the complaint besides its status. */
type DecisionChange = { mergedIntoId?: string; referredTo?: string; rejectReason?: string; inspectionId?: string; reply?: string };

/** The key of the address hashes, under DATA_DIR (created on first use; never in the database). */
export const COMPLAINT_ADDRESS_KEY_FILE = path.join('secrets', 'complaint-address.key');

/**
 * The address as it is kept for the abuse limits (≤ 1 day): an HMAC under the installation's own key, never in
 * clear — a plain hash of an IPv4 address could be reversed by hashing all 2³² of them.
 */
export function addressHash(key: string, address: string): Buffer {
  return createHmac('sha256', key).update(`yian-complaint-address:${address}`).digest();
}

/**
 * 投诉举报: the public files (no account; abuse limits per address and size limits from the safety-work policy), the
 * bureau of the institution's division subtree triages, may open a complaint inspection, and replies; the
 * complainant follows the answer with the tracking code. The contact is written only to `complaint_contact`.
 */
@Injectable()
export class ComplaintsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly complaints: ComplaintsRepository,
    private readonly safetyWork: SafetyWorkPolicyService,
    private readonly policies: PolicyService,
    private readonly evidence: EvidenceService,
    private readonly plans: PlansService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private addressKey: string | null = null;

  /** The address's hash under this installation's key (DATA_DIR/secrets/complaint-address.key). */
  addressHash(address: string): Buffer {
    this.addressKey ??= readOrCreateSecret(this.config.DATA_DIR, COMPLAINT_ADDRESS_KEY_FILE);
    return addressHash(this.addressKey, address);
  }

  /** The policy's limits in force (the form states them; the upload reader enforces them while it reads). */
  async limits(): Promise<ComplaintLimits> {
    return (await this.safetyWork.current()).values.complaints;
  }

  /** The institutions the public form offers; `id` for the one a safety board's QR code names (null if unknown). */
  async formInstitutions(id?: string): Promise<{ institutions: { id: string; name: string }[]; selected: string | null }> {
    const institutions = (await this.complaints.publicInstitutions()).map(({ id: i, name }) => ({ id: i, name }));
    return { institutions, selected: id && institutions.some((i) => i.id === id) ? id : null };
  }

  /** Refuses (429) an address that has filed its hour's or day's share, before anything is read or checked. */
  async assertAddressMayFile(address: string, now = new Date()): Promise<void> {
    const refusal = rateRefusal(await this.complaints.addressHits(this.addressHash(address), now), await this.limits());
    if (refusal) throw new AppError(429, 'complaint.rate_limited', { minutes: refusal.minutes });
  }

  /**
   * Files a complaint. Every check (fields, sizes, the institution, each photo decoded and re-encoded in memory)
   * passes before anything is written; then the photos are stored and the rows, the address count and the audit
   * event are written in one transaction (files written for a refused filing are taken back).
   */
  async file(received: ReceivedComplaint, address: string, now = new Date()): Promise<FiledComplaint> {
    const policy = await this.safetyWork.current();
    const limits = policy.values.complaints;
    await this.assertAddressMayFile(address, now);
    const { _csrf: _token, ...fields } = received.fields;
    // multipart fields are not seen by the body scan of bootstrap.ts: NUL or a lone surrogate would fail in PostgreSQL
    const hostile = findHostileValue(fields);
    if (hostile) throw AppError.validation([hostile]);
    const dto = plainToInstance(FileComplaintDto, fields);
    const issues: FieldIssue[] = [
      ...flattenValidationErrors(validateSync(dto, { whitelist: true, forbidNonWhitelisted: true })),
      ...received.issues,
      ...(typeof dto.description === 'string' ? sizeIssues({ description: dto.description, photos: [] }, limits) : []),
    ];
    if (issues.length) throw refusalOf(issues);
    const [institution] = await this.complaints.publicInstitutions(dto.institutionId);
    if (!institution) throw AppError.validation([{ field: 'institutionId', reason: 'complaintInstitutionUnknown' }]);
    const prepared: PreparedImage[] = [];
    for (const p of received.photos) prepared.push(await this.evidence.prepareImage(p.data, 'photos', 'photo'));
    const deadlines = complaintDeadlines(now, limits, await this.policies.calendar());
    const trackingCode = newTrackingCode();
    const hash = this.addressHash(address);
    let created: string[] = [];
    try {
      const written = await this.evidence.put(prepared);
      created = written.created;
      await this.dataSource.transaction(async (em) => {
        await this.complaints.lockAddress(em, hash);
        const refusal = rateRefusal(await this.complaints.addressHits(hash, now, em), limits);
        if (refusal) throw new AppError(429, 'complaint.rate_limited', { minutes: refusal.minutes });
        const id = await this.complaints.insert(em, {
          institutionId: institution.id, category: dto.category, description: dto.description, trackingHash: trackingHash(normalizeTrackingCode(trackingCode)!),
          receivedAt: now, ...deadlines, safetyWorkPolicyVersionId: policy.versionId,
        });
        if (dto.contact) await this.complaints.insertContact(em, id, dto.contact);
        await this.complaints.insertPhotos(em, id, written.stored.map((s, i) => ({ position: i + 1, sha256: s.sha256, mime: s.mime, sizeBytes: s.size })));
        await this.complaints.recordHit(em, hash, now);
        // The audit event says that a contact was given, never what it is.
        await this.audit.record(em, {
          action: 'complaint.file', entityType: 'complaint', entityId: id, scopePath: institution.divisionPath,
          after: {
            institutionId: institution.id, category: dto.category, descriptionChars: [...dto.description].length, photos: written.stored.map((s) => s.sha256),
            contactGiven: Boolean(dto.contact), ...deadlines, safetyWorkPolicyVersionId: policy.versionId,
          },
        });
      });
    } catch (err) {
      await this.discardUnreferenced(created);
      throw err;
    }
    return { trackingCode, institutionName: institution.name, receivedAt: now, ...deadlines };
  }

  /** The answer for a tracking code: 400 for something that cannot be a code, 404 for one that matches nothing. */
  async track(code: string): Promise<TrackedComplaint> {
    const normalized = normalizeTrackingCode(code ?? '');
    if (!normalized) throw AppError.validation([{ field: 'code', reason: 'complaintTrackingCodeInvalid' }]);
    const found = await this.complaints.byTrackingHash(trackingHash(normalized));
    if (!found) throw AppError.notFound('complaint.tracking_not_found');
    return found;
  }

  // ---------------------------------------------------------------- the bureau

  async list(user: AuthUser, query: ComplaintQuery, now = new Date()): Promise<Page<ComplaintRow>> {
    assertMayRead(user);
    const statuses: readonly ComplaintStatus[] | undefined = query.status === 'open' ? OPEN_STATUSES : query.status ? [query.status] : undefined;
    const receivedBefore = query.olderThanDays ? new Date(now.getTime() - Number(query.olderThanDays) * 86_400_000) : undefined;
    const [items, total] = await this.complaints.page(scopeOf(user), {
      statuses, institutionId: query.institutionId, receivedBefore, overdueOn: query.overdue ? shanghaiDate(now) : undefined,
    }, (query.page - 1) * query.pageSize, query.pageSize);
    return pageOf(items, total, query);
  }

  institutionsWithComplaints(user: AuthUser): Promise<{ id: string; name: string }[]> {
    assertMayRead(user);
    return this.complaints.institutionsWithComplaints(scopeOf(user));
  }

  async get(user: AuthUser, id: string): Promise<ComplaintRow> {
    assertMayRead(user);
    const found = await this.complaints.findById(scopeOf(user), id);
    if (!found) throw AppError.notFound('complaint.not_found');
    return found;
  }

  /** The handling bureau's view, with the complainant's contact. */
  async detail(user: AuthUser, id: string): Promise<ComplaintDetail> {
    const complaint = await this.get(user, id);
    const [contact, photos, mergedFrom] = await Promise.all([
      this.complaints.contactOf(scopeOf(user), id), this.complaints.photos(id), this.complaints.mergedFrom(scopeOf(user), id),
    ]);
    return { complaint, contact, photos, mergedFrom };
  }

  /** A stored photo of a complaint in scope. */
  async photo(user: AuthUser, id: string, position: number): Promise<{ mime: string; path: string }> {
    await this.get(user, id);
    const p = (await this.complaints.photos(id)).find((x) => x.position === position);
    if (!p) throw AppError.notFound('evidence.not_found');
    return { mime: p.mime, path: this.evidence.store.pathOf(p.sha256) };
  }

  accept(user: AuthUser, id: string, dto: AcceptComplaintDto): Promise<ComplaintRow> {
    return this.decide(user, id, 'accept', dto.version, {});
  }

  /** 合并: a duplicate follows the other complaint (its complainant sees that one's answer). */
  merge(user: AuthUser, id: string, dto: MergeComplaintDto): Promise<ComplaintRow> {
    return this.decide(user, id, 'merge', dto.version, { mergedIntoId: dto.intoId }, async (em) => {
      // both rows locked in one order, so two opposite merges cannot both pass
      for (const lockId of [id, dto.intoId].sort()) await this.complaints.findById(scopeOf(user), lockId, em, true);
      const target = await this.complaints.findById(scopeOf(user), dto.intoId, em);
      if (mergeTargetRefusal(id, target)) throw AppError.validation([{ field: 'intoId', reason: 'complaintMergeTargetInvalid' }]);
      return { audit: { intoId: dto.intoId } };
    });
  }

  refer(user: AuthUser, id: string, dto: ReferComplaintDto): Promise<ComplaintRow> {
    return this.decide(user, id, 'refer', dto.version, { referredTo: dto.agency }, async () => ({ audit: { agency: dto.agency } }));
  }

  reject(user: AuthUser, id: string, dto: RejectComplaintDto): Promise<ComplaintRow> {
    return this.decide(user, id, 'reject', dto.version, { rejectReason: dto.reason }, async () => ({ audit: { reason: dto.reason } }));
  }

  reply(user: AuthUser, id: string, dto: ReplyComplaintDto): Promise<ComplaintRow> {
    return this.decide(user, id, 'reply', dto.version, { reply: dto.reply }, async () => ({ audit: { replyChars: [...dto.reply].length } }));
  }

  /**
   * 投诉核查: a complaint inspection of the complaint's institution, made by the inspections feature
   * (`PlansService.prepareAdHoc`: team checks and pins before the transaction; the inspection, the team's
   * notifications and its audit event inside the decision's transaction, under the complaint's row lock): the
   * inspection and the complaint's link commit together or not at all, and two officers' clicks cannot create two
   * inspections. A received complaint is accepted by it.
   */
  async openInspection(user: AuthUser, id: string, dto: OpenComplaintInspectionDto): Promise<ComplaintRow> {
    const before = await this.get(user, id);
    refuseMove(decideComplaint(before, 'open_inspection', user.role));
    if (before.version !== dto.version) throw AppError.conflict('complaint.version_conflict');
    const adHoc = await this.plans.prepareAdHoc(user, {
      institutionId: before.institutionId, kind: 'complaint', teamUserIds: dto.teamUserIds, scheduledDate: dto.scheduledDate,
    });
    return this.decide(user, id, 'open_inspection', dto.version, {}, async (em) => {
      const { id: inspectionId } = await adHoc.write(em);
      return { audit: { inspectionId }, change: { inspectionId } };
    });
  }

  /**
   * One transaction per decision: lock the complaint, check the move and the version, run `work` (further checks, or
   * a write the decision depends on; what it returns is added to the audit event and to the change), apply, audit.
   */
  private async decide(
    user: AuthUser, id: string, action: ComplaintAction, version: number, change: DecisionChange,
    work?: (em: EntityManager) => Promise<{ audit?: Record<string, unknown>; change?: DecisionChange }>,
  ): Promise<ComplaintRow> {
    assertMayRead(user);
    const scope = scopeOf(user);
    return this.dataSource.transaction(async (em) => {
      const c = await this.complaints.findById(scope, id, em, true);
      if (!c) throw AppError.notFound('complaint.not_found');
      const move = refuseMove(decideComplaint(c, action, user.role));
      if (c.version !== version) throw AppError.conflict('complaint.version_conflict');
      const done = work ? await work(em) : {};
      if (!(await this.complaints.decideIfVersion(em, id, version, { status: move, userId: user.id, ...change, ...done.change }))) {
        throw AppError.conflict('complaint.version_conflict');
      }
      await this.audit.record(em, {
        action: `complaint.${action}`, entityType: 'complaint', entityId: id, scopePath: c.divisionPath,
        before: { status: c.status, version: c.version }, after: { status: move, version: c.version + 1, ...done.audit },
      });
      return (await this.complaints.findById(scope, id, em))!;
    });
  }

  private async discardUnreferenced(sha256s: string[]): Promise<void> {
    if (!sha256s.length) return;
    const keep = await this.complaints.referencedPhotoHashes(sha256s);
    await Promise.all(sha256s.filter((s) => !keep.has(s)).map((s) => this.evidence.store.remove(s)));
  }
}

function assertMayRead(user: AuthUser): void {
  if (!can(user, 'complaint.read')) throw AppError.forbidden();
}

function refuseMove(move: ReturnType<typeof decideComplaint>): ComplaintStatus {
  if ('next' in move) return move.next;
  if (move.refusal === 'forbidden') throw AppError.forbidden();
  throw AppError.conflict(`complaint.${move.refusal}`);
}

/** Photo count and size refusals are 413 (the request was too large), anything else 400; both list every field. */
function refusalOf(issues: FieldIssue[]): AppError {
  const tooLarge = issues.some((i) => i.reason === 'complaintPhotoTooLarge' || i.reason === 'complaintTooManyPhotos');
  return tooLarge ? new AppError(413, 'request.too_large', {}, issues) : AppError.validation(issues);
}
