import { Injectable } from '@nestjs/common';
import { creditRulesContent, creditValues, type CreditRulesVersion } from './domain';
import { ChecklistsService } from './checklists.service';
import { RuleSetVersion } from './rule-set.entity';

/**
 * 信用评价规则 (checklists/credit-rules.yaml), read from the published rule file: the version
 * in force is resolved once per process (`refresh()` after a sync); a published version never changes, so its values
 * are cached by id for good. Records pin `versionId`.
 */
@Injectable()
export class CreditRulesService {
  private readonly byVersion = new Map<string, Promise<CreditRulesVersion>>();
  private inForce: Promise<CreditRulesVersion> | null = null;

  constructor(private readonly checklists: ChecklistsService) {}

  /** The policy in force: pin its `versionId` on the record it decides. */
  current(): Promise<CreditRulesVersion> {
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
  byId(versionId: string): Promise<CreditRulesVersion> {
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

  private async load(): Promise<CreditRulesVersion> {
    const found = await this.checklists.currentOfKind('credit_rules');
    if (found.length !== 1) {
      const names = found.map((v) => `${v.ruleSetCode} (${v.fileName})`).join(', ') || 'none';
      throw new Error(`exactly one rule file of kind credit_rules must be in force (checklists/credit-rules.yaml); found: ${names}`);
    }
    return this.byId(found[0].id);
  }
}

function toVersion(v: RuleSetVersion): CreditRulesVersion {
  const content = creditRulesContent(v);
  return { versionId: v.id, code: v.ruleSetCode, versionNo: v.versionNo, contentHash: v.contentHash, ...(content.revision === undefined ? {} : { revision: content.revision }), values: creditValues(content) };
}
