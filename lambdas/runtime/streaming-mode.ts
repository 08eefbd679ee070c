import type { Writable } from 'node:stream';
import { executionModeStreamifyResponse, type PluginExecutionMode } from '@middy/core/StreamifyResponse';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { logger } from '../core/logger.js';
import { openAfterResponse, runAfterResponse } from './after-response.js';
import { watchClient } from './client-signal.js';

/** What Middy's streaming mode returns: the function the runtime invokes with the response stream, and `.handler`. */
interface StreamingMiddy {
  (event: APIGatewayProxyEvent, responseStream: Writable, context: unknown): Promise<void>;
  handler(replace: unknown): unknown;
}

type Streamify = (handler: StreamingMiddy) => StreamingMiddy;

/**
 * Middy's streaming execution mode, with each invocation's response stream watched for its client leaving
 * (client-signal.ts) before Middy's pipeline runs: the route handlers never see the stream (Middy passes them the
 * event and context only), so the watch is keyed on the event. Once Middy's function has resolved (the response
 * stream ended), the work the request registered for after its response runs (after-response.ts: the booking), and
 * the invocation resolves only when it is done. Middy's own function is called unchanged; this one,
 * marked for streaming by the runtime's `streamifyResponse` as Middy's is, receives `use` & co. from Middy's core.
 */
export const executionModeWatchedStreamifyResponse: PluginExecutionMode = (...args: unknown[]): StreamingMiddy => {
  // Middy types its execution modes as `() => void`; they take Middy's internals and return the streaming function.
  const inner = (executionModeStreamifyResponse as unknown as (...modeArgs: unknown[]) => StreamingMiddy)(...args);
  const streamify = (globalThis as unknown as { awslambda: { streamifyResponse: Streamify } }).awslambda
    .streamifyResponse;
  const watched = streamify(
    Object.assign(
      async (event: APIGatewayProxyEvent, responseStream: Writable, context: unknown): Promise<void> => {
        watchClient(event, responseStream);
        openAfterResponse(event);
        try {
          await inner(event, responseStream, context);
        } finally {
          // The response has ended (or failed): now what the request left for after it (after-response.ts).
          await runAfterResponse(event, (err) =>
            logger.error('work after the response failed', { error: err instanceof Error ? err.message : String(err) }),
          );
        }
      },
      {
        handler: (replace: unknown): unknown => {
          inner.handler(replace);
          return watched;
        },
      },
    ),
  );
  return watched;
};
