import { readdirSync, readFileSync } from 'fs';
import { resolve } from 'path';
import { loadRuleDirectory } from './rule-file.loader';
import { JSON_SCHEMA_DIR, jsonSchemaFileName, ruleFileJsonSchemaFiles } from './rule-file.json-schema';

const RULES_DIR = resolve(__dirname, '../../../checklists');
const SCHEMA_DIR = resolve(RULES_DIR, JSON_SCHEMA_DIR);

describe('JSON Schema of the rule files (checklists/schema/)', () => {
  const expected = ruleFileJsonSchemaFiles();

  it('is generated from the zod schemas and checked in up to date', () => {
    expect(readdirSync(SCHEMA_DIR).sort()).toEqual(Object.keys(expected).sort());
    for (const [name, text] of Object.entries(expected)) {
      // out of date? run: npx ts-node src/checklists/checklists-schema.cli.ts
      expect([name, readFileSync(resolve(SCHEMA_DIR, name), 'utf8')]).toEqual([name, text]);
    }
  });

  it('is named by every shipped rule file for the YAML language server', () => {
    for (const f of loadRuleDirectory(RULES_DIR).files) {
      const [first] = readFileSync(resolve(RULES_DIR, f.fileName), 'utf8').split('\n');
      expect([f.fileName, first]).toEqual([f.fileName, `# yaml-language-server: $schema=./${JSON_SCHEMA_DIR}/${jsonSchemaFileName(f.content.kind)}`]);
    }
  });

  it('describes the strict maps and the applicability language', () => {
    const checklist = JSON.parse(expected['inspection_checklist.json']);
    const item = checklist.properties.items.items;
    expect(item.additionalProperties).toBe(false);
    expect(item.required).toEqual(['code', 'category', 'title', 'check', 'basis', 'severity', 'deadlineDays', 'evidence']);
    expect(Object.keys(item.properties)).not.toContain('weight');
    expect(item.properties.severity.enum).toEqual(['general', 'major']);
    expect(item.properties.appliesWhen).toEqual({ allOf: [{ $ref: '#/definitions/applicabilityRule' }] });
    expect(checklist.definitions.applicabilityRule.anyOf).toHaveLength(4);
  });
});
