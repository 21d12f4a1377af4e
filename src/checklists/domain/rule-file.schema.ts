/**
 * The schema of the rule files, written out as plain validation code (no schema library)
 * so every message can name the file, line, entry and field. Strict: unknown fields are errors.
 */
import { compileRule, Rule, RuleSyntaxError } from './applicability';
import { validateScoringRules, validateSubsidyPolicy } from './rule-file.coefficients.schema';
import { RuleIssue } from './rule-file.errors';
import {
  BasisEntry,
  BilingualText,
  BREAKDOWN_STATUSES,
  Category,
  ChecklistItem,
  GradeThreshold,
  GradingForm,
  GradingItem,
  GradingPart,
  InspectionChecklist,
  LocalizedText,
  MajorHazardAspect,
  MajorHazardCriteria,
  MajorHazardCriterion,
  RULE_FILE_KINDS,
  RuleFileContent,
  SELF_INSPECTION_FREQUENCIES,
  SelfInspectionItem,
  SelfInspectionList,
  SEVERITIES,
  TEXT_STATUSES,
} from './rule-file.types';
import { isKnownSourceTag } from './source-tags';
import { ValuePath, YamlPositions } from './yaml-positions';

export const ITEM_CODE_PATTERN = /^[A-Z]+-\d{3}$/;
export const CRITERION_CODE_PATTERN = /^[A-Z]+\d{4}-\d+\.(\d+|X)$/;
const ASPECT_CODE_PATTERN = /^[A-Z]+\d{4}-\d+$/;
const CATEGORY_CODE_PATTERN = /^[A-Z]+$/;
/** GB/T 37276-2018: 环境 120 + 设施设备 130 + 运营管理 150 + 服务 600 [S5] */
export const GRADING_TOTAL_POINTS = 1000;

interface Entry {
  /** e.g. `item GAS-003` */
  label: string;
  /** path of the entry; field names in messages are relative to it */
  root: ValuePath;
}

type Raw = Record<string, unknown>;

interface Fields {
  required: readonly string[];
  optional?: readonly string[];
}

const HEADER_OPTIONAL = ['description', 'revision', 'notes'] as const;

export class RuleFileChecker {
  readonly issues: RuleIssue[] = [];
  readonly warnings: string[] = [];

  constructor(
    readonly file: string,
    private readonly positions: YamlPositions,
  ) {}

  // ------------------------------------------------------------ reporting

  lineOf(path: ValuePath): number {
    return this.positions.lineOf(path);
  }

  report(path: ValuePath, entry: Entry | undefined, message: string): void {
    const relative = entry ? path.slice(entry.root.length) : path;
    this.issues.push({
      file: this.file,
      line: this.positions.lineOf(path),
      context: entry?.label,
      field: relative.length ? formatPath(relative) : undefined,
      message,
    });
  }

  // ------------------------------------------------------------ primitives

