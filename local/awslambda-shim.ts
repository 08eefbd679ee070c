import type { Writable } from 'node:stream';

/**
 * The Lambda Node.js runtime provides a global `awslambda` with `streamifyResponse` and `HttpResponseStream`; Middy's
 * streaming execution mode calls them when a handler module is imported. Locally this shim stands in for them so
 * the same handler code runs: a streaming handler is marked, and `HttpResponseStream.from` hands the status and
 * headers to the local response writer instead of encoding Lambda's binary prelude.
 */
export interface ResponsePrelude {
  statusCode?: number;
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  cookies?: string[];
}

export interface PreludeWritable extends Writable {
  setPrelude(prelude: ResponsePrelude): void;
}

export type StreamingHandler = (event: unknown, responseStream: PreludeWritable, context: unknown) => Promise<void>;

const STREAMING = Symbol.for('llm-gateway.local.streaming');

export function isStreamingHandler(fn: unknown): fn is StreamingHandler {
  return typeof fn === 'function' && (fn as unknown as Record<symbol, unknown>)[STREAMING] === true;
}

interface AwsLambdaGlobal {
  streamifyResponse(handler: StreamingHandler): StreamingHandler;
  HttpResponseStream: { from(stream: PreludeWritable, prelude: ResponsePrelude): PreludeWritable };
}

// @types/aws-lambda declares `awslambda` as a namespace; this is the same global, seen as a settable slot. Other
// code creates it too (the AWS SDK's invoke store sets `awslambda = {}`), so the shim fills in members, not the object.
const runtimeGlobal = globalThis as unknown as { awslambda?: Partial<AwsLambdaGlobal> };

/** Installs the shim's members where a real runtime has not provided them. Idempotent. */
export function installAwsLambdaShim(): void {
  const runtime = (runtimeGlobal.awslambda ??= {});
  runtime.streamifyResponse ??= (handler) => {
    Object.defineProperty(handler, STREAMING, { value: true });
    return handler;
  };
  runtime.HttpResponseStream ??= {
    from(stream, prelude) {
      stream.setPrelude(prelude);
      return stream;
    },
  };
}
