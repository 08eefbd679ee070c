import type { Message } from '@anthropic-ai/sdk/resources/messages';
import type { Citation, HostedCall } from '../hosted-tools.js';
import type { ChatResult, ReasoningBlock, ToolCall } from '../types.js';
import { citationsOf, hostedCallOf, isServerToolResult } from './server-tools.js';
import { stopSequenceOf, toFinishReason } from './stop-reason.js';
import { toUsage } from './usage.js';

/**
 * An Anthropic Message → ChatResult. Text blocks are concatenated (null when there is none); tool_use blocks become
 * tool calls with their input as JSON text; thinking and redacted_thinking blocks become `reasoning`, in order,
 * signatures and data untouched, each placed by the number of tool calls before it; server tool blocks
 * (server_tool_use and its result) become `hosted` calls where they stood in the text, text citations `citations`
 * (server-tools.ts). A refusal carries Anthropic's explanation when it gives one.
 */
export function toChatResult(message: Message): ChatResult {
  const texts: string[] = [];
  const toolCalls: ToolCall[] = [];
  const reasoning: ReasoningBlock[] = [];
  const placement: number[] = [];
  const hosted: HostedCall[] = [];
  const citations: Citation[] = [];
  let length = 0;
  const raw = (block: unknown) => block as Record<string, unknown>;
  for (const block of message.content) {
    if (block.type === 'text') {
      citations.push(...citationsOf(block.citations, length, length + block.text.length));
      texts.push(block.text);
      length += block.text.length;
    } else if (block.type === 'server_tool_use') {
      hosted.push(hostedCallOf(raw(block), undefined, length));
    } else if (isServerToolResult(block)) {
      const at = hosted.findIndex((call) => call.id === raw(block).tool_use_id);
      const use = hosted[at]?.anthropic?.[0];
      if (use !== undefined) hosted[at] = hostedCallOf(use, raw(block), hosted[at]?.at ?? length);
    } else if (block.type === 'tool_use')
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
    ...(hosted.length === 0 ? {} : { hosted }),
    ...(citations.length === 0 ? {} : { citations }),
  };
}
