import { z } from 'zod';

/** Feedback scores: -1 (bad) … 1 (good), fractions allowed (a 1–5 star scale maps to (stars - 3) / 2). */
export const FEEDBACK_SCORE = { min: -1, max: 1 } as const;
export const MAX_FEEDBACK_COMMENT = 2000;

/** POST /v1/feedback. */
export const feedbackRequestSchema = z
  .strictObject({
    request_id: z
      .string()
      .min(1)
      .max(100)
      .describe(
        "The gateway's id of the request: the X-Gateway-Ledger-Id header (req_…), or the answer's id (chatcmpl-req_… or msg_req_…)",
      ),
    score: z
      .number()
      .min(FEEDBACK_SCORE.min)
      .max(FEEDBACK_SCORE.max)
      .describe('-1 (bad) to 1 (good); fractions allowed'),
    label: z
      .string()
      .regex(
        /^[A-Za-z0-9][A-Za-z0-9 ._:/-]{0,63}$/,
        'must be 1-64 characters of letters, digits, space, ".", "_", ":", "/" or "-"',
      )
      .optional()
      .describe('A short category, e.g. "helpful", "wrong-answer"'),
    comment: z
      .string()
      .min(1)
      .max(MAX_FEEDBACK_COMMENT)
      .optional()
      .describe(`Free text, at most ${MAX_FEEDBACK_COMMENT} characters`),
  })
  .meta({ id: 'FeedbackRequest' });

// Nested in the responses below, so without an id of their own (the OpenAPI document inlines it).
export const feedbackViewSchema = z.object({
  score: z.number(),
  label: z.string().nullable(),
  comment: z.string().nullable(),
  key_id: z.string().describe('The key that gave it'),
  created_at: z.string(),
});

export const feedbackResponseSchema = z
  .object({
    object: z.literal('feedback'),
    request_id: z.string().describe('The ledger id (req_…)'),
    ...feedbackViewSchema.shape,
  })
  .meta({ id: 'FeedbackResponse' });

export const requestRecordSchema = z
  .object({
    object: z.literal('request'),
    id: z.string().describe('The ledger id (req_…)'),
    request_id: z.string().describe('The X-Request-Id of the request, for correlation with logs'),
    created_at: z.string(),
    tenant: z.string(),
    key_id: z.string(),
    plan: z.string(),
    model: z.string().describe('The alias asked for'),
    provider: z.string().nullable(),
    provider_model: z.string().nullable(),
    status: z.int(),
    stream: z.boolean(),
    usage: z
      .object({
        input_tokens: z.int(),
        output_tokens: z.int(),
        cached_tokens: z.int(),
        cache_write_tokens: z.int(),
        estimated: z.boolean(),
      })
      .nullable(),
    cost_micros: z.int().nullable(),
    cost_usd: z.number().nullable(),
    attempts: z.int(),
    feedback: feedbackViewSchema.nullable(),
  })
  .meta({ id: 'RequestRecord', description: 'One request as the ledger recorded it, with its feedback' });

export type FeedbackView = z.output<typeof feedbackViewSchema>;
export type RequestRecordView = z.output<typeof requestRecordSchema>;
