import { z } from 'zod';
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
const errorEventSchema = z.object({ type: z.literal('error'), error: z.object({ type: z.string() }) });

/** The error type of an Anthropic error event body, or undefined if `value` is not one. */
export function errorEventType(value: unknown): string | undefined {
  const parsed = errorEventSchema.safeParse(value);
  return parsed.success ? parsed.data.error.type : undefined;
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
