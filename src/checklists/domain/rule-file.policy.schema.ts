/**
 * Schemas of the `product_policy` and `working_calendar` rule files (PLACEHOLDER — filled in by the policy work
 * stream). See src/checklists/domain/policy.ts for the values the code reads.
 */
import { z } from 'zod';
import { header, map } from './rule-file.fields';

export const productPolicySchema = map({
  kind: z.literal('product_policy'),
  ...header,
});

export const workingCalendarSchema = map({
  kind: z.literal('working_calendar'),
  ...header,
});
