import { ERROR_CODES, type ErrorCode } from './error-codes.js';

/** The header the official openai and Anthropic SDKs obey before their own retry rules (`'false'`: do not retry). */
export const SHOULD_RETRY_HEADER = 'x-should-retry';

/**
 * Codes whose answer comes after the gateway has done what retrying can do, or that no automatic retry can turn into
 * a success: every upstream fault (the router retried and failed over already, so an SDK retrying again would only
 * multiply the upstream calls), the breakers, the deadline, a truncated stream, and an exhausted quota or budget.
 */
const FINAL_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'no_target_available',
  'request_deadline_exceeded',
  'upstream_stream_truncated',
  'try_cancelled',
  'insufficient_quota',
]);

/** True when the gateway's answer with this code tells clients not to retry it automatically. */
export function isFinal(code: ErrorCode): boolean {
  const { routing } = ERROR_CODES[code];
  return routing === 'retry' || routing === 'failover' || FINAL_CODES.has(code);
}

/**
 * The answers after which a later retry can succeed, at a time the gateway knows, so Retry-After says when: a
 * provider's rate limit (429, its own Retry-After), an exhausted quota or budget (429, the period's reset), the
 * edge's rate limits, and every target's breaker open (503, the first probe's time). Nowhere else: on a final 5xx
 * (502/504: the provider's Retry-After was advice to the gateway, which honoured it already; a 503 of the store or the
 * configuration), nor on a 4xx of the request's own.
 */
export const RETRY_AFTER_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'upstream_rate_limited',
  'insufficient_quota',
  'rate_limit_exceeded',
  'request_quota_exceeded',
  'no_target_available',
]);

/**
 * The retry headers of an error answer: `x-should-retry: false` on final answers, and Retry-After (with the
 * provider's Retry-After-Ms) only on the answers of RETRY_AFTER_CODES.
 */
export function retryAdvice(code: ErrorCode, headers: Readonly<Record<string, string>>) {
  const advised: Record<string, string> = { ...headers };
  if (!RETRY_AFTER_CODES.has(code)) {
    delete advised['Retry-After'];
    delete advised['Retry-After-Ms'];
  }
  if (isFinal(code)) advised[SHOULD_RETRY_HEADER] = 'false';
  return advised;
}
