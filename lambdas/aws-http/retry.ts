/**
 * Retries as the AWS SDK's standard mode does them (@smithy/core retry, checked against the installed version):
 * throttling errors (by name, HTTP 429, or a `$retryable.throttling` trait) and transient ones (HTTP 500/502/503/504,
 * a timeout, a connection reset, refused or unreachable, a `$retryable` trait) are retried, never an abort or a
 * client error (a failed condition, a cancelled transaction, a validation error). The pause before retry i (0-based)
 * is random in [0, min(base × 2^i, 20 s)) — full jitter — with base 50 ms, or 1 s after throttling; a client's retry
 * quota (500 tokens, 14 per transient retry, 5 per throttled one, given back on success) stops retry storms.
 */
const THROTTLING: ReadonlySet<string> = new Set([
  'BandwidthLimitExceeded',
  'EC2ThrottledException',
  'LimitExceededException',
  'PriorRequestNotComplete',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ThrottledException',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'TransactionInProgressException',
]);
const TRANSIENT_NAMES: ReadonlySet<string> = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);
const TRANSIENT_STATUS: ReadonlySet<number> = new Set([500, 502, 503, 504]);
const NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

export const BASE_DELAY_MS = 50;
export const THROTTLING_BASE_DELAY_MS = 1_000;
export const MAX_DELAY_MS = 20_000;
const QUOTA_CAPACITY = 500;
const TRANSIENT_COST = 14;
const THROTTLING_COST = 5;

interface Classified {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: number | undefined };
  readonly $retryable?: { readonly throttling?: boolean };
  readonly cause?: unknown;
}

export type RetryKind = 'throttling' | 'transient' | undefined;

function isTransient(e: Classified, depth: number): boolean {
  if (e.name === 'AbortError') return false;
  const status = e.$metadata?.httpStatusCode;
  if (
    e.$retryable !== undefined ||
    TRANSIENT_NAMES.has(String(e.name)) ||
    NETWORK_CODES.has(String(e.code)) ||
    (status !== undefined && TRANSIENT_STATUS.has(status))
  )
    return true;
  const cause = e.cause;
  return depth < 10 && typeof cause === 'object' && cause !== null && isTransient(cause as Classified, depth + 1);
}

/** Whether (and how) a failed attempt may be retried. */
export function retryKind(err: unknown): RetryKind {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as Classified;
  if (e.name === 'AbortError') return undefined;
  if (e.$metadata?.httpStatusCode === 429 || THROTTLING.has(String(e.name)) || e.$retryable?.throttling === true)
    return 'throttling';
  return isTransient(e, 0) ? 'transient' : undefined;
}

/** The pause before retry `retry` (0 for the first), full jitter. */
export const backoffMs = (
  kind: 'throttling' | 'transient',
  retry: number,
  random: () => number = Math.random,
): number =>
  Math.floor(
    random() * Math.min((kind === 'throttling' ? THROTTLING_BASE_DELAY_MS : BASE_DELAY_MS) * 2 ** retry, MAX_DELAY_MS),
  );

/** A client's retry tokens: a retry takes some, a success gives back what its retries took (or one). */
export class RetryQuota {
  private capacity = QUOTA_CAPACITY;

  /** Takes the cost of one retry of `kind`; undefined when the quota cannot pay it (no retry). */
  take(kind: 'throttling' | 'transient'): number | undefined {
    const cost = kind === 'throttling' ? THROTTLING_COST : TRANSIENT_COST;
    if (this.capacity < cost) return undefined;
    this.capacity -= cost;
    return cost;
  }

  /** A call succeeded: `cost` is what its last retry took (undefined when it needed none). */
  succeeded(cost: number | undefined): void {
    this.capacity = Math.min(QUOTA_CAPACITY, this.capacity + (cost ?? 1));
  }
}
