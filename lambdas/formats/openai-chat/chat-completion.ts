import type { ChatResult, ReasoningBlock, Usage } from '../../providers/types.js';

/** OpenAI's usage object, with cached input tokens in prompt_tokens_details. */
export function openAIUsage(usage: Usage) {
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedInputTokens },
  };
}

/**
 * The reasoning fields of an assistant message, only when there is reasoning (no null fields: strict client schemas
 * refuse them): `reasoning_content`, the thinking text (DeepSeek's field, which @ai-sdk/openai-compatible, LangChain
 * and DeepSeek clients read), and `thinking_blocks` (LiteLLM's field: the blocks with their signatures, and redacted
 * ones) when a block is signed or redacted, so an agent can send them back on its next turn.
 */
const reasoningText = (block: ReasoningBlock): string => {
  if (block.type === 'thinking') return block.thinking;
  return block.type === 'openai_reasoning' ? block.summary.join('\n\n') : '';
};

export function reasoningFields(reasoning: readonly ReasoningBlock[] | undefined): {
  reasoning_content?: string;
  thinking_blocks?: ReasoningBlock[];
} {
  if (reasoning === undefined || reasoning.length === 0) return {};
  const text = reasoning.map(reasoningText).join('');
  const signed = reasoning.some((block) => block.type !== 'thinking' || block.signature !== '');
  return {
    ...(text === '' ? {} : { reasoning_content: text }),
    ...(signed ? { thinking_blocks: reasoning.map((block) => ({ ...block })) } : {}),
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
          ...reasoningFields(result.reasoning),
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
