import type { ChatRequest } from '../api/chat-schemas.js';
import type { GatewayConfig } from '../config/schema.js';
import type { QuotasConfig } from '../config/quotas-schema.js';
import { costMicros, priceFor } from '../usage/cost.js';
import { estimateInputTokens } from '../usage/estimate.js';

/** What a request reserves before its upstream call. */
export interface ReservationAmount {
  readonly tokens: number;
  readonly micros: number;
}

export interface PricedTarget {
  readonly providerName: string;
  readonly model: string;
  readonly request: ChatRequest;
}

/**
 * The reservation of one request: the input estimate (lambdas/usage/estimate.ts) plus the output it may produce —
 * its max_tokens (or max_completion_tokens), at most `reserveOutputTokens`, which is also what a request without one
 * reserves. Tokens are the largest over the alias's targets (their parameter overrides may differ); the cost is the
 * dearest target's, with every input token at the highest of its input, cached-input, cache-write and one-hour cache-write prices, so a
 * fallback to a dearer target or a cache write stays inside the reservation. A target without a price reserves 0 µ$.
 */
export function reservationAmount(
  config: Pick<GatewayConfig, 'prices'>,
  quotas: QuotasConfig,
  targets: readonly PricedTarget[],
): ReservationAmount {
  let tokens = 0;
  let micros = 0;
  // Targets without parameter overrides share the client's request: estimate each distinct request once.
  const estimates = new Map<ChatRequest, number>();
  for (const target of targets) {
    let input = estimates.get(target.request);
    if (input === undefined) {
      input = estimateInputTokens(target.request);
      estimates.set(target.request, input);
    }
    const asked = target.request.max_completion_tokens ?? target.request.max_tokens ?? undefined;
    const output = Math.min(asked ?? quotas.reserveOutputTokens, quotas.reserveOutputTokens);
    tokens = Math.max(tokens, input + output);
    const price = priceFor(config, target.providerName, target.model);
    if (price !== undefined) {
      // A one-hour cache write (cacheWrite1h, defaulting to cacheWrite) is the dearest an input token can be.
      const inputPrice = Math.max(
        price.input,
        price.cachedInput ?? price.input,
        price.cacheWrite ?? price.input,
        price.cacheWrite1h ?? price.cacheWrite ?? price.input,
      );
      const cost = costMicros(
        { inputTokens: input, outputTokens: output, cachedInputTokens: 0, cacheWriteTokens: 0 },
        { input: inputPrice, output: price.output ?? 0 },
      );
      // +1 µ$ for a priced model: the actual cost is rounded on its own, and may round up where this one rounded down.
      const rounding = inputPrice > 0 || (price.output ?? 0) > 0 ? 1 : 0;
      micros = Math.max(micros, cost + rounding);
    }
  }
  return { tokens, micros };
}
