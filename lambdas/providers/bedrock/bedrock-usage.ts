import type { TokenUsage } from '@aws-sdk/client-bedrock-runtime';
import { reportedUsage, tokenCount } from '../../usage/usage-counts.js';
import type { FinishReason, Usage } from '../types.js';

/**
 * Converse usage → the gateway's Usage. Bedrock's `inputTokens` leaves the cached input out (as Anthropic's
 * input_tokens does): every input token is inputTokens + cacheReadInputTokens + cacheWriteInputTokens. cacheDetails
 * splits the cache writes by TTL; its one-hour part is priced apart.
 */
export function toUsage(usage: TokenUsage | undefined): Usage | undefined {
  if (usage === undefined) return undefined;
  const cacheRead = tokenCount(usage.cacheReadInputTokens) ?? 0;
  const cacheWrite = tokenCount(usage.cacheWriteInputTokens) ?? 0;
  const input = tokenCount(usage.inputTokens);
  const details = usage.cacheDetails ?? [];
  const oneHour = details
    .filter((detail) => detail.ttl === '1h')
    .reduce((sum, detail) => sum + (tokenCount(detail.inputTokens) ?? 0), 0);
  return reportedUsage(
    {
      input: input === undefined ? undefined : input + cacheRead + cacheWrite,
      output: usage.outputTokens,
      cached: cacheRead,
      cacheWrite,
    },
    details.length === 0 ? {} : { cacheWrite1hTokens: oneHour },
  );
}

/**
 * Converse stopReason → OpenAI finish_reason. A guardrail's intervention and the model's own content filter are a
 * content_filter finish (the answer carries the guardrail's blocked message), never an error; malformed output and
 * an unknown or missing reason (a newer API value) end like a stop.
 */
export function toFinishReason(reason: string | undefined): FinishReason {
  switch (reason) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'guardrail_intervened':
    case 'content_filtered':
      return 'content_filter';
    default:
      return 'stop';
  }
}

/**
 * The stop sequence that ended the answer: Converse names it only when asked (Anthropic model ids with `stop`:
 * additionalModelResponseFieldPaths ["/stop_sequence"], bedrock-request.ts), in additionalModelResponseFields.
 */
export function stopSequenceOf(reason: string | undefined, fields: unknown): { stopSequence?: string } {
  if (reason !== 'stop_sequence' || typeof fields !== 'object' || fields === null) return {};
  const sequence = (fields as { stop_sequence?: unknown }).stop_sequence;
  return typeof sequence === 'string' ? { stopSequence: sequence } : {};
}
