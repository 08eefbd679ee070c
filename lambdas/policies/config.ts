import { z } from 'zod';
import { DENY_FLAGS, denyPatternProblem } from './deny-pattern.js';
import { DETECTOR_NAMES } from './pii/names.js';

/**
 * `plans.<plan>.policies` in gateway.config.json. Every field is optional and off when absent, so a later per-key
 * override can be merged field by field over the plan's. Checked in this order on each request (see apply.ts):
 * models → maxInputBytes → maxInputTokens → maxTokensCap → deny → pii → promptInjection.
 */
export const denyRuleSchema = z
  .strictObject({
    pattern: z
      .string()
      .min(1)
      .max(1000)
      .describe('JavaScript regular expression source, tested against every text the request carries'),
    flags: z
      .string()
      .regex(DENY_FLAGS, 'may only contain i, m, s and u')
      .optional()
      .describe('Regular expression flags: any of i, m, s, u'),
    message: z
      .string()
      .min(1)
      .max(300)
      .optional()
      .describe('What the client is told; by default the rule is named by its position'),
  })
  .superRefine((rule, ctx) => {
    const problem = denyPatternProblem(rule.pattern, rule.flags);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', path: ['pattern'], message: problem });
  });

export const piiPolicySchema = z.strictObject({
  mode: z
    .enum(['redact', 'block'])
    .describe('redact: replace each match with [REDACTED:<detector>]; block: reject the request (400)'),
  detectors: z
    .array(z.enum(DETECTOR_NAMES))
    .min(1)
    .refine((names) => new Set(names).size === names.length, 'lists a detector twice')
    .describe('Which detectors run'),
  applyToOutput: z
    .boolean()
    .optional()
    .describe("Also redact the model's answer, streamed or not (always redaction, whatever the mode). Default false"),
});

export const maxTokensCapSchema = z.strictObject({
  limit: z.int().positive().max(1_000_000).describe('Most output tokens a request may ask for'),
  mode: z
    .enum(['clamp', 'reject'])
    .default('clamp')
    .describe(
      'clamp: lower max_tokens / max_completion_tokens to the limit; reject: 400 when one exceeds it. Either way a request setting neither gets max_completion_tokens = limit',
    ),
});

export const policiesSchema = z
  .strictObject({
    maxInputBytes: z
      .int()
      .min(1)
      .max(10 * 1024 * 1024)
      .optional()
      .describe('Most UTF-8 bytes of text a request may carry (messages, tool calls and results, tool definitions)'),
    maxInputTokens: z
      .int()
      .min(1)
      .max(10_000_000)
      .optional()
      .describe('Most input tokens, as the gateway estimates them (about 4 characters a token)'),
    maxTokensCap: maxTokensCapSchema.optional(),
    models: z
      .array(z.string().min(1).max(64))
      .min(1)
      .optional()
      .describe('The model aliases this plan may use; all when absent'),
    pii: piiPolicySchema.optional(),
    deny: z
      .array(denyRuleSchema)
      .max(100)
      .optional()
      .describe('Requests whose text matches one of these are rejected (400)'),
    promptInjection: z
      .enum(['flag', 'off'])
      .optional()
      .describe(
        'flag: note likely prompt injection in user messages and tool results in the policy decisions; never blocks. Default off',
      ),
  })
  .describe('Policies applied to each request of the plan before it goes upstream, and optionally to the answer');

export type PoliciesConfig = z.output<typeof policiesSchema>;
export type DenyRuleConfig = z.output<typeof denyRuleSchema>;
export type MaxTokensCapConfig = z.output<typeof maxTokensCapSchema>;
