import { z } from 'zod';
import { FUNCTIONS_DEFAULTS, functionsSchema } from './functions-schema.js';
import { CORS_DEFAULTS, corsSchema } from './cors-schema.js';
import { RESPONSES_DEFAULTS, responsesConfigSchema } from './responses-schema.js';
import { budgetsSchema, quotasSchema } from './quotas-schema.js';
import { evaluationSchema, loggingSchema } from './observability-schema.js';
import { policiesSchema } from '../policies/config.js';
import { checkModelKinds } from './model-kinds.js';
import { cacheSchema } from './cache-schema.js';
import { alarmsSchema } from './alarms-schema.js';

export { alarmsSchema, DEFAULT_ERROR_RATE_PERCENT, type AlarmsConfig } from './alarms-schema.js';
import { azureOpenAIProviderSchema, presetField } from './vendor-schemas.js';

/**
 * The shape of gateway.config.json. The JSON Schema published for editors (gateway.config.schema.json) is generated
 * from this, so the two cannot drift. `policies` join it with the policy capability.
 */
const name = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be 1-64 characters of letters, digits, ".", "_" or "-"');

const envVarName = z
  .string()
  .regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name such as OPENAI_API_KEY');

const httpsOrLocalUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
  .describe('Base URL of the provider API');

const awsRegion = z.string().regex(/^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$/, 'must be an AWS region such as us-east-1');

const keyedProvider = {
  baseURL: httpsOrLocalUrl.optional(),
  apiKeyEnv: envVarName.optional().describe('Environment variable holding the key when running locally'),
  timeoutMs: z.int().min(100).max(900_000).optional(),
};

export const providerSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('openai'),
    ...keyedProvider,
    api: z
      .enum(['responses', 'chat'])
      .optional()
      .describe('What /v1/responses requests call: the Responses API (default) or chat completions'),
  }),
  z.strictObject({ type: z.literal('anthropic'), ...keyedProvider }),
  z.strictObject({ type: z.literal('openai-compatible'), ...keyedProvider, baseURL: httpsOrLocalUrl, ...presetField }),
  azureOpenAIProviderSchema,
  z.strictObject({
    type: z.literal('bedrock'),
    region: awsRegion.describe('AWS region of the Bedrock runtime (a target may name another)'),
    timeoutMs: z.int().min(100).max(900_000).optional(),
  }),
  z.strictObject({ type: z.literal('echo') }),
]);

const guardrailSchema = z
  .strictObject({
    identifier: z.string().min(1).max(2048).describe('Guardrail id or ARN'),
    version: z
      .string()
      .regex(/^([1-9][0-9]{0,7}|DRAFT)$/, 'must be a version number or DRAFT')
      .describe('Guardrail version'),
  })
  .describe('Bedrock targets only: the Bedrock Guardrail applied to every call');

export const targetSchema = z.strictObject({
  provider: name.describe('A key of `providers`'),
  model: z.string().min(1).max(256).describe('The model name the provider knows'),
  weight: z.number().positive().optional().describe('Relative weight for the `weighted` strategy'),
  params: z.record(z.string(), z.unknown()).optional().describe('Request parameters this target overrides'),
  dimensions: z
    .int()
    .min(1)
    .max(65_536)
    .optional()
    .describe("Embedding aliases only, and required there: the length of this target's vectors"),
  region: awsRegion.optional().describe("Bedrock targets only: this target's region, if not the provider's"),
  guardrail: guardrailSchema.optional(),
});

export const retrySchema = z.strictObject({
  attempts: z.int().min(1).max(10).default(2).describe('Tries per target, the first included'),
  baseDelayMs: z
    .int()
    .min(0)
    .max(60_000)
    .default(200)
    .describe('Backoff before the 2nd try; doubles each time, full jitter'),
  maxDelayMs: z.int().min(0).max(60_000).default(2_000).describe('Cap of one backoff'),
  maxRetryAfterMs: z
    .int()
    .min(0)
    .max(120_000)
    .default(10_000)
    .describe('Longest Retry-After honoured; longer: next target'),
});

