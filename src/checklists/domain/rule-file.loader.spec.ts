import { readFileSync } from 'fs';
import { resolve } from 'path';
import { formatIssue, RuleFileError } from './rule-file.errors';
import { checkRuleSet, contentHash, filesOfKind, loadRuleDirectory, parseRuleFile } from './rule-file.loader';
import { issuesOf } from './rule-file.fixture';

const RULES_DIR = resolve(__dirname, '../../../checklists');
const BROKEN_DIR = resolve(__dirname, '../../../test/fixtures/checklists-broken');

/** The located messages of a file under test/fixtures/broken-rules. */
const issuesOfBroken = (fileName: string): string[] => issuesOf(fileName, readFileSync(resolve(BROKEN_DIR, fileName), 'utf8'));

describe('shipped rule files', () => {
  const { files } = loadRuleDirectory(RULES_DIR);

  it('load without error, one of each kind', () => {
    expect(files.map((f) => [f.fileName, f.content.kind])).toEqual([
      ['calendar-cn-2025.yaml', 'working_calendar'],
      ['calendar-cn-2026.yaml', 'working_calendar'],
      ['credit-rules.yaml', 'credit_rules'],
      ['fire-safety-inspection.yaml', 'inspection_checklist'],
      ['grading-gbt37276.yaml', 'grading_form'],
      ['local-changzhou.yaml', 'local_rule_set'],
      ['major-hazard-criteria.yaml', 'major_hazard_criteria'],
      ['product-policy.yaml', 'product_policy'],
      ['safety-work-policy.yaml', 'safety_work_policy'],
      ['scoring-rules.yaml', 'scoring_rules'],
      ['self-inspection-daily.yaml', 'self_inspection'],
      ['self-inspection-monthly.yaml', 'self_inspection'],
      ['subsidy-policy-changzhou-2026.yaml', 'subsidy_policy'],
    ]);
  });

  it('identify each version by the SHA-256 of the file text', () => {
    for (const f of files) {
      expect(f.hash).toBe(contentHash(readFileSync(resolve(RULES_DIR, f.fileName), 'utf8')));
      expect(f.hash).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(contentHash('kind: x\n')).not.toBe(contentHash('kind: x \n'));
  });

  it('hold the full checklist: 101 items in 13 categories', () => {
    const [checklist] = filesOfKind(files, 'inspection_checklist');
    const counts: Record<string, number> = {};
    for (const item of checklist.content.items) counts[item.category] = (counts[item.category] ?? 0) + 1;
    expect(counts).toEqual({ ESC: 8, REF: 7, GAS: 7, NET: 7, FFE: 9, ELE: 7, WIN: 5, PPE: 5, MGT: 9, TRN: 6, FOOD: 6, SVC: 16, BLD: 9 });
    const major = checklist.content.items.filter((i) => i.severity === 'major').map((i) => `${i.code}:${i.majorCriterion}`);
    expect(major).toEqual([
      'FFE-007:MZ2023-4.3',
      'FOOD-001:MZ2023-5.2',
      'BLD-001:MZ2023-4.1',
      'BLD-002:MZ2023-4.2',
      'BLD-003:MZ2023-4.4',
      'BLD-004:MZ2023-5.3',
      'BLD-005:MZ2023-5.1',
      'BLD-008:MZ2023-4.4',
      'BLD-009:MZ2023-4.4',
    ]);
  });

  it('keep unretrieved criteria as labelled placeholders and warn about them', () => {
    const [criteria] = filesOfKind(files, 'major_hazard_criteria');
    const all = criteria.content.aspects.flatMap((a) => a.criteria);
    expect(all.filter((c) => c.textStatus === 'retrieved').map((c) => c.code)).toEqual([
      'MZ2023-4.1', 'MZ2023-4.2', 'MZ2023-4.3', 'MZ2023-4.4', 'MZ2023-5.1', 'MZ2023-5.2', 'MZ2023-5.3',
    ]);
    expect(all.filter((c) => c.textStatus === 'not_found').every((c) => c.text === null && !!c.note)).toBe(true);
    expect(criteria.warnings).toEqual([
      'major-hazard-criteria.yaml: 7 of 22 criteria have retrieved text; placeholders: MZ2023-5.X, MZ2023-6.X, MZ2023-7.X, MZ2023-8.X',
    ]);
  });

  it('grade on 1000 points and flag the transcribed threshold inconsistency', () => {
    const [grading] = filesOfKind(files, 'grading_form');
    expect(grading.content.parts.map((p) => [p.code, p.maxPoints, p.breakdownStatus])).toEqual([
      ['ENV', 120, 'product_default'],
      ['FAC', 130, 'product_default'],
      ['OPS', 150, 'recalled'],
      ['SVC', 600, 'recalled'],
    ]);
    expect(grading.content.thresholds.grades.map((g) => [g.name.zh, g.minTotal, g.minPartPercent])).toEqual([
      ['一级', 360, 40],
      ['二级', 450, 50],
      ['三级', 570, 60],
      ['四级', 780, 80],
      ['五级', 900, 90],
    ]);
    expect(grading.warnings).toHaveLength(4);
    expect(grading.warnings[0]).toBe(
      'grading-gbt37276.yaml: grade 一级: every part ≥ 40 % already implies a total ≥ 400 > minTotal 360 (see thresholds.uncertainty)',
    );
  });

  it('give the line of a value path', () => {
    const [checklist] = filesOfKind(files, 'inspection_checklist');
    const i = checklist.content.items.findIndex((x) => x.code === 'GAS-003');
    const line = checklist.lineOf(['items', i, 'severity']);
    const text = readFileSync(resolve(RULES_DIR, 'fire-safety-inspection.yaml'), 'utf8').split('\n');
    expect(text[line - 1]).toBe('    severity: general');
    expect(text[checklist.lineOf(['items', i]) - 1]).toBe('  - code: GAS-003');
  });
});

describe('broken rule files', () => {
  it.each([
    ['duplicate-code.yaml', 'duplicate-code.yaml:27 item GAS-001 field code: duplicate item code "GAS-001" (first defined on line 9)'],
    [
      'unknown-field.yaml',
      'unknown-field.yaml:27 item GAS-002 field colour: unknown field "colour" (allowed: code, category, title, check, basis, severity, majorCriterion, escalatesTo, deadlineDays, interim, evidence, appliesWhen, enabled, note)',
    ],
    ['unknown-severity.yaml', 'unknown-severity.yaml:24 item GAS-003 field severity: unknown value "critical" (allowed: general, major)'],
    ['unknown-category.yaml', 'unknown-category.yaml:10 item GAS-001 field category: unknown category "FIRE" (declared: GAS)'],
    [
      'missing-basis.yaml',
      'missing-basis.yaml:18 item GAS-002 field basis: missing legal basis (依据): give at least one {document, clause?, source?} entry, or {kind: product_default, note} / {kind: local_rule, document} for a proposal',
    ],
    [
      'major-without-criterion.yaml',
      'major-without-criterion.yaml:18 item GAS-005 field majorCriterion: a major item (重大隐患) must name the 判定标准 criterion it rests on (e.g. MZ2023-4.2)',
    ],
    [
      'malformed-rule.yaml',
      'malformed-rule.yaml:18 item GAS-001 field appliesWhen: malformed rule "gasSupply in [piped, lpg": expected "," or "]" but found end of rule',
    ],
    [
      'rule-unknown-value.yaml',
      'rule-unknown-value.yaml:18 item GAS-001 field appliesWhen: malformed rule "gasSupply == propane": propane is not a value of "gasSupply" (allowed: none, piped, lpg)',
    ],
    ['yaml-syntax-error.yaml', 'yaml-syntax-error.yaml:13: YAML syntax error: deficient indentation'],
    [
      'negative-deadline.yaml',
      'negative-deadline.yaml:25 item GAS-004 field deadlineDays: must be an integer ≥ 0 (days; 0 = immediately / 立即改正), found -3',
    ],
    [
      'grading-sum-not-1000.yaml',
      'grading-sum-not-1000.yaml:13 field parts: part maxima sum to 990, expected 1000 (环境 120 + 设施设备 130 + 运营管理 150 + 服务 590)',
    ],
    [
      'grading-thresholds-not-monotonic.yaml',
      "grading-thresholds-not-monotonic.yaml:81 grade 四级 field minTotal: thresholds not monotonic: minTotal 560 is not above 三级's 570",
    ],
  ])('%s is rejected with a located message', (file, message) => {
    expect(issuesOfBroken(file)).toEqual([message]);
  });

  it('unknown-profile-field.yaml points at the sub-rule line', () => {
    const [issue] = issuesOfBroken('unknown-profile-field.yaml');
    expect(issue.startsWith(
      'unknown-profile-field.yaml:21 item GAS-001 field appliesWhen.all[1]: malformed rule "floors >= 3": unknown profile field "floors" (known: kind, storeys,',
    )).toBe(true);
  });

  it('a major item citing an unknown criterion fails the cross-file check', () => {
    const criteria = parseRuleFile('major-hazard-criteria.yaml', readFileSync(resolve(RULES_DIR, 'major-hazard-criteria.yaml'), 'utf8'));
    const broken = parseRuleFile('major-unknown-criterion.yaml', readFileSync(resolve(BROKEN_DIR, 'major-unknown-criterion.yaml'), 'utf8'));
    expect(checkRuleSet([criteria, broken]).map(formatIssue)).toEqual([
      'major-unknown-criterion.yaml:16 item GAS-005 field majorCriterion: unknown criterion "MZ2023-4.9" (not in major-hazard-criteria.yaml)',
    ]);
    expect(checkRuleSet([broken]).map(formatIssue)).toEqual([
      'major-unknown-criterion.yaml:16 item GAS-005 field majorCriterion: cannot check criterion "MZ2023-4.9": no major_hazard_criteria file loaded',
    ]);
  });

  it('a major item may not rest on a placeholder criterion', () => {
    const criteria = parseRuleFile('major-hazard-criteria.yaml', readFileSync(resolve(RULES_DIR, 'major-hazard-criteria.yaml'), 'utf8'));
    const text = readFileSync(resolve(BROKEN_DIR, 'major-unknown-criterion.yaml'), 'utf8').replace('majorCriterion: MZ2023-4.9', 'majorCriterion: MZ2023-6.X');
    const file = parseRuleFile('placeholder.yaml', text);
    expect(checkRuleSet([criteria, file]).map((i) => i.message)).toEqual([
      'criterion "MZ2023-6.X" has no retrieved text (textStatus: not_found); a major item must rest on a retrieved criterion — use escalatesTo until the text is verified',
    ]);
  });

  it('loadRuleDirectory reports the problems of every file at once', () => {
    let error: unknown;
    try {
      loadRuleDirectory(BROKEN_DIR);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RuleFileError);
    const files = new Set((error as RuleFileError).issues.map((i) => i.file));
    expect(files.size).toBe(14);
  });
});
