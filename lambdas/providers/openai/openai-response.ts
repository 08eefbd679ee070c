import type { ChatCompletion } from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import { GatewayError } from '../../core/errors.js';
import { reportedUsage, tokenCount } from '../../usage/usage-counts.js';
import type { ChatResult, FinishReason, Usage } from '../types.js';
import { reasoningTextOf } from './reasoning.js';

export function toUsage(usage: CompletionUsage | null | undefined): Usage | undefined {
  if (usage == null) return undefined;
  // OpenAI-compatible servers may leave counts out or send null: those are estimated (usage-counts.ts).
  const reasoning = tokenCount(usage.completion_tokens_details?.reasoning_tokens);
  return reportedUsage(
    {
      input: usage.prompt_tokens,
      output: usage.completion_tokens,
      // DeepSeek counts cache hits in its own field (docs.stigg.io/documentation/ai-agents/providers/deepseek).
      cached:
        usage.prompt_tokens_details?.cached_tokens ??
        (usage as { prompt_cache_hit_tokens?: unknown }).prompt_cache_hit_tokens,
    },
    reasoning === undefined ? {} : { reasoningTokens: reasoning },
  );
}

export function toFinishReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'length':
      return 'length';
    case 'tool_calls':
    case 'function_call':
      return 'tool_calls';
    case 'content_filter':
      return 'content_filter';
    default:
      return 'stop';
  }
}

export function toChatResult(completion: ChatCompletion): ChatResult {
  const choice = completion.choices[0];
  if (choice === undefined) {
    throw new GatewayError({ message: 'The provider returned no choice.', code: 'upstream_empty' });
  }
  // A filtered answer (Azure OpenAI's finish_reason content_filter) may come without content, or without a message.
  const message: Partial<ChatCompletion.Choice['message']> = choice.message ?? {};
  const toolCalls = (message.tool_calls ?? []).flatMap((call) =>
    call.type === 'function' ? [{ id: call.id, name: call.function.name, arguments: call.function.arguments }] : [],
  );
  // An OpenAI-compatible server's reasoning: one thinking block, unsigned (nothing to send back but the text).
  const reasoning = reasoningTextOf(message);
  return {
    content: message.content ?? null,
    refusal: message.refusal ?? null,
    toolCalls,
    finishReason: toFinishReason(choice.finish_reason),
    usage: toUsage(completion.usage),
    ...(reasoning === undefined ? {} : { reasoning: [{ type: 'thinking', thinking: reasoning, signature: '' }] }),
  };
}