export const timeoutsSchema = z.strictObject({
  requestMs: z
    .int()
    .min(100)
    .max(900_000)
    .default(120_000)
    .describe('Deadline of the whole request, all tries included'),
  connectMs: z.int().min(50).max(120_000).default(10_000).describe('Per try: until the provider answers with a status'),
  firstByteMs: z
    .int()
    .min(50)
    .max(900_000)
    .default(60_000)
    .describe('Per try: until the first content (stream) or the whole answer'),
  idleMs: z.int().min(50).max(900_000).default(30_000).describe('Streams: longest silence between two pieces'),
});

export const breakerSchema = z.strictObject({
  failures: z.int().min(1).max(1_000).default(5).describe('Consecutive failures that open the breaker'),
  errorRate: z.number().gt(0).max(1).optional().describe('Or: this failure rate over the last `window` calls'),
  window: z.int().min(2).max(1_000).default(20),
  cooldownMs: z.int().min(100).max(3_600_000).default(30_000).describe('Open this long, then one probe'),
});

export const hedgeSchema = z.strictObject({
  afterMs: z.int().min(10).max(600_000).describe('Start the next target when the current one produced nothing by then'),
});

export const modelSchema = z.strictObject({
  kind: z
    .enum(['chat', 'embedding'])
    .default('chat')
    .describe('chat: /v1/chat/completions and /v1/messages; embedding: /v1/embeddings'),
  strategy: z.enum(['fallback', 'weighted']).default('fallback'),
  targets: z.array(targetSchema).min(1),
  retry: retrySchema.default({ attempts: 2, baseDelayMs: 200, maxDelayMs: 2_000, maxRetryAfterMs: 10_000 }),
  timeouts: timeoutsSchema.default({ requestMs: 120_000, connectMs: 10_000, firstByteMs: 60_000, idleMs: 30_000 }),
  breaker: breakerSchema.default({ failures: 5, window: 20, cooldownMs: 30_000 }),
  hedge: hedgeSchema.optional(),
  cache: cacheSchema.optional(),
});

export const limitsSchema = z.strictObject({
  maxRequestBytes: z
    .int()
    .min(1024)
    .max(10 * 1024 * 1024)
    .default(1024 * 1024)
    .describe('Largest request body accepted, in bytes (API Gateway itself stops at 10 MB)'),
});

export const planSchema = z.strictObject({
  description: z.string().max(200).optional(),
  rateLimit: z.number().positive().max(10_000).describe('Steady requests per second, per tenant (token bucket refill)'),
  burstLimit: z.int().positive().max(5_000).describe('Bucket size: requests a tenant may send at once'),
  quota: z
    .strictObject({ limit: z.int().positive(), period: z.enum(['DAY', 'WEEK', 'MONTH']) })
    .optional()
    .describe('Requests per tenant per calendar period (UTC)'),
  quotas: quotasSchema.optional(),
  policies: policiesSchema.optional(),
  logging: loggingSchema.optional(),
  evaluation: evaluationSchema.optional(),
  cache: cacheSchema.optional(),
});

export const DEFAULT_PLANS = { default: { rateLimit: 50, burstLimit: 100 } } as const;

export const authSchema = z.strictObject({
  cacheTtlSeconds: z
    .int()
    .min(0)
    .max(3600)
    .default(300)
    .describe(
      'How long an authorizer decision is cached, so how long a revoked key may still be served. On Bearer-only routes ' +
        'API Gateway caches it, keyed on the Authorization header; on Anthropic-format routes (/v1/messages), which ' +
        'take the key in x-api-key or Authorization, the authorizer caches it per key itself for the same time. 0 ' +
        'turns caching off everywhere, and then every key route also takes the key in x-api-key.',
    ),
  defaultPlan: name.default('default').describe('The plan of keys created without one'),
  rotationGraceSeconds: z
    .int()
    .min(0)
    .max(30 * 86_400)
    .default(86_400)
    .describe('How long a rotated key keeps working next to its replacement'),
});

/** True when `value` is exactly the number written with at most 6 decimals (so prices convert to pico-USD exactly). */
const atMostSixDecimals = (value: number): boolean => Number(value.toFixed(6)) === value;

const usdPerMillion = z
  .number()
  .min(0)
  .max(1_000_000)
  .refine(atMostSixDecimals, 'must have at most 6 decimals')
  .describe('USD per 1,000,000 tokens, at most 6 decimals');

