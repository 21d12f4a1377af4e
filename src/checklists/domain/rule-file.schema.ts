/**
 * The schemas of the rule files under checklists/ (zod 4): strict maps, types inferred in rule-file.types.ts,
 * cross-field rules in `superRefine`. `validateRuleFile` checks one parsed YAML document and locates every
 * problem by file, line, entry and field. The JSON Schema in checklists/schema/ is generated from these.
 */
import { z } from 'zod';
import {
  applicabilityRule,
  basis,
  bilingual,
  describe,
  flag,
  header,
  integer,
  list,
  localized,
  map,
  oneOf,
  positiveNumber,
  ruleFileMessage,
  sourceTag,
  sourceTags,
  text,
} from './rule-file.fields';
import { scoringRulesSchema, subsidyPolicySchema, SUBSIDY_ENTRIES } from './rule-file.coefficients.schema';
import { RuleIssue } from './rule-file.errors';
import { productPolicySchema, workingCalendarSchema } from './rule-file.policy.schema';
import { LOCAL_RULE_ENTRIES, localRuleSetSchema } from './rule-file.local.schema';
import { safetyWorkPolicySchema } from './rule-file.safety-work.schema';
import { creditRulesSchema } from './rule-file.credit.schema';
import { byCode, EntrySpec, field, IssueParams, toRuleIssues } from './rule-file.issues';
import {
  BREAKDOWN_STATUSES,
  GradingForm,
  MajorHazardCriteria,
  RULE_FILE_KINDS,
  RuleFileContent,
  RuleFileKind,
  SELF_INSPECTION_FREQUENCIES,
  SEVERITIES,
} from './rule-file.types';
import { YamlPositions } from './yaml-positions';

export const ITEM_CODE_PATTERN = /^[A-Z]+-\d{3}$/;
export const CRITERION_CODE_PATTERN = /^[A-Z]+\d{4}-\d+\.(\d+|X)$/;
const ASPECT_CODE_PATTERN = /^[A-Z]+\d{4}-\d+$/;
const CATEGORY_CODE_PATTERN = /^[A-Z]+$/;
/** GB/T 37276-2018: 环境 120 + 设施设备 130 + 运营管理 150 + 服务 600 [S5] */
export const GRADING_TOTAL_POINTS = 1000;

type Ctx = z.RefinementCtx;
const issue = (ctx: Ctx, path: Array<string | number>, message: string, params?: IssueParams) =>
  ctx.addIssue({ code: 'custom', path, message, ...(params ? { params } : {}) });

/** Reports every repeated `code` of a list, naming the line where it was first defined. */
function uniqueCodes(ctx: Ctx, list: ReadonlyArray<{ code: string }>, at: string, what: string): void {
  const first = new Map<string, number>();
  list.forEach(({ code }, i) => {
    const seen = first.get(code);
    if (seen === undefined) first.set(code, i);
    else issue(ctx, [at, i, 'code'], `duplicate ${what} code "${code}"`, { firstDefinedAt: [at, seen, 'code'] });
  });
}

// ------------------------------------------------------------------ inspection_checklist

const criterionRef = text(CRITERION_CODE_PATTERN, 'criterion code (e.g. MZ2023-4.2)');

/** One line of the on-site checklist (检查项). */
export const checklistItem = map({
  /** CAT-NNN, prefix = category; stable across versions */
  code: text(ITEM_CODE_PATTERN, 'item code (CAT-NNN, e.g. ESC-001)'),
  category: text(),
  title: bilingual,
  check: localized,
  basis,
  /** general = 一般隐患, major = 重大隐患 */
  severity: oneOf(SEVERITIES),
  /** 判定标准 criterion a major item rests on */
  majorCriterion: criterionRef.optional(),
  /** criterion under which a general finding may be escalated to major (G→M?) */
  escalatesTo: criterionRef.optional(),
  /** default rectification deadline in calendar days; 0 = 立即/当场改正 */
  deadlineDays: integer(0, ' (days; 0 = immediately / 立即改正)'),
  /** 临时管控措施, taken at once while the real fix takes longer; printed on the notice of a major hazard */
  interim: map({ measure: localized }).optional(),
  evidence: map({ photoRequiredWhenFailed: flag, minPhotos: integer(1).optional() }),
  /** absent = always applies */
  appliesWhen: applicabilityRule.optional(),
  /** false = shipped but not active in this version (e.g. a local rule awaiting adoption) */
  enabled: flag.default(true),
  note: text().optional(),
}).superRefine((item, ctx) => {
  if (item.severity === 'major' && item.majorCriterion === undefined) {
    issue(ctx, ['majorCriterion'], 'a major item (重大隐患) must name the 判定标准 criterion it rests on (e.g. MZ2023-4.2)');
  }
  if (item.severity === 'general' && item.majorCriterion !== undefined) {
    issue(ctx, ['majorCriterion'], 'only major items have a majorCriterion; use escalatesTo for a general item that may escalate');
  }
  if (item.severity === 'major' && item.escalatesTo !== undefined) {
    issue(ctx, ['escalatesTo'], 'escalatesTo is for general items; a major item is already major');
  }
});

