import { z } from 'zod';
import { setChatRequestCheck } from './chat-request-check.js';
import {
  cacheControlSchema,
  mixedContent,
  textContent,
  thinkingBlockSchema,
  thinkingSchema,
} from './chat-content-schemas.js';

/**
 * The chat request: the OpenAI Chat Completions format, validated strictly. A field not listed here is a 400
 * naming it. A listed field a target cannot honour is translated there, or dropped and named in X-Gateway-Ignored
 * when it is a hint that does not change the answer's meaning, or a 400 naming it when its loss would.
 */
const name = z.string().min(1).max(64).optional();
export const toolCallSchema = z.strictObject({
  id: z.string().min(1).max(256),
  type: z.literal('function'),
  function: z.strictObject({ name: z.string().min(1).max(64), arguments: z.string() }),
});

export const messageSchema = z.discriminatedUnion('role', [
  z.strictObject({ role: z.literal('system'), content: textContent, name }),
  z.strictObject({ role: z.literal('developer'), content: textContent, name }),
  z.strictObject({ role: z.literal('user'), content: mixedContent, name }),
  z
    .strictObject({
      role: z.literal('assistant'),
      content: textContent.nullable().optional(),
      tool_calls: z.array(toolCallSchema).min(1).optional(),
      refusal: z.string().nullable().optional(),
      name,
      // Anthropic's thinking blocks of this turn (LiteLLM's name), sent back with their signatures.
      thinking_blocks: z.array(thinkingBlockSchema).optional(),
      // The reasoning text of an earlier answer, sent back as the gateway gave it (@ai-sdk/openai-compatible does).
      reasoning_content: z.string().nullable().optional(),
    })
    .refine((m) => (m.content !== undefined && m.content !== null) || m.tool_calls !== undefined, {
      message: 'an assistant message needs content or tool_calls',
    }),
  // `name`: LangChain's ToolMessage (tool.invoke(toolCall), LangGraph's ToolNode) carries the tool's name.
  // Images and files in a tool's result: Anthropic's tool_result carries them; OpenAI targets move them to a user message.
  z.strictObject({
    role: z.literal('tool'),
    content: mixedContent,
    tool_call_id: z.string().min(1).max(256),
    name,
    cache_control: cacheControlSchema.optional(),
  }),
]);

/** Tool descriptions up to 64 KiB characters (coding agents send ~19,000). */
export const TOOL_DESCRIPTION_MAX = 65_536;

/** A function's parameters: a JSON Schema whose root is an object. */
const parametersSchema = z
  .record(z.string(), z.unknown())
  .refine((schema) => schema.type === undefined || schema.type === 'object', {
    message: 'function parameters must be a JSON Schema of type "object"',
  });

export const toolSchema = z.strictObject({
  type: z.literal('function'),
  function: z.strictObject({
    name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 characters of letters, digits, "_" or "-"'),
    description: z.string().max(TOOL_DESCRIPTION_MAX).optional(),
    parameters: parametersSchema.optional(),
    strict: z.boolean().nullable().optional(),
  }),
  // Anthropic-only hints next to `function` (LiteLLM's place for cache_control).
  cache_control: cacheControlSchema.optional(),
  defer_loading: z.boolean().optional(),
  eager_input_streaming: z.boolean().optional(),
});

export const toolChoiceSchema = z.union([
  z.enum(['none', 'auto', 'required']),
  z.strictObject({ type: z.literal('function'), function: z.strictObject({ name: z.string().min(1) }) }),
]);

export const responseFormatSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('text') }),
  z.strictObject({ type: z.literal('json_object') }),
  z.strictObject({
    type: z.literal('json_schema'),
    json_schema: z.strictObject({
      name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
      description: z.string().optional(),
      schema: z.record(z.string(), z.unknown()).optional(),
      strict: z.boolean().nullable().optional(),
    }),
  }),
]);

