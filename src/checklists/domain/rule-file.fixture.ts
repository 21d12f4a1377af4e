/** Helpers for the rule-file specs: the located messages of a text, and one-occurrence edits of shipped files. */
import { formatIssue, RuleFileError } from './rule-file.errors';
import { parseRuleFile } from './rule-file.loader';

/** The located messages of a rule-file text, [] when it is valid. */
export function issuesOf(fileName: string, text: string): string[] {
  try {
    parseRuleFile(fileName, text);
  } catch (e) {
    if (e instanceof RuleFileError) return e.issues.map(formatIssue);
    throw e;
  }
  return [];
}

/** Replaces exactly one occurrence (fails loudly when the shipped file changed). */
export function edit(text: string, from: string, to: string): string {
  expect(text.split(from)).toHaveLength(2);
  return text.replace(from, to);
}
