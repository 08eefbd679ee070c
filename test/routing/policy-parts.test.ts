import { GatewayError, type ErrorCode } from '../../lambdas/core/errors.js';
import { backoffMs } from '../../lambdas/routing/backoff.js';
import { CircuitBreaker } from '../../lambdas/routing/breaker.js';
import { dispositionOf, retryAfterMs } from '../../lambdas/routing/classify.js';
import { targetOrder } from '../../lambdas/routing/order.js';
import { toGatewayError } from '../../lambdas/providers/upstream-error.js';
// The SDKs register their error classes as they load (chat/registry.ts loads them on first use); here, at once.
import '../../lambdas/providers/openai/openai-errors.js';
import '../../lambdas/providers/anthropic/anthropic-errors.js';
import { AuthenticationError, ConflictError, RateLimitError, UnprocessableEntityError } from 'openai';

const upstream = (code: ErrorCode, headers: Record<string, string> = {}) =>
  new GatewayError({ message: 'x', code, headers });

describe('classification', () => {
  it.each([
    ['upstream_rate_limited', 'retry'],
    ['upstream_error', 'retry'],
    ['upstream_overloaded', 'retry'],
    ['upstream_timeout', 'retry'],
    ['upstream_unreachable', 'retry'],
    ['upstream_conflict', 'retry'],
    ['provider_authentication_failed', 'failover'],
    ['upstream_model_not_found', 'failover'],
    ['upstream_bad_request', 'fatal'],
    ['unsupported_parameter', 'refused'],
  ] as const)('%s → %s', (code, disposition) => {
    expect(dispositionOf(upstream(code))).toBe(disposition);
  });

  it('Retry-After: ms header first, then seconds, then an HTTP date', () => {
    expect(retryAfterMs(upstream('upstream_error', { 'Retry-After-Ms': '250', 'Retry-After': '9' }))).toBe(250);
    expect(retryAfterMs(upstream('upstream_error', { 'Retry-After': '2' }))).toBe(2000);
    const now = Date.UTC(2026, 0, 1, 0, 0, 0);
    expect(retryAfterMs(upstream('upstream_error', { 'Retry-After': 'Thu, 01 Jan 2026 00:00:03 GMT' }), now)).toBe(
      3000,
    );
    expect(retryAfterMs(upstream('upstream_error'))).toBeUndefined();
  });

  it('an empty or unreadable Retry-After counts as absent, not as 0 s', () => {
    expect(retryAfterMs(upstream('upstream_error', { 'Retry-After': '' }))).toBeUndefined();
    expect(retryAfterMs(upstream('upstream_error', { 'Retry-After': '  ' }))).toBeUndefined();
    expect(retryAfterMs(upstream('upstream_error', { 'Retry-After': 'soon' }))).toBeUndefined();
    expect(retryAfterMs(upstream('upstream_error', { 'Retry-After-Ms': '', 'Retry-After': '3' }))).toBe(3000);
    expect(retryAfterMs(upstream('upstream_error', { 'Retry-After-Ms': 'x' }))).toBeUndefined();
  });

  it("through the SDK errors: 409 retries, 422 is the request's fault, 401 fails over, 429 keeps Retry-After", () => {
    const body = { error: { message: 'upstream says no' } };
    expect(dispositionOf(toGatewayError(new ConflictError(409, body, 'x', new Headers()), 'p'))).toBe('retry');
    const unprocessable = toGatewayError(new UnprocessableEntityError(422, body, 'x', new Headers()), 'p');
    expect([dispositionOf(unprocessable), unprocessable.status, unprocessable.message]).toEqual([
      'fatal',
      400,
      'upstream says no',
    ]);
    expect(dispositionOf(toGatewayError(new AuthenticationError(401, body, 'x', new Headers()), 'p'))).toBe('failover');
    const limited = toGatewayError(new RateLimitError(429, body, 'x', new Headers({ 'retry-after-ms': '1200' })), 'p');
    expect([dispositionOf(limited), retryAfterMs(limited)]).toEqual(['retry', 1200]);
  });
});

describe('backoff', () => {
  const retry = { attempts: 3, baseDelayMs: 100, maxDelayMs: 300, maxRetryAfterMs: 1000 };
  it('full jitter under a doubling, capped ceiling', () => {
    expect(backoffMs(1, retry, undefined, () => 0.999)).toBe(99);
    expect(backoffMs(2, retry, undefined, () => 0.999)).toBe(199);
    expect(backoffMs(3, retry, undefined, () => 0.999)).toBe(299);
    expect(backoffMs(5, retry, undefined, () => 0.5)).toBe(150);
    expect(backoffMs(1, retry, undefined, () => 0)).toBe(0);
  });
  it('honours Retry-After up to the cap, beyond it gives up on the target', () => {
    expect(backoffMs(1, retry, 800)).toBe(800);
    expect(backoffMs(1, retry, 1001)).toBeUndefined();
  });
});

describe('circuit breaker', () => {
  const config = { failures: 3, window: 4, cooldownMs: 1000 };
  it('opens after consecutive failures, probes once after the cooldown, closes on success', () => {
    const breaker = new CircuitBreaker(config);
    expect([breaker.failure(0), breaker.failure(0), breaker.failure(0)]).toEqual([false, false, true]);
    expect(breaker.allow(999)).toBe(false);
    expect(breaker.allow(1000)).toBe(true);
    expect(breaker.allow(1000)).toBe(false); // one probe at a time
    breaker.success();
    expect(breaker.current(1000)).toBe('closed');
    expect(breaker.allow(1000)).toBe(true);
  });
  it('a failed probe opens it again for a full cooldown', () => {
    const breaker = new CircuitBreaker(config);
    [0, 0, 0].forEach((t) => breaker.failure(t));
    expect(breaker.allow(1500)).toBe(true);
    expect(breaker.failure(1500)).toBe(true);
    expect(breaker.allow(2400)).toBe(false);
    expect(breaker.allow(2500)).toBe(true);
  });
  it('or opens on the error rate over the window', () => {
    const breaker = new CircuitBreaker({ failures: 100, errorRate: 0.5, window: 4, cooldownMs: 1000 });
    breaker.success();
    breaker.failure(0);
    breaker.success();
    expect(breaker.failure(0)).toBe(true);
  });
});

describe('target order', () => {
  const targets = [{ id: 'a', weight: 1 }, { id: 'b', weight: 3 }, { id: 'c' }];
  it('fallback keeps the configured order', () => {
    expect(targetOrder('fallback', targets, () => 0.9).map((t) => t.id)).toEqual(['a', 'b', 'c']);
  });
  it('weighted picks the first by weight, the rest follow in order', () => {
    expect(targetOrder('weighted', targets, () => 0.1).map((t) => t.id)).toEqual(['a', 'b', 'c']);
    expect(targetOrder('weighted', targets, () => 0.5).map((t) => t.id)).toEqual(['b', 'a', 'c']);
    expect(targetOrder('weighted', targets, () => 0.9).map((t) => t.id)).toEqual(['c', 'a', 'b']);
  });
});