  map(value: unknown, path: ValuePath, entry: Entry | undefined, fields: Fields): Raw | undefined {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.report(path, entry, `expected a map, found ${describe(value)}`);
      return undefined;
    }
    const raw = value as Raw;
    const allowed = [...fields.required, ...(fields.optional ?? [])];
    for (const key of Object.keys(raw)) {
      if (!allowed.includes(key)) {
        this.report([...path, key], entry, `unknown field "${key}" (allowed: ${allowed.join(', ')})`);
      }
    }
    for (const key of fields.required) {
      if (raw[key] === undefined) this.report([...path, key], entry, 'missing required field');
    }
    return raw;
  }

  string(value: unknown, path: ValuePath, entry: Entry | undefined, pattern?: RegExp, hint?: string): string | undefined {
    if (value === undefined) return undefined; // reported as missing by map()
    if (typeof value !== 'string' || value.trim() === '') {
      this.report(path, entry, `expected a non-empty string, found ${describe(value)}`);
      return undefined;
    }
    if (pattern && !pattern.test(value)) {
      this.report(path, entry, `"${value}" is not a valid ${hint ?? 'value'}`);
      return undefined;
    }
    return value;
  }

  optionalString(value: unknown, path: ValuePath, entry: Entry | undefined): string | undefined {
    return value === undefined ? undefined : this.string(value, path, entry);
  }

  oneOf<T extends string>(value: unknown, path: ValuePath, entry: Entry | undefined, allowed: readonly T[]): T | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !allowed.includes(value as T)) {
      this.report(path, entry, `unknown value ${JSON.stringify(value)} (allowed: ${allowed.join(', ')})`);
      return undefined;
    }
    return value as T;
  }

  integer(value: unknown, path: ValuePath, entry: Entry | undefined, min: number, meaning = ''): number | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
      this.report(path, entry, `must be an integer ≥ ${min}${meaning}, found ${describe(value)}`);
      return undefined;
    }
    return value;
  }

  positiveNumber(value: unknown, path: ValuePath, entry: Entry | undefined): number | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      this.report(path, entry, `must be a positive number, found ${describe(value)}`);
      return undefined;
    }
    return value;
  }

  boolean(value: unknown, path: ValuePath, entry: Entry | undefined): boolean | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean') {
      this.report(path, entry, `must be true or false, found ${describe(value)}`);
      return undefined;
    }
    return value;
  }

  list(value: unknown, path: ValuePath, entry: Entry | undefined, nonEmpty = true): unknown[] | undefined {
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) {
      this.report(path, entry, `expected a list, found ${describe(value)}`);
      return undefined;
    }
    if (nonEmpty && value.length === 0) {
      this.report(path, entry, 'must not be empty');
      return undefined;
    }
    return value;
  }

  bilingual(value: unknown, path: ValuePath, entry: Entry | undefined): BilingualText | undefined {
    const raw = this.map(value, path, entry, { required: ['zh', 'en'] });
    if (!raw) return undefined;
    const zh = this.string(raw.zh, [...path, 'zh'], entry);
    const en = this.string(raw.en, [...path, 'en'], entry);
    return zh !== undefined && en !== undefined ? { zh, en } : undefined;
  }

  localized(value: unknown, path: ValuePath, entry: Entry | undefined): LocalizedText | undefined {
    const raw = this.map(value, path, entry, { required: ['zh'], optional: ['en'] });
    if (!raw) return undefined;
    const zh = this.string(raw.zh, [...path, 'zh'], entry);
    const en = this.optionalString(raw.en, [...path, 'en'], entry);
    if (zh === undefined) return undefined;
    return en === undefined ? { zh } : { zh, en };
  }

  sourceTag(value: unknown, path: ValuePath, entry: Entry | undefined): string | undefined {
    const tag = this.string(value, path, entry);
    if (tag !== undefined && !isKnownSourceTag(tag)) {
      this.report(path, entry, `unknown source tag "${tag}" (use a tag of standards.md §10, e.g. S39, S20-weak, or R)`);
      return undefined;
    }
    return tag;
  }

  sourceTags(value: unknown, path: ValuePath, entry: Entry | undefined): string[] {
    const list = this.list(value, path, entry);
    return (list ?? []).map((v, i) => this.sourceTag(v, [...path, i], entry)).filter((s): s is string => !!s);
  }

  rule(value: unknown, path: ValuePath, entry: Entry | undefined): Rule | undefined {
    if (value === undefined) return undefined;
    try {
      return compileRule(value);
    } catch (e) {
      if (!(e instanceof RuleSyntaxError)) throw e;
      this.report([...path, ...e.path], entry, e.message);
      return undefined;
    }
  }

  /** 依据: at least one entry; each a legal citation, a product default or a local rule. */
  basis(value: unknown, path: ValuePath, entry: Entry | undefined): BasisEntry[] {
    if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) {
      this.report(
        path,
        entry,
        'missing legal basis (依据): give at least one {document, clause?, source?} entry, or {kind: product_default, note} / {kind: local_rule, document} for a proposal',
      );
      return [];
    }
    const list = this.list(value, path, entry) ?? [];
    const result: BasisEntry[] = [];
    list.forEach((raw, i) => {
      const p = [...path, i];
      const kind = raw !== null && typeof raw === 'object' ? (raw as Raw).kind : undefined;
      if (kind === 'product_default') {
        const m = this.map(raw, p, entry, { required: ['kind', 'note'] });
        const note = m && this.string(m.note, [...p, 'note'], entry);
        if (note) result.push({ kind: 'product_default', note });
      } else if (kind === 'local_rule') {
        const m = this.map(raw, p, entry, { required: ['kind', 'document'], optional: ['source', 'note'] });
        if (!m) return;
        const document = this.string(m.document, [...p, 'document'], entry);
        const source = m.source === undefined ? undefined : this.sourceTag(m.source, [...p, 'source'], entry);
        const note = this.optionalString(m.note, [...p, 'note'], entry);
        if (document) result.push(compact({ kind: 'local_rule' as const, document, source, note }));
      } else if (kind === undefined) {
        const m = this.map(raw, p, entry, { required: ['document'], optional: ['clause', 'source', 'note'] });
        if (!m) return;
        const document = this.string(m.document, [...p, 'document'], entry);
        const clause = this.optionalString(m.clause, [...p, 'clause'], entry);
        const source = m.source === undefined ? undefined : this.sourceTag(m.source, [...p, 'source'], entry);
        const note = this.optionalString(m.note, [...p, 'note'], entry);
        if (document) result.push(compact({ kind: 'legal' as const, document, clause, source, note }));
      } else {
        this.report([...p, 'kind'], entry, `unknown value ${JSON.stringify(kind)} (allowed: product_default, local_rule; omit kind for a legal citation)`);
      }
    });
    return result;
  }

  header(raw: Raw): { code?: string; title?: BilingualText; description?: string; revision?: string; notes?: string[] } {
    const code = this.string(raw.code, ['code'], undefined, /^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'file code');
    const title = this.bilingual(raw.title, ['title'], undefined);
    const description = this.optionalString(raw.description, ['description'], undefined);
    const revision = this.optionalString(raw.revision, ['revision'], undefined);
    const notesRaw = raw.notes === undefined ? undefined : this.list(raw.notes, ['notes'], undefined);
    const notes = notesRaw?.map((n, i) => this.string(n, ['notes', i], undefined)).filter((s): s is string => !!s);
    return compact({ code, title, description, revision, notes });
  }
}

