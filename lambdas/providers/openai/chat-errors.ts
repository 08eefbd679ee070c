import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai/core/error';
import { isTimeoutLike, parsedOrUndefined } from '../../transport/failure-text.js';
import { ExchangeTimeout } from '../../transport/node-exchange.js';

/**
 * The errors of the lean chat call (chat-call.ts), built with the SDK's own classes as the SDK builds them
 * (openai client.mjs makeRequest, makeStatusError), so providers/upstream-error.ts maps them exactly as before.
 */

/** The caller's signal aborted the call: the SDK's user abort, the signal's reason as its cause. */
export function userAbort(signal: AbortSignal): APIUserAbortError {
  const error = new APIUserAbortError();
  Object.defineProperty(error, 'cause', { value: signal.reason, writable: true, configurable: true });
  return error;
}

/** A failed exchange (no HTTP answer): the caller's abort, the timeout, or a connection error. */
export function transportError(err: unknown, signal: AbortSignal): Error {
  if (signal.aborted) return userAbort(signal);
  if (err instanceof ExchangeTimeout) return new APIConnectionTimeoutError();
  const cause = err instanceof Error ? err : new Error(String(err));
  if (isTimeoutLike(cause)) {
    return Object.assign(new APIConnectionTimeoutError(), { cause });
  }
  return new APIConnectionError({ cause });
}

/** A non-2xx answer: its body parsed as JSON when it is JSON (an object without `error` wrapped in one), else its text. */
export async function statusError(response: Response): Promise<APIError> {
  const text = await response.text().catch((err: unknown) => (err instanceof Error ? err.message : String(err)));
  const json = parsedOrUndefined(text);
  const body =
    typeof json === 'object' && json !== null && (json as { error?: unknown }).error == null ? { error: json } : json;
  return APIError.generate(
    response.status,
    (body ?? undefined) as object | undefined,
    json ? undefined : text,
    response.headers,
  );
}
