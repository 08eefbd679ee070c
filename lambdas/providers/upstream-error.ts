import type { APIError as AnthropicAPIError } from '@anthropic-ai/sdk';
import type { APIError as OpenAIAPIError } from 'openai';
import { GatewayError, type ErrorCode } from '../core/errors.js';
import { contentFilterError } from './content-filter.js';

/**
 * Maps what an upstream call threw (either official SDK: both name their errors alike and carry `status`,
 * `headers`, `error`) to the gateway's error, once, at the provider boundary:
 *   400/413/422 → 400 with the provider's message (it is about the request); a content filter's 400 → 400
 *   `content_filtered` (content-filter.ts)   401/403 → 502, key text dropped
 *   404 → 502 (the configured upstream model is unknown)   408/timeout → 504   409 → 502 (retryable)
 *   429 → 429 with Retry-After (and Retry-After-Ms when the provider sent retry-after-ms)
 *   5xx, 529, connection failure → 502 (503 and 529 keep Retry-After / Retry-After-Ms, which the router honours).
 *   A request the SDK could not serialise (JSON.stringify's RangeError: nothing was sent) → 400
 *   `request_not_encodable`; an answer that is not JSON (the SDK's SyntaxError) → 502 `upstream_invalid_response`.
 *   An abort (the client left) is rethrown as is.
 */
type SdkApiError = OpenAIAPIError | AnthropicAPIError;

type ErrorClass = abstract new (...args: never[]) => Error;
/** One official SDK's error classes. */
export interface SdkErrorClasses {
  readonly api: ErrorClass;
  readonly connection: ErrorClass;
  readonly timeout: ErrorClass;
  readonly abort: ErrorClass;
}

// The SDKs set no `name` on their errors, and minified bundles rename classes: only instanceof is reliable. The SDKs
// load only when a target of theirs is first used (chat/registry.ts), so each registers its classes as it loads
// (openai-errors.ts, anthropic-errors.ts): an SDK that is not loaded has thrown nothing.
const sdks: SdkErrorClasses[] = [];

/** Called by the module that loads an SDK, once. */
export function registerSdkErrors(classes: SdkErrorClasses): void {
  if (!sdks.includes(classes)) sdks.push(classes);
}

const isA = (err: unknown, kind: keyof SdkErrorClasses): boolean => sdks.some((sdk) => err instanceof sdk[kind]);
const isApiError = (err: unknown): err is SdkApiError => isA(err, 'api');
const isTimeout = (err: unknown): boolean => isA(err, 'timeout');
const isConnectionError = (err: unknown): boolean => isA(err, 'connection');

/**
 * The provider's own message from its error body: OpenAI and Anthropic both use { error: { message } }; Gemini's
 * OpenAI endpoint sends a JSON array of those; Mistral's `message` is an object (its validation details).
 */
function upstreamMessage(err: SdkApiError): string | undefined {
  const raw: unknown = err.error;
  type Body = { error?: { message?: unknown }; message?: unknown } | undefined;
  const body = (Array.isArray(raw) ? (raw[0] as Body)?.error : raw) as Body;
  const message = body?.error?.message ?? body?.message;
  if (typeof message === 'object' && message !== null) return JSON.stringify(message).slice(0, 2000);
  return typeof message === 'string' ? message.slice(0, 2000) : undefined;
}

const providerError = (message: string, code: ErrorCode, extra: Partial<{ headers: Record<string, string> }> = {}) =>
  new GatewayError({ message, code, ...extra });

export function isAbort(err: unknown): boolean {
  return isA(err, 'abort') || (err instanceof Error && err.name === 'AbortError');
}

/** The provider's Retry-After and retry-after-ms headers, as the router reads them (classify.ts retryAfterMs). */
function retryAfterHeaders(err: SdkApiError): Record<string, string> {
  const headers: Record<string, string> = {};
  const retryAfter = err.headers?.get('retry-after');
  const retryAfterMs = err.headers?.get('retry-after-ms');
  if (retryAfter != null) headers['Retry-After'] = retryAfter;
  if (retryAfterMs != null) headers['Retry-After-Ms'] = retryAfterMs;
  return headers;
}

