import type { Usage } from '../providers/types.js';
import { estimateOutputTokens, type MeteredUsage, type ProducedOutput } from '../usage/estimate.js';

/**
 * The books of a stream that failed after its provider reported partial counts (Anthropic's message_start): the
 * provider's input and cache counts as reported, the output estimated from what was produced (never below what was
 * reported). Marked estimated, since part of it is.
 */
export function partialMetered(reported: Usage, produced: ProducedOutput): MeteredUsage {
  return {
    usage: { ...reported, outputTokens: Math.max(reported.outputTokens, estimateOutputTokens(produced)) },
    estimated: true,
  };
}
