import { z } from 'zod';

/**
 * The provider types of issue 18 beside the original four: Azure OpenAI, and the vendor presets of
 * `openai-compatible` (their quirks: providers/openai/vendor-quirks.ts). schema.ts puts them in the provider union.
 */
export const OPENAI_COMPATIBLE_PRESETS = [
  'gemini',
  'groq',
  'mistral',
  'deepseek',
  'together',
  'vllm',
  'ollama',
] as const;
export type OpenAICompatiblePreset = (typeof OPENAI_COMPATIBLE_PRESETS)[number];

export const presetSchema = z
  .enum(OPENAI_COMPATIBLE_PRESETS)
  .describe("The vendor behind this OpenAI-compatible API: the gateway then handles that vendor's known quirks");

/** The `preset` of an openai-compatible provider. */
export const presetField = { preset: presetSchema.optional() };

/** The Azure OpenAI data-plane API version used when the config names none (a GA version). */
export const DEFAULT_AZURE_API_VERSION = '2024-10-21';

export const azureOpenAIProviderSchema = z.strictObject({
  type: z.literal('azure-openai'),
  endpoint: z
    .url({ protocol: /^https?$/, error: 'must be the resource endpoint, e.g. https://my-resource.openai.azure.com' })
    .describe("The Azure OpenAI resource's endpoint (a target's `model` is the deployment name)"),
  apiVersion: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}(-preview)?$/, 'must be an API version such as 2024-10-21')
    .optional()
    .describe(`The api-version query parameter (default ${DEFAULT_AZURE_API_VERSION})`),
  auth: z
    .enum(['api-key', 'entra'])
    .optional()
    .describe(
      'api-key (default): the secret holds the key; entra: the secret holds {"tenantId","clientId","clientSecret"} of a service principal',
    ),
  apiKeyEnv: z
    .string()
    .regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name such as AZURE_OPENAI_API_KEY')
    .optional()
    .describe('Environment variable holding the key (or the Entra credential JSON) when running locally'),
  timeoutMs: z.int().min(100).max(900_000).optional(),
});
