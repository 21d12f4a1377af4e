/**
 * 地方规则 — merging the deploying city's local rule set (a `local_rule_set` rule file) into the items of the
 * national inspection checklist, and saying for each item which rule set required it. Pure and deterministic:
 * the same national items and local rules always give the same items in the same order.
 *
 *  - `enable`   an item the national file ships disabled is switched on (optionally with its own applicability);
 *  - `override` an item's applicability (and check text) is replaced; whether the nation still requires the
 *               item for a given institution is decided by the replaced national rule (`requirementFor`);
 *  - `add`      a new item (CAT-9NN) is placed after the last national item of its category;
 *  - `inForce`  a provincial/city document the national file cites as another locality's rule (`local_rule`),
 *               e.g. 江苏省燃气管理条例, is in force here: those entries become legal citations.
 *
 * Every item a rule touched carries `localRule` (the local document, clause and quoted passage) and its basis
 * begins with that document; `requiredBy` names the local rule set, or is null when the national rules require
 * the item. National items untouched by a rule keep `requiredBy: null`.
 */
import { evaluate, Rule } from './applicability';
import { InstitutionProfile, Facts } from './institution-profile';
import type { BasisEntry, ChecklistItem, LocalRuleSet, ParsedRuleFile } from './rule-file.types';
import type { RuleIssue } from './rule-file.errors';

export type LocalRule = LocalRuleSet['rules'][number];
export type LocalRuleKind = LocalRule['rule'];

/** The rule set that made an item a requirement, as items and pages show it. */
export interface RequiredBy {
  /** the local rule set's code, e.g. `changzhou` */
  code: string;
  /** its title, e.g. 常州市养老机构安全检查地方规则 */
  title: string;
  /** the local document with its number, e.g. 常州市深入推进“常有颐养”三年行动方案（2024–2026年）（常政办发〔2024〕16号） */
  document: string;
  clause: string | null;
}

/** What a local rule did to an item, and the passage of the local document it rests on. */
export interface LocalRuleRef extends RequiredBy {
  rule: LocalRuleKind;
  /** 原文 */
  quote: string;
  /** override only: the national applicability it replaced (null = the national item applied to everyone) */
  nationalAppliesWhen?: Rule | null;
}

/** A checklist item after the local rules: which rule set requires it, and what a local rule changed. */
export type RuledItem = ChecklistItem & {
  requiredBy: RequiredBy | null;
  localRule?: LocalRuleRef;
};

/** The local document as a citation: `文件名称（文号）`. */
export function localDocument(set: Pick<LocalRuleSet, 'source'>): string {
  return `${set.source.document}（${set.source.number}）`;
}

function requiredByOf(set: LocalRuleSet, rule: LocalRule): RequiredBy {
  return { code: set.code, title: set.title.zh, document: localDocument(set), clause: rule.clause ?? set.source.clause ?? null };
}

function localBasisEntry(ref: RequiredBy, rule: LocalRule, sourceTag: string): BasisEntry {
  return { kind: 'local_rule', document: ref.document, source: sourceTag, note: `${ref.clause ? `${ref.clause}：` : ''}${rule.quote}` };
}

/** The code of the item a rule is about. */
export function ruleItemCode(rule: LocalRule): string {
  return rule.rule === 'add' ? rule.item.code : rule.item;
}

/**
 * The national items with the local rules applied (`local` null or absent: the national items as they are, each
 * `requiredBy: null`). A rule whose item is missing from this national version (or, for `add`, already in it) is
 * skipped: the version an inspection pinned may be older or newer than the one the local file was checked against.
 */
export function applyLocalRules(nationalItems: readonly ChecklistItem[], local?: LocalRuleSet | null): RuledItem[] {
  const items: RuledItem[] = nationalItems.map((i) => ({ ...i, requiredBy: null }));
  if (!local) return items;
  const index = new Map(items.map((item, i) => [item.code, i]));
  const added: RuledItem[] = [];
  for (const rule of local.rules) {
    const by = requiredByOf(local, rule);
    const ref: LocalRuleRef = { ...by, rule: rule.rule, quote: rule.quote };
    const entry = localBasisEntry(by, rule, local.source.source);
    if (rule.rule === 'add') {
      if (index.has(rule.item.code) || added.some((a) => a.code === rule.item.code)) continue;
      const cites = rule.item.basis.some((b) => b.kind === 'local_rule' && b.document.includes(local.source.number));
      added.push({ ...rule.item, basis: cites ? rule.item.basis : [entry, ...rule.item.basis], requiredBy: by, localRule: ref });
      continue;
    }
    const at = index.get(rule.item);
    if (at === undefined) continue;
    const national = items[at];
    if (rule.rule === 'enable') {
      // A product proposal the local document makes a requirement is no longer a mere proposal.
      const basis = [entry, ...national.basis.filter((b) => b.kind !== 'product_default')];
      items[at] = {
        ...national, enabled: true, basis, requiredBy: national.enabled === false ? by : null, localRule: ref,
        ...(rule.appliesWhen !== undefined ? { appliesWhen: rule.appliesWhen } : {}),
      };
    } else {
      items[at] = {
        ...national, appliesWhen: rule.appliesWhen, ...(rule.check ? { check: rule.check } : {}),
        basis: [entry, ...national.basis], requiredBy: by, localRule: { ...ref, nationalAppliesWhen: national.appliesWhen ?? null },
      };
    }
  }
  return insertByCategory(items, added).map((item) => withDocumentsInForce(item, local));
}

