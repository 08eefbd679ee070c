import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { openReporter } from './connect-watch.js';
import { BufferedResponse, StreamedResponse } from './node-response.js';
import { RawHeaders } from './raw-headers.js';
import { phaseMark } from '../observability/phase-marks.js';

/**
 * The `fetch` the provider SDKs are given: node:http(s) with keep-alive agents, one per process. The SDKs stay
 * the upstream clients (their request building, errors and SSE parsing); this only replaces the transport, which
 * costs a fraction of the global fetch's per-request work on the gateway's hot path. No redirects, no implicit
 * decompression (no Accept-Encoding is sent unless the SDK sets one), abort through the SDK's signal. An
 * event stream is handed on as it arrives (the Node stream as the body); any other body is read whole first.
 */
const httpAgent = new HttpAgent({ keepAlive: true, keepAliveMsecs: 10_000, scheduling: 'lifo' });
const httpsAgent = new HttpsAgent({ keepAlive: true, keepAliveMsecs: 10_000, scheduling: 'lifo' });

function bodyOf(body: RequestInit['body']): string | Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  throw new TypeError('nodeFetch sends only string or binary bodies');
}

/** What fetch rejects with when its signal aborts the exchange. */
function abortError(signal: AbortSignal): Error {
  return Object.assign(new Error('This operation was aborted', { cause: signal.reason }), {
    name: 'AbortError',
    code: 'ABORT_ERR',
  });
}

export function nodeFetch(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
  phaseMark?.('fetch in');
  const url = new URL(input instanceof Request ? input.url : input);
  const headers: Record<string, string> = {};
  // The SDKs pass a Headers instance: read it as is rather than copying it into another.
  (init.headers instanceof Headers ? init.headers : new Headers(init.headers)).forEach((value, name) => {
    headers[name] = value;
  });
  const secure = url.protocol === 'https:';
  const signal = init.signal ?? undefined;
  if (signal?.aborted === true) return Promise.reject(abortError(signal));
  return new Promise((resolve, reject) => {
    let answer: IncomingMessage | undefined;
    const request = (secure ? httpsRequest : httpRequest)(
      url,
      { method: init.method ?? 'GET', headers, agent: secure ? httpsAgent : httpAgent },
      (response) => {
        phaseMark?.('upstream head');
        answer = response;
        const status = response.statusCode ?? 502;
        const statusText = response.statusMessage ?? '';
        const answerHeaders = new RawHeaders(response.rawHeaders).asHeaders();
        if (status === 204 || status === 304 || init.method === 'HEAD') {
          response.resume();
          resolve(new BufferedResponse(Buffer.alloc(0), status, statusText, answerHeaders, url.href).asResponse());
        } else if (/^text\/event-stream/i.test(response.headers['content-type'] ?? '')) {
          resolve(new StreamedResponse(response, status, statusText, answerHeaders, url.href).asResponse());
        } else {
          // A JSON answer is read whole by the SDK anyway: buffered here, it needs no web stream or Fetch Response.
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.once('end', () => {
            phaseMark?.('upstream body');
            const bytes = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
            resolve(new BufferedResponse(bytes, status, statusText, answerHeaders, url.href).asResponse());
          });
          response.once('error', reject);
        }
      },
    );
    request.on('error', reject);
    // A caller timing the connection (connectMs on JSON calls) learns when it is open.
    const reportOpen = openReporter(init, secure);
    if (reportOpen !== undefined) request.once('socket', reportOpen);
    if (signal !== undefined) {
      // An abort ends the exchange while it is under way. Once the upstream answer is complete there is nothing
      // left to abort (the SDKs abort after they stop reading a finished stream), and the connection stays alive.
      const onAbort = (): void => {
        if (answer?.complete !== true) request.destroy(abortError(signal));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      request.once('close', () => signal.removeEventListener('abort', onAbort));
    }
    request.end(bodyOf(init.body));
    phaseMark?.('upstream request sent');
  });
}

/** For local shutdown and tests: close idle upstream sockets. */
export function closeUpstreamConnections(): void {
  httpAgent.destroy();
  httpsAgent.destroy();
}
