import type { RetryConfig } from '../config/schema.js';

/**
 * How long to wait before retry number `retry` (1 = the second try): the provider's Retry-After when it gave one
 * (undefined when that is longer than the cap: better to try the next target), else capped exponential backoff
 * with full jitter, so a fleet of clients does not retry in lockstep.
 */
export function backoffMs(
  retry: number,
  config: RetryConfig,
  retryAfter: number | undefined,
  random: () => number = Math.random,
): number | undefined {
  if (retryAfter !== undefined) return retryAfter <= config.maxRetryAfterMs ? retryAfter : undefined;
  const ceiling = Math.min(config.maxDelayMs, config.baseDelayMs * 2 ** (retry - 1));
  return Math.floor(random() * ceiling);
}
