import { z } from 'zod';

/** Limits of one scope (a tenant, or each key), per calendar period in UTC. Absent fields: no limit. */
export const scopeLimitsSchema = z
  .strictObject({
    tokensPerDay: z.int().positive().optional().describe('Input + output tokens per UTC day'),
    tokensPerMonth: z.int().positive().optional().describe('Input + output tokens per UTC calendar month'),
    usdPerMonth: z
      .number()
      .positive()
      .max(1_000_000_000)
      .refine((value) => Number(value.toFixed(6)) === value, 'must have at most 6 decimals')
      .optional()
      .describe('Cost budget in USD per UTC calendar month (calls to models without a price count 0)'),
  })
  .refine((limits) => Object.values(limits).some((value) => value !== undefined), 'set at least one limit');

export const quotasSchema = z
  .strictObject({
    tenant: scopeLimitsSchema
      .optional()
      .describe("Shared by every key of the tenant (checked against this plan's figures)"),
    key: scopeLimitsSchema.optional().describe('Each key of the plan on its own'),
    reserveOutputTokens: z
      .int()
      .positive()
      .max(1_000_000)
      .default(4_096)
      .describe(
        'Output tokens reserved for a request that sets no max_tokens (and the most reserved for one that sets more): ' +
          'the reservation is the input estimate plus this, reconciled to the actual usage afterwards',
      ),
    leaseRequests: z
      .int()
      .min(1)
      .max(1_000)
      .default(16)
      .describe(
        'Reservations amortised: an instance reserves a lease sized by the observed request rate (64 requests, for 30 s to ' +
          "leaseMaxSeconds, at most an eighth of what is left; this many requests' worth before a rate is known) and " +
          'draws on it without a store call. 1 turns leases off: one reservation per request',
      ),
    leaseMaxSeconds: z
      .int()
      .min(1)
      .max(3_600)
      .default(900)
      .describe(
        'The longest a lease is drawn on before its rest goes back (also how long a crashed instance holds its rest ' +
          'before the sweeper releases it)',
      ),
    warnAt: z
      .array(z.number().positive().max(10))
      .max(10)
      .default([0.8, 1])
      .describe(
        'Budget warnings: the fractions of each limit (tenant and key; tokens per day, per month, USD per month) at ' +
          'which a warning is published once per period (an EventBridge BudgetThresholdReached event and the budget ' +
          'SNS topic in AWS, a `budget threshold reached` log line always). [] turns them off',
      ),
    reservationGraceSeconds: z
      .int()
      .min(0)
      .max(3_600)
      .default(60)
      .describe(
        "How long after a request's deadline its unsettled reservation is released (the gateway instance crashed). " +
          'A settle after that still counts the actual usage',
      ),
  })
  .describe(
    'Token quotas and USD budgets, enforced across all gateway instances: an estimate is reserved in DynamoDB before ' +
      'the upstream call and reconciled to the actual usage after it; over a limit the request gets 429 insufficient_quota',
  );

export type ScopeLimits = z.output<typeof scopeLimitsSchema>;
export type QuotasConfig = z.output<typeof quotasSchema>;

/** Where the stack's budget warnings go besides the bus and the budget SNS topic (deployed stacks only). */
export const budgetsSchema = z
  .strictObject({
    email: z
      .union([z.email(), z.array(z.email()).min(1).max(10)])
      .optional()
      .describe(
        'Subscribe this address (or these, at most 10) to the budget SNS topic: every budget warning by e-mail (AWS ' +
          'sends a confirmation mail first)',
      ),
  })
  .describe('Budget warnings (quotas.warnAt thresholds) in AWS: their e-mail recipients');

export type BudgetsConfig = z.output<typeof budgetsSchema>;
