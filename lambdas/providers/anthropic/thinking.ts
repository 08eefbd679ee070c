import type {
  RedactedThinkingBlockParam,
  ThinkingBlockParam,
  ThinkingConfigParam,
} from '@anthropic-ai/sdk/resources/messages';
import type { ThinkingBlock, ThinkingConfig } from '../../api/chat-content-schemas.js';

/**
 * An assistant's thinking_blocks → Anthropic's thinking and redacted_thinking blocks, unchanged and in order. OpenAI
 * reasoning items are OpenAI's alone: Anthropic cannot take them back, so they are left out.
 */
export function thinkingParams(
  blocks: readonly ThinkingBlock[] | undefined,
): Array<ThinkingBlockParam | RedactedThinkingBlockParam> {
  return (blocks ?? []).flatMap((block): Array<ThinkingBlockParam | RedactedThinkingBlockParam> => {
    if (block.type === 'thinking') return [{ type: 'thinking', thinking: block.thinking, signature: block.signature }];
    if (block.type === 'redacted_thinking') return [{ type: 'redacted_thinking', data: block.data }];
    return [];
  });
}

/** The client's `thinking`, as given (it is Anthropic's own setting; reasoning_effort goes to output_config.effort). */
export function thinkingConfig(thinking: ThinkingConfig): ThinkingConfigParam {
  const display = 'display' in thinking && thinking.display !== undefined ? { display: thinking.display } : {};
  switch (thinking.type) {
    case 'enabled':
      return { type: 'enabled', budget_tokens: thinking.budget_tokens, ...display };
    case 'adaptive':
      return { type: 'adaptive', ...display };
    case 'disabled':
      return { type: 'disabled' };
  }
}
