import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { can } from '../auth/permissions';
import { AppError } from '../common/app-error';
import { shanghaiDate } from '../common/calendar';
import { AuthUser, scopeOf } from '../common/scope';
import { label } from '../common/vocabulary';
import type { OperatingStatusDto } from './dto/operating-status.dto';
import { InstitutionsRepository } from './institutions.repository';
import { InterruptionRow, OperatingPeriodRepository } from './operating-period.repository';
import { planStatusChange } from './operating-status';

export interface InterruptionInput {
  kind: 'suspended' | 'closed';
  fromDate: string;
  toDate?: string | null;
  reason: string;
}

/**
 * 运营期: the day an institution opened, the days it was suspended or closed, and the history of its bureau-confirmed
 * capacity — the facts a subsidy is computed from, day by day (docs/scoring.md). Changes are the bureau's
 * (`institution.operating_period`), audited, within scope; interruptions are never edited, only ended once.
 */
@Injectable()
export class OperatingPeriodService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repo: OperatingPeriodRepository,
    private readonly audit: AuditService,
    private readonly institutions: InstitutionsRepository,
  ) {}

  async get(user: AuthUser, institutionId: string) {
    const institution = await this.repo.institution(scopeOf(user), institutionId);
    if (!institution) throw AppError.notFound('institution.not_found');
    const [interruptions, capacity] = await Promise.all([this.repo.interruptions(institutionId), this.repo.capacityHistory(institutionId)]);
    return view(institution, interruptions, capacity);
  }

  async setOpenedOn(user: AuthUser, institutionId: string, dto: { openedOn: string; reason: string }) {
    if (!can(user, 'institution.operating_period')) throw AppError.forbidden();
    if (dto.openedOn > shanghaiDate(new Date())) throw AppError.validation([{ field: 'openedOn', reason: 'dateInFuture' }]);
    await this.dataSource.transaction(async (em) => {
      const institution = await this.repo.institution(scopeOf(user), institutionId, em, true);
      if (!institution) throw AppError.notFound('institution.not_found');
      const first = (await this.repo.interruptions(institutionId, em))[0];
      if (first && first.fromDate < dto.openedOn) {
        throw AppError.validation([{ field: 'openedOn', reason: 'openedAfterInterruption', args: [first.fromDate] }]);
      }
      await this.repo.setOpenedOn(em, institutionId, dto.openedOn);
      await this.repo.moveFirstCapacity(em, institutionId, dto.openedOn);
      await this.audit.record(em, {
        action: 'institution.opened_on', entityType: 'institution', entityId: institutionId, scopePath: institution.divisionPath,
        before: { openedOn: institution.openedOn }, after: { openedOn: dto.openedOn, reason: dto.reason },
      });
    });
    return this.get(user, institutionId);
  }

  async addInterruption(user: AuthUser, institutionId: string, dto: InterruptionInput) {
    if (!can(user, 'institution.operating_period')) throw AppError.forbidden();
    const toDate = dto.toDate ?? null;
    if (toDate !== null && toDate < dto.fromDate) throw AppError.validation([{ field: 'toDate', reason: 'periodOrder' }]);
    await this.dataSource.transaction(async (em) => {
      const institution = await this.repo.institution(scopeOf(user), institutionId, em, true);
      if (!institution) throw AppError.notFound('institution.not_found');
      if (dto.fromDate < institution.openedOn) throw AppError.validation([{ field: 'fromDate', reason: 'beforeOpening', args: [institution.openedOn] }]);
      const clash = (await this.repo.interruptions(institutionId, em)).find((x) => overlaps(x.fromDate, x.toDate, dto.fromDate, toDate));
      if (clash) {
        throw AppError.validation([{ field: 'fromDate', reason: 'interruptionOverlap', args: [label('interruptionKind', clash.kind), rangeText(clash.fromDate, clash.toDate)] }]);
      }
      const id = await this.repo.insertInterruption(em, { institutionId, kind: dto.kind, fromDate: dto.fromDate, toDate, reason: dto.reason.trim(), createdBy: user.id });
      await this.audit.record(em, {
        action: 'institution.interruption_add', entityType: 'institution', entityId: institutionId, scopePath: institution.divisionPath,
        after: { interruptionId: id, kind: dto.kind, fromDate: dto.fromDate, toDate, reason: dto.reason.trim() },
      });
    });
    return this.get(user, institutionId);
  }

  /** Ends an open-ended interruption (the institution resumed operating the day after `toDate`). */
  async endInterruption(user: AuthUser, institutionId: string, interruptionId: string, dto: { toDate: string; reason: string }) {
    if (!can(user, 'institution.operating_period')) throw AppError.forbidden();
    await this.dataSource.transaction(async (em) => {
      const institution = await this.repo.institution(scopeOf(user), institutionId, em, true);
      if (!institution) throw AppError.notFound('institution.not_found');
      const x = (await this.repo.interruptions(institutionId, em)).find((i) => i.id === interruptionId);
      if (!x) throw AppError.notFound('interruption.not_found');
      if (x.toDate !== null) throw AppError.conflict('interruption.already_ended', { toDate: x.toDate });
      if (x.kind === 'closed' && institution.status === 'closed') throw AppError.conflict('institution.closed_final');
      if (dto.toDate < x.fromDate) throw AppError.validation([{ field: 'toDate', reason: 'periodOrder' }]);
      await this.repo.endInterruption(em, interruptionId, dto.toDate, dto.reason.trim(), user.id);
      await this.audit.record(em, {
        action: 'institution.interruption_end', entityType: 'institution', entityId: institutionId, scopePath: institution.divisionPath,
        before: { interruptionId, toDate: null }, after: { interruptionId, toDate: dto.toDate, reason: dto.reason.trim() },
      });
    });
    return this.get(user, institutionId);
  }

  /**
   * 停业整顿 / 恢复运营 / 注销 from a day: the status and the operating period change in one transaction (the rules
   * in operating-status.ts), at the institution version the form was read at (409 otherwise), audited as one event.
   */
  async changeStatus(user: AuthUser, institutionId: string, dto: OperatingStatusDto) {
    if (!can(user, 'institution.operating_period')) throw AppError.forbidden();
    const scope = scopeOf(user);
    const reason = dto.reason.trim();
    await this.dataSource.transaction(async (em) => {
      const current = await this.institutions.findById(scope, institutionId, em, true);
      const period = await this.repo.institution(scope, institutionId, em);
      if (!current || !period) throw AppError.notFound('institution.not_found');
      if (current.version !== dto.version) throw AppError.conflict('institution.version_conflict', { current: current.version });
      const interruptions = await this.repo.interruptions(institutionId, em);
      const plan = planStatusChange({ status: current.status, openedOn: period.openedOn, interruptions, action: dto.action, date: dto.date, today: shanghaiDate(new Date()) });
      if ('code' in plan) {
        throw AppError.conflict(plan.code, { status: label('institutionStatus', current.status), action: label('statusAction', dto.action) });
      }
      if ('issues' in plan) throw AppError.validation(plan.issues);
      if (plan.end) await this.repo.endInterruption(em, plan.end.id, plan.end.toDate, reason, user.id);
      const openedId = plan.open
        ? await this.repo.insertInterruption(em, { institutionId, kind: plan.open.kind, fromDate: plan.open.fromDate, toDate: null, reason, createdBy: user.id })
        : null;
      // The status trigger finds the interruption already recorded from the chosen day and adds none of its own.
      if (!(await this.institutions.updateIfVersion(em, scope, institutionId, dto.version, { status: plan.next }))) {
        throw AppError.conflict('institution.version_conflict', { current: '?' });
      }
      await this.audit.record(em, {
        action: `institution.${dto.action}`, entityType: 'institution', entityId: institutionId, scopePath: current.divisionPath,
        before: { status: current.status, version: current.version },
        after: { status: plan.next, version: current.version + 1, date: dto.date, reason, endedInterruptionId: plan.end?.id ?? null, interruptionId: openedId },
      });
    });
    return this.get(user, institutionId);
  }
}

function overlaps(aFrom: string, aTo: string | null, bFrom: string, bTo: string | null): boolean {
  return (aTo === null || bFrom <= aTo) && (bTo === null || aFrom <= bTo);
}

function rangeText(from: string, to: string | null): string {
  return to === null ? `${from} 起` : `${from} 至 ${to}`;
}

function view(institution: { id: string; name: string; status: string; openedOn: string }, interruptions: InterruptionRow[], capacity: unknown[]) {
  const closed = interruptions.find((x) => x.kind === 'closed' && x.toDate === null);
  return {
    institutionId: institution.id, institutionName: institution.name, status: institution.status,
    openedOn: institution.openedOn, closedOn: closed?.fromDate ?? null,
    interruptions: interruptions.map((x) => ({ ...x, kindLabel: label('interruptionKind', x.kind) })),
    capacity,
  };
}
