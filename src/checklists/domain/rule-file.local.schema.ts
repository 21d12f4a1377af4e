/**
 * Schema of the `local_rule_set` rule file (PLACEHOLDER — filled in by the local-rules work stream): the deploying
 * city's own rules that enable, adjust or add checklist items and criteria.
 */
import { z } from 'zod';
import { header, map } from './rule-file.fields';

export const localRuleSetSchema = map({
  kind: z.literal('local_rule_set'),
  ...header,
});
