import { inputTokens } from '../api/embedding-inputs.js';
import type { EmbeddingInput } from '../providers/embedding-types.js';
import type { GatewayConfig } from '../config/schema.js';
import type { ReservationAmount } from '../quota/reservation-amount.js';
import { costMicros, priceFor } from '../usage/cost.js';
import type { MeteredUsage } from '../usage/estimate.js';
import { tokenCount } from '../usage/usage-counts.js';

/** The usage of an embeddings call: input tokens only (no output, no cache). */
const inputOnly = (tokens: number) => ({
  inputTokens: tokens,
  outputTokens: 0,
  cachedInputTokens: 0,
  cacheWriteTokens: 0,
});

/** The request's input tokens, estimated: text about 4 characters a token, token arrays by their length. */
export const estimateEmbeddingTokens = (input: readonly EmbeddingInput[]): number =>
  input.reduce((sum, item) => sum + inputTokens(item), 0);

export const estimatedInput = (input: readonly EmbeddingInput[]): MeteredUsage => ({
  usage: inputOnly(estimateEmbeddingTokens(input)),
  estimated: true,
});

/** The provider's count when it reported a valid one, else the estimate (marked estimated). */
export function meterEmbedding(reported: number | undefined, input: readonly EmbeddingInput[]): MeteredUsage {
  const tokens = tokenCount(reported);
  return tokens === undefined ? estimatedInput(input) : { usage: inputOnly(tokens), estimated: false };
}

/**
 * What an embeddings request reserves in the plan's quotas: its estimated input tokens, priced at the dearest target's
 * input price (+1 µ$ for a priced model: the actual cost is rounded on its own). A target without a price reserves 0 µ$.
 */
export function embeddingReservation(
  config: Pick<GatewayConfig, 'prices'>,
  targets: readonly { readonly providerName: string; readonly model: string }[],
  input: readonly EmbeddingInput[],
): ReservationAmount {
  const tokens = estimateEmbeddingTokens(input);
  let micros = 0;
  for (const target of targets) {
    const price = priceFor(config, target.providerName, target.model);
    if (price === undefined) continue;
    const cost = costMicros(inputOnly(tokens), { input: price.input });
    micros = Math.max(micros, cost + (price.input > 0 ? 1 : 0));
  }
  return { tokens, micros };
}