// ------------------------------------------------------------------ helpers

function formatPath(path: ValuePath): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${p}` : p;
  return out;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return JSON.stringify(value);
}

/** Drops undefined properties so optional fields are absent, not present-but-undefined. */
function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as Array<keyof T>) if (o[k] === undefined) delete o[k];
  return o;
}

function entryLabel(kind: string, raw: unknown, index: number): string {
  const code = raw !== null && typeof raw === 'object' ? (raw as Raw).code : undefined;
  return `${kind} ${typeof code === 'string' && code ? code : `#${index + 1}`}`;
}

// ------------------------------------------------------------------ per kind

export function validateRuleFile(data: unknown, c: RuleFileChecker): RuleFileContent | undefined {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    c.report([], undefined, `a rule file is a YAML map with a top-level "kind", found ${describe(data)}`);
    return undefined;
  }
  const raw = data as Raw;
  if (raw.kind === undefined) {
    c.report(['kind'], undefined, `missing required field (one of: ${RULE_FILE_KINDS.join(', ')})`);
    return undefined;
  }
  const kind = c.oneOf(raw.kind, ['kind'], undefined, RULE_FILE_KINDS);
  switch (kind) {
    case 'inspection_checklist':
      return validateChecklist(raw, c);
    case 'major_hazard_criteria':
      return validateCriteria(raw, c);
    case 'grading_form':
      return validateGrading(raw, c);
    case 'self_inspection':
      return validateSelfInspection(raw, c);
    case 'scoring_rules':
      return validateScoringRules(raw, c);
    case 'subsidy_policy':
      return validateSubsidyPolicy(raw, c);
    default:
      return undefined;
  }
}

function validateChecklist(data: Raw, c: RuleFileChecker): InspectionChecklist | undefined {
  const raw = c.map(data, [], undefined, {
    required: ['kind', 'code', 'title', 'categories', 'items'],
    optional: HEADER_OPTIONAL,
  })!;
  const header = c.header(raw);

  const categories: Category[] = [];
  (c.list(raw.categories, ['categories'], undefined) ?? []).forEach((rawCat, i) => {
    const path = ['categories', i];
    const entry = { label: entryLabel('category', rawCat, i), root: path };
    const m = c.map(rawCat, path, entry, { required: ['code', 'title'] });
    if (!m) return;
    const code = c.string(m.code, [...path, 'code'], entry, CATEGORY_CODE_PATTERN, 'category code (capital letters)');
    const title = c.bilingual(m.title, [...path, 'title'], entry);
    if (code && categories.some((x) => x.code === code)) c.report([...path, 'code'], entry, `duplicate category code "${code}"`);
    else if (code && title) categories.push({ code, title });
  });
  const categoryCodes = categories.map((x) => x.code);

  const items: ChecklistItem[] = [];
  const firstLine = new Map<string, number>();
  (c.list(raw.items, ['items'], undefined) ?? []).forEach((rawItem, i) => {
    const path = ['items', i];
    const entry = { label: entryLabel('item', rawItem, i), root: path };
    const m = c.map(rawItem, path, entry, {
      required: ['code', 'category', 'title', 'check', 'severity', 'deadlineDays', 'evidence', 'weight'],
      optional: ['basis', 'majorCriterion', 'escalatesTo', 'interim', 'appliesWhen', 'enabled', 'note'],
    });
    if (!m) return;
    const code = c.string(m.code, [...path, 'code'], entry, ITEM_CODE_PATTERN, 'item code (CAT-NNN, e.g. ESC-001)');
    if (code) {
      const seen = firstLine.get(code);
      if (seen !== undefined) c.report([...path, 'code'], entry, `duplicate item code "${code}" (first defined on line ${seen})`);
      else firstLine.set(code, c.lineOf([...path, 'code']));
    }
    let category = c.string(m.category, [...path, 'category'], entry);
    if (category !== undefined && !categoryCodes.includes(category)) {
      c.report([...path, 'category'], entry, `unknown category "${category}" (declared: ${categoryCodes.join(', ')})`);
      category = undefined;
    } else if (category && code && !code.startsWith(`${category}-`)) {
      c.report([...path, 'code'], entry, `code prefix of "${code}" does not match category "${category}"`);
    }
    const title = c.bilingual(m.title, [...path, 'title'], entry);
    const check = c.localized(m.check, [...path, 'check'], entry);
    const basis = c.basis(m.basis, [...path, 'basis'], entry);
    const severity = c.oneOf(m.severity, [...path, 'severity'], entry, SEVERITIES);
    const criterionHint = 'criterion code (e.g. MZ2023-4.2)';
    const majorCriterion =
      m.majorCriterion === undefined ? undefined : c.string(m.majorCriterion, [...path, 'majorCriterion'], entry, CRITERION_CODE_PATTERN, criterionHint);
    const escalatesTo =
      m.escalatesTo === undefined ? undefined : c.string(m.escalatesTo, [...path, 'escalatesTo'], entry, CRITERION_CODE_PATTERN, criterionHint);
    if (severity === 'major' && m.majorCriterion === undefined) {
      c.report([...path, 'majorCriterion'], entry, 'a major item (重大隐患) must name the 判定标准 criterion it rests on (e.g. MZ2023-4.2)');
    }
    if (severity === 'general' && m.majorCriterion !== undefined) {
      c.report([...path, 'majorCriterion'], entry, 'only major items have a majorCriterion; use escalatesTo for a general item that may escalate');
    }
    if (severity === 'major' && m.escalatesTo !== undefined) {
      c.report([...path, 'escalatesTo'], entry, 'escalatesTo is for general items; a major item is already major');
    }
    const deadlineDays = c.integer(m.deadlineDays, [...path, 'deadlineDays'], entry, 0, ' (days; 0 = immediately / 立即改正)');
    let interim: ChecklistItem['interim'];
    if (m.interim !== undefined) {
      const im = c.map(m.interim, [...path, 'interim'], entry, { required: ['measure', 'deadlineDays'] });
      const measure = im && c.localized(im.measure, [...path, 'interim', 'measure'], entry);
      const days = im && c.integer(im.deadlineDays, [...path, 'interim', 'deadlineDays'], entry, 0, ' (days; 0 = immediately)');
      if (measure && days !== undefined) interim = { measure, deadlineDays: days };
    }
    const ev = c.map(m.evidence, [...path, 'evidence'], entry, { required: ['photoRequiredWhenFailed'], optional: ['minPhotos'] });
    const photoRequiredWhenFailed = ev && c.boolean(ev.photoRequiredWhenFailed, [...path, 'evidence', 'photoRequiredWhenFailed'], entry);
    const minPhotos = ev && c.integer(ev.minPhotos, [...path, 'evidence', 'minPhotos'], entry, 1);
    const weight = c.positiveNumber(m.weight, [...path, 'weight'], entry);
    const appliesWhen = c.rule(m.appliesWhen, [...path, 'appliesWhen'], entry);
    const enabled = m.enabled === undefined ? true : c.boolean(m.enabled, [...path, 'enabled'], entry);
    const note = c.optionalString(m.note, [...path, 'note'], entry);

    if (code && category && title && check && severity && deadlineDays !== undefined && photoRequiredWhenFailed !== undefined && weight && enabled !== undefined) {
      items.push(
        compact({
          code,
          category,
          title,
          check,
          basis,
          severity,
          majorCriterion,
          escalatesTo,
          deadlineDays,
          interim,
          evidence: compact({ photoRequiredWhenFailed, minPhotos: minPhotos ?? undefined }),
          weight,
          appliesWhen,
          enabled,
          note,
        }),
      );
    }
  });
  if (c.issues.length) return undefined;
  return { kind: 'inspection_checklist', ...(header as { code: string; title: BilingualText }), categories, items };
}

function validateCriteria(data: Raw, c: RuleFileChecker): MajorHazardCriteria | undefined {
  const raw = c.map(data, [], undefined, {
    required: ['kind', 'code', 'title', 'document', 'expectedCriteriaCount', 'aspects'],
    optional: HEADER_OPTIONAL,
  })!;
  const header = c.header(raw);
  const d = c.map(raw.document, ['document'], undefined, {
    required: ['title', 'issuer', 'issued', 'source'],
    optional: ['number', 'numberStatus'],
  });
  const document = d && {
    title: c.string(d.title, ['document', 'title'], undefined) ?? '',
    issuer: c.string(d.issuer, ['document', 'issuer'], undefined) ?? '',
    issued: c.string(d.issued, ['document', 'issued'], undefined, /^\d{4}-\d{2}-\d{2}$/, 'date (YYYY-MM-DD)') ?? '',
    ...compact({
      number: c.optionalString(d.number, ['document', 'number'], undefined),
      numberStatus: c.oneOf(d.numberStatus, ['document', 'numberStatus'], undefined, ['verified', 'unverified'] as const),
    }),
    source: c.sourceTags(d.source, ['document', 'source'], undefined),
  };
  const expected = c.integer(raw.expectedCriteriaCount, ['expectedCriteriaCount'], undefined, 1);

  const aspects: MajorHazardAspect[] = [];
  const seen = new Set<string>();
  (c.list(raw.aspects, ['aspects'], undefined) ?? []).forEach((rawAspect, i) => {
    const path = ['aspects', i];
    const entry = { label: entryLabel('aspect', rawAspect, i), root: path };
    const m = c.map(rawAspect, path, entry, { required: ['code', 'article', 'title', 'criteria'] });
    if (!m) return;
    const code = c.string(m.code, [...path, 'code'], entry, ASPECT_CODE_PATTERN, 'aspect code (e.g. MZ2023-4)');
    const article = c.string(m.article, [...path, 'article'], entry);
    const title = c.bilingual(m.title, [...path, 'title'], entry);
    const criteria: MajorHazardCriterion[] = [];
    (c.list(m.criteria, [...path, 'criteria'], entry) ?? []).forEach((rawCrit, j) => {
      const cp = [...path, 'criteria', j];
      const ce = { label: entryLabel('criterion', rawCrit, j), root: cp };
      const cm = c.map(rawCrit, cp, ce, { required: ['code', 'textStatus', 'text'], optional: ['item', 'source', 'note'] });
      if (!cm) return;
      const ccode = c.string(cm.code, [...cp, 'code'], ce, CRITERION_CODE_PATTERN, 'criterion code (e.g. MZ2023-4.2)');
      if (ccode && code && !ccode.startsWith(`${code}.`)) c.report([...cp, 'code'], ce, `criterion code must start with its aspect code "${code}."`);
      if (ccode && seen.has(ccode)) c.report([...cp, 'code'], ce, `duplicate criterion code "${ccode}"`);
      if (ccode) seen.add(ccode);
      const textStatus = c.oneOf(cm.textStatus, [...cp, 'textStatus'], ce, TEXT_STATUSES);
      const item = c.optionalString(cm.item, [...cp, 'item'], ce);
      const note = c.optionalString(cm.note, [...cp, 'note'], ce);
      let text: LocalizedText | null = null;
      let source: string[] = [];
      if (textStatus === 'retrieved') {
        text = c.localized(cm.text, [...cp, 'text'], ce) ?? null;
        source = c.sourceTags(cm.source, [...cp, 'source'], ce);
        if (cm.source === undefined) c.report([...cp, 'source'], ce, 'a retrieved criterion must cite the source it was read from');
      } else if (textStatus === 'not_found') {
        if (cm.text !== null) c.report([...cp, 'text'], ce, 'text must be null when textStatus is not_found (never reconstruct a clause)');
        if (!note) c.report([...cp, 'note'], ce, 'a not_found placeholder must carry a note saying what is missing');
        if (cm.source !== undefined) source = c.sourceTags(cm.source, [...cp, 'source'], ce);
      }
      if (ccode && textStatus) criteria.push(compact({ code: ccode, item, textStatus, text, source, note }));
    });
    if (code && article && title) aspects.push({ code, article, title, criteria });
  });
  if (c.issues.length || !document || expected === undefined) return undefined;
  const all = aspects.flatMap((a) => a.criteria);
  const retrieved = all.filter((x) => x.textStatus === 'retrieved').length;
  if (retrieved > expected) c.report(['expectedCriteriaCount'], undefined, `${retrieved} retrieved criteria exceed expectedCriteriaCount ${expected}`);
  if (retrieved < expected) {
    c.warnings.push(
      `${c.file}: ${retrieved} of ${expected} criteria have retrieved text; placeholders: ${all
        .filter((x) => x.textStatus === 'not_found')
        .map((x) => x.code)
        .join(', ')}`,
    );
  }
  if (c.issues.length) return undefined;
  return { kind: 'major_hazard_criteria', ...(header as { code: string; title: BilingualText }), document, expectedCriteriaCount: expected, aspects };
}

function validateGrading(data: Raw, c: RuleFileChecker): GradingForm | undefined {
  const raw = c.map(data, [], undefined, {
    required: ['kind', 'code', 'title', 'standard', 'totalPoints', 'parts', 'thresholds'],
    optional: HEADER_OPTIONAL,
  })!;
  const header = c.header(raw);
  const standard = c.string(raw.standard, ['standard'], undefined);
  const totalPoints = c.integer(raw.totalPoints, ['totalPoints'], undefined, 1);
  if (totalPoints !== undefined && totalPoints !== GRADING_TOTAL_POINTS) {
    c.report(['totalPoints'], undefined, `GB/T 37276 totals ${GRADING_TOTAL_POINTS} points, found ${totalPoints}`);
  }

  const parts: GradingPart[] = [];
  (c.list(raw.parts, ['parts'], undefined) ?? []).forEach((rawPart, i) => {
    const path = ['parts', i];
    const entry = { label: entryLabel('part', rawPart, i), root: path };
    const m = c.map(rawPart, path, entry, {
      required: ['code', 'title', 'maxPoints', 'source', 'breakdownStatus', 'items'],
      optional: ['note'],
    });
    if (!m) return;
    const code = c.string(m.code, [...path, 'code'], entry, CATEGORY_CODE_PATTERN, 'part code (capital letters)');
    const title = c.bilingual(m.title, [...path, 'title'], entry);
    const maxPoints = c.integer(m.maxPoints, [...path, 'maxPoints'], entry, 1);
    const source = c.sourceTag(m.source, [...path, 'source'], entry);
    const breakdownStatus = c.oneOf(m.breakdownStatus, [...path, 'breakdownStatus'], entry, BREAKDOWN_STATUSES);
    const note = c.optionalString(m.note, [...path, 'note'], entry);
    if (breakdownStatus && breakdownStatus !== 'sourced' && !note) {
      c.report([...path, 'note'], entry, `a ${breakdownStatus} breakdown must carry a note saying where the sub-items come from`);
    }
    const items: GradingItem[] = [];
    (c.list(m.items, [...path, 'items'], entry) ?? []).forEach((rawItem, j) => {
      const ip = [...path, 'items', j];
      const ie = { label: `${entry.label} ${entryLabel('item', rawItem, j)}`, root: ip };
      const im = c.map(rawItem, ip, ie, { required: ['code', 'title', 'maxPoints'] });
      if (!im) return;
      const icode = c.string(im.code, [...ip, 'code'], ie, /^[A-Z]+-\d{2}$/, 'grading item code (e.g. SVC-01)');
      const ititle = c.bilingual(im.title, [...ip, 'title'], ie);
      const ipoints = c.integer(im.maxPoints, [...ip, 'maxPoints'], ie, 1);
      if (icode && ititle && ipoints !== undefined) items.push({ code: icode, title: ititle, maxPoints: ipoints });
    });
    const itemSum = items.reduce((s, x) => s + x.maxPoints, 0);
    if (maxPoints !== undefined && items.length && itemSum !== maxPoints) {
      c.report([...path, 'items'], entry, `sub-item points sum to ${itemSum}, expected the part's maxPoints ${maxPoints}`);
    }
    if (code && title && maxPoints !== undefined && source && breakdownStatus) {
      parts.push(compact({ code, title, maxPoints, source, breakdownStatus, note, items }));
    }
  });
  const partSum = parts.reduce((s, p) => s + p.maxPoints, 0);
  if (parts.length && partSum !== GRADING_TOTAL_POINTS) {
    c.report(
      ['parts'],
      undefined,
      `part maxima sum to ${partSum}, expected ${GRADING_TOTAL_POINTS} (${parts.map((p) => `${p.title.zh} ${p.maxPoints}`).join(' + ')})`,
    );
  }

  const t = c.map(raw.thresholds, ['thresholds'], undefined, { required: ['source', 'status', 'uncertainty', 'grades'] });
  const grades: GradeThreshold[] = [];
  let thresholds: GradingForm['thresholds'] | undefined;
  if (t) {
    const source = c.sourceTag(t.source, ['thresholds', 'source'], undefined);
    const status = c.oneOf(t.status, ['thresholds', 'status'], undefined, ['sourced', 'product_default'] as const);
    const uncertainty = c.string(t.uncertainty, ['thresholds', 'uncertainty'], undefined);
    (c.list(t.grades, ['thresholds', 'grades'], undefined) ?? []).forEach((rawGrade, i) => {
      const path = ['thresholds', 'grades', i];
      const g = rawGrade !== null && typeof rawGrade === 'object' ? (rawGrade as Raw) : {};
      const gName = g.name !== null && typeof g.name === 'object' ? (g.name as Raw).zh : undefined;
      const entry = { label: `grade ${typeof gName === 'string' ? gName : typeof g.level === 'number' ? g.level : `#${i + 1}`}`, root: path };
      const m = c.map(rawGrade, path, entry, { required: ['level', 'name', 'minTotal', 'minPartPercent'] });
      if (!m) return;
      const lv = c.integer(m.level, [...path, 'level'], entry, 1);
      const name = c.bilingual(m.name, [...path, 'name'], entry);
      const minTotal = c.integer(m.minTotal, [...path, 'minTotal'], entry, 0);
      let minPartPercent = c.positiveNumber(m.minPartPercent, [...path, 'minPartPercent'], entry);
      if (minPartPercent !== undefined && minPartPercent > 100) {
        c.report([...path, 'minPartPercent'], entry, `must be at most 100, found ${minPartPercent}`);
        minPartPercent = undefined;
      }
      if (minTotal !== undefined && totalPoints !== undefined && minTotal > totalPoints) {
        c.report([...path, 'minTotal'], entry, `${minTotal} exceeds totalPoints ${totalPoints}`);
      }
      const prev = grades[grades.length - 1];
      if (prev && lv !== undefined && lv !== prev.level + 1) {
        c.report([...path, 'level'], entry, `thresholds not monotonic: level ${lv} follows level ${prev.level} (levels run 1, 2, 3 … upwards)`);
      } else if (!prev && lv !== undefined && lv !== 1) {
        c.report([...path, 'level'], entry, `thresholds not monotonic: the first grade must be level 1, found ${lv}`);
      }
      if (prev && minTotal !== undefined && minTotal <= prev.minTotal) {
        c.report([...path, 'minTotal'], entry, `thresholds not monotonic: minTotal ${minTotal} is not above ${prev.name.zh}'s ${prev.minTotal}`);
      }
      if (prev && minPartPercent !== undefined && minPartPercent < prev.minPartPercent) {
        c.report([...path, 'minPartPercent'], entry, `thresholds not monotonic: minPartPercent ${minPartPercent} is below ${prev.name.zh}'s ${prev.minPartPercent}`);
      }
      if (lv !== undefined && name && minTotal !== undefined && minPartPercent !== undefined) {
        grades.push({ level: lv, name, minTotal, minPartPercent });
      }
    });
    if (source && status && uncertainty) thresholds = { source, status, uncertainty, grades };
  }
  if (c.issues.length || !standard || totalPoints === undefined || !thresholds) return undefined;

  for (const g of grades) {
    const implied = parts.reduce((s, p) => s + Math.ceil((p.maxPoints * g.minPartPercent) / 100), 0);
    if (implied > g.minTotal) {
      c.warnings.push(
        `${c.file}: grade ${g.name.zh}: every part ≥ ${g.minPartPercent} % already implies a total ≥ ${implied} > minTotal ${g.minTotal} (see thresholds.uncertainty)`,
      );
    }
  }
  return { kind: 'grading_form', ...(header as { code: string; title: BilingualText }), standard, totalPoints, parts, thresholds };
}

