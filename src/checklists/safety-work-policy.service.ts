import { Injectable } from '@nestjs/common';
import { safetyWorkPolicyContent, safetyWorkValues, type SafetyWorkPolicyVersion } from './domain';
import { ChecklistsService } from './checklists.service';
import { RuleSetVersion } from './rule-set.entity';

/**
 * 机构日常安全工作与投诉举报策略 (checklists/safety-work-policy.yaml), read from the published rule file: the version
 * in force is resolved once per process (`refresh()` after a sync); a published version never changes, so its values
 * are cached by id for good. Records pin `versionId`.
 */
@Injectable()
export class SafetyWorkPolicyService {
  private readonly byVersion = new Map<string, Promise<SafetyWorkPolicyVersion>>();
  private inForce: Promise<SafetyWorkPolicyVersion> | null = null;

  constructor(private readonly checklists: ChecklistsService) {}

  /** The policy in force: pin its `versionId` on the record it decides. */
  current(): Promise<SafetyWorkPolicyVersion> {
    if (!this.inForce) {
      const loading = this.load();
      loading.catch(() => {
        if (this.inForce === loading) this.inForce = null;
      });
      this.inForce = loading;
    }
    return this.inForce;
  }

  /** The policy a record was decided under. */
  byId(versionId: string): Promise<SafetyWorkPolicyVersion> {
    let cached = this.byVersion.get(versionId);
    if (!cached) {
      cached = this.checklists.resolveVersionById(versionId).then(toVersion);
      cached.catch(() => this.byVersion.delete(versionId));
      this.byVersion.set(versionId, cached);
    }
    return cached;
  }

  refresh(): void {
    this.inForce = null;
  }

  private async load(): Promise<SafetyWorkPolicyVersion> {
    const found = await this.checklists.currentOfKind('safety_work_policy');
    if (found.length !== 1) {
      const names = found.map((v) => `${v.ruleSetCode} (${v.fileName})`).join(', ') || 'none';
      throw new Error(`exactly one rule file of kind safety_work_policy must be in force (checklists/safety-work-policy.yaml); found: ${names}`);
    }
    return this.byId(found[0].id);
  }
}

function toVersion(v: RuleSetVersion): SafetyWorkPolicyVersion {
  return { versionId: v.id, code: v.ruleSetCode, versionNo: v.versionNo, contentHash: v.contentHash, values: safetyWorkValues(safetyWorkPolicyContent(v)) };
}
