import {
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type RequestOptions,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import { urlToHttpOptions } from 'node:url';
import { BufferedResponse, StreamedResponse } from './node-response.js';
import { RawHeaders } from './raw-headers.js';
import { phaseMark } from '../observability/phase-marks.js';

/**
 * One upstream HTTP exchange over node:http(s) with keep-alive agents, one per process: what the SDKs' `fetch`
 * (node-fetch.ts) and the gateway's own lean calls (providers/openai/chat-call.ts,
 * providers/anthropic/messages-call.ts) share. No redirects, no implicit
 * decompression. An event stream is handed on as it arrives (the Node stream as the body); any other body is read
 * whole before the promise settles, so `timeoutMs` bounds a JSON answer to its last byte and a stream to its head
 * (the SDKs' timeout scope).
 */
const httpAgent = new HttpAgent({ keepAlive: true, keepAliveMsecs: 10_000, scheduling: 'lifo' });
const httpsAgent = new HttpsAgent({ keepAlive: true, keepAliveMsecs: 10_000, scheduling: 'lifo' });

export interface ExchangeRequest {
  readonly url: URL;
  /** `url` as node:http options (`targetOf`), for a caller that calls one URL again and again; else derived per call. */
  readonly target?: Readonly<RequestOptions> | undefined;
  readonly method: string;
  readonly headers: OutgoingHttpHeaders;
  readonly body?: string | Buffer | undefined;
  /** Aborts the exchange while it is under way (a complete answer is left alone: its connection stays alive). */
  readonly signal?: AbortSignal | undefined;
  /** Told the request's socket (connect-watch.ts). */
  readonly onSocket?: ((socket: Socket) => void) | undefined;
  /** Until the promise settles (see above): then the request is destroyed and the promise rejects with ExchangeTimeout. */
  readonly timeoutMs?: number | undefined;
  /** false: an event stream too is read whole first (a JSON call's answer, whatever its type, within `timeoutMs`). */
  readonly eventStreams?: boolean;
}

/** The exchange's own timeout passed (`timeoutMs`). */
export class ExchangeTimeout extends Error {
  constructor(ms: number) {
    super(`No answer within ${ms} ms`);
    this.name = 'ExchangeTimeout';
  }
}

/** A URL as node:http's request options, once: node:http would derive them from the URL on every request. */
export function targetOf(url: URL): Readonly<RequestOptions> {
  return urlToHttpOptions(url);
}

/** What fetch rejects with when its signal aborts the exchange. */
export function abortError(signal: AbortSignal): Error {
  return Object.assign(new Error('This operation was aborted', { cause: signal.reason }), {
    name: 'AbortError',
    code: 'ABORT_ERR',
  });
}

/** Resolves with the answer as the SDKs read a fetch Response (node-response.ts). */
export function exchange(req: ExchangeRequest): Promise<Response> {
  const { url, signal } = req;
  const secure = url.protocol === 'https:';
  if (signal?.aborted === true) return Promise.reject(abortError(signal));
  return new Promise((resolve, reject) => {
    let answer: IncomingMessage | undefined;
    let timer: NodeJS.Timeout | undefined;
    const settle = (response: Response): void => {
      if (timer !== undefined) clearTimeout(timer);
      resolve(response);
    };
    const fail = (err: unknown): void => {
      if (timer !== undefined) clearTimeout(timer);
      reject(err);
    };
    const options = { method: req.method, headers: req.headers, agent: secure ? httpsAgent : httpAgent };
    const send = secure ? httpsRequest : httpRequest;
    const onResponse = (response: IncomingMessage): void => {
      phaseMark?.('upstream head');
      answer = response;
      const status = response.statusCode ?? 502;
      const statusText = response.statusMessage ?? '';
      const answerHeaders = new RawHeaders(response.rawHeaders).asHeaders();
      if (status === 204 || status === 304 || req.method === 'HEAD') {
        response.resume();
        settle(new BufferedResponse(Buffer.alloc(0), status, statusText, answerHeaders, url.href).asResponse());
      } else if (req.eventStreams !== false && /^text\/event-stream/i.test(response.headers['content-type'] ?? '')) {
        settle(new StreamedResponse(response, status, statusText, answerHeaders, url.href).asResponse());
      } else {
        // A JSON answer is read whole anyway: buffered here, it needs no web stream or Fetch Response.
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.once('end', () => {
          phaseMark?.('upstream body');
          const bytes = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
          settle(new BufferedResponse(bytes, status, statusText, answerHeaders, url.href).asResponse());
        });
        response.once('error', fail);
      }
    };
    const request =
      req.target === undefined ? send(url, options, onResponse) : send({ ...req.target, ...options }, onResponse);
    request.on('error', fail);
    if (req.onSocket !== undefined) request.once('socket', req.onSocket);
    if (req.timeoutMs !== undefined) {
      const ms = req.timeoutMs;
      timer = setTimeout(() => {
        const err = new ExchangeTimeout(ms);
        request.destroy(err);
        fail(err);
      }, ms);
    }
    if (signal !== undefined) {
      // An abort ends the exchange while it is under way. Once the upstream answer is complete there is nothing
      // left to abort (the SDKs abort after they stop reading a finished stream), and the connection stays alive.
      const onAbort = (): void => {
        if (answer?.complete !== true) request.destroy(abortError(signal));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      request.once('close', () => signal.removeEventListener('abort', onAbort));
    }
    request.end(req.body);
    phaseMark?.('upstream request sent');
  });
}

/** For local shutdown and tests: close idle upstream sockets. */
export function closeUpstreamConnections(): void {
  httpAgent.destroy();
  httpsAgent.destroy();
}
