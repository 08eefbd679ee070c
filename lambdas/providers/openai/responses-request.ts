import type {
  FunctionTool,
  ResponseCreateParamsBase,
  Tool,
  ResponseFormatTextConfig,
  ResponseTextConfig,
} from 'openai/resources/responses/responses';
import type { Reasoning } from 'openai/resources/shared';
import type { ChatRequest } from '../../api/chat-schemas.js';
import type { HostedTools } from '../hosted-tools.js';
import type { NativeResponses } from '../native-responses.js';
import { thinkingEffort } from './ignored-fields.js';
import { toResponsesInput } from './responses-input.js';

/**
 * The canonical request → a Responses API request (the native lane, responses-lane.ts): messages → instructions and
 * input items (responses-input.ts); function tools flattened (`strict` only as the client gave it: the Responses API
 * has its own default), then the hosted tools the client sent (`call.hosted`, unchanged); tool_choice (a forced
 * hosted tool by its type), parallel_tool_calls; response_format and verbosity → `text`;
 * max_completion_tokens (or max_tokens) → max_output_tokens; reasoning_effort (or Anthropic's `thinking` budget) and
 * the client's reasoning.summary → `reasoning`; temperature, top_p, user, safety_identifier, prompt_cache_key,
 * prompt_cache_retention, service_tier as they are; the client's `include` and `truncation`. Always `store: false`:
 * the gateway keeps conversations itself (previous_response_id is resolved before a provider sees the request).
 * `metadata` is the gateway's own (recorded, not sent), as on the chat lane. What is dropped: responses-ignored.ts.
 */
function toolsOf(request: ChatRequest, hosted: HostedTools | undefined): Tool[] | undefined {
  // The hosted tools this target runs (web_search, file_search…), as the client sent them.
  const own = (hosted?.tools ?? []).map((tool) => tool.spec as unknown as Tool);
  const functions = request.tools?.map(({ function: fn }) => {
    const tool = {
      type: 'function' as const,
      name: fn.name,
      ...(fn.description === undefined ? {} : { description: fn.description }),
      parameters: fn.parameters ?? null,
      ...(fn.strict == null ? {} : { strict: fn.strict }),
    };
    // `strict` left out when the client left it out (the SDK's type asks for it).
    return tool as FunctionTool;
  });
  return functions === undefined && own.length === 0 ? undefined : [...(functions ?? []), ...own];
}

function toolChoiceOf(
  choice: ChatRequest['tool_choice'],
  hosted: HostedTools | undefined,
): ResponseCreateParamsBase['tool_choice'] {
  if (hosted?.forced !== undefined) return { type: hosted.forced } as ResponseCreateParamsBase['tool_choice'];
  if (choice === undefined || typeof choice === 'string') return choice;
  return { type: 'function', name: choice.function.name };
}

function formatOf(format: ChatRequest['response_format']): ResponseFormatTextConfig | undefined {
  if (format === undefined) return undefined;
  if (format.type !== 'json_schema') return { type: format.type };
  const { name, schema, description, strict } = format.json_schema;
  return {
    type: 'json_schema',
    name,
    schema: schema ?? {},
    ...(description === undefined ? {} : { description }),
    ...(strict == null ? {} : { strict }),
  };
}

function textOf(request: ChatRequest): ResponseTextConfig | undefined {
  const format = formatOf(request.response_format);
  const verbosity = request.verbosity;
  if (format === undefined && verbosity == null) return undefined;
  return { ...(format === undefined ? {} : { format }), ...(verbosity == null ? {} : { verbosity }) };
}

function reasoningOf(request: ChatRequest, native: NativeResponses | undefined): Reasoning | undefined {
  const effort = request.reasoning_effort ?? thinkingEffort(request);
  const summary = native?.reasoningSummary;
  if (effort == null && summary === undefined) return undefined;
  return { ...(effort == null ? {} : { effort }), ...(summary === undefined ? {} : { summary }) };
}

/** The fields that have a value (null and undefined left out). */
const defined = <T extends object>(fields: T): { [K in keyof T]?: NonNullable<T[K]> } =>
  Object.fromEntries(Object.entries(fields).filter(([, value]) => value != null)) as {
    [K in keyof T]?: NonNullable<T[K]>;
  };

export function toResponsesRequest(
  request: ChatRequest,
  model: string,
  native: NativeResponses | undefined,
  hosted?: HostedTools,
): ResponseCreateParamsBase {
  const { instructions, input } = toResponsesInput(request.messages, native?.replayed);
  const tier = request.service_tier === 'standard_only' ? undefined : request.service_tier;
  const retention = request.prompt_cache_retention;
  return {
    model,
    input,
    store: false,
    ...defined({
      instructions,
      tools: toolsOf(request, hosted),
      tool_choice: toolChoiceOf(request.tool_choice, hosted),
      parallel_tool_calls: request.parallel_tool_calls,
      text: textOf(request),
      max_output_tokens: request.max_completion_tokens ?? request.max_tokens,
      temperature: request.temperature,
      top_p: request.top_p,
      reasoning: reasoningOf(request, native),
      user: request.user,
      safety_identifier: request.safety_identifier,
      prompt_cache_key: request.prompt_cache_key,
      prompt_cache_retention: retention == null ? undefined : retention === '24h' ? '24h' : 'in_memory',
      service_tier: tier,
      include: native?.include === undefined ? undefined : [...native.include],
      truncation: native?.truncation,
    }),
  };
}
