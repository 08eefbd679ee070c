import { z } from 'zod';
import { inputItemSchema } from './responses-input-schemas.js';
import { duplicateToolNames, responsesToolSchema } from './responses-tool-schemas.js';

export {
  customToolSchema,
  functionToolSchema,
  isCustomTool,
  isFunctionTool,
  isNamespaceTool,
  namespaceToolSchema,
  responsesToolSchema,
  type CustomTool,
  type FunctionTool,
  type NamespaceTool,
  type ResponsesTool,
} from './responses-tool-schemas.js';

/**
 * The /v1/responses request: OpenAI's Responses API format, validated strictly (a field not listed is a 400 naming
 * it). What it means on each target: lambdas/formats/openai-responses/responses-request.ts — translated, dropped and
 * named in X-Gateway-Ignored, or refused with a reason.
 */
const toolChoiceSchema = z.union([
  z.enum(['none', 'auto', 'required']),
  z.strictObject({ type: z.enum(['function', 'custom']), name: z.string().min(1) }),
  z.looseObject({ type: z.string() }),
]);

const textFormatSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('text') }),
  z.strictObject({ type: z.literal('json_object') }),
  z.strictObject({
    type: z.literal('json_schema'),
    name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    schema: z.record(z.string(), z.unknown()),
    description: z.string().optional(),
    strict: z.boolean().nullable().optional(),
  }),
]);

const includable = z.enum([
  'file_search_call.results',
  'web_search_call.results',
  'web_search_call.action.sources',
  'message.input_image.image_url',
  'computer_call_output.output.image_url',
  'code_interpreter_call.outputs',
  'reasoning.encrypted_content',
  'message.output_text.logprobs',
]);

export const responsesRequestSchema = z
  .strictObject({
    model: z.string().min(1).max(64).describe('A model alias from the gateway configuration'),
    input: z.union([z.string(), z.array(inputItemSchema)]).optional(),
    instructions: z.string().nullable().optional(),
    tools: z.array(responsesToolSchema).max(128).optional(),
    tool_choice: toolChoiceSchema.optional(),
    parallel_tool_calls: z.boolean().nullable().optional(),
    text: z
      .strictObject({
        format: textFormatSchema.optional(),
        verbosity: z.enum(['low', 'medium', 'high']).nullable().optional(),
      })
      .optional(),
    max_output_tokens: z.int().positive().nullable().optional(),
    max_tool_calls: z.int().positive().nullable().optional(),
    temperature: z.number().min(0).max(2).nullable().optional(),
    top_p: z.number().min(0).max(1).nullable().optional(),
    top_logprobs: z.int().min(0).max(20).nullable().optional(),
    reasoning: z
      .strictObject({
        effort: z.enum(['none', 'minimal', 'low', 'medium', 'high', 'xhigh']).nullable().optional(),
        summary: z.enum(['auto', 'concise', 'detailed']).nullable().optional(),
        generate_summary: z.enum(['auto', 'concise', 'detailed']).nullable().optional(),
      })
      .nullable()
      .optional(),
    metadata: z.record(z.string().max(64), z.string().max(512)).nullable().optional(),
    user: z.string().max(256).optional(),
    safety_identifier: z.string().max(256).nullable().optional(),
    store: z.boolean().nullable().optional(),
    previous_response_id: z.string().min(1).max(256).nullable().optional(),
    stream: z.boolean().nullable().optional(),
    stream_options: z.strictObject({ include_obfuscation: z.boolean().optional() }).nullable().optional(),
    include: z.array(includable).nullable().optional(),
    prompt_cache_key: z.string().max(1024).nullable().optional(),
    prompt_cache_retention: z.enum(['in_memory', 'in-memory', '24h']).nullable().optional(),
    truncation: z.enum(['auto', 'disabled']).nullable().optional(),
    service_tier: z.enum(['auto', 'default', 'flex', 'scale', 'priority']).nullable().optional(),
    background: z.boolean().nullable().optional(),
    // Codex CLI's own bookkeeping (a hint to OpenAI): dropped.
    client_metadata: z.record(z.string(), z.unknown()).nullable().optional(),
    // Accepted by OpenAI's API, refused here with a reason (responses-request.ts).
    conversation: z.unknown().optional(),
    prompt: z.unknown().optional(),
  })
  .superRefine((request, ctx) => {
    for (const issue of duplicateToolNames(request.tools ?? [])) ctx.addIssue({ code: 'custom', ...issue });
  })
  .meta({ id: 'ResponsesRequest', description: 'OpenAI Responses API request; `model` is a gateway alias' });

export type ResponsesRequest = z.output<typeof responsesRequestSchema>;

/** The Response object (documented loosely: the wire shape is OpenAI's). */
export const responseObjectSchema = z
  .looseObject({
    id: z.string(),
    object: z.literal('response'),
    created_at: z.int(),
    status: z.enum(['completed', 'incomplete', 'failed', 'in_progress']),
    model: z.string(),
    output: z.array(z.looseObject({ type: z.string() })),
    usage: z.looseObject({ input_tokens: z.int(), output_tokens: z.int(), total_tokens: z.int() }).nullable(),
  })
  .meta({
    id: 'Response',
    description: 'OpenAI Response; with stream: true, SSE events response.created … response.completed',
  });

export const responseDeletedSchema = z
  .object({ id: z.string(), object: z.literal('response.deleted'), deleted: z.literal(true) })
  .meta({ id: 'ResponseDeleted' });

export const inputItemListSchema = z
  .object({
    object: z.literal('list'),
    data: z.array(z.looseObject({ type: z.string() })),
    first_id: z.string().nullable(),
    last_id: z.string().nullable(),
    has_more: z.boolean(),
  })
  .meta({ id: 'ResponseInputItemList' });

export const inputItemsQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).optional(),
  order: z.enum(['asc', 'desc']).optional(),
  after: z.string().min(1).optional(),
});
