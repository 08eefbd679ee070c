import type { Writable } from 'node:stream';
import type { APIGatewayProxyEvent } from 'aws-lambda';

/**
 * Whether a request's client is still there, as far as a streaming function can know: the response stream it
 * answers on closing before its end, or failing. The local server destroys that stream as soon as the client's
 * socket closes, so the signal fires at once, whatever the handler is doing (waiting for an upstream's JSON answer
 * or first byte, or between two pieces of a stream). Lambda's runtime gives its stream no such sign when the client
 * leaves (aws/aws-lambda-nodejs-runtime-interface-client#145: no 'close', writes keep succeeding); there it fires
 * only if the stream itself fails.
 */

/** The status a request whose client left before its answer began is recorded with (nginx's "client closed request"). */
export const CLIENT_CLOSED_REQUEST = 499;

// Keyed on the invocation's event object, which Middy hands on unchanged and which lives as long as the invocation.
const signals = new WeakMap<APIGatewayProxyEvent, AbortSignal>();

/** Watches the response stream of one invocation (streaming-mode.ts calls it before Middy's pipeline runs). */
export function watchClient(event: APIGatewayProxyEvent, stream: Writable): void {
  const controller = new AbortController();
  const gone = (): void => {
    if (!stream.writableFinished) controller.abort();
  };
  if (stream.destroyed) gone();
  else {
    stream.once('close', gone);
    stream.on('error', gone);
  }
  signals.set(event, controller.signal);
}

/**
 * Runs `listener` once when the client of this invocation is gone (at once if it is already). Returns the
 * unsubscribe, to call when the request no longer needs to know. Nothing happens for invocations nobody watches
 * (buffered functions, direct handler calls in tests).
 */
export function onClientGone(event: APIGatewayProxyEvent, listener: () => void): () => void {
  const signal = signals.get(event);
  if (signal === undefined) return () => undefined;
  if (signal.aborted) {
    listener();
    return () => undefined;
  }
  signal.addEventListener('abort', listener, { once: true });
  return () => signal.removeEventListener('abort', listener);
}
