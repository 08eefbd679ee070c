import type {
  ContentBlock,
  Message,
  MessageDeltaUsage,
  RefusalStopDetails,
  StopReason,
  TextBlock,
  ToolUseBlock,
  Usage as AnthropicUsage,
} from '@anthropic-ai/sdk/resources/messages';
import type { AnswerMeta } from '../chat-encoding.js';
import type { ChatResult, FinishReason, ReasoningBlock, Usage } from '../../providers/types.js';
import { hostedTextBlocks, serverToolUsage } from './messages-hosted.js';

/**
 * The gateway's answer in Anthropic's Message format (typed against @anthropic-ai/sdk, so the shape cannot drift
 * from what its clients parse). Fields Anthropic fills that no target reports (container, diagnostics, service
 * tier, …) are null.
 */

/** Usage as Anthropic counts it: `input_tokens` excludes the cache reads and writes, which have fields of their own. */
export function anthropicUsage(usage: Usage): AnthropicUsage {
  return {
    input_tokens: Math.max(0, usage.inputTokens - usage.cachedInputTokens - usage.cacheWriteTokens),
    output_tokens: usage.outputTokens,
    cache_creation_input_tokens: usage.cacheWriteTokens,
    cache_read_input_tokens: usage.cachedInputTokens,
    cache_creation:
      usage.cacheWrite1hTokens === undefined
        ? null
        : {
            ephemeral_1h_input_tokens: usage.cacheWrite1hTokens,
            ephemeral_5m_input_tokens: Math.max(0, usage.cacheWriteTokens - usage.cacheWrite1hTokens),
          },
    inference_geo: null,
    output_tokens_details: null,
    server_tool_use: serverToolUsage(usage),
    service_tier: null,
    speed: null,
  };
}

/** message_delta's usage: cumulative, every count given. */
export function deltaUsage(usage: Usage): MessageDeltaUsage {
  const { input_tokens, output_tokens, cache_creation_input_tokens, cache_read_input_tokens } = anthropicUsage(usage);
  return {
    input_tokens,
    output_tokens,
    cache_creation_input_tokens,
    cache_read_input_tokens,
    output_tokens_details: null,
    server_tool_use: serverToolUsage(usage),
  };
}

/** finish_reason → stop_reason; `stop` is `stop_sequence` when the provider said which sequence matched. */
export function toStopReason(finish: FinishReason, stopSequence: string | undefined): StopReason {
  switch (finish) {
    case 'length':
      return 'max_tokens';
    case 'tool_calls':
      return 'tool_use';
    case 'content_filter':
      return 'refusal';
    case 'stop':
      return stopSequence === undefined ? 'end_turn' : 'stop_sequence';
  }
}

export const refusalDetails = (explanation: string | null): RefusalStopDetails => ({
  type: 'refusal',
  category: null,
  explanation,
});

/** A tool call's arguments as tool_use input: the JSON object, or {} when the model's text is not one (e.g. cut off). */
export function toolInput(args: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(args);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // not JSON: below
  }
  return {};
}

/**
 * A text block without `citations` (Anthropic's own carry `null`, which @ai-sdk/anthropic's schema refuses: it wants
 * an array or no field). The SDK's type lists the field, so it is left out here by a cast.
 */
export const textBlock = (text: string): TextBlock => ({ type: 'text', text }) as TextBlock;

export const toolUseBlock = (call: { id: string; name: string }, input: Record<string, unknown>): ToolUseBlock => ({
  type: 'tool_use',
  id: call.id,
  name: call.name,
  input,
  caller: { type: 'direct' },
});

/**
 * A reasoning block as Anthropic's content block: thinking with its signature, redacted_thinking with its data; an
 * OpenAI reasoning item as thinking with its summary and no signature (Anthropic's clients send it back; it is dropped
 * upstream like any unsigned thinking).
 */
export const reasoningBlock = (block: ReasoningBlock): ContentBlock => {
  if (block.type === 'thinking') return { type: 'thinking', thinking: block.thinking, signature: block.signature };
  if (block.type === 'redacted_thinking') return { type: 'redacted_thinking', data: block.data };
  return { type: 'thinking', thinking: block.summary.join('\n\n'), signature: '' };
};

/**
 * The content blocks of a result, in answer order: reasoning blocks where they stood among the tool calls (those
 * before any tool call first), the text after them (with server tool blocks and citations: messages-hosted.ts), then
 * the tool calls, each after the reasoning that preceded it.
 */
function contentOf(result: ChatResult): ContentBlock[] {
  const reasoning = result.reasoning ?? [];
  const before = (k: number): ContentBlock[] =>
    reasoning
      .filter((_, i) => Math.min(result.reasoningAfterToolCalls?.[i] ?? 0, result.toolCalls.length) === k)
      .map(reasoningBlock);
  return [
    ...before(0),
    ...(result.hosted !== undefined || result.citations !== undefined
      ? hostedTextBlocks(result)
      : result.content === null || result.content === ''
        ? []
        : [textBlock(result.content)]),
    ...result.toolCalls.flatMap((call, k) => [toolUseBlock(call, toolInput(call.arguments)), ...before(k + 1)]),
  ];
}

/**
 * A result as a Message: its reasoning blocks, its text as one text block, then a tool_use block per tool call (in
 * answer order: contentOf). A refusal (OpenAI's `refusal`, Anthropic's own) is stop_reason `refusal` with the
 * explanation in stop_details. `usage` is what the
 * ledger records (the provider's, or the gateway's estimate when it reported none).
 */
export function toAnthropicMessage(result: ChatResult, usage: Usage, meta: AnswerMeta): Message {
  const refused = result.refusal !== null || result.finishReason === 'content_filter';
  return {
    id: meta.id,
    type: 'message',
    role: 'assistant',
    model: meta.alias,
    content: contentOf(result),
    stop_reason: refused ? 'refusal' : toStopReason(result.finishReason, result.stopSequence),
    stop_sequence: result.stopSequence ?? null,
    stop_details: refused ? refusalDetails(result.refusal) : null,
    container: null,
    diagnostics: null,
    usage: anthropicUsage(usage),
  };
}