/** A 200 whose body is not a usable answer (an error object, a wrong shape): a provider fault, not the request's. */
export function invalidResponse(provider: string, err?: unknown): GatewayError {
  const body = err instanceof Error ? undefined : (err as { error?: { message?: unknown } } | undefined);
  const detail = typeof body?.error?.message === 'string' ? `: ${body.error.message.slice(0, 500)}` : '';
  return new GatewayError({
    message: `Provider ${provider} sent an answer that is not a valid completion${detail}.`,
    code: 'upstream_invalid_response',
    cause: err,
  });
}

export function toGatewayError(err: unknown, provider: string): GatewayError {
  if (err instanceof GatewayError) return err;
  // The gateway's own error thrown inside the SDK (an Entra token provider's), which the SDK wraps.
  if (err instanceof Error && err.cause instanceof GatewayError) return err.cause;
  if (isTimeout(err)) return providerError(`Provider ${provider} did not answer in time.`, 'upstream_timeout');
  // Thrown by the SDK itself, outside any HTTP exchange: JSON.stringify of the request (RangeError: nested too deep)
  // before anything was sent, or JSON.parse of a 200's body (SyntaxError). Neither is a connection failure.
  if (err instanceof RangeError) {
    return new GatewayError({
      message: 'The request could not be encoded for the provider (nested too deeply?); nothing was sent.',
      code: 'request_not_encodable',
      cause: err,
    });
  }
  if (err instanceof SyntaxError) return invalidResponse(provider, err);
  if (isConnectionError(err) || !isApiError(err) || err.status === undefined) {
    return providerError(`Provider ${provider} could not be reached or failed.`, 'upstream_unreachable');
  }
  const status = err.status;
  if (status === 401 || status === 403) {
    return providerError(`Provider ${provider} authentication failed.`, 'provider_authentication_failed');
  }
  if (status === 404) {
    return providerError(`Provider ${provider} does not know the configured model.`, 'upstream_model_not_found');
  }
  if (status === 408) return providerError(`Provider ${provider} timed out.`, 'upstream_timeout');
  if (status === 409) return providerError(`Provider ${provider} reported a conflict; retry.`, 'upstream_conflict');
  if (status === 429) {
    return providerError(`Provider ${provider} is rate limiting requests; retry later.`, 'upstream_rate_limited', {
      headers: retryAfterHeaders(err),
    });
  }
  const filtered = contentFilterError(status, err.error, provider);
  if (filtered !== undefined) return filtered;
  if (status >= 400 && status < 500) {
    return providerError(upstreamMessage(err) ?? `Provider ${provider} rejected the request.`, 'upstream_bad_request');
  }
  // 503 and 529 may say when capacity returns: honoured like a 429's (up to the cap), else a backoff.
  const headers = status === 503 || status === 529 ? retryAfterHeaders(err) : {};
  return providerError(
    `Provider ${provider} failed (HTTP ${status}).`,
    status === 529 ? 'upstream_overloaded' : 'upstream_error',
    { headers },
  );
}

/** A stream that broke off after it began (dropped connection, malformed SSE, an end before the last event). */
export const streamFailure = (provider: string, cause?: unknown): GatewayError =>
  new GatewayError({
    message: `Provider ${provider}'s stream failed before it finished.`,
    code: 'upstream_stream_error',
    cause,
  });

/**
 * Maps a 200's parsed body to a result; a body that does not have the answer's shape (an error object, a missing
 * field the mapping trips over) is the provider's fault: `upstream_invalid_response`, never the gateway's 500 or
 * `upstream_unreachable`.
 */
export function answerOf<B, R>(body: B, map: (body: B) => R, provider: string): R {
  try {
    return map(body);
  } catch (err) {
    if (err instanceof GatewayError) throw err;
    throw invalidResponse(provider, body);
  }
}
