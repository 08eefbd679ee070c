import type { ChatCompletionCreateParamsBase, ChatCompletionStreamOptions } from 'openai/resources/chat/completions';
import type { ChatRequest } from '../../api/chat-schemas.js';

/**
 * The upstream OpenAI request: the client's (already OpenAI-shaped) request for the target's model, every field as
 * the client sent it (reasoning_effort, store, service_tier, logprobs, file parts, a tool message's name…). `metadata` is
 * the gateway's own (recorded with the request, not sent); streams always ask the upstream for usage, which the
 * gateway needs whether or not the client asked to see it.
 */
export function toOpenAIRequest(request: ChatRequest, model: string): ChatCompletionCreateParamsBase {
  const { metadata: _metadata, stream: _stream, stream_options: _options, model: _alias, ...rest } = request;
  return { ...rest, model } as ChatCompletionCreateParamsBase;
}

/** A stream's options upstream: usage always (the gateway meters it); the client's include_obfuscation as sent. */
export function toStreamOptions(request: ChatRequest): ChatCompletionStreamOptions {
  const obfuscation = request.stream_options?.include_obfuscation;
  return { include_usage: true, ...(obfuscation === undefined ? {} : { include_obfuscation: obfuscation }) };
}
