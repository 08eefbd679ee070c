import { GatewayError } from '../../core/errors.js';
import { streamFailure } from '../upstream-error.js';

/**
 * Failures after a stream began (HTTP 200 already received), as GatewayErrors for an `error` part.
 * - An Anthropic `error` event: the SDK throws it as an APIError without status whose `error` is the event body
 *   `{ type: "error", error: { type, message } }`. overloaded_error → 502 upstream_overloaded, rate_limit_error → 429,
 *   anything else (api_error, …) → 502 upstream_error. The provider's message is not passed on.
 * - Anything else (dropped connection, malformed SSE, a stream that ends before message_stop) → 502
 *   upstream_stream_error.
 */
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The error type of an Anthropic error event body (`{ type: "error", error: { type: string } }`), or undefined if
 * `value` is not one. A plain check, not a schema: zod would be loaded with the first Anthropic stream only for it.
 */
export function errorEventType(value: unknown): string | undefined {
  if (!isObject(value) || value.type !== 'error' || !isObject(value.error)) return undefined;
  const type = value.error.type;
  return typeof type === 'string' ? type : undefined;
}

export function errorEventFailure(type: string, provider: string): GatewayError {
  if (type === 'rate_limit_error') {
    return new GatewayError({
      message: `Provider ${provider} is rate limiting requests; retry later.`,
      code: 'upstream_rate_limited',
    });
  }
  const overloaded = type === 'overloaded_error';
  return new GatewayError({
    message: overloaded ? `Provider ${provider} is overloaded.` : `Provider ${provider} failed during the stream.`,
    code: overloaded ? 'upstream_overloaded' : 'upstream_error',
  });
}

/** What the SDK's event iterator threw, other than an abort. */
export function thrownStreamFailure(err: unknown, provider: string): GatewayError {
  const type = typeof err === 'object' && err !== null && 'error' in err ? errorEventType(err.error) : undefined;
  return type === undefined ? streamFailure(provider, err) : errorEventFailure(type, provider);
}
