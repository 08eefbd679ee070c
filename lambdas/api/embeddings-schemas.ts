import { z } from 'zod';
import { inputList, inputTokens } from './embedding-inputs.js';

export type { EmbeddingInput } from '../providers/embedding-types.js';
export { inputList, inputTokens } from './embedding-inputs.js';

/**
 * POST /v1/embeddings: OpenAI's Embeddings API format, validated strictly, with OpenAI's documented limits: at most
 * 2,048 inputs, each at most 8,192 tokens, at most 300,000 tokens in all. Text is counted with the gateway's estimate
 * (lambdas/usage/estimate.ts, about 4 characters a token), token arrays by their length.
 */
export const EMBEDDING_LIMITS = { inputs: 2048, tokensPerInput: 8192, totalTokens: 300_000 } as const;

const text = z.string().min(1);
const token = z.int().min(0).max(4_294_967_295);
const tokens = z.array(token).min(1).max(EMBEDDING_LIMITS.tokensPerInput);

export const embeddingInputSchema = z.union(
  [
    text,
    z.array(text).min(1).max(EMBEDDING_LIMITS.inputs),
    tokens,
    z.array(tokens).min(1).max(EMBEDDING_LIMITS.inputs),
  ],
  {
    error:
      `must be a non-empty string, an array of 1 to ${EMBEDDING_LIMITS.inputs} non-empty strings, an array of ` +
      `token ids, or an array of 1 to ${EMBEDDING_LIMITS.inputs} arrays of token ids`,
  },
);

export const embeddingsRequestSchema = z
  .strictObject({
    model: z.string().min(1).max(256).describe('An embedding alias (GET /v1/models: `kind: "embedding"`)'),
    input: embeddingInputSchema,
    encoding_format: z
      .enum(['float', 'base64'])
      .optional()
      .describe('float (default) or base64: little-endian float32, as the openai SDK decodes it'),
    dimensions: z.int().min(1).max(65_536).optional().describe("At most the alias's dimensions"),
    user: z.string().max(256).optional(),
  })
  .superRefine((request, ctx) => {
    let total = 0;
    inputList(request.input).forEach((input, index) => {
      const count = inputTokens(input);
      total += count;
      if (count > EMBEDDING_LIMITS.tokensPerInput) {
        ctx.addIssue({
          code: 'custom',
          path: ['input', ...(typeof request.input === 'string' ? [] : [index])],
          message: `is about ${count} tokens; an input may have at most ${EMBEDDING_LIMITS.tokensPerInput}`,
        });
      }
    });
    if (total > EMBEDDING_LIMITS.totalTokens) {
      ctx.addIssue({
        code: 'custom',
        path: ['input'],
        message: `is about ${total} tokens in all; a request may have at most ${EMBEDDING_LIMITS.totalTokens}`,
      });
    }
  })
  .meta({ id: 'EmbeddingsRequest', description: "OpenAI's embeddings request, on an embedding alias" });

export type EmbeddingsRequest = z.output<typeof embeddingsRequestSchema>;

export const embeddingListSchema = z
  .object({
    object: z.literal('list'),
    data: z.array(
      z.object({
        object: z.literal('embedding'),
        index: z.int(),
        embedding: z.union([z.array(z.number()), z.string()]).describe('Floats, or base64 of little-endian float32'),
      }),
    ),
    model: z.string().describe('The alias'),
    usage: z.object({ prompt_tokens: z.int(), total_tokens: z.int() }),
  })
  .meta({ id: 'EmbeddingList', description: "OpenAI's embeddings answer" });
