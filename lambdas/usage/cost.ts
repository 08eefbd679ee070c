import type { GatewayConfig, ModelPriceConfig } from '../config/schema.js';
import type { Usage } from '../providers/types.js';

/** A provider model's price: USD per 1,000,000 tokens, at most 6 decimals; cachedInput and cacheWrite default to input. */
export type ModelPrice = ModelPriceConfig;

const PICOS_PER_MICRO = 1_000_000n;

/**
 * Whether `price` covers the usage: web searches need `webSearchPerThousand` (without it the cost is unknown, and the
 * request counts among the unpriced ones).
 */
export const pricesUsage = (usage: Usage, price: ModelPrice): boolean =>
  (usage.webSearches ?? 0) === 0 || price.webSearchPerThousand !== undefined;

/** The price of `provider`'s upstream `model`; undefined when none is configured (the cost is then unknown). */
export function priceFor(
  config: Pick<GatewayConfig, 'prices'>,
  provider: string,
  model: string,
): ModelPrice | undefined {
  if (!Object.hasOwn(config.prices, provider)) return undefined;
  const models = config.prices[provider];
  if (models === undefined || !Object.hasOwn(models, model)) return undefined;
  return models[model];
}

const picosOfPrice = new Map<number, bigint>();

/** USD per 1M tokens → pico-dollars per token, exactly (the digits of the price with 6 decimals, point removed). */
function picosPerToken(usdPerMillion: number, field: string): bigint {
  const known = picosOfPrice.get(usdPerMillion);
  if (known !== undefined) return known;
  const fixed = Number.isFinite(usdPerMillion) && usdPerMillion >= 0 ? usdPerMillion.toFixed(6) : '';
  if (!/^\d+\.\d{6}$/.test(fixed) || Number(fixed) !== usdPerMillion) {
    throw new RangeError(`price ${field} must be a non-negative number with at most 6 decimals, got ${usdPerMillion}`);
  }
  const picos = BigInt(fixed.replace('.', ''));
  // A process sees a handful of prices, each on every request: converted once.
  if (picosOfPrice.size < 1024) picosOfPrice.set(usdPerMillion, picos);
  return picos;
}

function tokens(count: number, field: string): bigint {
  if (!Number.isSafeInteger(count) || count < 0)
    throw new RangeError(`usage ${field} must be a non-negative integer, got ${count}`);
  return BigInt(count);
}

/**
 * The cost of one call in integer micro-dollars (1 USD = 1,000,000 µ$).
 *
 * Exact arithmetic: 1 USD per 1M tokens is 1 µ$ per token, so a price with at most 6 decimals is a whole number of
 * pico-dollars (10^-12 USD) per token. Each token class is priced in pico-dollars with BigInt, the parts are summed,
 * and the sum is rounded ONCE, half up, to whole micro-dollars: 0.5 µ$ → 1, 0.499999 µ$ → 0. A tiny call can thus
 * cost 0 µ$, and per-request costs summed may differ from the cost of the summed usage by under 1 µ$ per request.
 *
 * Uncached input = inputTokens − cachedInputTokens − cacheWriteTokens, never below 0 (if a provider reports more
 * cache tokens than input, the cache tokens are still charged as reported). Cache writes are priced at `cacheWrite1h`
 * for the part written to a one-hour cache (at most all of them) and `cacheWrite` for the rest. `cachedInput` and
 * `cacheWrite` default to `input`, `cacheWrite1h` to `cacheWrite`. Web searches (`webSearches`) cost
 * `webSearchPerThousand` / 1,000 USD each. Throws RangeError on a malformed price or usage, or
 * on a cost beyond Number.MAX_SAFE_INTEGER µ$ (about 9 billion USD for one call: corrupt usage, not a real bill).
 */
export function costMicros(usage: Usage, price: ModelPrice): number {
  const input = tokens(usage.inputTokens, 'inputTokens');
  const cached = tokens(usage.cachedInputTokens, 'cachedInputTokens');
  const cacheWrite = tokens(usage.cacheWriteTokens, 'cacheWriteTokens');
  const reported1h = tokens(usage.cacheWrite1hTokens ?? 0, 'cacheWrite1hTokens');
  const cacheWrite1h = reported1h < cacheWrite ? reported1h : cacheWrite;
  const output = tokens(usage.outputTokens, 'outputTokens');
  const uncached = input - cached - cacheWrite > 0n ? input - cached - cacheWrite : 0n;
  const cacheWritePrice = price.cacheWrite ?? price.input;

  const picos =
    uncached * picosPerToken(price.input, 'input') +
    cached * picosPerToken(price.cachedInput ?? price.input, 'cachedInput') +
    (cacheWrite - cacheWrite1h) * picosPerToken(cacheWritePrice, 'cacheWrite') +
    cacheWrite1h * picosPerToken(price.cacheWrite1h ?? cacheWritePrice, 'cacheWrite1h') +
    output * picosPerToken(price.output ?? 0, 'output') +
    // USD per 1,000 searches = 1,000 µ$ per search per USD: the price's pico-dollars "per token" × 1,000.
    tokens(usage.webSearches ?? 0, 'webSearches') * picosPerToken(price.webSearchPerThousand ?? 0, 'webSearch') * 1000n;

  const micros = (picos + PICOS_PER_MICRO / 2n) / PICOS_PER_MICRO;
  if (micros > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`cost of ${micros} µ$ is beyond exact numbers`);
  return Number(micros);
}
