import { z } from 'zod';
import { thinkingSchema } from './chat-content-schemas.js';
import { assistantBlocks, cacheControl, textContent, toolName, userBlocks } from './messages-content-schemas.js';

/**
 * The /v1/messages request: Anthropic's Messages API format, validated strictly, for what the gateway can carry to
 * any target (its canonical request is OpenAI-shaped: lambdas/formats/anthropic-messages/messages-request.ts
 * translates). Content blocks: messages-content-schemas.ts. A field not listed here (container, mcp_servers, search
 * results…) is a 400 naming it, never silently dropped; a server tool (web_search_*, code_execution_*…) is accepted
 * here only to be refused by name (400 unsupported_tool, messages-tools.ts).
 */
/** Tool descriptions up to 64 KiB characters (coding agents send ~19,000). */
export const TOOL_DESCRIPTION_MAX = 65_536;

export const anthropicMessageParamSchema = z.discriminatedUnion('role', [
  z.strictObject({ role: z.literal('user'), content: z.union([z.string(), userBlocks]) }),
  z.strictObject({ role: z.literal('assistant'), content: z.union([z.string(), assistantBlocks]) }),
  z.strictObject({ role: z.literal('system'), content: textContent }),
]);

const customTool = z.strictObject({
  type: z.literal('custom').optional(),
  name: toolName,
  description: z.string().max(TOOL_DESCRIPTION_MAX).optional(),
  input_schema: z
    .record(z.string(), z.unknown())
    .refine((schema) => schema.type === 'object', { message: 'must be a JSON Schema of type "object"' }),
  strict: z.boolean().optional(),
  // Hints passed to Anthropic targets only: a streaming hint (@ai-sdk/anthropic sends it with streamText and tools),
  // tool search's deferred loading (Claude Code), a cache breakpoint.
  eager_input_streaming: z.boolean().nullable().optional(),
  defer_loading: z.boolean().optional(),
  cache_control: cacheControl,
});
/** A provider-hosted tool (`type` other than custom): accepted here to be refused by name (unsupported_tool). */
const serverTool = z.looseObject({ type: z.string().regex(/^(?!custom$)/), name: z.string() });
const toolSchema = z.union([customTool, serverTool]);
export type MessagesCustomTool = z.output<typeof customTool>;

const parallel = { disable_parallel_tool_use: z.boolean().optional() };
const toolChoiceSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('auto'), ...parallel }),
  z.strictObject({ type: z.literal('any'), ...parallel }),
  z.strictObject({ type: z.literal('tool'), name: z.string().min(1), ...parallel }),
  z.strictObject({ type: z.literal('none') }),
]);

/** What the field schemas cannot say alone: tool_choice names a tool that exists, and comes with tools. */
export function checkToolChoice(
  request: {
    readonly tool_choice?: z.output<typeof toolChoiceSchema> | undefined;
    readonly tools?: readonly z.output<typeof toolSchema>[] | undefined;
  },
  ctx: z.RefinementCtx,
): void {
  const choice = request.tool_choice;
  if (choice?.type === 'tool' && !request.tools?.some((tool) => tool.name === choice.name)) {
    ctx.addIssue({
      code: 'custom',
      path: ['tool_choice', 'name'],
      message: `names "${choice.name}", which is not in tools`,
    });
  }
  if (choice !== undefined && choice.type !== 'none' && request.tools === undefined) {
    ctx.addIssue({ code: 'custom', path: ['tool_choice'], message: 'needs tools' });
  }
}

export const messagesRequestSchema = z
  .strictObject({
    model: z.string().min(1).max(64).describe('A model alias from the gateway configuration'),
    max_tokens: z.int().positive(),
    messages: z.array(anthropicMessageParamSchema).min(1, 'messages must contain at least one message'),
    system: textContent.optional(),
    tools: z.array(toolSchema).max(128).optional(),
    tool_choice: toolChoiceSchema.optional(),
    stop_sequences: z
      .array(z.string().min(1))
      .max(4, 'at most 4 stop sequences (what every target accepts)')
      .optional(),
    temperature: z.number().min(0).max(1).optional(),
    top_p: z.number().min(0).max(1).optional(),
    top_k: z.int().min(0).optional(),
    thinking: thinkingSchema.optional(),
    context_management: z.record(z.string(), z.unknown()).nullable().optional(),
    service_tier: z.enum(['auto', 'standard_only']).optional(),
    // Claude Code sends a JSON string of ~150 characters.
    metadata: z.strictObject({ user_id: z.string().max(512).nullable().optional() }).optional(),
    output_config: z
      .strictObject({
        effort: z.enum(['low', 'medium', 'high', 'xhigh', 'max']).nullable().optional(),
        format: z
          .strictObject({ type: z.literal('json_schema'), schema: z.record(z.string(), z.unknown()) })
          .nullable()
          .optional(),
      })
      .optional(),
    stream: z.boolean().optional(),
    // @anthropic-ai/sdk's toolRunner asks for a server-held thread; the gateway holds none: `create` is answered as
    // an unthreaded turn, `continue` is a 404 `thread_not_found`, on which the SDK sends the whole history again.
    thread: z
      .discriminatedUnion('type', [
        z.strictObject({ type: z.literal('create') }),
        z.strictObject({ type: z.literal('continue'), previous_message_id: z.string().min(1).max(256) }),
      ])
      .optional(),
  })
  .superRefine(checkToolChoice)
  .meta({ id: 'MessagesRequest', description: 'Anthropic Messages API request; `model` is a gateway alias' });

export type MessagesRequest = z.output<typeof messagesRequestSchema>;
export type AnthropicMessageParam = z.output<typeof anthropicMessageParamSchema>;

const usageSchema = z.object({
  input_tokens: z.int(),
  output_tokens: z.int(),
  cache_creation_input_tokens: z.int().nullable(),
  cache_read_input_tokens: z.int().nullable(),
});

export const anthropicMessageSchema = z
  .object({
    id: z.string(),
    type: z.literal('message'),
    role: z.literal('assistant'),
    model: z.string(),
    content: z.array(
      z.discriminatedUnion('type', [
        z.object({ type: z.literal('text'), text: z.string() }),
        z.object({
          type: z.literal('tool_use'),
          id: z.string(),
          name: z.string(),
          input: z.record(z.string(), z.unknown()),
        }),
        z.object({ type: z.literal('thinking'), thinking: z.string(), signature: z.string() }),
        z.object({ type: z.literal('redacted_thinking'), data: z.string() }),
      ]),
    ),
    stop_reason: z.enum(['end_turn', 'max_tokens', 'stop_sequence', 'tool_use', 'refusal']).nullable(),
    stop_sequence: z.string().nullable(),
    usage: usageSchema,
  })
  .meta({
    id: 'AnthropicMessage',
    description:
      'Anthropic Message; with stream: true, SSE events message_start … content_block_* … message_delta, message_stop',
  });

export const anthropicErrorResponseSchema = z
  .object({
    type: z.literal('error'),
    error: z.object({
      type: z.string(),
      message: z.string(),
      details: z.object({ error_code: z.string() }).optional(),
    }),
    request_id: z.string().nullable(),
  })
  .meta({
    id: 'AnthropicErrorResponse',
    description: "Anthropic's error shape, used by /v1/messages; details.error_code is the gateway's code",
  });
