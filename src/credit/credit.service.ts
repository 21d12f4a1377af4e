import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { can } from '../auth/permissions';
import { CreditRulesService } from '../checklists/credit-rules.service';
import type { CreditConsequence, CreditLevel, CreditRulesVersion } from '../checklists/domain/credit-rules';
import { SafetyWorkPolicyService } from '../checklists/safety-work-policy.service';
import { AppError } from '../common/app-error';
import { shanghaiDate } from '../common/calendar';
import { Page } from '../common/pagination';
import { AuthUser, Scope, scopeOf, SYSTEM_SCOPE } from '../common/scope';
import { DivisionsService } from '../divisions/divisions.service';
import { CreditInstitutionRow, CreditRepository, DishonestyRow } from './credit.repository';
import { addMonths } from './domain/days';
import { computeCreditLedger, creditFacts, type CreditLedger, lastDeductionOn, windowStartOf } from './domain/credit-ledger';
import { frequencyStatus, type FrequencyStatus, yearOf } from './domain/frequency';
import { allowedDishonestyActions, decideDishonesty, type DishonestyAction, type DishonestyActor, type DishonestyRefusal, objectionDueOn, repairableFrom } from './domain/dishonesty';
import { CreditExportQuery, CreditListQuery, DecideDishonestyDto, ObjectDishonestyDto, RepairDto, ReviewObjectionDto } from './dto/credit.dto';

/** 信用评价 of one institution as the 双随机 draw and the subsidy read it. */
export interface CreditStanding {
  institutionId: string;
  level: 'A' | 'B' | 'C' | 'D';
  /** the draw stratum: the level's, or the 失信 stratum while a decision is in force */
  stratum: string;
  points: number;
  dishonest: boolean;
  rulesVersionId: string;
}

/** One row of the bureau's credit list. */
export interface CreditRow extends CreditStanding {
  name: string;
  divisionCode: string;
  divisionName: string;
  levelLabelZh: string;
  stratumLabelZh: string;
  inspectionsPerYear: number;
  subsidy: CreditConsequence['subsidy'];
  dishonestSince: string | null;
  /** 检查频次 this calendar year */
  frequency: FrequencyStatus;
}

