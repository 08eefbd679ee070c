/**
 * What the SDKs read in a failed exchange, shared by the lean provider calls (providers/openai/chat-errors.ts,
 * providers/anthropic/messages-errors.ts), each building its own SDK's error classes from it.
 */

/** An error answer's text parsed as JSON, or undefined when it is not JSON (the SDKs' safeJSON). */
export function parsedOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** As the SDKs: an abort from below, or a transport error that says it timed out (ETIMEDOUT…), is a timeout. */
export const isTimeoutLike = (cause: Error): boolean =>
  cause.name === 'AbortError' || /timed? ?out/i.test(String(cause) + String(cause.cause));
