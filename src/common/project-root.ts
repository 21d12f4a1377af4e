import * as fs from 'node:fs';
import * as path from 'node:path';

let root: string | undefined;

/** The folder holding package.json, whether the code runs from src/ (tests) or dist/src/ (production). */
export function projectRoot(): string {
  if (root) return root;
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('package.json not found above ' + __dirname);
    dir = parent;
  }
  return (root = dir);
}
