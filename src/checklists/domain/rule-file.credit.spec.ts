import { readFileSync } from 'fs';
import { resolve } from 'path';
import { edit, issuesOf } from './rule-file.fixture';
import { parseRuleFile } from './rule-file.loader';
import { creditValues } from './credit-rules';
import { CreditRulesFile } from './rule-file.types';

const RULES = readFileSync(resolve(__dirname, '../../../checklists/credit-rules.yaml'), 'utf8');

describe('credit-rules.yaml', () => {
  const file = parseRuleFile('credit-rules.yaml', RULES).content as CreditRulesFile;
  const v = creditValues(file);

  it('holds the levels, strata and consequences in order', () => {
    expect(file.code).toBe('credit-rules');
    expect(v.levels.map((l) => [l.level, l.minPoints])).toEqual([['A', 90], ['B', 75], ['C', 60], ['D', 0]]);
    expect(v.strata.map((s) => [s.code, s.ratio])).toEqual([['A', 0.05], ['B', 0.1], ['C', 0.2], ['D', 0.5], ['X', 1]]);
    expect(v.consequences.dishonest).toEqual({ stratum: 'X', inspectionsPerYear: 4, subsidy: { eligible: false, reductionPercent: 100 } });
    expect(v.consequences.levels.D.subsidy).toEqual({ eligible: true, reductionPercent: 30 });
    expect(v.dishonesty).toEqual({ objectionDays: 15, repairCleanMonths: 12, publish: true });
    expect(new Set(v.rules.map((r) => r.fact)).size).toBe(10);
  });

  it('labels every value', () => {
    const blocks = [file.windowMonths, file.basePoints, file.maxPoints, file.repeatMonths, ...file.rules, ...file.levels, ...Object.values(file.dishonesty), ...file.strata, ...Object.values(file.consequences.levels), file.consequences.dishonest];
    for (const b of blocks) expect(['source', 'product_default']).toContain(b.label.kind);
  });

  it('refuses levels out of order, a stratum not listed and two rules for one fact', () => {
    expect(issuesOf('c.yaml', edit(RULES, '    minPoints: 75', '    minPoints: 95'))).toEqual([expect.stringMatching(/levels\[1\]\.minPoints.*below the previous level's 90/)]);
    expect(issuesOf('c.yaml', edit(RULES, '    stratum: X\n', '    stratum: Z\n'))).toEqual([expect.stringMatching(/stratum Z is not listed/)]);
    expect(issuesOf('c.yaml', edit(RULES, '    fact: repeated_hazard', '    fact: overdue_hazard'))).toEqual([expect.stringMatching(/second rule for fact overdue_hazard/)]);
    expect(issuesOf('c.yaml', edit(RULES, '    minPoints: 0\n', '    minPoints: 10\n'))).toEqual([expect.stringMatching(/lowest level starts at 0/)]);
  });
});
