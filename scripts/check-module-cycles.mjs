#!/usr/bin/env node
// No folder-level import cycles under src/. Each top-level folder (src/<feature>/…) is one node; an import in a file of
// one folder of a file in another is an edge. Prints every elementary cycle with an example import per edge and exits 1
// if there is any. Dependency-free on purpose (no madge / dependency-cruiser).
//
//   node scripts/check-module-cycles.mjs [--all] [--graph] [srcDir]
//
// What counts: `import … from '…'`, `import '…'`, `export … from '…'`, `import('…')` and `require('…')` with a relative
// specifier, type-only imports included (they couple the folders just the same); comments are ignored.
// What does not: `*.spec.ts` (a test may reach across folders), and the entry points — files directly in src/
// (app.module.ts, main.ts, worker.ts, bootstrap.ts) and `*.cli.ts` — which wire everything and are imported by
// nothing (importing one is reported as an error).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const showAll = args.includes('--all');
const showGraph = args.includes('--graph');
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = resolve(args.find((a) => !a.startsWith('--')) ?? join(root, 'src'));
const MAX_PRINTED = 100;

function* walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'node_modules' && name !== 'static') yield* walk(p);
    } else if (p.endsWith('.ts') && !p.endsWith('.d.ts') && !p.endsWith('.spec.ts')) yield p;
  }
}

/** The top-level folder a path belongs to ('.' for src/ itself, null outside src/). */
function folderOf(path) {
  const rel = relative(src, path);
  if (rel.startsWith('..')) return null;
  const parts = rel.split(sep);
  return parts.length > 1 ? parts[0] : '.';
}
const isEntryPoint = (file) => folderOf(file) === '.' || file.endsWith('.cli.ts');

// One left-to-right scan: an import construct (its specifier in group 2), or a comment or string literal to skip — so
// an `import '…'` inside a string or a comment is not an edge.
const TOKENS = /(?:\bimport\s+(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?|\bexport\s+(?:type\s+)?(?:\*(?:\s+as\s+\w+)?|\{[^}]*\})\s+from\s+|\bimport\s*\(\s*|\brequire\s*\(\s*)(['"])([^'"\n]+)\1|\/\*[\s\S]*?\*\/|\/\/[^\n]*|'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|`(?:\\.|[^`\\])*`/g;

/** folder → folder → first example { file, line, spec } */
const edges = new Map();
const errors = [];
for (const file of walk(src)) {
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(TOKENS)) {
    const spec = m[2];
    if (spec === undefined || !spec.startsWith('.')) continue;
    const target = resolve(dirname(file), spec);
    const line = text.slice(0, m.index).split('\n').length;
    if (!isEntryPoint(file) && isEntryPoint(`${target}.ts`) && folderOf(target) !== null) {
      errors.push(`${relative(root, file)}:${line} imports the entry point '${spec}'`);
      continue;
    }
    if (isEntryPoint(file)) continue;
    const from = folderOf(file);
    const to = folderOf(target);
    if (to === null || to === from) continue;
    if (!edges.has(from)) edges.set(from, new Map());
    const out = edges.get(from);
    if (!out.has(to)) out.set(to, { file: relative(root, file), line, spec });
  }
}

if (showGraph) {
  for (const [from, out] of [...edges].sort()) console.log(`${from} → ${[...out.keys()].sort().join(', ')}`);
}

// Every elementary cycle, each found once: from its smallest folder name, through larger names only.
const nodes = [...new Set([...edges.keys(), ...[...edges.values()].flatMap((m) => [...m.keys()])])].sort();
const cycles = [];
for (const start of nodes) {
  const path = [start];
  const onPath = new Set(path);
  const visit = (node) => {
    for (const next of [...(edges.get(node)?.keys() ?? [])].sort()) {
      if (next === start) cycles.push([...path]);
      else if (next > start && !onPath.has(next)) {
        path.push(next);
        onPath.add(next);
        visit(next);
        path.pop();
        onPath.delete(next);
      }
    }
  };
  visit(start);
}

const where = relative(root, src) || '.';
for (const e of errors) console.error(`check-module-cycles: ${e}`);
if (!cycles.length) {
  console.log(`check-module-cycles: no folder-level import cycle under ${where}/ (${nodes.length} folders, ${[...edges.values()].reduce((n, m) => n + m.size, 0)} edges)`);
  process.exit(errors.length ? 1 : 0);
}
cycles.sort((a, b) => a.length - b.length || a.join().localeCompare(b.join()));
console.error(`check-module-cycles: ${cycles.length} folder-level import cycle(s) under ${where}/:`);
for (const cycle of showAll ? cycles : cycles.slice(0, MAX_PRINTED)) {
  console.error(`\n  ${[...cycle, cycle[0]].join(' → ')}`);
  cycle.forEach((from, i) => {
    const to = cycle[(i + 1) % cycle.length];
    const e = edges.get(from).get(to);
    console.error(`    ${from} → ${to}: ${e.file}:${e.line} imports '${e.spec}'`);
  });
}
if (!showAll && cycles.length > MAX_PRINTED) console.error(`\n  … and ${cycles.length - MAX_PRINTED} longer ones (--all prints every one)`);
process.exit(1);
