import { Injectable } from '@nestjs/common';
import { safetyWorkPolicyContent, safetyWorkValues, type SafetyWorkPolicyVersion } from './domain';
import { ChecklistsService } from './checklists.service';
import { InForceRuleFile } from './in-force-rule-file';
import { RuleSetVersion } from './rule-set.entity';

/**
 * 机构日常安全工作与投诉举报策略 (checklists/safety-work-policy.yaml), read from the published rule file (caching:
 * InForceRuleFile). Records pin `versionId`.
 */
@Injectable()
export class SafetyWorkPolicyService extends InForceRuleFile<SafetyWorkPolicyVersion> {
  constructor(checklists: ChecklistsService) {
    super(checklists, 'safety_work_policy', 'checklists/safety-work-policy.yaml');
  }

  protected toVersion(v: RuleSetVersion): SafetyWorkPolicyVersion {
    return { versionId: v.id, code: v.ruleSetCode, versionNo: v.versionNo, contentHash: v.contentHash, values: safetyWorkValues(safetyWorkPolicyContent(v)) };
  }
}
