import type { GatewayError } from '../core/errors.js';

/**
 * What a failed try means for the router: `retry` the same target (after a backoff), `failover` to the next target
 * at once, or `fatal` — the request itself is wrong (400, 422…), no other target would do better.
 */
export type Disposition = 'retry' | 'failover' | 'fatal';

const RETRY = new Set([
  'upstream_rate_limited', // 429
  'upstream_conflict', // 409
  'upstream_error', // 5xx
  'upstream_overloaded', // 529, overloaded_error
  'upstream_timeout', // 408, timeouts
  'upstream_unreachable', // connection refused or reset
  'upstream_stream_error', // broke off before the first content
  'upstream_idle_timeout',
]);
const FAILOVER = new Set([
  'provider_authentication_failed', // 401/403: this provider's key, not the request
  'upstream_model_not_found', // 404: this target's model
  'provider_key_missing',
  'upstream_empty',
  'invalid_target_params',
]);

export function dispositionOf(error: GatewayError): Disposition {
  const code = error.code ?? '';
  if (RETRY.has(code)) return 'retry';
  if (FAILOVER.has(code)) return 'failover';
  return 'fatal';
}

/** The provider's Retry-After (milliseconds, from retry-after-ms or retry-after seconds or date), if it sent one. */
export function retryAfterMs(error: GatewayError, now: number = Date.now()): number | undefined {
  const ms = Number(error.headers['Retry-After-Ms']);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = error.headers['Retry-After'];
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
