import type {
  RedactedThinkingBlockParam,
  ThinkingBlockParam,
  ThinkingConfigParam,
} from '@anthropic-ai/sdk/resources/messages';
import type { ThinkingBlock, ThinkingConfig } from '../../api/chat-content-schemas.js';

/** An assistant's thinking_blocks → Anthropic's thinking and redacted_thinking blocks, unchanged and in order. */
export function thinkingParams(
  blocks: readonly ThinkingBlock[] | undefined,
): Array<ThinkingBlockParam | RedactedThinkingBlockParam> {
  return (blocks ?? []).map((block) =>
    block.type === 'thinking'
      ? { type: 'thinking', thinking: block.thinking, signature: block.signature }
      : { type: 'redacted_thinking', data: block.data },
  );
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
