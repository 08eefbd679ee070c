import type { ChatMessage, ChatRequest } from '../api/chat-schemas.js';
import type { ChatResult, ToolCall, Usage } from '../providers/types.js';
import { tokenCount } from './usage-counts.js';

/**
 * Token estimates for a call whose provider reported no usage. Rough on purpose (no tokenizer in the hot path):
 * - text: ceil(characters / 4), characters counted as Unicode code points, per piece of text;
 * - each message: +4 tokens (role and separators), and the request +3 (the primed assistant reply), after OpenAI's
 *   published counting recipe for chat messages;
 * - an image part: 85 tokens at detail "low", else 765 (a 1024×1024 image at high detail);
 * - tool definitions and a json_schema response format: their JSON text, as text;
 * - an assistant tool call (input or output): its name and arguments as text, +3 tokens.
 * Tool call ids are not counted. Cache tokens are 0: without usage nothing is known about the cache.
 */
export const CHARS_PER_TOKEN = 4;
export const MESSAGE_OVERHEAD_TOKENS = 4;
export const REPLY_PRIMING_TOKENS = 3;
export const TOOL_CALL_OVERHEAD_TOKENS = 3;
export const IMAGE_TOKENS = { low: 85, other: 765 } as const;

export interface MeteredUsage {
  readonly usage: Usage;
  /** True when the counts are this module's estimate, not the provider's. */
  readonly estimated: boolean;
}

/**
 * What the model produced: content and refusal text (streams: the deltas joined), the tool calls, and the reasoning
 * text apart (output too: providers count thinking tokens in their output tokens, so the estimate does; kept apart so
 * reports show the answer as the answer).
 */
export interface ProducedOutput {
  readonly text: string;
  readonly toolCalls: readonly Pick<ToolCall, 'name' | 'arguments'>[];
  readonly reasoning?: string | undefined;
}

/** The text of a result's thinking blocks, joined ('' without any). */
export const reasoningText = (result: Pick<ChatResult, 'reasoning'>): string =>
  (result.reasoning ?? []).map((block) => (block.type === 'thinking' ? block.thinking : '')).join('');

/** A non-streamed result as ProducedOutput. */
export function producedOf(
  result: Pick<ChatResult, 'content' | 'refusal' | 'toolCalls' | 'reasoning'>,
): ProducedOutput {
  const reasoning = reasoningText(result);
  return {
    text: (result.content ?? '') + (result.refusal ?? ''),
    toolCalls: result.toolCalls,
    ...(reasoning === '' ? {} : { reasoning }),
  };
}

export function textTokens(text: string): number {
  let chars = 0;
  for (const _char of text) chars += 1;
  return Math.ceil(chars / CHARS_PER_TOKEN);
}

function toolCallTokens(call: Pick<ToolCall, 'name' | 'arguments'>): number {
  return textTokens(call.name) + textTokens(call.arguments) + TOOL_CALL_OVERHEAD_TOKENS;
}

/** A file part: its decoded size as text (a rough bound); a file by id counts like an image. */
const fileTokens = (data: string | undefined): number =>
  data === undefined ? IMAGE_TOKENS.other : Math.ceil((data.length * 3) / 4 / CHARS_PER_TOKEN);

function contentTokens(content: ChatMessage['content']): number {
  if (content === undefined || content === null) return 0;
  if (typeof content === 'string') return textTokens(content);
  let total = 0;
  for (const part of content) {
    if (part.type === 'text') total += textTokens(part.text);
    else if (part.type === 'file') total += fileTokens(part.file.file_data);
    else total += part.image_url.detail === 'low' ? IMAGE_TOKENS.low : IMAGE_TOKENS.other;
  }
  return total;
}

function messageTokens(message: ChatMessage): number {
  let total = MESSAGE_OVERHEAD_TOKENS + contentTokens(message.content);
  if ('name' in message && message.name !== undefined) total += textTokens(message.name);
  if (message.role === 'assistant') {
    if (message.refusal != null) total += textTokens(message.refusal);
    for (const call of message.tool_calls ?? []) {
      total += toolCallTokens({ name: call.function.name, arguments: call.function.arguments });
    }
  }
  return total;
}

export function estimateInputTokens(request: ChatRequest): number {
  let total = REPLY_PRIMING_TOKENS;
  for (const message of request.messages) total += messageTokens(message);
  if (request.tools !== undefined) total += textTokens(JSON.stringify(request.tools));
  if (request.response_format?.type === 'json_schema')
    total += textTokens(JSON.stringify(request.response_format.json_schema));
  return total;
}

export function estimateOutputTokens(produced: ProducedOutput): number {
  let total = textTokens(produced.text) + textTokens(produced.reasoning ?? '');
  for (const call of produced.toolCalls) total += toolCallTokens(call);
  return total;
}

/** The estimated usage of a call the provider reported none for. */
export function estimateUsage(
  request: ChatRequest,
  produced: ProducedOutput,
): MeteredUsage & { readonly estimated: true } {
  return {
    usage: {
      inputTokens: estimateInputTokens(request),
      outputTokens: estimateOutputTokens(produced),
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
    },
    estimated: true,
  };
}

/**
 * The provider's usage when it reported one, else the estimate. A count the provider left out (`unreported`) or sent
 * as no count at all (null, negative, fractional: whatever reached here) is estimated, and the usage marked estimated;
 * cache counts that are no count are 0. So metering never books nonsense, and cost never throws on usage.
 */
export function meterUsage(reported: Usage | undefined, request: ChatRequest, produced: ProducedOutput): MeteredUsage {
  if (reported === undefined) return estimateUsage(request, produced);
  const missing = new Set(reported.unreported ?? []);
  const input = missing.has('inputTokens') ? undefined : tokenCount(reported.inputTokens);
  const output = missing.has('outputTokens') ? undefined : tokenCount(reported.outputTokens);
  const cacheWrite1h =
    reported.cacheWrite1hTokens === undefined ? undefined : (tokenCount(reported.cacheWrite1hTokens) ?? 0);
  // The provider's reasoning count (part of its output count), kept as it said: the Responses usage shows it.
  const reasoning = reported.reasoningTokens === undefined ? undefined : (tokenCount(reported.reasoningTokens) ?? 0);
  const usage: Usage = {
    inputTokens: input ?? estimateInputTokens(request),
    outputTokens: output ?? estimateOutputTokens(produced),
    cachedInputTokens: tokenCount(reported.cachedInputTokens) ?? 0,
    cacheWriteTokens: tokenCount(reported.cacheWriteTokens) ?? 0,
    ...(cacheWrite1h === undefined ? {} : { cacheWrite1hTokens: cacheWrite1h }),
    ...(reasoning === undefined ? {} : { reasoningTokens: reasoning }),
    // Web searches a hosted tool ran: priced per search (usage/cost.ts).
    ...(reported.webSearches === undefined ? {} : { webSearches: tokenCount(reported.webSearches) ?? 0 }),
  };
  return { usage, estimated: input === undefined || output === undefined };
}