function validateSelfInspection(data: Raw, c: RuleFileChecker): SelfInspectionList | undefined {
  const raw = c.map(data, [], undefined, {
    required: ['kind', 'code', 'title', 'frequency', 'frequencyBasis', 'items'],
    optional: HEADER_OPTIONAL,
  })!;
  const header = c.header(raw);
  const frequency = c.oneOf(raw.frequency, ['frequency'], undefined, SELF_INSPECTION_FREQUENCIES);
  const frequencyBasis = c.basis(raw.frequencyBasis, ['frequencyBasis'], undefined);
  const items: SelfInspectionItem[] = [];
  const firstLine = new Map<string, number>();
  (c.list(raw.items, ['items'], undefined) ?? []).forEach((rawItem, i) => {
    const path = ['items', i];
    const entry = { label: entryLabel('item', rawItem, i), root: path };
    const m = c.map(rawItem, path, entry, {
      required: ['code', 'title', 'check'],
      optional: ['basis', 'appliesWhen', 'enabled', 'relatedItems'],
    });
    if (!m) return;
    const code = c.string(m.code, [...path, 'code'], entry, ITEM_CODE_PATTERN, 'item code (CAT-NNN, e.g. DAY-001)');
    if (code) {
      const seen = firstLine.get(code);
      if (seen !== undefined) c.report([...path, 'code'], entry, `duplicate item code "${code}" (first defined on line ${seen})`);
      else firstLine.set(code, c.lineOf([...path, 'code']));
    }
    const title = c.bilingual(m.title, [...path, 'title'], entry);
    const check = c.localized(m.check, [...path, 'check'], entry);
    const basis = c.basis(m.basis, [...path, 'basis'], entry);
    const appliesWhen = c.rule(m.appliesWhen, [...path, 'appliesWhen'], entry);
    const enabled = m.enabled === undefined ? true : c.boolean(m.enabled, [...path, 'enabled'], entry);
    const related = m.relatedItems === undefined ? [] : c.list(m.relatedItems, [...path, 'relatedItems'], entry) ?? [];
    const relatedItems = related
      .map((r, j) => c.string(r, [...path, 'relatedItems', j], entry, ITEM_CODE_PATTERN, 'item code'))
      .filter((s): s is string => !!s);
    if (code && title && check && enabled !== undefined) items.push(compact({ code, title, check, basis, appliesWhen, enabled, relatedItems }));
  });
  if (c.issues.length || !frequency) return undefined;
  return { kind: 'self_inspection', ...(header as { code: string; title: BilingualText }), frequency, frequencyBasis, items };
}
