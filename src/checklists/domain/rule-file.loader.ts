/**
 * Loads the rule files under checklists/: YAML → validated, typed content + version hash.
 * Only loadRuleDirectory touches the file system; everything else is pure.
 */
import { createHash } from 'crypto';
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import * as yaml from 'js-yaml';
import { checkLocalRuleSets } from './local-rules';
import { RuleFileError, RuleIssue } from './rule-file.errors';
import { validateRuleFile } from './rule-file.schema';
import { ContentOf, MajorHazardCriterion, ParsedRuleFile, RuleFileKind } from './rule-file.types';
import { YamlPositions } from './yaml-positions';

/** SHA-256 (hex) of the file text: the identity of a published version. */
export function contentHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Parses and validates one rule file; throws RuleFileError listing every problem found. */
export function parseRuleFile(fileName: string, text: string): ParsedRuleFile {
  let data: unknown;
  try {
    data = yaml.load(text, { filename: fileName });
  } catch (e) {
    if (e instanceof yaml.YAMLException) {
      throw new RuleFileError([
        { file: fileName, line: (e.mark?.line ?? 0) + 1, message: `YAML syntax error: ${e.reason}` },
      ]);
    }
    throw e;
  }
  const positions = YamlPositions.build(text);
  const { content, issues, warnings } = validateRuleFile(fileName, data, positions);
  if (issues.length || !content) {
    throw new RuleFileError(issues.length ? issues : [{ file: fileName, line: 1, message: 'invalid rule file' }]);
  }
  return {
    fileName,
    hash: contentHash(text),
    content,
    warnings,
    lineOf: (path) => positions.lineOf(path),
  };
}

/**
 * Checks that hold across files: criterion references of major / escalating items,
 * self-inspection links to checklist items, unique file codes.
 * `requireCriteria`: report major items when no criteria file is in the set.
 */
export function checkRuleSet(files: readonly ParsedRuleFile[], requireCriteria = true): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const byCode = new Map<string, ParsedRuleFile>();
  for (const f of files) {
    const other = byCode.get(f.content.code);
    if (other) {
      issues.push({ file: f.fileName, line: f.lineOf(['code']), field: 'code', message: `file code "${f.content.code}" is also used by ${other.fileName}` });
    } else {
      byCode.set(f.content.code, f);
    }
  }

  const criteriaFiles = filesOfKind(files, 'major_hazard_criteria');
  const criteria = new Map<string, { criterion: MajorHazardCriterion; file: string }>();
  for (const f of criteriaFiles) {
    for (const a of f.content.aspects) for (const c of a.criteria) criteria.set(c.code, { criterion: c, file: f.fileName });
  }
  const criteriaFileNames = criteriaFiles.map((f) => f.fileName).join(', ');

  const checklistItems = new Set<string>();
  for (const f of filesOfKind(files, 'inspection_checklist')) {
    f.content.items.forEach((item, i) => {
      checklistItems.add(item.code);
      const refs: Array<['majorCriterion' | 'escalatesTo', string | undefined]> = [
        ['majorCriterion', item.majorCriterion],
        ['escalatesTo', item.escalatesTo],
      ];
      for (const [field, code] of refs) {
        if (code === undefined) continue;
        const at = { file: f.fileName, line: f.lineOf(['items', i, field]), context: `item ${item.code}`, field };
        const found = criteria.get(code);
        if (!criteriaFiles.length) {
          if (requireCriteria) issues.push({ ...at, message: `cannot check criterion "${code}": no major_hazard_criteria file loaded` });
        } else if (!found) {
          issues.push({ ...at, message: `unknown criterion "${code}" (not in ${criteriaFileNames})` });
        } else if (field === 'majorCriterion' && found.criterion.textStatus !== 'retrieved') {
          issues.push({
            ...at,
            message: `criterion "${code}" has no retrieved text (textStatus: ${found.criterion.textStatus}); a major item must rest on a retrieved criterion — use escalatesTo until the text is verified`,
          });
        }
      }
    });
  }

  for (const f of filesOfKind(files, 'self_inspection')) {
    f.content.items.forEach((item, i) => {
      item.relatedItems.forEach((code, j) => {
        if (!checklistItems.has(code)) {
          issues.push({
            file: f.fileName,
            line: f.lineOf(['items', i, 'relatedItems', j]),
            context: `item ${item.code}`,
            field: `relatedItems[${j}]`,
            message: `unknown checklist item "${code}" (not in any inspection_checklist file)`,
          });
        }
      });
    });
  }
  const policies = new Map<string, ParsedRuleFile>();
  for (const f of filesOfKind(files, 'subsidy_policy')) {
    const key = `${f.content.divisionCode}/${f.content.year}`;
    const other = policies.get(key);
    if (other) {
      issues.push({
        file: f.fileName,
        line: f.lineOf(['divisionCode']),
        field: 'divisionCode',
        message: `a subsidy policy for division ${f.content.divisionCode} and year ${f.content.year} is also defined by ${other.fileName}`,
      });
    } else {
      policies.set(key, f);
    }
  }
  issues.push(...checkLocalRuleSets(files));
  return issues;
}

/**
 * Loads every *.yaml / *.yml file of a directory (sorted by name), validates each and the set as
 * a whole. Throws one RuleFileError with the problems of all files.
 */
export function loadRuleDirectory(dir: string): { files: ParsedRuleFile[] } {
  const names = readdirSync(dir)
    .filter((n) => /\.ya?ml$/.test(n))
    .sort();
  const files: ParsedRuleFile[] = [];
  const issues: RuleIssue[] = [];
  for (const name of names) {
    try {
      files.push(parseRuleFile(name, readFileSync(join(dir, name), 'utf8')));
    } catch (e) {
      if (e instanceof RuleFileError) issues.push(...e.issues);
      else throw e;
    }
  }
  issues.push(...checkRuleSet(files));
  if (issues.length) throw new RuleFileError(issues);
  return { files };
}

/** The files of one kind, typed. */
export function filesOfKind<K extends RuleFileKind>(files: readonly ParsedRuleFile[], kind: K): Array<ParsedRuleFile<ContentOf<K>>> {
  return files.filter((f): f is ParsedRuleFile<ContentOf<K>> => f.content.kind === kind);
}
