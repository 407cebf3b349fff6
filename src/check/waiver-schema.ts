import * as z from 'zod';
import { isRuleId } from './rule-catalog.ts';

/** twelve-factor.json: the waivers a team has decided on, each with its reason. */
export function waiverSchema() {
  return z.strictObject({
    $schema: z.string().optional(),
    waive: z.array(
      z.strictObject({
        rule: z.string().refine(isRuleId, {
          error: (issue) => `unknown rule id "${String(issue.input)}" (create-twelve-app check --rules lists them)`,
        }),
        path: z.string().min(1).optional(),
        reason: z.string({ error: 'a reason is required' }).trim().min(1, { error: 'a reason is required' }),
      }),
    ),
  });
}