export const modelPriceSchema = z.strictObject({
  input: usdPerMillion.describe('USD per 1,000,000 input tokens not read from or written to the cache'),
  output: usdPerMillion
    .optional()
    .describe('USD per 1,000,000 output tokens; required for chat models, left out for embedding models'),
  cachedInput: usdPerMillion
    .optional()
    .describe("USD per 1,000,000 input tokens read from the provider's cache; defaults to `input`"),
  cacheWrite: usdPerMillion
    .optional()
    .describe("USD per 1,000,000 input tokens written to the provider's cache; defaults to `input`"),
  cacheWrite1h: usdPerMillion
    .optional()
    .describe(
      'USD per 1,000,000 input tokens written to a one-hour cache (Anthropic\'s `ttl: "1h"`, 2× input); defaults to ' +
        '`cacheWrite`',
    ),
  webSearchPerThousand: usdPerMillion
    .optional()
    .describe('USD per 1,000 web searches of a provider-hosted web search tool; without it their cost is unknown'),
});

export const pricesSchema = z
  .record(name, z.record(z.string().min(1).max(256), modelPriceSchema))
  .describe(
    "Prices per provider (a key of `providers`), then per upstream model (a target's `model`). A call whose model " +
      'has no price is recorded with an unknown cost.',
  );

export const gatewayConfigSchema = z
  .strictObject({
    $schema: z.string().optional(),
    providers: z.record(name, providerSchema).default({}),
    models: z.record(name, modelSchema).default({}),
    plans: z.record(name, planSchema).default(DEFAULT_PLANS),
    auth: authSchema.default({ cacheTtlSeconds: 300, defaultPlan: 'default', rotationGraceSeconds: 86_400 }),
    alarms: alarmsSchema.optional(),
    budgets: budgetsSchema.optional(),
    limits: limitsSchema.default({ maxRequestBytes: 1024 * 1024 }),
    prices: pricesSchema.default({}),
    cors: corsSchema.default(CORS_DEFAULTS),
    responses: responsesConfigSchema.default(RESPONSES_DEFAULTS),
    functions: functionsSchema.default(FUNCTIONS_DEFAULTS),
  })
  .superRefine((config, ctx) => {
    if (!Object.hasOwn(config.plans, config.auth.defaultPlan)) {
      ctx.addIssue({
        code: 'custom',
        path: ['auth', 'defaultPlan'],
        message: `unknown plan "${config.auth.defaultPlan}" (configured: ${Object.keys(config.plans).join(', ') || 'none'})`,
      });
    }
    for (const [plan, spec] of Object.entries(config.plans)) {
      if (spec.burstLimit < spec.rateLimit) {
        ctx.addIssue({
          code: 'custom',
          path: ['plans', plan, 'burstLimit'],
          message: `must be at least rateLimit (${spec.rateLimit}), or the bucket never holds a second's worth`,
        });
      }
      spec.policies?.models?.forEach((alias, index) => {
        if (!Object.hasOwn(config.models, alias)) {
          ctx.addIssue({
            code: 'custom',
            path: ['plans', plan, 'policies', 'models', index],
            message: `unknown model alias "${alias}" (configured: ${Object.keys(config.models).join(', ') || 'none'})`,
          });
        }
      });
    }
    for (const [alias, model] of Object.entries(config.models)) {
      model.targets.forEach((target, index) => {
        if (!Object.hasOwn(config.providers, target.provider)) {
          ctx.addIssue({
            code: 'custom',
            path: ['models', alias, 'targets', index, 'provider'],
            message: `unknown provider "${target.provider}" (configured: ${Object.keys(config.providers).join(', ') || 'none'})`,
          });
        }
      });
    }
    checkModelKinds(config, ctx);
    for (const provider of Object.keys(config.prices)) {
      if (!Object.hasOwn(config.providers, provider)) {
        ctx.addIssue({
          code: 'custom',
          path: ['prices', provider],
          message: `unknown provider "${provider}" (configured: ${Object.keys(config.providers).join(', ') || 'none'})`,
        });
      }
    }
  });

export type GatewayConfig = z.output<typeof gatewayConfigSchema>;
export type ProviderConfig = z.output<typeof providerSchema>;
export type PlanConfig = z.output<typeof planSchema>;
export type RetryConfig = z.output<typeof retrySchema>;
export type TimeoutsConfig = z.output<typeof timeoutsSchema>;
export type BreakerConfig = z.output<typeof breakerSchema>;
export type ModelPriceConfig = z.output<typeof modelPriceSchema>;