export const chatRequestSchema = z
  .strictObject({
    model: z.string().min(1).max(64).describe('A model alias from the gateway configuration'),
    messages: z.array(messageSchema).min(1, 'messages must contain at least one message'),
    tools: z.array(toolSchema).min(1).max(128).optional(),
    tool_choice: toolChoiceSchema.optional(),
    parallel_tool_calls: z.boolean().optional(),
    response_format: responseFormatSchema.optional(),
    temperature: z.number().min(0).max(2).nullable().optional(),
    top_p: z.number().min(0).max(1).nullable().optional(),
    max_tokens: z.int().positive().nullable().optional(),
    max_completion_tokens: z.int().positive().nullable().optional(),
    stop: z
      .union([z.string(), z.array(z.string()).max(4)])
      .nullable()
      .optional(),
    seed: z.int().nullable().optional(),
    frequency_penalty: z.number().min(-2).max(2).nullable().optional(),
    presence_penalty: z.number().min(-2).max(2).nullable().optional(),
    user: z.string().max(512).optional(),
    metadata: z.record(z.string().max(64), z.string().max(512)).optional(),
    n: z.literal(1, 'n > 1 is not supported: make separate requests').nullable().optional(),
    stream: z.boolean().nullable().optional(),
    stream_options: z
      .strictObject({ include_usage: z.boolean().optional(), include_obfuscation: z.boolean().optional() })
      .nullable()
      .optional(),
    // Today's fields (README "Fields"): passed to OpenAI targets as they are; elsewhere translated, dropped and named
    // in X-Gateway-Ignored, or a 400 where their loss would change the answer (providers/*/ field rules).
    reasoning_effort: z.enum(['none', 'minimal', 'low', 'medium', 'high', 'xhigh']).nullable().optional(),
    verbosity: z.enum(['low', 'medium', 'high']).nullable().optional(),
    store: z.boolean().nullable().optional(),
    // 'standard_only' is Anthropic's (from /v1/messages).
    service_tier: z.enum(['auto', 'default', 'flex', 'scale', 'priority', 'standard_only']).nullable().optional(),
    prompt_cache_key: z.string().max(1024).optional(),
    prompt_cache_retention: z.enum(['in-memory', '24h']).nullable().optional(),
    safety_identifier: z.string().max(256).optional(),
    logprobs: z.boolean().nullable().optional(),
    top_logprobs: z.int().min(0).max(20).nullable().optional(),
    logit_bias: z.record(z.string(), z.number().min(-100).max(100)).nullable().optional(),
    modalities: z
      .array(z.enum(['text', 'audio']))
      .nullable()
      .optional(),
    prediction: z
      .strictObject({ type: z.literal('content'), content: textContent })
      .nullable()
      .optional(),
    // Anthropic's (LiteLLM's names): translated for Anthropic targets; elsewhere dropped and named, `thinking` as
    // reasoning_effort where the client gave none.
    top_k: z.int().min(0).optional(),
    thinking: thinkingSchema.optional(),
    context_management: z.record(z.string(), z.unknown()).optional(),
  })
  .superRefine((request, ctx) => {
    const choice = request.tool_choice;
    if (typeof choice === 'object' && !request.tools?.some((tool) => tool.function.name === choice.function.name)) {
      ctx.addIssue({
        code: 'custom',
        path: ['tool_choice'],
        message: `names "${choice.function.name}", which is not in tools`,
      });
    }
    if (choice !== undefined && choice !== 'none' && request.tools === undefined) {
      ctx.addIssue({ code: 'custom', path: ['tool_choice'], message: 'needs tools' });
    }
    if (request.stream_options != null && request.stream !== true) {
      ctx.addIssue({ code: 'custom', path: ['stream_options'], message: 'is only allowed with stream: true' });
    }
    request.messages.forEach((message, at) => {
      if ((message.role !== 'user' && message.role !== 'tool') || typeof message.content === 'string') return;
      message.content.forEach((part, index) => {
        if (part.type === 'file' && (part.file.file_data === undefined) === (part.file.file_id === undefined)) {
          ctx.addIssue({
            code: 'custom',
            path: ['messages', at, 'content', index, 'file'],
            message: 'needs exactly one of file_data and file_id',
          });
        }
      });
    });
  })
  .meta({ id: 'ChatCompletionRequest', description: 'OpenAI Chat Completions request; `model` is a gateway alias' });

export type ChatRequest = z.output<typeof chatRequestSchema>;
export type ChatMessage = z.output<typeof messageSchema>;
export type ChatTool = z.output<typeof toolSchema>;

const usageSchema = z.object({
  prompt_tokens: z.int(),
  completion_tokens: z.int(),
  total_tokens: z.int(),
  prompt_tokens_details: z.object({ cached_tokens: z.int() }).optional(),
});

export const chatCompletionSchema = z
  .object({
    id: z.string(),
    object: z.literal('chat.completion'),
    created: z.int(),
    model: z.string(),
    choices: z.array(
      z.object({
        index: z.int(),
        message: z.object({
          role: z.literal('assistant'),
          content: z.string().nullable(),
          refusal: z.string().nullable(),
          tool_calls: z.array(toolCallSchema).optional(),
        }),
        finish_reason: z.enum(['stop', 'length', 'tool_calls', 'content_filter']),
        logprobs: z.null(),
      }),
    ),
    usage: usageSchema.optional(),
  })
  .meta({
    id: 'ChatCompletion',
    description: 'OpenAI chat.completion; with stream: true, SSE chat.completion.chunk events and data: [DONE]',
  });

setChatRequestCheck((value) => {
  const parsed = chatRequestSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
});
