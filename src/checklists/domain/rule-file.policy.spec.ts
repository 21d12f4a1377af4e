import { readFileSync } from 'fs';
import { resolve } from 'path';
import { edit, issuesOf } from './rule-file.fixture';
import { parseRuleFile } from './rule-file.loader';
import { INSPECTION_CODES_BEFORE_2026_2, LEGACY_POLICY_VALUES, policyValues } from './policy';
import { ProductPolicyFile } from './rule-file.types';

const RULES_DIR = resolve(__dirname, '../../../checklists');
const POLICY = readFileSync(resolve(RULES_DIR, 'product-policy.yaml'), 'utf8');
const CAL_2026 = readFileSync(resolve(RULES_DIR, 'calendar-cn-2026.yaml'), 'utf8');



describe('product-policy.yaml', () => {
  const file = parseRuleFile('product-policy.yaml', POLICY).content as ProductPolicyFile;

  it('holds every value of PolicyValues', () => {
    expect(file.code).toBe('product-policy');
    expect(policyValues(file)).toEqual({
      deadlines: { generalMaxDays: 90, majorDefaultDays: 30, majorMaxDays: 90, majorPlanDays: 7, rollToWorkingDay: true },
      team: { minSize: 2, minInspectorSignatures: 2 },
      draw: { conflictMonths: 12 },
      reminders: { daysBefore: [3, 1] },
      objection: { workingDays: 5 },
      suspectedMajor: { confirmWorkingDays: 3 },
      grade: { validityYears: 3 },
      verification: { majorExcludesFindingTeam: true, generalExcludesFindingTeam: true, requestsExcludeFindingTeam: true },
      inspectionCodes: { guesses: { perUser: 5, userWindowMinutes: 15, perInstitution: 20, institutionWindowHours: 24 }, ratingWindowDays: 30 },
    });
  });

  it('reads a version published before the 检查码 block (revision 2026.1) with the values the code had then', () => {
    const start = POLICY.indexOf('\ninspectionCodes:');
    expect(start).toBeGreaterThan(0);
    const before = parseRuleFile('p.yaml', POLICY.slice(0, start + 1)).content as ProductPolicyFile;
    expect(before.inspectionCodes).toBeUndefined();
    expect(policyValues(before).inspectionCodes).toEqual(INSPECTION_CODES_BEFORE_2026_2);
    expect(policyValues(file).inspectionCodes).toEqual(INSPECTION_CODES_BEFORE_2026_2); // revision 2026.2 moved them, unchanged
  });

  it('refuses an institution limit below one account’s, naming the value', () => {
    const low = edit(POLICY, '    perInstitution:\n      value: 20', '    perInstitution:\n      value: 3');
    expect(issuesOf('p.yaml', low)).toEqual([expect.stringMatching(/inspectionCodes\.guesses\.perInstitution.*below one account's \(perUser 5\), found 3/)]);
    const zero = edit(POLICY, '  ratingWindowDays:\n    value: 30', '  ratingWindowDays:\n    value: 0');
    expect(issuesOf('p.yaml', zero).join('\n')).toMatch(/inspectionCodes\.ratingWindowDays/);
  });

  it('labels every value with a source tag or a product default', () => {
    const codes = file.inspectionCodes!;
    const groups = [file.deadlines, file.team, file.draw, file.reminders, file.objection, file.suspectedMajor, file.grade, file.verification, codes.guesses, { ratingWindowDays: codes.ratingWindowDays }] as Array<Record<string, { label: { kind: string } }>>;
    const labels = groups.flatMap((g) => Object.entries(g).map(([k, v]) => [k, v.label.kind]));
    expect(labels).toHaveLength(20);
    for (const [, kind] of labels) expect(['source', 'product_default']).toContain(kind);
    expect(file.grade.validityYears.label).toMatchObject({ kind: 'source', source: 'S7' });
    expect(file.team.minSize.label).toMatchObject({ kind: 'source', source: 'S45' });
    expect(file.objection.workingDays.label.kind).toBe('product_default');
  });

  it('differs from the legacy values only where the old code had no rule', () => {
    const v = policyValues(file);
    expect({ ...v, deadlines: { ...v.deadlines, rollToWorkingDay: false }, verification: LEGACY_POLICY_VALUES.verification }).toEqual(LEGACY_POLICY_VALUES);
  });

  it('refuses a value without a label, or with both labels', () => {
    const unlabelled = edit(POLICY, '    value: 12\n    product_default:', '    value: 12\n    x_product_default:');
    expect(issuesOf('p.yaml', unlabelled).join('\n')).toMatch(/unknown field "x_product_default"/);
    const none = POLICY.replace(/(conflictMonths:\n    value: 12\n)    product_default: [^\n]*\n/, '$1');
    expect(issuesOf('p.yaml', none)).toEqual([expect.stringMatching(/draw\.conflictMonths: missing label/)]);
    const both = edit(POLICY, '    value: 12\n', '    value: 12\n    source: S45\n');
    expect(issuesOf('p.yaml', both)).toEqual([expect.stringMatching(/give either source or product_default, not both/)]);
  });

  it('refuses a major default above the major maximum, and a maximum above one year [S53]', () => {
    const above = edit(POLICY, '  majorDefaultDays:\n    value: 30', '  majorDefaultDays:\n    value: 120');
    expect(issuesOf('p.yaml', above)).toEqual([expect.stringMatching(/majorDefaultDays.*must not exceed majorMaxDays \(90\), found 120/)]);
    const year = edit(POLICY, '  majorMaxDays:\n    value: 90', '  majorMaxDays:\n    value: 400');
    expect(issuesOf('p.yaml', year).join('\n')).toMatch(/majorMaxDays.*at most 365 days/);
  });

  it('refuses reminders not listed largest first, and more signatures than team members', () => {
    expect(issuesOf('p.yaml', edit(POLICY, 'value: [3, 1]', 'value: [1, 3]'))).toEqual([expect.stringMatching(/largest first/)]);
    expect(issuesOf('p.yaml', edit(POLICY, '  minInspectorSignatures:\n    value: 2', '  minInspectorSignatures:\n    value: 3'))).toEqual([
      expect.stringMatching(/cannot give 3 signatures/),
    ]);
  });
});

describe('calendar-cn-*.yaml schema', () => {
  it('refuses a date that is not YYYY-MM-DD, naming the line and field', () => {
    const issues = issuesOf('c.yaml', edit(CAL_2026, 'from: "2026-10-01"', 'from: "2026/10/01"'));
    expect(issues).toEqual([expect.stringMatching(/^c\.yaml:\d+ .*holidays.*from: expected a date "YYYY-MM-DD", found "2026\/10\/01"/)]);
  });

  it('refuses a make-up working day on a weekday or inside a holiday', () => {
    expect(issuesOf('c.yaml', edit(CAL_2026, '{ date: "2026-10-10", holiday: 国庆节 }', '{ date: "2026-10-09", holiday: 国庆节 }'))).toEqual([
      expect.stringMatching(/2026-10-09 is a weekday/),
    ]);
    expect(issuesOf('c.yaml', edit(CAL_2026, '{ date: "2026-10-10", holiday: 国庆节 }', '{ date: "2026-10-04", holiday: 国庆节 }'))).toEqual([
      expect.stringMatching(/2026-10-04 lies inside holiday/),
    ]);
  });

  it('refuses an unknown festival, overlapping ranges and an impossible date', () => {
    expect(issuesOf('c.yaml', edit(CAL_2026, 'name: 端午节', 'name: 重阳节')).join('\n')).toMatch(/unknown value "重阳节"/);
    expect(issuesOf('c.yaml', edit(CAL_2026, 'from: "2026-09-25", to: "2026-09-27"', 'from: "2026-09-25", to: "2026-10-02"')).join('\n')).toMatch(/overlaps holiday/);
    expect(issuesOf('c.yaml', edit(CAL_2026, 'to: "2026-06-21"', 'to: "2026-06-31"')).join('\n')).toMatch(/2026-06-31 is not a calendar date/);
  });
});
