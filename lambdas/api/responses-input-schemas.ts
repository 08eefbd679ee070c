import { z } from 'zod';
import { HOSTED_CALL_ITEMS } from './hosted-call-items.js';
import { responsesToolSchema } from './responses-tool-schemas.js';

/**
 * The input items of a /v1/responses request (OpenAI's Responses API), validated strictly: messages (with or without
 * `type: "message"`) of input_text / input_image / input_file / output_text / refusal parts, function_call,
 * function_call_output, custom_tool_call, custom_tool_call_output, reasoning items and item_reference. Output items
 * a client sends back as they came (ids, statuses, annotations) are accepted as they are.
 */
const itemId = z.string().min(1).max(256);
const itemStatus = z.enum(['in_progress', 'completed', 'incomplete']).nullable().optional();

const inputText = z.strictObject({ type: z.literal('input_text'), text: z.string() });
const inputImage = z.strictObject({
  type: z.literal('input_image'),
  image_url: z.string().min(1).nullable().optional(),
  file_id: z.string().min(1).nullable().optional(),
  detail: z.enum(['auto', 'low', 'high', 'original']).nullable().optional(),
});
const inputFile = z.strictObject({
  type: z.literal('input_file'),
  file_data: z.string().min(1).optional(),
  file_id: z.string().min(1).nullable().optional(),
  file_url: z.string().min(1).optional(),
  filename: z.string().optional(),
});
const outputText = z.strictObject({
  type: z.literal('output_text'),
  text: z.string(),
  annotations: z.array(z.unknown()).optional(),
  logprobs: z.array(z.unknown()).optional(),
});
const refusal = z.strictObject({ type: z.literal('refusal'), refusal: z.string() });

export const contentPartSchema = z.discriminatedUnion('type', [inputText, inputImage, inputFile, outputText, refusal]);

export const messageItemSchema = z.strictObject({
  type: z.literal('message').optional(),
  id: itemId.optional(),
  role: z.enum(['user', 'system', 'developer', 'assistant']),
  content: z.union([z.string(), z.array(contentPartSchema)]),
  status: itemStatus,
  phase: z.enum(['commentary', 'final_answer']).nullable().optional(),
});

export const functionCallItemSchema = z.strictObject({
  type: z.literal('function_call'),
  id: itemId.optional(),
  call_id: z.string().min(1).max(256),
  name: z.string().min(1).max(128),
  arguments: z.string(),
  namespace: z.string().optional(),
  status: itemStatus,
});

export const functionCallOutputItemSchema = z.strictObject({
  type: z.literal('function_call_output'),
  id: itemId.nullable().optional(),
  call_id: z.string().min(1).max(256),
  output: z.union([z.string(), z.array(z.discriminatedUnion('type', [inputText, inputImage, inputFile]))]),
  status: itemStatus,
});

export const customToolCallItemSchema = z.strictObject({
  type: z.literal('custom_tool_call'),
  id: itemId.optional(),
  call_id: z.string().min(1).max(256),
  name: z.string().min(1).max(128),
  input: z.string(),
  namespace: z.string().optional(),
  status: itemStatus,
});

export const customToolCallOutputItemSchema = z.strictObject({
  type: z.literal('custom_tool_call_output'),
  id: itemId.nullable().optional(),
  call_id: z.string().min(1).max(256),
  output: z.union([z.string(), z.array(z.discriminatedUnion('type', [inputText, inputImage, inputFile]))]),
  status: itemStatus,
});

const summaryText = z.strictObject({ type: z.literal('summary_text'), text: z.string() });
const reasoningText = z.strictObject({ type: z.literal('reasoning_text'), text: z.string() });
export const reasoningItemSchema = z.strictObject({
  type: z.literal('reasoning'),
  id: itemId.optional(),
  summary: z.array(summaryText),
  content: z.array(reasoningText).nullable().optional(),
  encrypted_content: z.string().nullable().optional(),
  status: itemStatus,
});

export const itemReferenceSchema = z.strictObject({ type: z.literal('item_reference'), id: itemId });

/**
 * A provider-hosted tool's item of an earlier answer (Codex replays its web_search_call items), as it came: accepted,
 * not sent on (the canonical conversation has no place for it; named input[].<type> in X-Gateway-Ignored).
 */
export { HOSTED_CALL_ITEMS } from './hosted-call-items.js';
export const hostedCallItemSchema = z.looseObject({ type: z.enum(HOSTED_CALL_ITEMS), id: itemId.optional() });

/** Tools a client (Codex, with model names it knows) gives in the input: they join the request's tools. */
export const additionalToolsItemSchema = z.strictObject({
  type: z.literal('additional_tools'),
  id: itemId.nullable().optional(),
  role: z.enum(['developer', 'system', 'user']).optional(),
  tools: z.array(responsesToolSchema).max(512),
});

/** One input item. A message may leave out `type`; every other item names it. */
export const inputItemSchema = z.union([
  messageItemSchema,
  z.discriminatedUnion('type', [
    functionCallItemSchema,
    functionCallOutputItemSchema,
    customToolCallItemSchema,
    customToolCallOutputItemSchema,
    reasoningItemSchema,
    itemReferenceSchema,
    hostedCallItemSchema,
    additionalToolsItemSchema,
  ]),
]);

export type ContentPart = z.output<typeof contentPartSchema>;
export type MessageItem = z.output<typeof messageItemSchema>;
export type FunctionCallItem = z.output<typeof functionCallItemSchema>;
export type FunctionCallOutputItem = z.output<typeof functionCallOutputItemSchema>;
export type CustomToolCallItem = z.output<typeof customToolCallItemSchema>;
export type CustomToolCallOutputItem = z.output<typeof customToolCallOutputItemSchema>;
export type ReasoningItem = z.output<typeof reasoningItemSchema>;
export type InputItem = z.output<typeof inputItemSchema>;
export type HostedCallItem = z.output<typeof hostedCallItemSchema>;
export type AdditionalToolsItem = z.output<typeof additionalToolsItemSchema>;
/** An input item as stored: item references resolved, so every item is one of these. */
export type ResolvedItem = Exclude<InputItem, { type: 'item_reference' }>;
