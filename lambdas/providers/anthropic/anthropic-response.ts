import type { Message } from '@anthropic-ai/sdk/resources/messages';
import type { ChatResult, ToolCall } from '../types.js';
import { stopSequenceOf, toFinishReason } from './stop-reason.js';
import { toUsage } from './usage.js';

/**
 * An Anthropic Message → ChatResult. Text blocks are concatenated (null when there is none); tool_use blocks become
 * tool calls with their input as JSON text; thinking, server-tool and other blocks are not part of an OpenAI answer.
 * A refusal carries Anthropic's explanation when it gives one.
 */
export function toChatResult(message: Message): ChatResult {
  const texts: string[] = [];
  const toolCalls: ToolCall[] = [];
  for (const block of message.content) {
    if (block.type === 'text') texts.push(block.text);
    else if (block.type === 'tool_use')
      toolCalls.push({ id: block.id, name: block.name, arguments: JSON.stringify(block.input ?? {}) });
  }
  const refusal = message.stop_reason === 'refusal' ? (message.stop_details?.explanation ?? null) : null;
  return {
    content: texts.length === 0 ? null : texts.join(''),
    refusal,
    toolCalls,
    finishReason: toFinishReason(message.stop_reason),
    ...stopSequenceOf(message.stop_reason, message.stop_sequence),
    usage: toUsage(message.usage),
  };
}