/** A national `local_rule` entry whose document is in force where the set is deployed becomes a legal citation. */
function withDocumentsInForce(item: RuledItem, local: LocalRuleSet): RuledItem {
  const laws = local.inForce ?? [];
  if (!laws.length || !item.basis.some((b) => b.kind === 'local_rule')) return item;
  const basis = item.basis.map((b): BasisEntry => {
    if (b.kind !== 'local_rule') return b;
    const law = laws.find((l) => b.document.startsWith(l.document));
    return law ? { kind: 'legal', document: law.document, source: b.source ?? law.source, ...(b.note ? { note: b.note } : {}) } : b;
  });
  return { ...item, basis };
}

/** Each added item goes after the last item of its category (in file order); an unknown category goes last. */
function insertByCategory(items: RuledItem[], added: RuledItem[]): RuledItem[] {
  const out = [...items];
  for (const item of added) {
    let last = -1;
    out.forEach((x, i) => {
      if (x.category === item.category) last = i;
    });
    out.splice(last < 0 ? out.length : last + 1, 0, item);
  }
  return out;
}

/**
 * Which rule set requires an applicable item for this institution: an overridden item the national rule would
 * also apply is required by the nation (`requiredBy: null`); every other item keeps the merge's answer.
 */
export function requirementFor<T extends RuledItem>(item: T, profile: InstitutionProfile | Facts): T {
  const ref = item.localRule;
  if (ref?.rule !== 'override' || item.requiredBy === null) return item;
  const nationally = ref.nationalAppliesWhen === null || evaluate(ref.nationalAppliesWhen, profile);
  return nationally ? { ...item, requiredBy: null } : item;
}

// ---------------------------------------------------------------- load-time checks

type LocalFile = ParsedRuleFile<LocalRuleSet>;

/**
 * Checks that hold between a local rule set and the national checklist it extends: the checklist exists; an
 * enabled item is shipped disabled; an overridden item exists and is enabled; an added item's code is new and its
 * category is declared; only one local rule set per division.
 */
export function checkLocalRuleSets(files: readonly ParsedRuleFile[]): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const locals = files.filter((f): f is LocalFile => f.content.kind === 'local_rule_set');
  for (const f of locals) {
    const set = f.content;
    const base = files.find((x) => x.content.kind === 'inspection_checklist' && x.content.code === set.extends);
    if (!base || base.content.kind !== 'inspection_checklist') {
      const known = files.filter((x) => x.content.kind === 'inspection_checklist').map((x) => x.content.code);
      const message = known.length
        ? `unknown inspection checklist "${set.extends}" (loaded: ${known.join(', ')})`
        : `cannot check the rules against "${set.extends}": no valid inspection_checklist file loaded`;
      issues.push({ file: f.fileName, line: f.lineOf(['extends']), field: 'extends', message });
      continue;
    }
    const national = new Map(base.content.items.map((i) => [i.code, i]));
    const categories = base.content.categories.map((c) => c.code);
    set.rules.forEach((rule, i) => {
      const at = (field: string, path: Array<string | number> = [field]) => ({
        file: f.fileName, line: f.lineOf(['rules', i, ...path]), context: `rule #${i + 1} (${rule.rule} ${ruleItemCode(rule)})`, field,
      });
      if (rule.rule === 'add') {
        if (national.has(rule.item.code)) issues.push({ ...at('item.code', ['item', 'code']), message: `item "${rule.item.code}" already exists in ${base.fileName}; an added item needs a new code` });
        if (!categories.includes(rule.item.category)) {
          issues.push({ ...at('item.category', ['item', 'category']), message: `unknown category "${rule.item.category}" (declared in ${base.fileName}: ${categories.join(', ')})` });
        } else if (!rule.item.code.startsWith(`${rule.item.category}-`)) {
          issues.push({ ...at('item.code', ['item', 'code']), message: `code prefix of "${rule.item.code}" does not match category "${rule.item.category}"` });
        }
        return;
      }
      const item = national.get(rule.item);
      if (!item) {
        issues.push({ ...at('item'), message: `unknown item "${rule.item}" (not in ${base.fileName})` });
      } else if (rule.rule === 'enable' && item.enabled !== false) {
        issues.push({ ...at('item'), message: `item "${rule.item}" is already enabled in ${base.fileName}; use override to change its applicability` });
      } else if (rule.rule === 'override' && item.enabled === false) {
        issues.push({ ...at('item'), message: `item "${rule.item}" is disabled in ${base.fileName}; use enable (with appliesWhen) to switch it on` });
      }
    });
  }
  const byDivision = new Map<string, LocalFile>();
  for (const f of locals) {
    const division = f.content.divisionCode;
    if (!division) continue;
    const other = byDivision.get(division);
    if (other) issues.push({ file: f.fileName, line: f.lineOf(['divisionCode']), field: 'divisionCode', message: `a local rule set for division ${division} is also defined by ${other.fileName}` });
    else byDivision.set(division, f);
  }
  return issues;
}
