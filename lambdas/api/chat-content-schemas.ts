import { z } from 'zod';

/**
 * Content parts of the chat request (OpenAI's, with LiteLLM's extensions for Anthropic targets):
 * - `cache_control` on text, image and file parts (a prompt-cache breakpoint: honoured by Anthropic targets, dropped
 *   and named elsewhere);
 * - a file part's Anthropic document options `context` and `citations` (its `filename` is the document's title);
 * - an assistant's `thinking_blocks` (Anthropic's thinking and redacted_thinking blocks, signatures included, sent
 *   back in the next turn).
 */
export const cacheControlSchema = z.strictObject({
  type: z.literal('ephemeral'),
  ttl: z.enum(['5m', '1h']).optional(),
});
const cache = { cache_control: cacheControlSchema.optional() };

export const textPart = z.strictObject({ type: z.literal('text'), text: z.string(), ...cache });
export const imagePart = z.strictObject({
  type: z.literal('image_url'),
  image_url: z.strictObject({ url: z.string().min(1), detail: z.enum(['auto', 'low', 'high']).optional() }),
  ...cache,
});
/** A file (OpenAI's `file` part): inline as a base64 data URL (`file_data`), or an OpenAI Files id. */
export const filePart = z.strictObject({
  type: z.literal('file'),
  file: z.strictObject({
    file_data: z.string().min(1).optional(),
    file_id: z.string().min(1).optional(),
    filename: z.string().optional(),
  }),
  context: z.string().optional(),
  citations: z.strictObject({ enabled: z.boolean() }).optional(),
  ...cache,
});

export const textContent = z.union([z.string(), z.array(textPart).min(1)]);
/** User and tool content: text, images and files (a tool result may carry images and documents). */
export const mixedContent = z.union([
  z.string(),
  z.array(z.discriminatedUnion('type', [textPart, imagePart, filePart])).min(1),
]);

export const thinkingBlockSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('thinking'), thinking: z.string(), signature: z.string() }),
  z.strictObject({ type: z.literal('redacted_thinking'), data: z.string().min(1) }),
  // An OpenAI reasoning item (Responses API): its id, summary texts and, when asked for, its encrypted content.
  z.strictObject({
    type: z.literal('openai_reasoning'),
    id: z.string().min(1),
    summary: z.array(z.string()),
    encrypted_content: z.string().min(1).optional(),
  }),
]);

const display = z.enum(['summarized', 'omitted']).optional();
/** Anthropic's thinking configuration (`budget_tokens` ≥ 1024, as Anthropic requires). */
export const thinkingSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('enabled'), budget_tokens: z.int().min(1024), display }),
  z.strictObject({ type: z.literal('adaptive'), display }),
  z.strictObject({ type: z.literal('disabled') }),
]);

export type CacheControl = z.output<typeof cacheControlSchema>;
export type ThinkingBlock = z.output<typeof thinkingBlockSchema>;
export type ThinkingConfig = z.output<typeof thinkingSchema>;
export type TextPart = z.output<typeof textPart>;
export type MixedPart = Exclude<z.output<typeof mixedContent>, string>[number];
