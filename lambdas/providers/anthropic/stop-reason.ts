import type { FinishReason } from '../types.js';

/**
 * Anthropic stop_reason → OpenAI finish_reason. `pause_turn` (a server tool paused a long turn) ends this response
 * like a stop; a missing or unknown reason (a newer API value) is a plain stop rather than an error.
 */
export function toFinishReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      return 'stop';
  }
}

/** The matched stop sequence, kept for clients of the Anthropic format (OpenAI's finish_reason cannot say it). */
export function stopSequenceOf(
  reason: string | null | undefined,
  sequence: string | null | undefined,
): { stopSequence?: string } {
  return reason === 'stop_sequence' && sequence != null ? { stopSequence: sequence } : {};
}
