#!/usr/bin/env node
// SQL lives only in repositories: fails when SQL text or a query call appears in src/**/*.ts outside *.repository.ts.
// Spec files are exempt (tests set up and inspect data directly); migrations and the benchmarks live outside src/.
// A grep-level check: it reads the text, so SQL in a comment or a string outside a repository is refused too.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = path.join(root, 'src');

const PATTERNS = [
  { name: 'SELECT', re: /\bSELECT\s/ },
  { name: 'INSERT INTO', re: /\bINSERT\s+INTO\b/ },
  { name: 'UPDATE … SET', re: /\bUPDATE\s+[\w."]+\s+SET\b/ },
  { name: 'DELETE FROM', re: /\bDELETE\s+FROM\b/ },
  { name: '.query(', re: /\.query\s*\(/ },
  { name: 'createQueryBuilder', re: /\bcreateQueryBuilder\b/ },
  { name: 'getRepository', re: /\bgetRepository\s*\(/ },
];

const exempt = (file) => file.endsWith('.repository.ts') || file.endsWith('.spec.ts') || file.split(path.sep).includes('migrations');

function* tsFiles(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* tsFiles(full);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) yield full;
  }
}

const findings = [];
for (const file of tsFiles(srcDir)) {
  if (exempt(file)) continue;
  const text = fs.readFileSync(file, 'utf8');
  for (const { name, re } of PATTERNS) {
    // Whole-text search so a statement split over lines (UPDATE x\n SET) is found; report the line it starts on.
    const global = new RegExp(re.source, 'g');
    for (let m = global.exec(text); m; m = global.exec(text)) {
      const line = text.slice(0, m.index).split('\n').length;
      findings.push(`${path.relative(root, file)}:${line}: ${name} — ${text.split('\n')[line - 1].trim().slice(0, 120)}`);
    }
  }
}

if (findings.length) {
  console.error(`SQL outside repositories (move it into a *.repository.ts method):\n${findings.sort().join('\n')}`);
  process.exit(1);
}
console.log('check-sql-placement: no SQL outside *.repository.ts');
