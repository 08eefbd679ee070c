import type { ChatRequest } from '../../api/chat-schemas.js';
import { ignoredByOpenAI } from './ignored-fields.js';
import { returnable } from './responses-input.js';

/**
 * What the native lane (the Responses API) drops of the canonical request, named in X-Gateway-Ignored: the
 * Anthropic-only hints chat completions drop too (ignored-fields.ts), thinking blocks OpenAI cannot take back
 * (Anthropic's, and reasoning items without encrypted_content), and the Chat Completions fields the Responses API has
 * no place for (they reach a /v1/responses request only through a target's parameter overrides).
 */
const CHAT_ONLY = [
  'stop',
  'seed',
  'frequency_penalty',
  'presence_penalty',
  'logprobs',
  'top_logprobs',
  'logit_bias',
  'modalities',
  'prediction',
] as const;

export function ignoredByResponses(request: ChatRequest): string[] {
  const ignored = ignoredByOpenAI(request).filter((field) => field !== 'thinking_blocks');
  const assistants = request.messages.flatMap((message) => (message.role === 'assistant' ? [message] : []));
  if (assistants.some((message) => (message.thinking_blocks ?? []).some((block) => !returnable(block))))
    ignored.push('thinking_blocks');
  if (assistants.some((message) => message.reasoning_content != null)) ignored.push('reasoning_content');
  if (request.messages.some((message) => message.name !== undefined)) ignored.push('messages[].name');
  for (const field of CHAT_ONLY) if (request[field] != null) ignored.push(field);
  return ignored;
}
