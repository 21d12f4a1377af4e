import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from '../common/project-root';
import { checkRuleSet, formatIssue, loadRuleDirectory, parseRuleFile, ParsedRuleFile, RuleFileError, RuleIssue } from './domain';

/**
 * `npm run checklists:check [-- PATH…]`: validates the rule files (default: checklists/). A path may be a folder or
 * a file; single files are checked together with the shipped major-hazard criteria so criterion references resolve.
 * Exit code 0 = valid, 1 = invalid (every problem printed as file:line item field: message).
 */
function check(paths: string[]): { files: ParsedRuleFile[]; issues: RuleIssue[] } {
  const files: ParsedRuleFile[] = [];
  const issues: RuleIssue[] = [];
  const singles: ParsedRuleFile[] = [];
  for (const p of paths) {
    try {
      if (fs.statSync(p).isDirectory()) files.push(...loadRuleDirectory(p).files);
      else singles.push(parseRuleFile(path.basename(p), fs.readFileSync(p, 'utf8')));
    } catch (e) {
      if (e instanceof RuleFileError) issues.push(...e.issues);
      else throw e;
    }
  }
  if (singles.length) {
    const shipped = path.join(projectRoot(), 'checklists', 'major-hazard-criteria.yaml');
    const criteria = singles.some((f) => f.content.kind === 'major_hazard_criteria') || !fs.existsSync(shipped)
      ? [] : [parseRuleFile('major-hazard-criteria.yaml', fs.readFileSync(shipped, 'utf8'))];
    issues.push(...checkRuleSet([...criteria, ...singles]));
    files.push(...singles);
  }
  return { files, issues };
}

const args = process.argv.slice(2);
const { files, issues } = check(args.length ? args : [path.join(projectRoot(), 'checklists')]);
if (issues.length) {
  process.stdout.write(`规则文件有误 / invalid rule files (${issues.length}):\n${issues.map((i) => `  ${formatIssue(i)}`).join('\n')}\n`);
  process.exit(1);
}
for (const f of files) {
  const c = f.content;
  process.stdout.write(`ok  ${f.fileName}  ${c.kind} ${c.code}${'items' in c ? ` (${c.items.length} items)` : ''}  sha256 ${f.hash.slice(0, 12)}\n`);
  for (const w of f.warnings) process.stdout.write(`    注意 / warning: ${w}\n`);
}