export const inspectionChecklistSchema = map({
  kind: z.literal('inspection_checklist'),
  ...header,
  categories: list(map({ code: text(CATEGORY_CODE_PATTERN, 'category code (capital letters)'), title: bilingual })),
  items: list(checklistItem),
}).superRefine((file, ctx) => {
  uniqueCodes(ctx, file.categories, 'categories', 'category');
  const declared = [...new Set(file.categories.map((c) => c.code))];
  uniqueCodes(ctx, file.items, 'items', 'item');
  file.items.forEach((item, i) => {
    if (!declared.includes(item.category)) {
      issue(ctx, ['items', i, 'category'], `unknown category "${item.category}" (declared: ${declared.join(', ')})`);
    } else if (!item.code.startsWith(`${item.category}-`)) {
      issue(ctx, ['items', i, 'code'], `code prefix of "${item.code}" does not match category "${item.category}"`);
    }
  });
});

// ------------------------------------------------------------------ major_hazard_criteria

const criterionBase = {
  code: text(CRITERION_CODE_PATTERN, 'criterion code (e.g. MZ2023-4.2)'),
  /** the item marker in the article, e.g. （一）; absent for placeholders */
  item: text().optional(),
};

/** One situation (情形) of the 重大事故隐患判定标准: its text as retrieved, or a labelled placeholder. */
const criterion = z.discriminatedUnion(
  'textStatus',
  [
    map({
      ...criterionBase,
      textStatus: z.literal('retrieved'),
      text: localized,
      source: z
        .array(sourceTag, { error: (iss) => (iss.input === undefined ? 'a retrieved criterion must cite the source it was read from' : undefined) })
        .min(1, { abort: true }),
      note: text().optional(),
    }),
    map({
      ...criterionBase,
      textStatus: z.literal('not_found'),
      /** never reconstructed */
      text: z.null({ error: (iss) => (iss.input === undefined ? undefined : 'text must be null when textStatus is not_found (never reconstruct a clause)') }),
      source: sourceTags.default([]),
      note: z.string({ error: (iss) => (iss.input === undefined ? 'a not_found placeholder must carry a note saying what is missing' : undefined) }).pipe(text()),
    }),
  ],
  {
    error: (iss) => {
      if (iss.code !== 'invalid_union') return undefined;
      const status = field(iss.input, 'textStatus');
      return status === undefined ? 'missing required field' : `unknown value ${JSON.stringify(status)} (allowed: retrieved, not_found)`;
    },
  },
);

export const majorHazardCriteriaSchema = map({
  kind: z.literal('major_hazard_criteria'),
  ...header,
  document: map({
    title: text(),
    issuer: text(),
    issued: text(/^\d{4}-\d{2}-\d{2}$/, 'date (YYYY-MM-DD)'),
    number: text().optional(),
    numberStatus: oneOf(['verified', 'unverified']).optional(),
    source: sourceTags,
  }),
  /** number of situations the official text has (22 per S4) */
  expectedCriteriaCount: integer(1),
  aspects: list(
    map({ code: text(ASPECT_CODE_PATTERN, 'aspect code (e.g. MZ2023-4)'), article: text(), title: bilingual, criteria: list(criterion) }),
  ),
}).superRefine((file, ctx) => {
  const seen = new Set<string>();
  file.aspects.forEach((aspect, i) =>
    aspect.criteria.forEach(({ code }, j) => {
      const at = ['aspects', i, 'criteria', j, 'code'];
      if (!code.startsWith(`${aspect.code}.`)) issue(ctx, at, `criterion code must start with its aspect code "${aspect.code}."`);
      if (seen.has(code)) issue(ctx, at, `duplicate criterion code "${code}"`);
      seen.add(code);
    }),
  );
  const retrieved = file.aspects.flatMap((a) => a.criteria).filter((c) => c.textStatus === 'retrieved').length;
  if (retrieved > file.expectedCriteriaCount) {
    issue(ctx, ['expectedCriteriaCount'], `${retrieved} retrieved criteria exceed expectedCriteriaCount ${file.expectedCriteriaCount}`);
  }
});

