import { readFileSync } from 'fs';
import { resolve } from 'path';
import { AppConfig } from '../config/env';
import { LEGACY_POLICY_VALUES, parseRuleFile } from './domain';
import { ChecklistsService } from './checklists.service';
import { PolicyService } from './policy.service';
import { RuleSetVersion } from './rule-set.entity';

const RULES = resolve(__dirname, '../../checklists');
let seq = 0;
function version(fileName: string, text = readFileSync(resolve(RULES, fileName), 'utf8')): RuleSetVersion {
  const parsed = parseRuleFile(fileName, text);
  return { id: `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`, ruleSetCode: parsed.content.code, versionNo: 1, contentHash: parsed.hash, fileName, content: parsed.content } as RuleSetVersion;
}
const local = (code: string) => ({ id: `local-${code}`, ruleSetCode: code, fileName: `local-${code}.yaml` }) as RuleSetVersion;

/** A ChecklistsService that holds the given versions in force and counts its reads. */
function fakeChecklists(inForce: RuleSetVersion[], LOCAL_RULE_SET?: string) {
  const reads = { currentOfKind: 0, byId: 0 };
  const fake = {
    config: { LOCAL_RULE_SET } as AppConfig,
    localInForce: null,
    // the real selection of the local rule set, over this fake's versions in force
    localRuleSetInForce(): Promise<{ versionId: string; code: string } | null> {
      return ChecklistsService.prototype.localRuleSetInForce.call(this as unknown as ChecklistsService);
    },
    currentOfKind: async (kind: string) => {
      reads.currentOfKind++;
      return inForce.filter((v) => (v.content as { kind?: string } | undefined)?.kind === kind || (kind === 'local_rule_set' && v.id.startsWith('local-')));
    },
    resolveVersionById: async (id: string) => {
      reads.byId++;
      const v = inForce.find((x) => x.id === id);
      if (!v) throw new Error('not found');
      return v;
    },
  };
  return { service: fake as unknown as ChecklistsService, reads };
}

const policy = version('product-policy.yaml');
const calendars = [version('calendar-cn-2025.yaml'), version('calendar-cn-2026.yaml')];

describe('PolicyService', () => {
  it('reads the policy, calendar and local rule set in force once, and parsed versions by id', async () => {
    const { service, reads } = fakeChecklists([policy, ...calendars, local('changzhou')], 'changzhou');
    const s = new PolicyService(service);
    const current = await s.current();
    expect(current).toMatchObject({ versionId: policy.id, code: 'product-policy', versionNo: 1, contentHash: policy.contentHash });
    expect(current.values.objection.workingDays).toBe(5);
    expect((await s.calendar()).addWorkingDays('2026-09-30', 5)).toBe('2026-10-13');
    expect(await s.localRuleSet()).toEqual({ versionId: 'local-changzhou', code: 'changzhou' });
    expect((await s.byId(policy.id)).values).toEqual(current.values);
    await s.current();
    expect(reads).toEqual({ currentOfKind: 3, byId: 1 });
    s.refresh();
    await s.current();
    expect(reads.currentOfKind).toBe(5); // the local rule set stays cached by ChecklistsService until the next sync
  });

  it('answers the legacy values for a record that pins no version', async () => {
    const s = new PolicyService(fakeChecklists([policy]).service);
    expect(await s.byId(null)).toMatchObject({ versionId: '', code: 'legacy', values: LEGACY_POLICY_VALUES });
  });

  it('selects no local rule set when LOCAL_RULE_SET is unset or none', async () => {
    for (const code of [undefined, 'none']) {
      expect(await new PolicyService(fakeChecklists([policy, local('changzhou')], code).service).localRuleSet()).toBeNull();
    }
  });

  it('fails verification, naming the code, when LOCAL_RULE_SET is not published', async () => {
    const s = new PolicyService(fakeChecklists([policy, local('changzhou')], 'suzhou').service);
    await expect(s.verify()).rejects.toThrow('LOCAL_RULE_SET=suzhou: no local rule set (kind local_rule_set) with code "suzhou" is published; published: changzhou');
  });

  it('fails verification without exactly one product policy in force', async () => {
    await expect(new PolicyService(fakeChecklists(calendars).service).verify()).rejects.toThrow(/exactly one rule file of kind product_policy.*found: none/);
  });

  it('falls back to Monday–Friday with a warning when no calendar file is published', async () => {
    const cal = await new PolicyService(fakeChecklists([policy]).service).calendar();
    expect(cal.knownYears).toEqual([]);
    expect(cal.addWorkingDays('2026-09-30', 5)).toBe('2026-10-07');
    expect(cal.warnings('2026-09-30', '2026-10-07')).toEqual([expect.stringContaining('2026 年不在工作日历内')]);
  });
});
