import { z } from 'zod';
import { KEY_ID_PATTERN } from '../keys/key-format.js';
import { tenantSchema } from './key-schemas.js';

const day = (description: string) => z.iso.date({ error: 'must be a date YYYY-MM-DD (UTC)' }).describe(description);

/** The query of GET /v1/usage; any other parameter is a 400. */
export const usageQuerySchema = z
  .strictObject({
    from: day('First day, included; defaults to the first day of the month of `to`').optional(),
    to: day('Last day, included; defaults to today (UTC)').optional(),
    model: z.string().min(1).max(64).optional().describe('Only this model alias'),
    key_id: z
      .string()
      .regex(KEY_ID_PATTERN, 'must be a key id (key_ and 16 letters or digits)')
      .optional()
      .describe('Only this key'),
  })
  .meta({ id: 'UsageQuery' });

/** The query of GET /admin/usage: the same, and the tenant (every tenant when absent). */
export const adminUsageQuerySchema = usageQuerySchema
  .extend({
    tenant: tenantSchema.optional().describe('Only this tenant; every tenant when absent'),
    detail: z
      .enum(['rows'])
      .optional()
      .describe(
        'rows: also each counter row (tenant, key, model alias, upstream model, day), as `llm-gateway usage --format csv` lists',
      ),
  })
  .meta({ id: 'AdminUsageQuery' });

const count = z.int().min(0);

// Nested in the responses below, so without an id of their own (the OpenAPI document inlines them).
export const usageTotalsSchema = z.object({
  requests: count,
  input_tokens: count,
  output_tokens: count,
  cached_tokens: count.describe('Input tokens read from the provider cache (part of input_tokens)'),
  cache_write_tokens: count.describe('Input tokens written to the provider cache (part of input_tokens)'),
  cost_usd: z.number().min(0).describe('cost_micros / 1,000,000'),
  cost_micros: count.describe('Cost in integer micro-dollars, exact'),
  estimated_requests: count.describe('Requests whose tokens were estimated (the provider reported none)'),
  unpriced_requests: count.describe('Requests of a model without a price: not in the cost'),
  errors: count.describe('Requests that ended in a 5xx'),
  cache_hits: count.describe('Requests answered from the response cache, at no cost (part of requests)'),
  cache_misses: count.describe('Requests under a response cache that found no entry and went upstream'),
  cache_hit_rate: z.number().min(0).max(1).describe('cache_hits / (cache_hits + cache_misses); 0 without lookups'),
  saved_usd: z.number().min(0).describe('saved_micros / 1,000,000'),
  saved_micros: count.describe("What the cache hits would have cost at their day's price, integer micro-dollars"),
  stored_responses: count.describe('Responses stored (POST /v1/responses with store), not in the cost'),
  stored_bytes: count.describe("The stored responses' DynamoDB item bytes (estimated; storage: $0.25 per GB-month)"),
  stored_write_units: count.describe('DynamoDB write request units of storing them (estimated)'),
  stored_write_usd_estimate: z
    .number()
    .min(0)
    .describe('stored_write_units at $1.25 per million (DynamoDB on-demand, us-east-1): an estimate'),
});

const summary = {
  totals: usageTotalsSchema,
  by_day: z.array(usageTotalsSchema.extend({ day: z.string() })).describe('Days with usage, in order'),
  by_model: z.array(usageTotalsSchema.extend({ model: z.string() })).describe('Model aliases with usage, by name'),
  by_key: z
    .array(
      usageTotalsSchema.extend({
        key_id: z.string(),
        labels: z
          .record(z.string(), z.string())
          .optional()
          .describe("The key's labels (GET /v1/usage), when it has any"),
      }),
    )
    .describe('Keys with usage, by id'),
  by_plan: z.array(usageTotalsSchema.extend({ plan: z.string() })).describe("The keys' plans with usage, by name"),
};

export const usageSchema = z
  .object({ object: z.literal('usage'), tenant: z.string(), from: z.string(), to: z.string(), ...summary })
  .meta({ id: 'Usage', description: "The calling key's tenant's usage over a date range (UTC days, both included)" });

export const tenantUsageSchema = z.object({ tenant: z.string(), ...summary });

export const adminUsageSchema = z
  .object({
    object: z.literal('usage'),
    from: z.string(),
    to: z.string(),
    ...summary,
    tenants: z.array(tenantUsageSchema).describe('Each tenant with usage in the range (or the one asked for), by name'),
    rows: z
      .array(
        usageTotalsSchema.extend({
          tenant: z.string(),
          key_id: z.string(),
          model: z.string(),
          upstream_model: z.string().describe('The upstream model that answered ("" when none did)'),
          day: z.string(),
          labels: z.record(z.string(), z.string()).optional().describe("The key's labels"),
        }),
      )
      .optional()
      .describe(
        'With detail=rows: one row per tenant, key, model alias, upstream model and day with usage, in that order',
      ),
  })
  .meta({
    id: 'AdminUsage',
    description: 'Usage over a date range: totals and breakdowns over every tenant included, then per tenant',
  });

export type UsageQuery = z.output<typeof usageQuerySchema>;
export type UsageTotalsView = z.output<typeof usageTotalsSchema>;
export type UsageSummaryView = Omit<z.output<typeof tenantUsageSchema>, 'tenant'>;
export type UsageView = z.output<typeof usageSchema>;
export type AdminUsageView = z.output<typeof adminUsageSchema>;
