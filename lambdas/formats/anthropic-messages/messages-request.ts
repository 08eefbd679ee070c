import type { ChatRequest } from '../../api/chat-schemas.js';
import type { MessagesRequest } from '../../api/messages-schemas.js';
import { GatewayError } from '../../core/errors.js';
import { toChatMessages } from './messages-conversation.js';
import { choosesServerTool } from './messages-hosted.js';
import { toChatTools } from './messages-tools.js';

/**
 * A validated /v1/messages request → the canonical ChatRequest the chat service routes (any target: OpenAI,
 * Anthropic — which translates it back —, echo):
 *   max_tokens → max_completion_tokens · stop_sequences → stop · metadata.user_id → user · temperature, top_p as is
 *   tools[].input_schema → function parameters (strict kept) · tool_choice auto/any/tool/none → auto/required/
 *   {function}/none, disable_parallel_tool_use → parallel_tool_calls: false
 *   output_config.format (json_schema) → response_format json_schema · output_config.effort → reasoning_effort
 *   (max → xhigh, the highest canonical level; an Anthropic target sends it back as xhigh) · top_k, thinking,
 *   context_management, service_tier as they are (LiteLLM's names; Anthropic targets pass them, others drop and name
 *   them) · system and messages: messages-conversation.ts · tools: messages-tools.ts
 *   `tools: []` → no tools; `thread: create` (the gateway holds no threads; `continue`: 404 thread_not_found)
 */
type ToolChoice = NonNullable<MessagesRequest['tool_choice']>;

function toolChoiceOf(choice: ToolChoice): NonNullable<ChatRequest['tool_choice']> {
  switch (choice.type) {
    case 'auto':
      return 'auto';
    case 'any':
      return 'required';
    case 'none':
      return 'none';
    case 'tool':
      return { type: 'function', function: { name: choice.name } };
  }
}

const parallelOf = (choice: ToolChoice | undefined): boolean | undefined =>
  choice !== undefined && choice.type !== 'none' && choice.disable_parallel_tool_use === true ? false : undefined;

/** A /v1/messages request, or a count_tokens one (the same without max_tokens and stream). */
type MessagesInput = Omit<MessagesRequest, 'max_tokens' | 'stream'> &
  Partial<Pick<MessagesRequest, 'max_tokens' | 'stream'>>;

export function toChatRequest(request: MessagesInput): ChatRequest {
  if (request.thread?.type === 'continue') {
    throw new GatewayError({
      code: 'thread_not_found',
      message: 'This gateway holds no message threads: send the whole conversation.',
      param: 'thread',
    });
  }
  const format = request.output_config?.format;
  const effort = request.output_config?.effort;
  const parallel = parallelOf(request.tool_choice);
  const user = request.metadata?.user_id;
  return {
    model: request.model,
    messages: toChatMessages(request),
    ...(request.max_tokens === undefined ? {} : { max_completion_tokens: request.max_tokens }),
    ...toChatTools(request.tools),
    ...(request.tool_choice === undefined || request.tools?.length === 0 || choosesServerTool(request)
      ? {}
      : { tool_choice: toolChoiceOf(request.tool_choice) }),
    ...(parallel === undefined ? {} : { parallel_tool_calls: parallel }),
    ...(format == null
      ? {}
      : { response_format: { type: 'json_schema' as const, json_schema: { name: 'output', schema: format.schema } } }),
    ...(request.stop_sequences === undefined || request.stop_sequences.length === 0
      ? {}
      : { stop: request.stop_sequences }),
    ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
    ...(request.top_p === undefined ? {} : { top_p: request.top_p }),
    ...(user == null ? {} : { user }),
    ...(request.stream === undefined ? {} : { stream: request.stream }),
    ...(effort == null ? {} : { reasoning_effort: effort === 'max' ? 'xhigh' : effort }),
    ...(request.top_k === undefined ? {} : { top_k: request.top_k }),
    ...(request.thinking === undefined ? {} : { thinking: request.thinking }),
    ...(request.context_management == null ? {} : { context_management: request.context_management }),
    ...(request.service_tier === undefined ? {} : { service_tier: request.service_tier }),
  };
}
