import { Injectable } from '@nestjs/common';
import { LEGACY_POLICY, policyValues, PolicyVersion, productPolicyContent, WorkingCalendar, workingCalendarContent } from './domain';
import { buildWorkingCalendar } from './domain/working-calendar';
import { ChecklistsService } from './checklists.service';
import { RuleSetVersion } from './rule-set.entity';

/** The local rule set a deployment selected (`LOCAL_RULE_SET`). */
export interface SelectedLocalRuleSet {
  versionId: string;
  code: string;
}

/**
 * The supervision policy (监管策略), the working-day calendar (工作日历) and the deploying city's local rule set, read
 * from the published rule files. Which version is in force changes only when the rule files are synced (at start),
 * so the versions in force are resolved once per process (`refresh()` after a sync re-reads them); a published
 * version never changes, so its parsed values are cached by id for good.
 */
@Injectable()
export class PolicyService {
  private readonly byVersion = new Map<string, Promise<PolicyVersion>>();
  private inForce: Promise<{ policy: PolicyVersion; calendar: WorkingCalendar; local: SelectedLocalRuleSet | null }> | null = null;

  constructor(private readonly checklists: ChecklistsService) {}

  /** The policy in force: pin its `versionId` on the record it decides. */
  async current(): Promise<PolicyVersion> {
    return (await this.resolveInForce()).policy;
  }

  /**
   * The policy a record was decided under. `null` (a record made before policies were versioned): the values the
   * previous release used in code and configuration (`LEGACY_POLICY_VALUES`, docs/policy.md).
   */
  byId(versionId: string | null): Promise<PolicyVersion> {
    if (versionId === null) return Promise.resolve(LEGACY_POLICY);
    let cached = this.byVersion.get(versionId);
    if (!cached) {
      cached = this.checklists.resolveVersionById(versionId).then(toPolicyVersion);
      cached.catch(() => this.byVersion.delete(versionId));
      this.byVersion.set(versionId, cached);
    }
    return cached;
  }

  /** The working-day calendar of every published year (years without a file: Monday–Friday, with a warning). */
  async calendar(): Promise<WorkingCalendar> {
    return (await this.resolveInForce()).calendar;
  }

  /** The local rule set selected by `LOCAL_RULE_SET`, or null (national rules only). */
  async localRuleSet(): Promise<SelectedLocalRuleSet | null> {
    return (await this.resolveInForce()).local;
  }

  /** Re-reads the versions in force (after `ChecklistsService.syncFromDirectory` published new ones). */
  refresh(): void {
    this.inForce = null;
  }

  /**
   * Checks at start that a policy is published and the configured local rule set exists; throws a message naming
   * the missing file or code, so a deployment never runs without them.
   */
  async verify(): Promise<void> {
    await this.resolveInForce();
  }

  private resolveInForce() {
    if (!this.inForce) {
      const loading = this.load();
      loading.catch(() => {
        if (this.inForce === loading) this.inForce = null;
      });
      this.inForce = loading;
    }
    return this.inForce;
  }

  private async load() {
    const [policies, calendars, local] = await Promise.all([
      this.checklists.currentOfKind('product_policy'),
      this.checklists.currentOfKind('working_calendar'),
      this.checklists.localRuleSetInForce(),
    ]);
    if (policies.length !== 1) {
      const found = policies.map((v) => `${v.ruleSetCode} (${v.fileName})`).join(', ') || 'none';
      throw new Error(`exactly one rule file of kind product_policy must be in force (checklists/product-policy.yaml); found: ${found}`);
    }
    const policy = await this.byId(policies[0].id);
    const calendar = buildWorkingCalendar(calendars.map((v) => workingCalendarContent(v)));
    return { policy, calendar, local };
  }
}

function toPolicyVersion(v: RuleSetVersion): PolicyVersion {
  return { versionId: v.id, code: v.ruleSetCode, versionNo: v.versionNo, contentHash: v.contentHash, values: policyValues(productPolicyContent(v)) };
}
