import { z } from 'zod';

/** Schemas of the API's own payloads. Requests are validated with them and /openapi.json is generated from them. */
export const errorResponseSchema = z
  .object({
    error: z.object({
      message: z.string(),
      type: z.string(),
      param: z.string().nullable(),
      code: z.string().nullable(),
    }),
  })
  .meta({ id: 'ErrorResponse', description: 'The OpenAI error shape, used for every error the gateway returns' });

export const liveResponseSchema = z.object({ status: z.literal('ok') }).meta({ id: 'LiveResponse' });

const checkSchema = z.object({
  status: z.enum(['ok', 'fail']),
  detail: z.string().optional(),
});

export const readyResponseSchema = z
  .object({
    status: z.enum(['ok', 'fail']),
    checks: z.object({ config: checkSchema, store: checkSchema, secrets: checkSchema, models: checkSchema }),
    warnings: z
      .array(z.string())
      .optional()
      .describe('Aliases that cannot work (no provider key) and models without a price; the gateway stays ready'),
  })
  .meta({ id: 'ReadyResponse', description: 'Each dependency the gateway needs, and whether it answered' });

export type ReadyResponse = z.infer<typeof readyResponseSchema>;
export type CheckResult = z.infer<typeof checkSchema>;
