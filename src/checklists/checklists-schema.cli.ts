import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from '../common/project-root';
import { JSON_SCHEMA_DIR, ruleFileJsonSchemaFiles } from './domain/rule-file.json-schema';

/** `npx ts-node src/checklists/checklists-schema.cli.ts`: rewrites checklists/schema/*.json from the zod schemas. */
const dir = path.join(projectRoot(), 'checklists', JSON_SCHEMA_DIR);
fs.mkdirSync(dir, { recursive: true });
for (const [name, text] of Object.entries(ruleFileJsonSchemaFiles())) {
  fs.writeFileSync(path.join(dir, name), text);
  process.stdout.write(`wrote checklists/${JSON_SCHEMA_DIR}/${name}\n`);
}
