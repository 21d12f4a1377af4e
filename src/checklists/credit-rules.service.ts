import { Injectable } from '@nestjs/common';
import { creditRulesContent, creditValues, type CreditRulesVersion } from './domain';
import { ChecklistsService } from './checklists.service';
import { InForceRuleFile } from './in-force-rule-file';
import { RuleSetVersion } from './rule-set.entity';

/** 信用评价规则 (checklists/credit-rules.yaml), read from the published rule file (caching: InForceRuleFile). */
@Injectable()
export class CreditRulesService extends InForceRuleFile<CreditRulesVersion> {
  constructor(checklists: ChecklistsService) {
    super(checklists, 'credit_rules', 'checklists/credit-rules.yaml');
  }

  protected toVersion(v: RuleSetVersion): CreditRulesVersion {
    const content = creditRulesContent(v);
    return { versionId: v.id, code: v.ruleSetCode, versionNo: v.versionNo, contentHash: v.contentHash, ...(content.revision === undefined ? {} : { revision: content.revision }), values: creditValues(content) };
  }
}