function criteriaWarnings(file: string, c: MajorHazardCriteria): string[] {
  const all = c.aspects.flatMap((a) => a.criteria);
  const retrieved = all.filter((x) => x.textStatus === 'retrieved').length;
  if (retrieved >= c.expectedCriteriaCount) return [];
  const placeholders = all.filter((x) => x.textStatus === 'not_found').map((x) => x.code);
  return [`${file}: ${retrieved} of ${c.expectedCriteriaCount} criteria have retrieved text; placeholders: ${placeholders.join(', ')}`];
}

// ------------------------------------------------------------------ grading_form

const gradingPart = map({
  code: text(CATEGORY_CODE_PATTERN, 'part code (capital letters)'),
  title: bilingual,
  maxPoints: integer(1),
  source: sourceTag,
  /** how the sub-item list and points were obtained */
  breakdownStatus: oneOf(BREAKDOWN_STATUSES),
  note: text().optional(),
  items: list(map({ code: text(/^[A-Z]+-\d{2}$/, 'grading item code (e.g. SVC-01)'), title: bilingual, maxPoints: integer(1) })),
}).superRefine((part, ctx) => {
  if (part.breakdownStatus !== 'sourced' && !part.note) {
    issue(ctx, ['note'], `a ${part.breakdownStatus} breakdown must carry a note saying where the sub-items come from`);
  }
  const sum = part.items.reduce((s, x) => s + x.maxPoints, 0);
  if (sum !== part.maxPoints) issue(ctx, ['items'], `sub-item points sum to ${sum}, expected the part's maxPoints ${part.maxPoints}`);
});

const gradeThreshold = map({
  level: integer(1),
  name: bilingual,
  minTotal: integer(0),
  /** every part must reach this percentage of its maximum */
  minPartPercent: positiveNumber.max(100, { error: (iss) => `must be at most 100, found ${String(iss.input)}`, abort: true }),
});

export const gradingFormSchema = map({
  kind: z.literal('grading_form'),
  ...header,
  standard: text(),
  totalPoints: integer(1).refine((n) => n === GRADING_TOTAL_POINTS, {
    error: (iss) => `GB/T 37276 totals ${GRADING_TOTAL_POINTS} points, found ${String(iss.input)}`,
    abort: true,
  }),
  parts: list(gradingPart),
  thresholds: map({ source: sourceTag, status: oneOf(['sourced', 'product_default']), uncertainty: text(), grades: list(gradeThreshold) }),
}).superRefine((file, ctx) => {
  const sum = file.parts.reduce((s, p) => s + p.maxPoints, 0);
  if (sum !== GRADING_TOTAL_POINTS) {
    const terms = file.parts.map((p) => `${p.title.zh} ${p.maxPoints}`).join(' + ');
    issue(ctx, ['parts'], `part maxima sum to ${sum}, expected ${GRADING_TOTAL_POINTS} (${terms})`);
  }
  file.thresholds.grades.forEach((g, i) => {
    const at = (f: string) => ['thresholds', 'grades', i, f];
    const prev = file.thresholds.grades[i - 1];
    if (g.minTotal > file.totalPoints) issue(ctx, at('minTotal'), `${g.minTotal} exceeds totalPoints ${file.totalPoints}`);
    if (!prev && g.level !== 1) issue(ctx, at('level'), `thresholds not monotonic: the first grade must be level 1, found ${g.level}`);
    if (!prev) return;
    if (g.level !== prev.level + 1) {
      issue(ctx, at('level'), `thresholds not monotonic: level ${g.level} follows level ${prev.level} (levels run 1, 2, 3 … upwards)`);
    }
    if (g.minTotal <= prev.minTotal) {
      issue(ctx, at('minTotal'), `thresholds not monotonic: minTotal ${g.minTotal} is not above ${prev.name.zh}'s ${prev.minTotal}`);
    }
    if (g.minPartPercent < prev.minPartPercent) {
      issue(ctx, at('minPartPercent'), `thresholds not monotonic: minPartPercent ${g.minPartPercent} is below ${prev.name.zh}'s ${prev.minPartPercent}`);
    }
  });
});

/** The per-part floors may imply a higher total than minTotal (the shipped GB/T 37276 thresholds do, standards.md §1.1). */
function gradingWarnings(file: string, g: GradingForm): string[] {
  return g.thresholds.grades.flatMap((grade) => {
    const implied = g.parts.reduce((s, p) => s + Math.ceil((p.maxPoints * grade.minPartPercent) / 100), 0);
    return implied > grade.minTotal
      ? [`${file}: grade ${grade.name.zh}: every part ≥ ${grade.minPartPercent} % already implies a total ≥ ${implied} > minTotal ${grade.minTotal} (see thresholds.uncertainty)`]
      : [];
  });
}

// ------------------------------------------------------------------ self_inspection

