import { z } from 'zod';
import { SCOPES } from './scopes.js';

export { SCOPES, type Scope } from './scopes.js';

/** A tenant name, as keys carry it (and usage is counted under). */
export const tenantSchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_-]{0,62}$/,
    'must be 1-63 characters of a-z, 0-9, "_" or "-", starting with a letter or digit',
  );

/** At most this many labels on a key. */
export const MAX_KEY_LABELS = 10;

/**
 * Labels on a key for finance (`cost-centre=cc-42`): carried into usage reports. Names: lower-case letters, digits,
 * `_`, `.`, `-`, starting with a letter or digit, at most 63 characters; values: letters, digits and `_ . : / @ + = -`,
 * 1 to 128 characters (nothing a CSV or a log line must escape).
 */
export const keyLabelsSchema = z
  .record(
    z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,62}$/, 'a label name is 1-63 of a-z, 0-9, "_", ".", "-"'),
    z.string().regex(/^[A-Za-z0-9_.:/@+=-]{1,128}$/, 'a label value is 1-128 of A-Z, a-z, 0-9, "_.:/@+=-"'),
  )
  .refine((labels) => Object.keys(labels).length <= MAX_KEY_LABELS, `at most ${MAX_KEY_LABELS} labels`)
  .describe('Labels for cost allocation, e.g. {"cost-centre": "cc-42"}; at most 10');

export const createKeyRequestSchema = z
  .strictObject({
    tenant: tenantSchema,
    name: z.string().min(1).max(100).optional().describe('A label for people; defaults to "<tenant> key"'),
    plan: z.string().min(1).max(64).optional().describe('A plan from the configuration; defaults to auth.defaultPlan'),
    models: z.array(z.string().min(1).max(64)).min(1).max(100).optional().describe('Allowed aliases; omit for all'),
    scopes: z.array(z.enum(SCOPES)).min(1).optional().describe('Defaults to ["chat"]'),
    expiresAt: z.iso.datetime({ offset: true }).optional().describe('When the key stops working (ISO 8601)'),
    labels: keyLabelsSchema.optional(),
  })
  .meta({ id: 'CreateKeyRequest' });

export const rotateKeyRequestSchema = z
  .strictObject({
    graceSeconds: z
      .int()
      .min(0)
      .max(30 * 86_400)
      .optional()
      .describe('How long the old key keeps working; defaults to auth.rotationGraceSeconds'),
  })
  .meta({ id: 'RotateKeyRequest' });

export const keyStatusSchema = z.enum(['active', 'revoked', 'rotated']);

export const keyViewSchema = z
  .object({
    object: z.literal('gateway.key'),
    id: z.string(),
    tenant: z.string(),
    name: z.string(),
    plan: z.string(),
    models: z.array(z.string()).nullable().describe('null: every alias'),
    scopes: z.array(z.enum(SCOPES)),
    status: keyStatusSchema,
    last4: z.string().describe('The last four characters of the key, for recognising it'),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    expiresAt: z.string().nullable(),
    rotatedFrom: z.string().nullable(),
    rotatedTo: z.string().nullable(),
    graceUntil: z.string().nullable().describe('A rotated key works until then'),
    labels: z.record(z.string(), z.string()).default({}).describe('Labels for cost allocation ({} when none)'),
  })
  .meta({ id: 'GatewayKey', description: 'A gateway key as the admin API shows it: never the key or its hash' });

export const createdKeySchema = keyViewSchema
  .extend({ key: z.string().describe('The key itself. Shown once: only its hash is stored.') })
  .meta({ id: 'CreatedGatewayKey' });

export const keyListSchema = z
  .object({ object: z.literal('list'), data: z.array(keyViewSchema) })
  .meta({ id: 'GatewayKeyList' });

export const modelSchema = z
  .object({
    id: z.string(),
    object: z.literal('model'),
    created: z.int(),
    owned_by: z.string(),
    kind: z
      .enum(['chat', 'embedding'])
      .describe('chat: /v1/chat/completions and /v1/messages; embedding: /v1/embeddings'),
    available: z
      .boolean()
      .optional()
      .describe('false: no target can be called (every provider lacks its key); absent if the keys cannot be read'),
    unavailable_reason: z.string().optional().describe('Why not, when available is false'),
  })
  .meta({ id: 'Model', description: 'A model alias (OpenAI model shape)' });

export const modelListSchema = z
  .object({ object: z.literal('list'), data: z.array(modelSchema) })
  .meta({ id: 'ModelList', description: 'The aliases the calling key may use (OpenAI list shape)' });

export type CreateKeyRequest = z.output<typeof createKeyRequestSchema>;
export type KeyView = z.output<typeof keyViewSchema>;
export type CreatedKey = z.output<typeof createdKeySchema>;
