import { openReporter } from './connect-watch.js';
import { abortError, exchange } from './node-exchange.js';
import { phaseMark } from '../observability/phase-marks.js';

export { closeUpstreamConnections } from './node-exchange.js';

/**
 * The `fetch` the provider SDKs are given: one exchange over node:http(s) with keep-alive agents (node-exchange.ts).
 * The SDKs stay the upstream clients (their request building, errors and SSE parsing); this only replaces the
 * transport, which costs a fraction of the global fetch's per-request work on the gateway's hot path. No Accept-Encoding
 * is sent unless the SDK sets one; abort through the SDK's signal.
 */
function bodyOf(body: RequestInit['body']): string | Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  throw new TypeError('nodeFetch sends only string or binary bodies');
}

export function nodeFetch(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
  phaseMark?.('fetch in');
  const url = new URL(input instanceof Request ? input.url : input);
  const headers: Record<string, string> = {};
  // The SDKs pass a Headers instance: read it as is rather than copying it into another.
  (init.headers instanceof Headers ? init.headers : new Headers(init.headers)).forEach((value, name) => {
    headers[name] = value;
  });
  const signal = init.signal ?? undefined;
  if (signal?.aborted === true) return Promise.reject(abortError(signal));
  let body: string | Buffer | undefined;
  try {
    body = bodyOf(init.body);
  } catch (err) {
    return Promise.reject(err);
  }
  return exchange({
    url,
    method: init.method ?? 'GET',
    headers,
    body,
    signal,
    // A caller timing the connection (connectMs on JSON calls) learns when it is open.
    onSocket: openReporter(init, url.protocol === 'https:'),
  });
}
