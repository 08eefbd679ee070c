import type { MessageCreateParamsBase, OutputConfig } from '@anthropic-ai/sdk/resources/messages';
import type { ChatRequest } from '../../api/chat-schemas.js';
import { toAnthropicMessages } from './anthropic-conversation.js';
import { effortOf } from './ignored-fields.js';
import { thinkingConfig } from './thinking.js';
import { toAnthropicTools } from './tools.js';
import { rejectUnsupported } from './unsupported.js';

/** response_format → output_config: both JSON modes become a JSON schema (any object for json_object); text is the default. */
export function toOutputFormat(format: ChatRequest['response_format']): OutputConfig | undefined {
  switch (format?.type) {
    case 'json_schema':
      return { format: { type: 'json_schema', schema: format.json_schema.schema ?? { type: 'object' } } };
    case 'json_object':
      return { format: { type: 'json_schema', schema: { type: 'object' } } };
    default:
      return undefined;
  }
}

/** output_config: the response format and reasoning_effort's level (ignored-fields.ts). */
export function toOutputConfig(request: ChatRequest): OutputConfig | undefined {
  const format = toOutputFormat(request.response_format);
  const effort = effortOf(request.reasoning_effort);
  if (effort === undefined) return format;
  return { ...format, effort };
}

const stopSequences = (stop: ChatRequest['stop']): string[] | undefined =>
  stop == null ? undefined : typeof stop === 'string' ? [stop] : [...stop];

/**
 * Anthropic Messages params. `context_management` is in the SDK's beta namespace only: it is sent through the normal
 * create with its beta named in `anthropic-beta` (betas.ts).
 */
export type AnthropicParams = MessageCreateParamsBase & { context_management?: Record<string, unknown> };

/** service_tier: Anthropic's own values pass; OpenAI's have no equivalent (ignored-fields.ts names them). */
const serviceTierOf = (tier: ChatRequest['service_tier']): MessageCreateParamsBase['service_tier'] =>
  tier === 'auto' || tier === 'standard_only' ? tier : undefined;

/**
 * The validated OpenAI request → Anthropic Messages params (without `stream`, which the provider sets).
 * - max_tokens (required by Anthropic) = max_completion_tokens ?? max_tokens ?? the provider's default.
 * - stop → stop_sequences; user → metadata.user_id; reasoning_effort → output_config.effort.
 * - thinking, context_management and service_tier (auto, standard_only) as given; the client's `thinking` and
 *   reasoning_effort's effort are independent settings of this API and both go.
 * - Hints without an equivalent are dropped (ignored-fields.ts names them in X-Gateway-Ignored).
 * - OpenAI `metadata` is the gateway's own (recorded with the request) and is not forwarded.
 * - `n` is 1 by validation; stream/stream_options are the provider's business.
 * Throws a 400 GatewayError for what cannot be translated (unsupported parameters, bad images, bad tool arguments).
 */
export function toMessageCreateParams(request: ChatRequest, model: string, defaultMaxTokens: number): AnthropicParams {
  rejectUnsupported(request);
  const { system, messages } = toAnthropicMessages(request.messages);
  const stop = stopSequences(request.stop);
  const outputConfig = toOutputConfig(request);
  const tier = serviceTierOf(request.service_tier);
  return {
    model,
    max_tokens: request.max_completion_tokens ?? request.max_tokens ?? defaultMaxTokens,
    ...(system === undefined ? {} : { system }),
    messages,
    ...toAnthropicTools(request),
    ...(stop === undefined ? {} : { stop_sequences: stop }),
    ...(request.user === undefined ? {} : { metadata: { user_id: request.user } }),
    ...(outputConfig === undefined ? {} : { output_config: outputConfig }),
    ...(request.thinking === undefined ? {} : { thinking: thinkingConfig(request.thinking) }),
    ...(request.context_management === undefined ? {} : { context_management: request.context_management }),
    ...(tier === undefined ? {} : { service_tier: tier }),
  };
}
