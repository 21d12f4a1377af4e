import type { ChecklistsService } from './checklists.service';
import type { RuleFileKind } from './domain/rule-file.types';
import type { RuleSetVersion } from './rule-set.entity';

/**
 * A rule file of which exactly one version is in force (a policy file): the version in force is resolved once per
 * process (`refresh()` after a sync); a published version never changes, so its values are cached by id for good.
 * Records pin `versionId`. The services of the policy files extend this with their kind and their `toVersion`.
 */
export abstract class InForceRuleFile<V> {
  private readonly byVersion = new Map<string, Promise<V>>();
  private inForce: Promise<V> | null = null;

  protected constructor(
    protected readonly checklists: ChecklistsService,
    private readonly kind: RuleFileKind,
    /** where the file lives, for the boot error */
    private readonly fileHint: string,
  ) {}

  protected abstract toVersion(v: RuleSetVersion): V;

  /** The version in force: pin its `versionId` on the record it decides. */
  current(): Promise<V> {
    if (!this.inForce) {
      const loading = this.load();
      loading.catch(() => {
        if (this.inForce === loading) this.inForce = null;
      });
      this.inForce = loading;
    }
    return this.inForce;
  }

  /** The version a record was decided under. */
  byId(versionId: string): Promise<V> {
    let cached = this.byVersion.get(versionId);
    if (!cached) {
      cached = this.checklists.resolveVersionById(versionId).then((v) => this.toVersion(v));
      cached.catch(() => this.byVersion.delete(versionId));
      this.byVersion.set(versionId, cached);
    }
    return cached;
  }

  refresh(): void {
    this.inForce = null;
  }

  private async load(): Promise<V> {
    const found = await this.checklists.currentOfKind(this.kind);
    if (found.length !== 1) {
      const names = found.map((v) => `${v.ruleSetCode} (${v.fileName})`).join(', ') || 'none';
      throw new Error(`exactly one rule file of kind ${this.kind} must be in force (${this.fileHint}); found: ${names}`);
    }
    return this.byId(found[0].id);
  }
}
