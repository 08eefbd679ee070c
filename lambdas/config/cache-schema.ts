import { z } from 'zod';

/**
 * The response cache of an alias or a plan (lambdas/cache): off unless configured. An alias's `cache` wins over its
 * plan's; `ttlSeconds: 0` on an alias turns its plan's cache off for it.
 */
export const cacheSchema = z
  .strictObject({
    ttlSeconds: z
      .int()
      .min(0)
      .max(30 * 86_400)
      .describe("How long an answer is replayed; 0: not cached (an alias opting out of its plan's cache)"),
    scope: z
      .union([
        z.literal('tenant'),
        z.string().regex(/^shared:[A-Za-z0-9._-]{1,64}$/, 'must be "tenant" or "shared:<name>"'),
      ])
      .default('tenant')
      .describe(
        'Who shares entries: "tenant" (default: each tenant its own), or "shared:<namespace>": every tenant whose ' +
          'request comes under this configuration, explicitly',
      ),
    cacheSampled: z
      .boolean()
      .default(false)
      .describe('Also cache requests sampled with temperature > 0 (or without temperature: the provider default is 1)'),
  })
  .describe('Exact-match response cache (chat and embeddings answers, per tenant by default), with its TTL');

export type CacheConfig = z.output<typeof cacheSchema>;
