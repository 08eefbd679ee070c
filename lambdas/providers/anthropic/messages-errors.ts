import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from '@anthropic-ai/sdk/core/error';
import { isTimeoutLike, parsedOrUndefined } from '../../transport/failure-text.js';
import { ExchangeTimeout } from '../../transport/node-exchange.js';
// upstream-error.ts knows these classes once they are registered: the lean call throws them.
import './anthropic-errors.js';

/**
 * The errors of the lean Messages call (messages-call.ts), built with the SDK's own classes as the SDK builds them
 * (@anthropic-ai/sdk client.mjs makeRequest), so providers/upstream-error.ts maps them exactly as before.
 */

/** The caller's signal aborted the call: the SDK's user abort. */
export const userAbort = (): APIUserAbortError => new APIUserAbortError();

/** A failed exchange (no HTTP answer): the caller's abort, the timeout, or a connection error. */
export function transportError(err: unknown, signal: AbortSignal): Error {
  if (signal.aborted) return userAbort();
  // As the SDK: its own timeout, an abort, or a transport error that says it timed out (ETIMEDOUT…) is a timeout.
  if (err instanceof ExchangeTimeout) return new APIConnectionTimeoutError();
  const cause = err instanceof Error ? err : new Error(String(err));
  if (isTimeoutLike(cause)) return new APIConnectionTimeoutError();
  return new APIConnectionError({ cause });
}

/**
 * A non-2xx answer: its body parsed when it is JSON (as it is, the SDK does not wrap it), else its text as the
 * message. The SDK's makeStatusError would pick a subclass by `error.details.error_code` (its error-classes map, which
 * loads most of its resources); each is an APIError of the same status, which is all upstream-error.ts reads.
 */
export async function statusError(response: Response): Promise<APIError> {
  const text = await response.text().catch((err: unknown) => (err instanceof Error ? err.message : String(err)));
  const json = parsedOrUndefined(text);
  return APIError.generate(response.status, json as object | undefined, json ? undefined : text, response.headers);
}
