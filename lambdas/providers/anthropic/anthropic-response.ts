import type { Message } from '@anthropic-ai/sdk/resources/messages';
import type { ChatResult, ReasoningBlock, ToolCall } from '../types.js';
import { stopSequenceOf, toFinishReason } from './stop-reason.js';
import { toUsage } from './usage.js';

/**
 * An Anthropic Message → ChatResult. Text blocks are concatenated (null when there is none); tool_use blocks become
 * tool calls with their input as JSON text; thinking and redacted_thinking blocks become `reasoning`, in order,
 * signatures and data untouched, each placed by the number of tool calls before it; server-tool and other blocks
 * are not part of an OpenAI answer. A refusal carries Anthropic's explanation when it gives one.
 */
export function toChatResult(message: Message): ChatResult {
  const texts: string[] = [];
  const toolCalls: ToolCall[] = [];
  const reasoning: ReasoningBlock[] = [];
  const placement: number[] = [];
  for (const block of message.content) {
    if (block.type === 'text') texts.push(block.text);
    else if (block.type === 'tool_use')
      toolCalls.push({ id: block.id, name: block.name, arguments: JSON.stringify(block.input ?? {}) });
    else if (block.type === 'thinking' || block.type === 'redacted_thinking') {
      reasoning.push(
        block.type === 'thinking'
          ? { type: 'thinking', thinking: block.thinking, signature: block.signature }
          : { type: 'redacted_thinking', data: block.data },
      );
      placement.push(toolCalls.length);
    }
  }
  const refusal = message.stop_reason === 'refusal' ? (message.stop_details?.explanation ?? null) : null;
  return {
    content: texts.length === 0 ? null : texts.join(''),
    refusal,
    toolCalls,
    finishReason: toFinishReason(message.stop_reason),
    ...stopSequenceOf(message.stop_reason, message.stop_sequence),
    usage: toUsage(message.usage),
    ...(reasoning.length === 0
      ? {}
      : {
          reasoning,
          ...(placement.some((before) => before > 0) ? { reasoningAfterToolCalls: placement } : {}),
        }),
  };
}
