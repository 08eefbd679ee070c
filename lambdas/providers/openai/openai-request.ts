import type { ChatCompletionCreateParamsBase } from 'openai/resources/chat/completions';
import type { ChatRequest } from '../../api/chat-schemas.js';

/**
 * The upstream OpenAI request: the client's (already OpenAI-shaped) request for the target's model. `metadata` is
 * the gateway's own (recorded with the request, not sent); streams always ask the upstream for usage, which the
 * gateway needs whether or not the client asked to see it.
 */
export function toOpenAIRequest(request: ChatRequest, model: string): ChatCompletionCreateParamsBase {
  const { metadata: _metadata, stream: _stream, stream_options: _options, model: _alias, ...rest } = request;
  return { ...rest, model } as ChatCompletionCreateParamsBase;
}
