/**
 * The error codes the router decides on, with what each means for it: `retry` the same target (after a backoff),
 * `failover` to the next target at once, or `fatal` — the request itself is wrong, no other target would do better.
 * One typed table: code that creates a routed error names its code through `RoutingCode`, so a misspelt code is a
 * compile error instead of an error that silently ends the request. A code not in the table is fatal.
 */
export const ROUTING_CODES = {
  upstream_rate_limited: 'retry', // 429
  upstream_conflict: 'retry', // 409
  upstream_error: 'retry', // 5xx
  upstream_overloaded: 'retry', // 529, overloaded_error
  upstream_timeout: 'retry', // 408, timeouts
  upstream_unreachable: 'retry', // connection refused or reset
  upstream_stream_error: 'retry', // broke off before the first content
  upstream_idle_timeout: 'retry',
  upstream_invalid_response: 'retry', // a 200 that is not a valid answer (invalid JSON, an error object)
  provider_authentication_failed: 'failover', // 401/403: this provider's key, not the request
  upstream_model_not_found: 'failover', // 404: this target's model
  provider_key_missing: 'failover',
  upstream_empty: 'failover',
  invalid_target_params: 'failover',
  upstream_bad_request: 'fatal', // 400/413/422: the provider refused the request
  request_not_encodable: 'fatal', // the request could not be serialised: nothing was sent
  try_cancelled: 'fatal', // a try the router itself aborted (a hedge's loser): never a verdict
} as const satisfies Record<string, 'retry' | 'failover' | 'fatal'>;

export type RoutingCode = keyof typeof ROUTING_CODES;
export type Disposition = (typeof ROUTING_CODES)[RoutingCode];

export const isRoutingCode = (code: string): code is RoutingCode => Object.hasOwn(ROUTING_CODES, code);

/**
 * Whether a failure with this code says something about the target (counts against its circuit breaker). The
 * request's own faults (fatal codes, codes outside the table) and tries the router cancelled do not.
 */
export const countsAgainstTarget = (code: string | null): boolean =>
  code !== null && isRoutingCode(code) && ROUTING_CODES[code] !== 'fatal';
