import type { ChatResult, Usage } from '../../providers/types.js';

/** OpenAI's usage object, with cached input tokens in prompt_tokens_details. */
export function openAIUsage(usage: Usage) {
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedInputTokens },
  };
}

/** A provider's result as an OpenAI chat.completion, under the alias the client asked for. */
export function toChatCompletion(result: ChatResult, meta: { id: string; created: number; alias: string }) {
  return {
    id: meta.id,
    object: 'chat.completion' as const,
    created: meta.created,
    model: meta.alias,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant' as const,
          content: result.content,
          refusal: result.refusal,
          ...(result.toolCalls.length > 0
            ? {
                tool_calls: result.toolCalls.map((call) => ({
                  id: call.id,
                  type: 'function' as const,
                  function: { name: call.name, arguments: call.arguments },
                })),
              }
            : {}),
        },
        finish_reason: result.finishReason,
        logprobs: null,
      },
    ],
    ...(result.usage === undefined ? {} : { usage: openAIUsage(result.usage) }),
  };
}
