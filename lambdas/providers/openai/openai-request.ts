import type { ChatCompletionCreateParamsBase, ChatCompletionStreamOptions } from 'openai/resources/chat/completions';
import type { ChatRequest } from '../../api/chat-schemas.js';
import { thinkingEffort } from './ignored-fields.js';
import { toOpenAIMessages } from './openai-messages.js';

/**
 * The upstream OpenAI request: the client's (already OpenAI-shaped) request for the target's model, every OpenAI
 * field as the client sent it (reasoning_effort, store, service_tier, logprobs, file parts, a tool message's name…).
 * `metadata` is the gateway's own (recorded with the request, not sent); streams always ask the upstream for usage,
 * which the gateway needs whether or not the client asked to see it. The Anthropic-only extensions (top_k, thinking,
 * context_management, cache_control, thinking_blocks, defer_loading, eager_input_streaming, service_tier
 * standard_only) are never sent (the SDK sends whatever the object holds): ignored-fields.ts names them, and
 * `thinking` with a budget becomes reasoning_effort when the client gave none.
 */
export function toOpenAIRequest(request: ChatRequest, model: string): ChatCompletionCreateParamsBase {
  const {
    metadata: _metadata,
    stream: _stream,
    stream_options: _options,
    model: _alias,
    top_k: _topK,
    thinking: _thinking,
    context_management: _context,
    service_tier: tier,
    messages,
    tools,
    ...rest
  } = request;
  const effort = thinkingEffort(request);
  return {
    ...rest,
    model,
    messages: toOpenAIMessages(messages),
    ...(tools === undefined ? {} : { tools: tools.map((tool) => ({ type: tool.type, function: tool.function })) }),
    ...(tier === undefined || tier === 'standard_only' ? {} : { service_tier: tier }),
    ...(effort === undefined ? {} : { reasoning_effort: effort }),
  } as ChatCompletionCreateParamsBase;
}

/** A stream's options upstream: usage always (the gateway meters it); the client's include_obfuscation as sent. */
export function toStreamOptions(request: ChatRequest): ChatCompletionStreamOptions {
  const obfuscation = request.stream_options?.include_obfuscation;
  return { include_usage: true, ...(obfuscation === undefined ? {} : { include_obfuscation: obfuscation }) };
}
