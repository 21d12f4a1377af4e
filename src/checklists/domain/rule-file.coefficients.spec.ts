import { readFileSync } from 'fs';
import { resolve } from 'path';
import * as yaml from 'js-yaml';
import { formatIssue } from './rule-file.errors';
import { edit, issuesOf } from './rule-file.fixture';
import { checkRuleSet, filesOfKind, loadRuleDirectory, parseRuleFile } from './rule-file.loader';

const RULES_DIR = resolve(__dirname, '../../../checklists');
const SCORING = readFileSync(resolve(RULES_DIR, 'scoring-rules.yaml'), 'utf8');
const SUBSIDY = readFileSync(resolve(RULES_DIR, 'subsidy-policy-changzhou-2026.yaml'), 'utf8');



/** 1-based line of the first line starting with `prefix` (after indentation). */
function lineOf(text: string, prefix: string): number {
  const i = text.split('\n').findIndex((l) => l.trimStart().startsWith(prefix));
  expect(i).toBeGreaterThanOrEqual(0);
  return i + 1;
}

describe('shipped coefficient files', () => {
  const { files } = loadRuleDirectory(RULES_DIR);

  it('load as typed scoring_rules and subsidy_policy content', () => {
    const [rules] = filesOfKind(files, 'scoring_rules');
    expect(rules.content).toMatchObject({
      code: 'safety-score',
      base: { points: 100 },
      deduction: { general: 2, major: 10 },
      scopeMultiplier: { single: 1, multiple: 1.5, widespread: 2 },
      recency: { weights: [1, 0.6, 0.3] },
      closureFactor: { verified: 0.5, objectionUpheld: 0 },
      overdue: { pointsPerHazard: 3 },
      returned: { pointsPerReturn: 1 },
      repeat: { windowMonths: 12, pointsPerHazard: 3 },
      majorOpenCap: { maxScore: 60 },
    });
    const [policy] = filesOfKind(files, 'subsidy_policy');
    expect(policy.content).toMatchObject({
      code: 'subsidy-320400-2026',
      divisionCode: '320400',
      year: 2026,
      baseAmount: { yuanPerOccupiedBedPerMonth: 200, label: { kind: 'source', source: 'S55' } },
      careLevelUplift: { percentOfBase: { selfCare: 0, mildlyDisabled: 50, moderatelyDisabled: 100, severelyDisabled: 200 }, label: { kind: 'source', source: 'S55' } },
      gradeCoefficient: { ungraded: 1, grade1: 1, grade2: 1.1, grade3: 1.2, grade4: 1.3, grade5: 1.4, label: { kind: 'product_default' } },
      safetyCoefficient: { unscored: 0.85, passScore: 60, bands: [{ minScore: 0, coefficient: 0.7 }, { minScore: 60, coefficient: 0.85 }, { minScore: 80, coefficient: 0.95 }, { minScore: 90, coefficient: 1 }] },
      suspension: { whileMajorHazardOpen: true },
      proRata: { method: 'calendar_days' },
    });
    expect(rules.warnings).toEqual([]);
    expect(policy.warnings).toEqual([]);
  });

  it('every coefficient in the shipped files carries a source or product_default label', () => {
    // Walks the raw YAML of every coefficient file (and the grading thresholds): each number must sit inside a map
    // that has `source` or `product_default`, itself or through an ancestor. Header fields are not coefficients.
    const HEADER = new Set(['year']);
    const unlabelled: string[] = [];
    const walk = (v: unknown, path: Array<string | number>, labelled: boolean) => {
      if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i], labelled));
      else if (v !== null && typeof v === 'object') {
        const m = v as Record<string, unknown>;
        const here = labelled || m.source !== undefined || m.product_default !== undefined;
        for (const [k, x] of Object.entries(m)) walk(x, [...path, k], here);
      } else if (typeof v === 'number' && !labelled && !(path.length === 2 && HEADER.has(String(path[1])))) {
        unlabelled.push(path.join('.'));
      }
    };
    const coefficientFiles = files.filter((f) => f.content.kind === 'scoring_rules' || f.content.kind === 'subsidy_policy');
    expect(coefficientFiles.map((f) => f.fileName)).toEqual(['scoring-rules.yaml', 'subsidy-policy-changzhou-2026.yaml']);
    for (const f of coefficientFiles) walk(yaml.load(readFileSync(resolve(RULES_DIR, f.fileName), 'utf8')), [f.fileName], false);
    const [grading] = filesOfKind(files, 'grading_form');
    const gradingRaw = yaml.load(readFileSync(resolve(RULES_DIR, grading.fileName), 'utf8')) as Record<string, unknown>;
    walk(gradingRaw.thresholds, [grading.fileName, 'thresholds'], false);
    expect(unlabelled).toEqual([]);

    // and the typed content keeps the label of every block
    for (const f of coefficientFiles) {
      for (const [key, value] of Object.entries(f.content)) {
        if (value !== null && typeof value === 'object' && !Array.isArray(value) && key !== 'title') {
          expect([key, (value as { label?: { kind: string } }).label?.kind]).toEqual([key, expect.stringMatching(/^(source|product_default)$/)]);
        }
      }
    }
  });
});

