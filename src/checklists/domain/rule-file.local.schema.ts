/**
 * Schema of the `local_rule_set` rule file (地方规则): the deploying city's own rules on top of a national
 * inspection checklist. The file names the checklist it extends and the local document it rests on, and lists
 * rules: `enable` an item the national file ships disabled, `override` an item's applicability (and, where the
 * local text differs, its check), `add` an item of the local document. A deployment selects one set with
 * LOCAL_RULE_SET; the merge is `applyLocalRules` (local-rules.ts). See docs/checklists.md (地方规则).
 *
 * The item schema is the inspection checklist's (rule-file.schema.ts), referenced lazily: rule-file.schema.ts
 * imports this file for its table of kinds, so the reference must not be read while the modules load.
 */
import { z } from 'zod';
import * as checklistSchemas from './rule-file.schema';
import { applicabilityRule, header, list, localized, map, sourceTag, text } from './rule-file.fields';

/** Items added by a local rule set sit in a category of the national file, numbered from 900 (CAT-9NN). */
export const LOCAL_ITEM_NUMBER_FROM = 900;
export const LOCAL_ITEM_CODE_PATTERN = /^[A-Z]+-9\d{2}$/;

const itemCode = text(/^[A-Z]+-\d{3}$/, 'item code (CAT-NNN, e.g. REF-007)');

/** The local document every rule of the file rests on (规范性文件 with its 文号). */
const localSource = map({
  /** 文件名称, e.g. 常州市深入推进“常有颐养”三年行动方案（2024–2026年） */
  document: text(),
  /** 文号, e.g. 常政办发〔2024〕16号 */
  number: text(/〔\d{4}〕\d+号$/, 'document number (文号, e.g. 常政办发〔2024〕16号)'),
  /** issuing body, e.g. 常州市人民政府办公室 */
  issuer: text().optional(),
  /** date issued (YYYY-MM-DD) */
  issuedOn: text(/^\d{4}-\d{2}-\d{2}$/, 'date (YYYY-MM-DD)').optional(),
  /** default clause of the rules (a rule may name its own), e.g. 第18项 */
  clause: text().optional(),
  /** tag of standards.md §10 or of the seed documents */
  source: sourceTag,
  note: text().optional(),
});

/** What every rule says: where in the local document it comes from, and the passage itself. */
const ruleBase = {
  /** clause of the source document; default: source.clause */
  clause: text().optional(),
  /** 原文: the passage of the source document the rule rests on, verbatim */
  quote: text(),
  note: text().optional(),
};

const enableRule = map({
  rule: z.literal('enable'),
  /** an item of the national checklist shipped with `enabled: false` */
  item: itemCode,
  /** optional replacement of the item's applicability */
  appliesWhen: applicabilityRule.optional(),
  ...ruleBase,
});

const overrideRule = map({
  rule: z.literal('override'),
  /** an enabled item of the national checklist */
  item: itemCode,
  /** replaces the item's applicability (the national rule still decides whether the nation requires it) */
  appliesWhen: applicabilityRule,
  /** replaces the item's check text where the local requirement reads differently */
  check: localized.optional(),
  ...ruleBase,
});

const addRule = map({
  rule: z.literal('add'),
  /** a full checklist item; its code is CAT-9NN in a category of the national file */
  item: z.lazy(() => checklistSchemas.checklistItem),
  ...ruleBase,
}).superRefine((r, ctx) => {
  if (!LOCAL_ITEM_CODE_PATTERN.test(r.item.code)) {
    ctx.addIssue({
      code: 'custom',
      path: ['item', 'code'],
      message: `an added item is numbered from ${LOCAL_ITEM_NUMBER_FROM} in its category (CAT-9NN, e.g. NET-901), found "${r.item.code}"`,
    });
  }
});

const localRule = z.discriminatedUnion('rule', [enableRule, overrideRule, addRule], {
  error: (iss) =>
    iss.code === 'invalid_union'
      ? `unknown value ${JSON.stringify((iss.input as { rule?: unknown } | undefined)?.rule)} (allowed: enable, override, add)`
      : undefined,
});

/**
 * A local major-hazard criterion (the hook for a city's own 重大事故隐患 list): its text as published, with the
 * clause of the local document. None ships for 常州 (the seed has none).
 */
const localCriterion = map({
  code: text(/^[A-Z]+\d{4}-L\d+$/, 'local criterion code (e.g. CZ2024-L1)'),
  text: localized,
  clause: text(),
  source: sourceTag,
  note: text().optional(),
});

/**
 * A provincial or city document in force where the set is deployed that the national file cites only as another
 * locality's rule (`kind: local_rule`), e.g. 江苏省燃气管理条例 for a city in 江苏: here it is law, and printed as such.
 */
const documentInForce = map({
  /** the title as the national file begins it, e.g. 江苏省燃气管理条例 */
  document: text(),
  source: sourceTag,
  note: text().optional(),
});

export const localRuleSetSchema = map({
  kind: z.literal('local_rule_set'),
  ...header,
  /** code of the national inspection_checklist these rules apply to */
  extends: text(),
  /** 6-digit administrative division code of the deploying city, e.g. 320400 */
  divisionCode: text(/^\d{6}$/, "division code (6 digits, quoted: '320400')").optional(),
  source: localSource,
  rules: list(localRule),
  inForce: list(documentInForce).optional(),
  majorHazardCriteria: list(localCriterion).optional(),
}).superRefine((file, ctx) => {
  const first = new Map<string, number>();
  file.rules.forEach((r, i) => {
    const code = r.rule === 'add' ? r.item.code : r.item;
    const seen = first.get(code);
    if (seen === undefined) first.set(code, i);
    else {
      ctx.addIssue({
        code: 'custom',
        path: ['rules', i, 'item', ...(r.rule === 'add' ? ['code'] : [])],
        message: `item "${code}" already has a rule (rules[${seen}]); give each item one rule`,
      });
    }
  });
});

/** Line labels of the entries messages name (`rule #2 (override PPE-001)`). */
export const LOCAL_RULE_ENTRIES = [
  {
    at: ['rules', '#'],
    label: (raw: unknown, i: number) => {
      const r = (raw ?? {}) as { rule?: unknown; item?: unknown };
      const item = typeof r.item === 'string' ? r.item : typeof (r.item as { code?: unknown } | undefined)?.code === 'string' ? (r.item as { code: string }).code : '';
      return `rule #${i + 1}${typeof r.rule === 'string' ? ` (${r.rule}${item ? ` ${item}` : ''})` : ''}`;
    },
  },
  { at: ['majorHazardCriteria', '#'], label: (raw: unknown, i: number) => `criterion ${typeof (raw as { code?: unknown } | null)?.code === 'string' ? (raw as { code: string }).code : `#${i + 1}`}` },
];
