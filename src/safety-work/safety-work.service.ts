import { Injectable } from '@nestjs/common';
import { can } from '../auth/permissions';
import { SafetyWorkPolicyService } from '../checklists/safety-work-policy.service';
import { AppError } from '../common/app-error';
import { addDays, shanghaiDate } from '../common/calendar';
import { Page, pageOf, PageQuery } from '../common/pagination';
import { AuthUser, scopeOf } from '../common/scope';
import { drillStatus, DrillState } from '../drills/domain/drill-rules';
import { patrolLines } from '../patrols/domain/patrol-rules';
import { OVERVIEW_DAYS, PatrolsService } from '../patrols/patrols.service';
import { DashboardSafetyCounts, SafetyWorkFacts, SafetyWorkRepository } from './safety-work.repository';

/** Certificates and statutory tests expiring within this many days are "expiring" here (the policy's first alert, 30). */
const DAY = 86_400_000;

/** One institution's safety work as the bureau reads it. */
export interface SafetyWorkLine {
  id: string;
  name: string;
  divisionName: string;
  /** the last OVERVIEW_DAYS days: slots due, missed or left unfinished, and the completion rate (null: no schedule yet) */
  patrolDue: number;
  patrolMissed: number;
  patrolCompletion: number | null;
  selfHazardsOpen: number;
  drillState: DrillState;
  drillDueBy: string | null;
  certificatesExpired: number;
  certificatesExpiring: number;
  testsExpired: number;
  testsExpiring: number;
  /** null: not the viewer's to see (complaints are the bureau's) */
  complaints: { within3: number; within15: number; older: number } | null;
  incidents90: number;
  incidentsUnacknowledged: number;
  /** anything that needs the bureau's attention */
  attention: boolean;
}

export interface SafetyWorkTotals {
  institutions: number;
  withSchedule: number;
  patrolDue: number;
  patrolMissed: number;
  patrolCompletion: number | null;
  selfHazardsOpen: number;
  drillsMissed: number;
  drillsDue: number;
  certificatesExpired: number;
  certificatesExpiring: number;
  testsExpired: number;
  testsExpiring: number;
  complaintsOpen: number | null;
  complaintsOlder: number | null;
  incidents90: number;
  incidentsUnacknowledged: number;
  asOf: string;
  expiringDays: number;
}

/**
 * 机构安全工作 — the bureau's view across its institutions of their own safety work (patrol completion, missed
 * patrols, self-reported hazards, drills due, certificates and statutory tests expiring or expired) and of the
 * public's voice (open complaints by age, incidents), per institution, totalled, and exportable.
 */
@Injectable()
export class SafetyWorkService {
  constructor(private readonly repo: SafetyWorkRepository, private readonly policy: SafetyWorkPolicyService, private readonly patrols: PatrolsService) {}

  async page(user: AuthUser, query: PageQuery, now = this.patrols.now()): Promise<Page<SafetyWorkLine>> {
    if (!can(user, 'safety_work.read')) throw AppError.forbidden();
    const ctx = await this.context(now);
    const [facts, total] = await this.repo.page(scopeOf(user), ctx.window, (query.page - 1) * query.pageSize, query.pageSize);
    return pageOf(await this.lines(user, facts, ctx, now), total, query);
  }

  /** One institution's line (the institution page), for any viewer who may read the institution's patrols. */
  async forInstitution(user: AuthUser, institutionId: string, now = this.patrols.now()): Promise<SafetyWorkLine | null> {
    if (!can(user, 'patrol.read') || !can(user, 'drill.read')) return null;
    const ctx = await this.context(now);
    const [facts] = await this.repo.page(scopeOf(user), { ...ctx.window, institutionId }, 0, 1);
    return (await this.lines(user, facts, ctx, now))[0] ?? null;
  }

  /** Every institution in scope, in batches (the export and the totals). */
  async *all(user: AuthUser, now = this.patrols.now()): AsyncGenerator<SafetyWorkLine> {
    if (!can(user, 'safety_work.read')) throw AppError.forbidden();
    const ctx = await this.context(now);
    for (let offset = 0; ; offset += 500) {
      const [facts] = await this.repo.page(scopeOf(user), ctx.window, offset, 500);
      for (const line of await this.lines(user, facts, ctx, now)) yield line;
      if (facts.length < 500) return;
    }
  }

  /** The dashboard's counts (null: not the viewer's to see). Complaints only for those who handle them. */
  async dashboardCounts(user: AuthUser, now = this.patrols.now()): Promise<(Omit<DashboardSafetyCounts, 'complaintsOpen' | 'complaintsOlder'> & { complaintsOpen: number | null; complaintsOlder: number | null }) | null> {
    if (!can(user, 'safety_work.read')) return null;
    const c = await this.repo.scopeCounts(scopeOf(user), shanghaiDate(now));
    const complaints = can(user, 'complaint.read');
    return { ...c, complaintsOpen: complaints ? c.complaintsOpen : null, complaintsOlder: complaints ? c.complaintsOlder : null };
  }

