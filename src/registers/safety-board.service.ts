import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { can } from '../auth/permissions';
import { AppError } from '../common/app-error';
import { shanghaiDate } from '../common/calendar';
import { AuthUser, scopeOf } from '../common/scope';
import { APP_CONFIG, AppConfig } from '../config/env';
import { IssuingBureaus } from '../documents/issuing-bureau';
import { Institution } from '../institutions/institution.entity';
import { InstitutionsRepository } from '../institutions/institutions.repository';
import { BoardContactDto } from './dto/register.dto';
import { BoardContactRow, RegistersRepository } from './registers.repository';
import { renderSafetyBoard, SafetyBoardData } from './safety-board.pdf';

/**
 * 安全责任公示牌: the board's data from the current register (安全责任人, 安全员) and the bureau-set contacts
 * (属地监管责任人, 监督举报电话), rendered on request — "regenerated when they change" holds because nothing is cached:
 * every download is drawn from the data of that moment.
 */
@Injectable()
export class SafetyBoardService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly repo: RegistersRepository,
    private readonly institutions: InstitutionsRepository,
    private readonly bureaus: IssuingBureaus,
    private readonly audit: AuditService,
  ) {}

  /** The public complaint form of an institution (built by the complaints feature at exactly this path). */
  complaintUrl(institutionId: string): string {
    return `${this.config.PUBLIC_URL.replace(/\/+$/, '')}/public/complaints/new?institution=${institutionId}`;
  }

  async data(user: AuthUser, institutionId: string, at = new Date()): Promise<SafetyBoardData> {
    if (!can(user, 'board.print') && !can(user, 'register.read')) throw AppError.forbidden();
    const institution = await this.inScope(user, institutionId);
    const [people, contact, bureau] = await Promise.all([
      this.repo.boardPeople(institutionId), this.repo.boardContact(institutionId), this.bureaus.of(institution.divisionPath),
    ]);
    const holding = (role: string) => people.filter((p) => p.roles.includes(role as never)).map((p) => ({ name: p.name, phone: p.phone }));
    return {
      institutionName: institution.name, address: institution.address, bureauName: bureau.name,
      responsible: holding('safety_responsible'), officers: holding('safety_officer'),
      supervisor: contact ? { name: contact.supervisorName, phone: contact.supervisorPhone } : null,
      hotline: contact?.hotline ?? null,
      complaintUrl: this.complaintUrl(institutionId), printedOn: shanghaiDate(at),
    };
  }

  /** What the board still lacks (shown on the register page before printing). */
  missing(d: SafetyBoardData): string[] {
    return [
      ...(d.responsible.length ? [] : ['机构安全责任人']),
      ...(d.officers.length ? [] : ['机构安全员']),
      ...(d.supervisor ? [] : ['属地监管责任人']),
      ...(d.hotline ? [] : ['监督举报电话']),
    ];
  }

  async pdf(user: AuthUser, institutionId: string): Promise<{ pdf: Buffer; institutionName: string }> {
    if (!can(user, 'board.print')) throw AppError.forbidden();
    const d = await this.data(user, institutionId);
    return { pdf: await renderSafetyBoard(d), institutionName: d.institutionName };
  }

  async contact(user: AuthUser, institutionId: string): Promise<BoardContactRow | null> {
    await this.inScope(user, institutionId);
    return this.repo.boardContact(institutionId);
  }

  /** 属地监管责任人 and 监督举报电话: set by the bureau of the institution's subtree (audited). */
  async setContact(user: AuthUser, institutionId: string, dto: BoardContactDto): Promise<BoardContactRow> {
    if (!can(user, 'register.manage')) throw AppError.forbidden();
    if (user.role === 'institution') throw AppError.forbidden('register.board_contacts_bureau_only');
    const institution = await this.inScope(user, institutionId);
    return this.dataSource.transaction(async (em) => {
      const before = await this.repo.boardContact(institutionId, em, true);
      const fields = { supervisorName: dto.supervisorName, supervisorPhone: dto.supervisorPhone, hotline: dto.hotline };
      if (!before) {
        if (!(await this.repo.insertBoardContact(em, { institutionId, ...fields, updatedBy: user.id }))) throw AppError.conflict('register.version_conflict');
      } else if (dto.version !== before.version || !(await this.repo.updateBoardContactIfVersion(em, institutionId, before.version, { ...fields, updatedBy: user.id }))) {
        throw AppError.conflict('register.version_conflict');
      }
      await this.audit.record(em, { action: 'register_board_contact.set', entityType: 'institution', entityId: institutionId, scopePath: institution.divisionPath,
        before: before ? { supervisorName: before.supervisorName, supervisorPhone: before.supervisorPhone, hotline: before.hotline, version: before.version } : null,
        after: { ...fields, version: (before?.version ?? 0) + 1 } });
      return (await this.repo.boardContact(institutionId, em))!;
    });
  }

  private async inScope(user: AuthUser, institutionId: string): Promise<Institution> {
    const found = await this.institutions.findById(scopeOf(user), institutionId);
    if (!found) throw AppError.notFound('institution.not_found');
    return found;
  }
}
