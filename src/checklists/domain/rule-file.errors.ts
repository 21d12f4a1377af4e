/** One problem found in a rule file, located by file, line, item (or other entry) and field. */
export interface RuleIssue {
  file: string;
  line: number;
  /** the entry the problem is in, e.g. `item GAS-003`, `part SVC`, `criterion MZ2023-4.2` */
  context?: string;
  /** field path relative to the entry, e.g. `severity`, `appliesWhen.all[1]` */
  field?: string;
  message: string;
}

/** `fire-safety-inspection.yaml:412 item GAS-003 field severity: unknown value "critical" (allowed: general, major)` */
export function formatIssue(issue: RuleIssue): string {
  const where = [issue.context, issue.field === undefined ? undefined : `field ${issue.field}`]
    .filter((s): s is string => !!s)
    .join(' ');
  return `${issue.file}:${issue.line}${where ? ` ${where}` : ''}: ${issue.message}`;
}

/** A rule file (or set of files) that must not be published; `issues` lists every problem found. */
export class RuleFileError extends Error {
  constructor(readonly issues: RuleIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'RuleFileError';
  }
}