interface Computed {
  ledger: CreditLedger;
  lastDeductionOn: string | null;
  dishonest: { id: string; decidedOn: string } | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const REFUSAL_CODE: Record<DishonestyRefusal, string> = {
  not_yours: 'credit.not_yours', not_decided: 'credit.not_decided', objection_closed: 'credit.objection_closed', not_objected: 'credit.not_objected',
  not_repairable: 'credit.not_repairable', objection_window_open: 'credit.objection_window_open', not_clean_yet: 'credit.not_clean_yet',
};

/**
 * 信用评价 (credit evaluation) and 失信认定 (dishonesty decisions). Standings are computed, never stored: the ledger of
 * the record as of a day under the credit rules in force (checklists/credit-rules.yaml), so every point can be traced
 * to its record. A 失信 decision is stored with the rules version it was made under.
 */
@Injectable()
export class CreditService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repo: CreditRepository,
    private readonly rules: CreditRulesService,
    private readonly safetyWork: SafetyWorkPolicyService,
    private readonly divisions: DivisionsService,
    private readonly audit: AuditService,
  ) {}

  // ---------------------------------------------------------------- for the draw and the subsidy

  /**
   * The standing of each institution of `institutionIds` within the scope, as of a moment (its Asia/Shanghai day),
   * in a handful of set-based queries whatever the number of institutions. Ids outside the scope are left out.
   */
  async standings(scope: Scope, institutionIds: string[], asOf: Date, em?: EntityManager): Promise<Map<string, CreditStanding>> {
    const version = await this.rules.current();
    const ids = [...new Set(institutionIds)].filter((id) => UUID.test(id));
    const rows = ids.length ? await this.repo.institutions(scope, ids, em) : [];
    const computed = await this.compute(rows.map((r) => r.id), shanghaiDate(asOf), version, em);
    return new Map(rows.map((r) => [r.id, this.standingOf(r.id, computed.get(r.id)!, version)]));
  }

  /**
   * 检查频次 of each institution of `institutionIds` within the scope on the day of `asOf`: the inspections its level
   * (or a 失信 decision) asks for this year, those counted so far and whether it is due — what a plan's
   * "按信用频次应检" pool filter keeps. Ids outside the scope are left out. The standings it decided from come back
   * too (a stratified draw of the same pool reuses them instead of computing every ledger twice).
   */
  async frequencies(scope: Scope, institutionIds: string[], asOf: Date): Promise<{ rulesVersionId: string; asOf: string; countedKinds: string[]; byInstitution: Map<string, FrequencyStatus>; standings: Map<string, CreditStanding> }> {
    const version = await this.rules.current();
    const day = shanghaiDate(asOf);
    const standings = await this.standings(scope, institutionIds, asOf);
    const counts = await this.countedThisYear([...standings.keys()], day, version);
    const byInstitution = new Map([...standings].map(([id, st]) => [id, frequencyStatus(this.consequenceOf(st, version).inspectionsPerYear, counts.get(id) ?? 0, day)]));
    return { rulesVersionId: version.versionId, asOf: day, countedKinds: [...version.values.frequency.countedKinds], byInstitution, standings };
  }

  /** The draw strata of the rules in force, in the rule file's order. */
  async drawStrata(): Promise<{ rulesVersionId: string; strata: { code: string; labelZh: string; ratio: number }[] }> {
    const version = await this.rules.current();
    return { rulesVersionId: version.versionId, strata: version.values.strata.map((s) => ({ ...s })) };
  }

  /**
   * The subsidy consequence of each institution's standing on `asOfDay` (institutions the caller already scoped),
   * with the rules version to pin on the schedule.
   */
  async subsidyTerms(institutionIds: string[], asOfDay: string, em?: EntityManager): Promise<{ version: CreditRulesVersion; byInstitution: Map<string, { standing: CreditStanding; levelLabelZh: string; subsidy: CreditConsequence['subsidy'] }> }> {
    const version = await this.rules.current();
    const computed = await this.compute(institutionIds, asOfDay, version, em);
    const byInstitution = new Map([...computed].map(([id, c]) => {
      const standing = this.standingOf(id, c, version);
      return [id, { standing, levelLabelZh: c.ledger.levelLabelZh, subsidy: this.consequenceOf(standing, version).subsidy }];
    }));
    return { version, byInstitution };
  }

  // ---------------------------------------------------------------- pages and API

  /** One institution's level with its explained ledger, the consequences and its 失信 decisions. */
  async institutionCredit(user: AuthUser, institutionId: string, asOf?: string) {
    const scope = scopeOf(user);
    const [institution] = await this.repo.institutions(scope, [institutionId]);
    if (!institution) throw AppError.notFound('credit.institution_not_found');
    const today = shanghaiDate(new Date());
    const day = asOf ?? today;
    const version = await this.rules.current();
    const c = (await this.compute([institution.id], day, version)).get(institution.id)!;
    const standing = this.standingOf(institution.id, c, version);
    const consequence = this.consequenceOf(standing, version);
    const counted = (await this.countedThisYear([institution.id], day, version)).get(institution.id) ?? 0;
    const decisions = await this.repo.decisionsOf(scope, institution.id);
    const actor: DishonestyActor = user.role === 'institution' ? 'institution' : 'bureau';
    const mayAct = can(user, actor === 'institution' ? 'credit.object' : 'credit.decide');
    return {
      institution, asOf: day, ledger: c.ledger, standing, consequence,
      frequency: { ...frequencyStatus(consequence.inspectionsPerYear, counted, day), countedKinds: [...version.values.frequency.countedKinds] },
      stratumLabelZh: this.stratumLabel(standing.stratum, version), rules: { versionId: version.versionId, code: version.code, versionNo: version.versionNo, revision: version.revision ?? null },
      objectionDays: version.values.dishonesty.objectionDays, repairCleanMonths: version.values.dishonesty.repairCleanMonths,
      mayDecide: can(user, 'credit.decide') && !decisions.some((d) => ['decided', 'objected', 'upheld'].includes(d.status)),
      decisions: decisions.map((d) => ({
        ...d,
        repairableFrom: repairableFrom(d, { repairCleanMonths: version.values.dishonesty.repairCleanMonths, lastDeductionOn: c.lastDeductionOn }),
        actions: mayAct ? allowedDishonestyActions(d, actor, this.ctx(today, version, c)) : [],
      })),
    };
  }

  /** The bureau's credit list: every institution in scope (not closed), filtered, paged, with counts by level per street. */
  async list(user: AuthUser, q: CreditListQuery): Promise<Page<CreditRow> & { byStreet: { divisionCode: string; divisionName: string; counts: Record<CreditLevel, number>; dishonest: number; total: number }[]; rulesVersionId: string; asOf: string }> {
    const { rows, version, asOf, all } = await this.rows(user, q);
    const byStreet = new Map<string, { divisionCode: string; divisionName: string; counts: Record<CreditLevel, number>; dishonest: number; total: number }>();
    for (const r of all) {
      const s = byStreet.get(r.divisionCode) ?? byStreet.set(r.divisionCode, { divisionCode: r.divisionCode, divisionName: r.divisionName, counts: { A: 0, B: 0, C: 0, D: 0 }, dishonest: 0, total: 0 }).get(r.divisionCode)!;
      s.counts[r.level] += 1;
      s.total += 1;
      if (r.dishonest) s.dishonest += 1;
    }
    const start = (q.page - 1) * q.pageSize;
    return {
      items: rows.slice(start, start + q.pageSize), total: rows.length, page: q.page, pageSize: q.pageSize,
      byStreet: [...byStreet.values()].sort((a, b) => a.divisionCode.localeCompare(b.divisionCode)), rulesVersionId: version.versionId, asOf,
    };
  }

  /** Every row of the filtered list (for the CSV export), computed before anything is sent. */
  async exportRows(user: AuthUser, q: CreditExportQuery): Promise<{ rows: CreditRow[]; version: CreditRulesVersion; asOf: string }> {
    const { rows, version, asOf } = await this.rows(user, q);
    return { rows, version, asOf };
  }

  private async rows(user: AuthUser, q: CreditExportQuery) {
    const scope = scopeOf(user);
    const division = q.divisionCode ? await this.divisions.requireWithin(scope, q.divisionCode, 'divisionCode') : null;
    const version = await this.rules.current();
    const asOf = shanghaiDate(new Date());
    const institutions = await this.repo.institutionsInScope(scope, division?.path);
    const ids = institutions.map((i) => i.id);
    const [computed, counts] = await Promise.all([this.compute(ids, asOf, version), this.countedThisYear(ids, asOf, version)]);
    const all = institutions.map((i) => this.rowOf(i, computed.get(i.id)!, version, counts.get(i.id) ?? 0, asOf));
    const rows = all.filter((r) => (!q.level || r.level === q.level) && (!q.dishonest || r.dishonest === (q.dishonest === 'yes')) && (!q.due || r.frequency.due === (q.due === 'yes')));
    return { rows, all, version, asOf };
  }

  // ---------------------------------------------------------------- 失信认定

  /** 失信认定: a bureau decision on an institution in its scope; in force from its day, with the objection deadline of the rules. */
  async decide(user: AuthUser, dto: DecideDishonestyDto) {
    const today = shanghaiDate(new Date());
    if (dto.decidedOn > today) throw AppError.validation([{ field: 'decidedOn', reason: 'decidedInFuture' }]);
    const [institution] = await this.repo.institutions(scopeOf(user), [dto.institutionId]);
    if (!institution) throw AppError.validation([{ field: 'institutionId', reason: 'notAnInstitution' }]);
    const version = await this.rules.current();
    const due = objectionDueOn(dto.decidedOn, version.values.dishonesty.objectionDays);
    return this.dataSource.transaction(async (em) => {
      await this.repo.lockInstitution(em, institution.id);
      if ((await this.repo.decisionsOf(SYSTEM_SCOPE, institution.id, em)).some((d) => ['decided', 'objected', 'upheld'].includes(d.status))) throw AppError.conflict('credit.already_in_force');
      const id = await this.repo.insertDecision(em, {
        institutionId: institution.id, divisionPath: institution.divisionPath, reason: dto.reason, legalBasis: dto.legalBasis, decidedOn: dto.decidedOn,
        objectionDueOn: due, decidedBy: user.id, creditRulesVersionId: version.versionId, published: version.values.dishonesty.publish,
      });
      await this.audit.record(em, {
        action: 'credit.dishonesty_decide', entityType: 'credit_dishonesty_decision', entityId: id, scopePath: institution.divisionPath,
        after: { institutionId: institution.id, reason: dto.reason, legalBasis: dto.legalBasis, decidedOn: dto.decidedOn, objectionDueOn: due, creditRulesVersionId: version.versionId, published: version.values.dishonesty.publish },
      });
      return (await this.repo.decision(scopeOf(user), id, em))!;
    });
  }

  /** 陈述申辩: the institution objects within the window. */
  object(user: AuthUser, id: string, dto: ObjectDishonestyDto) {
    return this.act(user, id, 'object', { objection: dto.objection, objectedBy: user.id }, { objection: dto.objection });
  }

  /** The bureau's review of an objection: uphold (the decision stands) or withdraw (void). */
  review(user: AuthUser, id: string, dto: ReviewObjectionDto) {
    return this.act(user, id, dto.outcome, { reviewNote: dto.note, reviewedBy: user.id }, { note: dto.note });
  }

  /** 信用修复: after the clean period, with a reason. */
  repair(user: AuthUser, id: string, dto: RepairDto) {
    return this.act(user, id, 'repair', { repairReason: dto.reason, repairedBy: user.id, repairedOn: shanghaiDate(new Date()) }, { reason: dto.reason });
  }

  async decision(user: AuthUser, id: string): Promise<DishonestyRow> {
    const d = await this.repo.decision(scopeOf(user), id);
    if (!d) throw AppError.notFound('credit.decision_not_found');
    return d;
  }

  /** Published decisions in force, for 公示 (when the rules say so). */
  async published(divisionPath: string, limit = 50) {
    return this.repo.publishedInForce(divisionPath, Math.min(Math.max(limit, 1), 200));
  }

  private async act(user: AuthUser, id: string, action: DishonestyAction, fields: Parameters<CreditRepository['transition']>[4], after: Record<string, unknown>) {
    const scope = scopeOf(user);
    const actor: DishonestyActor = user.role === 'institution' ? 'institution' : 'bureau';
    const today = shanghaiDate(new Date());
    const version = await this.rules.current();
    return this.dataSource.transaction(async (em) => {
      const d = await this.repo.decision(scope, id, em, true);
      if (!d) throw AppError.notFound('credit.decision_not_found');
      const c = (await this.compute([d.institutionId], today, version, em)).get(d.institutionId)!;
      const result = decideDishonesty(d, action, actor, this.ctx(today, version, c));
      if ('refusal' in result) {
        const months = version.values.dishonesty.repairCleanMonths;
        const since = c.lastDeductionOn && c.lastDeductionOn > d.decidedOn ? c.lastDeductionOn : d.decidedOn;
        throw AppError.conflict(REFUSAL_CODE[result.refusal], { objectionDueOn: d.objectionDueOn, months, since, from: addMonths(since, months) });
      }
      if (!(await this.repo.transition(em, d.id, d.version, result.next, fields))) throw AppError.conflict('credit.version_conflict');
      await this.audit.record(em, {
        action: `credit.dishonesty_${action}`, entityType: 'credit_dishonesty_decision', entityId: d.id, scopePath: d.divisionPath,
        before: { status: d.status }, after: { status: result.next, ...after },
      });
      return (await this.repo.decision(scope, d.id, em))!;
    });
  }

  // ---------------------------------------------------------------- computation

  private async compute(ids: string[], day: string, version: CreditRulesVersion, em?: EntityManager): Promise<Map<string, Computed>> {
    const v = version.values;
    const liveDrillMonths = (await this.safetyWork.current()).values.drills.liveDrillMonths;
    const since = windowStartOf(day, v);
    const [records, dishonest] = await Promise.all([
      this.repo.records(ids, { since, hazardsSince: addMonths(since, -v.repeatMonths), asOf: day }, em),
      this.repo.inForce(ids, day, em),
    ]);
    return new Map(ids.map((id) => {
      const facts = creditFacts(records.get(id)!, v, liveDrillMonths);
      return [id, { ledger: computeCreditLedger(facts, day, v), lastDeductionOn: lastDeductionOn(facts, v, day), dishonest: dishonest.get(id) ?? null }];
    }));
  }

  /** The inspections counted toward 检查频次 in the calendar year of `day`, up to `day`, per institution. */
  private countedThisYear(ids: string[], day: string, version: CreditRulesVersion): Promise<Map<string, number>> {
    return this.repo.frequencyCounts(ids, version.values.frequency.countedKinds, { ...yearOf(day), asOf: day });
  }

  private standingOf(institutionId: string, c: Computed, version: CreditRulesVersion): CreditStanding {
    const v = version.values;
    const dishonest = c.dishonest !== null;
    return {
      institutionId, level: c.ledger.level, points: c.ledger.total, dishonest, rulesVersionId: version.versionId,
      stratum: dishonest ? v.consequences.dishonest.stratum : v.consequences.levels[c.ledger.level].stratum,
    };
  }

  private consequenceOf(s: CreditStanding, version: CreditRulesVersion): CreditConsequence {
    return s.dishonest ? version.values.consequences.dishonest : version.values.consequences.levels[s.level];
  }

  private stratumLabel(code: string, version: CreditRulesVersion): string {
    return version.values.strata.find((s) => s.code === code)?.labelZh ?? code;
  }

  private rowOf(i: CreditInstitutionRow, c: Computed, version: CreditRulesVersion, counted: number, day: string): CreditRow {
    const standing = this.standingOf(i.id, c, version);
    const consequence = this.consequenceOf(standing, version);
    return {
      ...standing, name: i.name, divisionCode: i.divisionCode, divisionName: i.divisionName, levelLabelZh: c.ledger.levelLabelZh,
      stratumLabelZh: this.stratumLabel(standing.stratum, version), inspectionsPerYear: consequence.inspectionsPerYear, subsidy: consequence.subsidy,
      dishonestSince: c.dishonest?.decidedOn ?? null, frequency: frequencyStatus(consequence.inspectionsPerYear, counted, day),
    };
  }

  private ctx(today: string, version: CreditRulesVersion, c: Computed) {
    return { today, repairCleanMonths: version.values.dishonesty.repairCleanMonths, lastDeductionOn: c.lastDeductionOn };
  }
}
