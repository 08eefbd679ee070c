import type { ContentBlock, ConverseResponse } from '@aws-sdk/client-bedrock-runtime';
import type { ChatResult, ReasoningBlock, ToolCall } from '../types.js';
import { stopSequenceOf, toFinishReason, toUsage } from './bedrock-usage.js';

/** A reasoningContent block → the canonical reasoning block (redacted bytes as base64, sent back as they came). */
export function reasoningOf(block: NonNullable<ContentBlock['reasoningContent']>): ReasoningBlock | undefined {
  if (block.reasoningText !== undefined) {
    return {
      type: 'thinking',
      thinking: block.reasoningText.text ?? '',
      signature: block.reasoningText.signature ?? '',
    };
  }
  if (block.redactedContent !== undefined) {
    return { type: 'redacted_thinking', data: Buffer.from(block.redactedContent).toString('base64') };
  }
  return undefined;
}

/**
 * A Converse answer → ChatResult. Text blocks are concatenated (null when there is none); toolUse blocks become tool
 * calls with their input as JSON text; reasoningContent blocks become `reasoning`, in order, each placed by the
 * number of tool calls before it. Other blocks (citations, images…) are not part of an OpenAI answer. A body without
 * an output message is the provider's fault (answerOf turns the TypeError into upstream_invalid_response).
 */
export function toChatResult(response: ConverseResponse): ChatResult {
  const message = response.output?.message;
  if (message === undefined || !Array.isArray(message.content)) throw new TypeError('no output message');
  const texts: string[] = [];
  const toolCalls: ToolCall[] = [];
  const reasoning: ReasoningBlock[] = [];
  const placement: number[] = [];
  for (const block of message.content) {
    if (block.text !== undefined) texts.push(block.text);
    else if (block.toolUse !== undefined) {
      const { toolUseId, name, input } = block.toolUse;
      toolCalls.push({ id: toolUseId ?? '', name: name ?? '', arguments: JSON.stringify(input ?? {}) });
    } else if (block.reasoningContent !== undefined) {
      const thinking = reasoningOf(block.reasoningContent);
      if (thinking === undefined) continue;
      reasoning.push(thinking);
      placement.push(toolCalls.length);
    }
  }
  return {
    content: texts.length === 0 ? null : texts.join(''),
    refusal: null,
    toolCalls,
    finishReason: toFinishReason(response.stopReason),
    ...stopSequenceOf(response.stopReason, response.additionalModelResponseFields),
    usage: toUsage(response.usage),
    ...(reasoning.length === 0
      ? {}
      : {
          reasoning,
          ...(placement.some((before) => before > 0) ? { reasoningAfterToolCalls: placement } : {}),
        }),
  };
}
