/**
 * JSON Schema of each rule-file kind, generated from the zod schemas (`z.toJSONSchema`) so an editor with the
 * YAML language server completes and checks the files (each names its schema in a `# yaml-language-server:
 * $schema=./schema/<kind>.json` first line). The checked-in copies in checklists/schema/ are kept current by
 * rule-file.json-schema.spec.ts; regenerate with `npx ts-node src/checklists/checklists-schema.cli.ts`.
 * Cross-field rules (sums, monotonic thresholds, criterion references) are checked by the loader only.
 */
import { z } from 'zod';
import { APPLICABILITY_RULE_JSON_SCHEMA, applicabilityRule } from './rule-file.fields';
import { RULE_FILE_SCHEMAS } from './rule-file.schema';
import { RULE_FILE_KINDS, RuleFileKind } from './rule-file.types';

export const JSON_SCHEMA_DIR = 'schema';
export const jsonSchemaFileName = (kind: RuleFileKind): string => `${kind}.json`;

export function ruleFileJsonSchema(kind: RuleFileKind): Record<string, unknown> {
  const generated = z.toJSONSchema(RULE_FILE_SCHEMAS[kind], {
    target: 'draft-7',
    io: 'input',
    unrepresentable: 'any',
    override: ({ zodSchema, jsonSchema }) => {
      // the omitted `kind` of a legal citation
      if (zodSchema._zod.def.type === 'undefined') Object.assign(jsonSchema, { not: {} });
      if (zodSchema === applicabilityRule) Object.assign(jsonSchema, JSON.parse(JSON.stringify(APPLICABILITY_RULE_JSON_SCHEMA).replaceAll('#/$defs/', '#/definitions/')));
    },
  });
  const { $schema, ...rest } = generated;
  return {
    $schema,
    title: `颐安 rule file: ${kind}`,
    description: 'Generated from src/checklists/domain/rule-file*.schema.ts — do not edit; see docs/checklists.md',
    ...rest,
  };
}

/** The text of every schema file, by file name. */
export function ruleFileJsonSchemaFiles(): Record<string, string> {
  return Object.fromEntries(RULE_FILE_KINDS.map((k) => [jsonSchemaFileName(k), `${JSON.stringify(ruleFileJsonSchema(k), null, 2)}\n`]));
}
