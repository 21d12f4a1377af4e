/**
 * Turns zod issues into located rule-file issues: `file:line entry field message`, the line taken from the
 * YAML position map, the entry (`item GAS-003`, `part SVC`, `grade 三级`) from the raw data at the issue's path.
 */
import type { z } from 'zod';
import { ALLOWED_PREFIX } from './rule-file.fields';
import { RuleIssue } from './rule-file.errors';
import { ValuePath, YamlPositions } from './yaml-positions';

/** `'#'` matches a list index. */
export interface EntrySpec {
  at: ReadonlyArray<string>;
  label: (raw: unknown, index: number) => string;
  /** prefix the label of the enclosing entry (`part SVC item SVC-03`) */
  nested?: boolean;
}

/** `item GAS-003`, or `item #4` when the entry has no usable code. */
export const byCode =
  (word: string) =>
  (raw: unknown, index: number): string => {
    const code = field(raw, 'code');
    return `${word} ${typeof code === 'string' && code ? code : `#${index + 1}`}`;
  };

export function field(raw: unknown, key: string): unknown {
  return raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>)[key] : undefined;
}

/**
 * A cross-field issue may point at a second place, e.g. where a duplicated code was first defined:
 * `params: { firstDefinedAt: path }` is rendered as ` (first defined on line N)`.
 */
export interface IssueParams {
  firstDefinedAt?: ValuePath;
}

export function formatPath(path: ValuePath): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${p}` : p;
  return out;
}

function matches(spec: EntrySpec, path: ValuePath): boolean {
  return spec.at.length <= path.length && spec.at.every((s, i) => (s === '#' ? typeof path[i] === 'number' : s === path[i]));
}

function valueAt(data: unknown, path: ValuePath): unknown {
  let v = data;
  for (const p of path) v = Array.isArray(v) ? v[p as number] : field(v, String(p));
  return v;
}

function entryOf(path: ValuePath, data: unknown, specs: readonly EntrySpec[]): { label: string; root: ValuePath } | undefined {
  const found = specs.filter((s) => matches(s, path)).sort((a, b) => b.at.length - a.at.length);
  const [spec] = found;
  if (!spec) return undefined;
  const root = path.slice(0, spec.at.length);
  const label = spec.label(valueAt(data, root), root[root.length - 1] as number);
  const outer = spec.nested ? entryOf(root.slice(0, -1), data, found.slice(1)) : undefined;
  return { label: outer ? `${outer.label} ${label}` : label, root };
}

export function toRuleIssues(
  issues: readonly z.core.$ZodIssue[],
  file: string,
  data: unknown,
  positions: YamlPositions,
  specs: readonly EntrySpec[],
): RuleIssue[] {
  const located: Array<{ path: ValuePath; message: string }> = [];
  for (const iss of issues) {
    const path = iss.path.map((p) => (typeof p === 'number' ? p : String(p)));
    if (iss.code === 'unrecognized_keys') {
      // reported before the other problems of the same map, as a reader meets them
      const allowed = iss.message.startsWith(ALLOWED_PREFIX) ? ` (${iss.message})` : '';
      const at = located.findIndex((l) => path.every((p, i) => l.path[i] === p));
      const unknown = iss.keys.map((k) => ({ path: [...path, k], message: `unknown field "${k}"${allowed}` }));
      located.splice(at < 0 ? located.length : at, 0, ...unknown);
      continue;
    }
    const params = (iss.code === 'custom' ? iss.params : undefined) as IssueParams | undefined;
    const also = params?.firstDefinedAt ? ` (first defined on line ${positions.lineOf(params.firstDefinedAt)})` : '';
    located.push({ path, message: `${iss.message}${also}` });
  }
  return located.map(({ path, message }) => {
    const entry = entryOf(path, data, specs);
    const relative = entry ? path.slice(entry.root.length) : path;
    return {
      file,
      line: positions.lineOf(path),
      ...(entry ? { context: entry.label } : {}),
      ...(relative.length ? { field: formatPath(relative) } : {}),
      message,
    };
  });
}