export const selfInspectionSchema = map({
  kind: z.literal('self_inspection'),
  ...header,
  frequency: oneOf(SELF_INSPECTION_FREQUENCIES),
  frequencyBasis: basis,
  items: list(
    map({
      code: text(ITEM_CODE_PATTERN, 'item code (CAT-NNN, e.g. DAY-001)'),
      title: bilingual,
      check: localized,
      basis,
      appliesWhen: applicabilityRule.optional(),
      enabled: flag.default(true),
      /** on-site checklist items this self-check feeds (cross-checked when the directory is loaded) */
      relatedItems: list(text(ITEM_CODE_PATTERN, 'item code')).default([]),
    }),
  ),
}).superRefine((file, ctx) => uniqueCodes(ctx, file.items, 'items', 'item'));

// ------------------------------------------------------------------ all kinds

export const RULE_FILE_SCHEMAS = {
  inspection_checklist: inspectionChecklistSchema,
  major_hazard_criteria: majorHazardCriteriaSchema,
  grading_form: gradingFormSchema,
  self_inspection: selfInspectionSchema,
  scoring_rules: scoringRulesSchema,
  subsidy_policy: subsidyPolicySchema,
  product_policy: productPolicySchema,
  working_calendar: workingCalendarSchema,
  local_rule_set: localRuleSetSchema,
  safety_work_policy: safetyWorkPolicySchema,
  credit_rules: creditRulesSchema,
} as const satisfies Record<RuleFileKind, z.ZodType>;

/** The entries messages name, by the path of the entry in the file. */
const ENTRIES: Record<RuleFileKind, EntrySpec[]> = {
  inspection_checklist: [
    { at: ['categories', '#'], label: byCode('category') },
    { at: ['items', '#'], label: byCode('item') },
  ],
  major_hazard_criteria: [
    { at: ['aspects', '#'], label: byCode('aspect') },
    { at: ['aspects', '#', 'criteria', '#'], label: byCode('criterion') },
  ],
  grading_form: [
    { at: ['parts', '#'], label: byCode('part') },
    { at: ['parts', '#', 'items', '#'], label: byCode('item'), nested: true },
    {
      at: ['thresholds', 'grades', '#'],
      label: (raw, i) => {
        const zh = field(field(raw, 'name'), 'zh');
        const level = field(raw, 'level');
        return `grade ${typeof zh === 'string' ? zh : typeof level === 'number' ? level : `#${i + 1}`}`;
      },
    },
  ],
  self_inspection: [{ at: ['items', '#'], label: byCode('item') }],
  scoring_rules: [],
  subsidy_policy: SUBSIDY_ENTRIES,
  product_policy: [],
  working_calendar: [],
  local_rule_set: LOCAL_RULE_ENTRIES,
  safety_work_policy: [],
  credit_rules: [
    { at: ['rules', '#'], label: byCode('rule') },
    { at: ['strata', '#'], label: byCode('stratum') },
  ],
};

const WARNINGS: Partial<Record<RuleFileKind, (file: string, content: never) => string[]>> = {
  major_hazard_criteria: criteriaWarnings,
  grading_form: gradingWarnings,
};

export interface RuleFileValidation {
  content?: RuleFileContent;
  issues: RuleIssue[];
  /** non-fatal findings, e.g. the GB/T 37276 threshold inconsistency */
  warnings: string[];
}

/** Validates one YAML document against the schema of its `kind`. */
export function validateRuleFile(file: string, data: unknown, positions: YamlPositions): RuleFileValidation {
  const at = (message: string, path: string[] = []): RuleFileValidation => ({
    issues: [{ file, line: positions.lineOf(path), ...(path.length ? { field: path.join('.') } : {}), message }],
    warnings: [],
  });
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return at(`a rule file is a YAML map with a top-level "kind", found ${describe(data)}`);
  }
  const kind = (data as { kind?: unknown }).kind;
  if (kind === undefined) return at(`missing required field (one of: ${RULE_FILE_KINDS.join(', ')})`, ['kind']);
  if (typeof kind !== 'string' || !(RULE_FILE_KINDS as readonly string[]).includes(kind)) {
    return at(`unknown value ${JSON.stringify(kind)} (allowed: ${RULE_FILE_KINDS.join(', ')})`, ['kind']);
  }
  const k = kind as RuleFileKind;
  const result = RULE_FILE_SCHEMAS[k].safeParse(data, { error: ruleFileMessage });
  if (!result.success) return { issues: toRuleIssues(result.error.issues, file, data, positions, ENTRIES[k]), warnings: [] };
  const content = result.data as RuleFileContent;
  return { content, issues: [], warnings: WARNINGS[k]?.(file, content as never) ?? [] };
}