describe('broken coefficient files are rejected with a located message', () => {
  it('a block without a label', () => {
    const text = edit(SCORING, '  product_default: 每项逾期隐患另扣 3 分', '  note: 每项逾期隐患另扣 3 分');
    expect(issuesOf('scoring.yaml', text)).toEqual([
      `scoring.yaml:${lineOf(text, 'overdue:')} field overdue: missing label: every coefficient block needs \`source: <tag of standards.md §10>\` (with an optional note) or \`product_default: <why this value>\``,
    ]);
  });

  it('a block with both labels', () => {
    const text = edit(SCORING, '  pointsPerReturn: 1\n', '  pointsPerReturn: 1\n  source: S47\n');
    expect(issuesOf('scoring.yaml', text)).toEqual([
      `scoring.yaml:${lineOf(text, 'product_default: 整改回复')} field returned.product_default: give either source or product_default, not both`,
    ]);
  });

  it('an unknown source tag', () => {
    const text = edit(SUBSIDY, '  source: S55\n  note: >-\n    取自', '  source: S555\n  note: >-\n    取自');
    expect(issuesOf('policy.yaml', text)).toEqual([
      `policy.yaml:${lineOf(text, 'source: S555')} field baseAmount.source: unknown source tag "S555" (use a tag of standards.md §10, e.g. S39, S20-weak, or R)`,
    ]);
  });

  it('an unknown field', () => {
    const text = edit(SCORING, '  weights: [1.0, 0.6, 0.3]', '  weigths: [1.0, 0.6, 0.3]');
    expect(issuesOf('scoring.yaml', text)).toEqual([
      `scoring.yaml:${lineOf(text, 'weigths:')} field recency.weigths: unknown field "weigths" (allowed: weights, source, note, product_default)`,
      `scoring.yaml:${lineOf(text, 'recency:')} field recency.weights: missing required field`,
    ]);
  });

  it('a weight outside [0, 1] and weights that grow with age', () => {
    const line = lineOf(SCORING, 'weights:');
    expect(issuesOf('scoring.yaml', edit(SCORING, 'weights: [1.0, 0.6, 0.3]', 'weights: [1.2, 0.6, 0.3]'))).toEqual([
      `scoring.yaml:${line} field recency.weights[0]: must be a number within [0, 1] (a weight), found 1.2`,
    ]);
    expect(issuesOf('scoring.yaml', edit(SCORING, 'weights: [1.0, 0.6, 0.3]', 'weights: [1.0, 0.3, 0.6]'))).toEqual([
      `scoring.yaml:${line} field recency.weights[2]: not monotonic: weight 0.6 of an older inspection exceeds the more recent 0.3`,
    ]);
  });

  it('a major deduction below the general one, a cap above the base', () => {
    const text = edit(edit(SCORING, '  major: 10\n', '  major: 1\n'), '  maxScore: 60', '  maxScore: 120');
    expect(issuesOf('scoring.yaml', text)).toEqual([
      `scoring.yaml:${lineOf(text, 'major: 1')} field deduction.major: not monotonic: a major hazard (1) must cost at least as much as a general one (2)`,
      `scoring.yaml:${lineOf(text, 'maxScore:')} field majorOpenCap.maxScore: must be a number within [0, 100] (at most base.points), found 120`,
    ]);
  });

  it('a negative coefficient and grade coefficients that fall with the grade', () => {
    expect(issuesOf('policy.yaml', edit(SUBSIDY, '  grade2: 1.1', '  grade2: -1.1'))).toEqual([
      `policy.yaml:${lineOf(SUBSIDY, 'grade2:')} field gradeCoefficient.grade2: must be a number ≥ 0 (a coefficient), found -1.1`,
    ]);
    expect(issuesOf('policy.yaml', edit(SUBSIDY, '  grade4: 1.3', '  grade4: 1.15'))).toEqual([
      `policy.yaml:${lineOf(SUBSIDY, 'grade4:')} field gradeCoefficient.grade4: not monotonic: grade4 (1.15) is below grade3 (1.2)`,
    ]);
  });

  it('score bands out of order, starting above 0, or paying less for a higher score', () => {
    const disorder = edit(SUBSIDY, '{ minScore: 80, coefficient: 0.95 }', '{ minScore: 50, coefficient: 0.95 }');
    expect(issuesOf('policy.yaml', disorder)).toEqual([
      `policy.yaml:${lineOf(disorder, '- { minScore: 50')} band #3 field minScore: bands not monotonic: minScore 50 is not above the previous band's 60`,
    ]);
    const start = edit(SUBSIDY, '{ minScore: 0, coefficient: 0.7 }', '{ minScore: 10, coefficient: 0.7 }');
    expect(issuesOf('policy.yaml', start)).toEqual([`policy.yaml:${lineOf(start, '- { minScore: 10')} band #1 field minScore: the first band must start at 0, found 10`]);
    const pays = edit(SUBSIDY, '{ minScore: 80, coefficient: 0.95 }', '{ minScore: 80, coefficient: 0.8 }');
    expect(issuesOf('policy.yaml', pays)).toEqual([
      `policy.yaml:${lineOf(pays, '- { minScore: 80')} band #3 field coefficient: bands not monotonic: coefficient 0.8 is below the lower band's 0.85 (a higher score must not pay less)`,
    ]);
  });

  it('an unquoted division code and a yuan amount finer than a fen', () => {
    const text = edit(edit(SUBSIDY, "divisionCode: '320400'", 'divisionCode: 320400'), 'yuanPerOccupiedBedPerMonth: 200', 'yuanPerOccupiedBedPerMonth: 200.005');
    expect(issuesOf('policy.yaml', text)).toEqual([
      `policy.yaml:${lineOf(text, 'divisionCode:')} field divisionCode: expected a non-empty string, found 320400`,
      `policy.yaml:${lineOf(text, 'yuanPerOccupiedBedPerMonth:')} field baseAmount.yuanPerOccupiedBedPerMonth: must have at most 2 decimals (yuan, fen-exact), found 200.005`,
    ]);
  });

  it('two policies for the same division and year', () => {
    const a = parseRuleFile('a.yaml', SUBSIDY);
    const b = parseRuleFile('b.yaml', edit(SUBSIDY, 'code: subsidy-320400-2026', 'code: subsidy-320400-2026-bis'));
    expect(checkRuleSet([a, b]).map(formatIssue)).toEqual([
      `b.yaml:${lineOf(SUBSIDY, 'divisionCode:')} field divisionCode: a subsidy policy for division 320400 and year 2026 is also defined by a.yaml`,
    ]);
  });
});
