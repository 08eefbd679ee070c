import { z } from 'zod';
import { thinkingBlockSchema } from './chat-content-schemas.js';

/**
 * The content blocks of a /v1/messages request, in Anthropic's shapes: text, image, document, tool_use, tool_result,
 * thinking and redacted_thinking, each with the `cache_control` breakpoint Anthropic allows on it (`null`: none).
 */
const TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;
export const toolName = z.string().regex(TOOL_NAME, 'must be 1-64 characters of letters, digits, "_" or "-"');
export const toolId = z.string().min(1).max(256);

export const cacheControl = z
  .strictObject({ type: z.literal('ephemeral'), ttl: z.enum(['5m', '1h']).optional() })
  .nullable()
  .optional();
const cache = { cache_control: cacheControl };

// Blocks a response carried come back as they were in the next turn of an agent loop: a text block with
// `citations: null`, a tool_use block with `caller: { type: "direct" }` — accepted, and meaning nothing more.
export const textBlock = z.strictObject({
  type: z.literal('text'),
  text: z.string(),
  citations: z.null().optional(),
  ...cache,
});
export const imageBlock = z.strictObject({
  type: z.literal('image'),
  source: z.discriminatedUnion('type', [
    z.strictObject({
      type: z.literal('base64'),
      media_type: z.enum(['image/jpeg', 'image/png', 'image/gif', 'image/webp']),
      data: z.string().min(1),
    }),
    z.strictObject({ type: z.literal('url'), url: z.string().regex(/^https?:\/\//i, 'must be an http(s) URL') }),
  ]),
  ...cache,
});
/** A document: a base64 PDF, plain text, a PDF by URL, or content blocks (its text). */
export const documentBlock = z.strictObject({
  type: z.literal('document'),
  source: z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('base64'), media_type: z.literal('application/pdf'), data: z.string().min(1) }),
    z.strictObject({ type: z.literal('text'), media_type: z.literal('text/plain'), data: z.string() }),
    z.strictObject({ type: z.literal('url'), url: z.string().regex(/^https?:\/\//i, 'must be an http(s) URL') }),
    z.strictObject({
      type: z.literal('content'),
      content: z.union([z.string(), z.array(z.discriminatedUnion('type', [textBlock, imageBlock]))]),
    }),
  ]),
  title: z.string().max(500).nullable().optional(),
  context: z.string().nullable().optional(),
  citations: z.strictObject({ enabled: z.boolean().optional() }).nullable().optional(),
  ...cache,
});
export const toolUseBlock = z.strictObject({
  type: z.literal('tool_use'),
  id: toolId,
  name: toolName,
  input: z.record(z.string(), z.unknown()),
  caller: z.strictObject({ type: z.literal('direct') }).optional(),
  ...cache,
});
export const toolResultBlock = z.strictObject({
  type: z.literal('tool_result'),
  tool_use_id: toolId,
  content: z
    .union([z.string(), z.array(z.discriminatedUnion('type', [textBlock, imageBlock, documentBlock]))])
    .optional(),
  is_error: z.boolean().optional(),
  ...cache,
});
const [thinkingBlock, redactedThinkingBlock] = thinkingBlockSchema.options;

export const textContent = z.union([z.string(), z.array(textBlock).min(1)]);
export const userBlocks = z
  .array(z.discriminatedUnion('type', [textBlock, imageBlock, documentBlock, toolResultBlock]))
  .min(1);
export const assistantBlocks = z
  .array(z.discriminatedUnion('type', [textBlock, toolUseBlock, thinkingBlock, redactedThinkingBlock]))
  .min(1);