  async totals(user: AuthUser, now = this.patrols.now()): Promise<SafetyWorkTotals> {
    const ctx = await this.context(now);
    const t: SafetyWorkTotals = {
      institutions: 0, withSchedule: 0, patrolDue: 0, patrolMissed: 0, patrolCompletion: null, selfHazardsOpen: 0, drillsMissed: 0, drillsDue: 0,
      certificatesExpired: 0, certificatesExpiring: 0, testsExpired: 0, testsExpiring: 0, complaintsOpen: can(user, 'complaint.read') ? 0 : null,
      complaintsOlder: can(user, 'complaint.read') ? 0 : null, incidents90: 0, incidentsUnacknowledged: 0, asOf: ctx.window.today, expiringDays: ctx.expiringDays,
    };
    let done = 0;
    for await (const l of this.all(user, now)) {
      t.institutions++;
      if (l.patrolCompletion !== null) t.withSchedule++;
      t.patrolDue += l.patrolDue;
      t.patrolMissed += l.patrolMissed;
      done += l.patrolCompletion === null ? 0 : Math.round(l.patrolCompletion * l.patrolDue);
      t.selfHazardsOpen += l.selfHazardsOpen;
      if (l.drillState === 'missed') t.drillsMissed++;
      if (l.drillState === 'due') t.drillsDue++;
      t.certificatesExpired += l.certificatesExpired;
      t.certificatesExpiring += l.certificatesExpiring;
      t.testsExpired += l.testsExpired;
      t.testsExpiring += l.testsExpiring;
      if (l.complaints && t.complaintsOpen !== null && t.complaintsOlder !== null) {
        t.complaintsOpen += l.complaints.within3 + l.complaints.within15 + l.complaints.older;
        t.complaintsOlder += l.complaints.older;
      }
      t.incidents90 += l.incidents90;
      t.incidentsUnacknowledged += l.incidentsUnacknowledged;
    }
    t.patrolCompletion = t.patrolDue ? done / t.patrolDue : null;
    return t;
  }

  private async context(now: Date) {
    const { values } = await this.policy.current();
    const today = shanghaiDate(now);
    const expiringDays = Math.max(...values.registers.expiryAlertDays);
    return { values, expiringDays, window: { today, horizon: addDays(today, expiringDays) } };
  }

  private async lines(user: AuthUser, facts: SafetyWorkFacts[], ctx: Awaited<ReturnType<SafetyWorkService['context']>>, now: Date): Promise<SafetyWorkLine[]> {
    const from = new Date(now.getTime() - OVERVIEW_DAYS * DAY);
    const patrols = await this.repo.patrolFacts(facts.map((f) => f.id), new Date(from.getTime() - 31 * DAY));
    const seesComplaints = can(user, 'complaint.read');
    return facts.map((f) => {
      const { summary } = patrolLines({ from, now, scheduleStart: f.scheduleStart ? new Date(f.scheduleStart) : null, times: ctx.values.patrols,
        patrols: patrols.filter((p) => p.institutionId === f.id).map((p) => ({ ...p, slotAt: new Date(p.slotAt) })) });
      const drill = drillStatus({ asOf: ctx.window.today, openedOn: f.status === 'preparing' ? null : f.openedOn, lastLiveDrillOn: f.lastLiveDrillOn, liveDrillMonths: ctx.values.drills.liveDrillMonths });
      const complaints = seesComplaints ? { within3: f.complaintsOpen3, within15: f.complaintsOpen15, older: f.complaintsOpenOlder } : null;
      const line: SafetyWorkLine = {
        id: f.id, name: f.name, divisionName: f.divisionName,
        patrolDue: summary.due, patrolMissed: summary.missed + summary.incomplete, patrolCompletion: summary.completionRate,
        selfHazardsOpen: f.selfHazardsOpen, drillState: drill.state, drillDueBy: drill.dueBy,
        certificatesExpired: f.certificatesExpired, certificatesExpiring: f.certificatesExpiring, testsExpired: f.testsExpired, testsExpiring: f.testsExpiring,
        complaints, incidents90: f.incidents90, incidentsUnacknowledged: f.incidentsUnacknowledged, attention: false,
      };
      line.attention = line.patrolMissed > 0 || line.drillState === 'missed' || line.certificatesExpired > 0 || line.testsExpired > 0
        || line.incidentsUnacknowledged > 0 || (complaints?.older ?? 0) > 0 || line.patrolCompletion === null;
      return line;
    });
  }
}
