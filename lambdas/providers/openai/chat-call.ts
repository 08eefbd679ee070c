import type { OutgoingHttpHeaders } from 'node:http';
import type OpenAI from 'openai';
import { Stream } from 'openai/core/streaming';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { socketReporter } from '../../transport/connect-watch.js';
import { exchange, targetOf } from '../../transport/node-exchange.js';
import type { ProviderCall } from '../types.js';
import { statusError, transportError, userAbort } from './chat-errors.js';

/** `${baseURL}/chat/completions` as the SDK joins them (buildURL): one slash between, a query on the base kept. */
export function chatCompletionsURL(baseURL: string): URL {
  const join = (base: string, pathname: string): string =>
    base + (pathname.endsWith('/') ? '' : '/') + 'chat/completions';
  if (!baseURL.includes('?')) return new URL(join(baseURL, baseURL));
  const base = new URL(baseURL);
  const search = base.search;
  base.search = '';
  base.hash = '';
  const url = new URL(join(base.toString(), base.pathname));
  url.search = search;
  return url;
}

/**
 * The SSE reader's only use of a client is its logger (openai internal/utils/log.mjs loggerFor: a client without a
 * logger is silent); given no client it logs a bad event to the console, outside the gateway's logger. This stands in
 * for the SDK's client, which chat completions no longer build.
 */
const SILENT = { logLevel: 'off' } as unknown as OpenAI;

/** A 2xx answer's body as the SDK reads it (defaultParseResponse): JSON by its content type, else its text. */
async function bodyOf(response: Response): Promise<unknown> {
  if (response.status === 204) return null;
  const mediaType = response.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
  if (mediaType?.includes('application/json') === true || mediaType?.endsWith('+json') === true) {
    if (response.headers.get('content-length') === '0') return undefined;
    const text = await response.text();
    // A SyntaxError here is the SDK's too: upstream-error.ts maps it to upstream_invalid_response.
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  }
  return response.text();
}

/**
 * Chat completions (JSON and stream) of an OpenAI or OpenAI-compatible provider, without the SDK's per-request
 * pipeline (its nested Headers, encoder, log details computed with logging off, AbortController and timers per call:
 * ~10 % of the gateway's CPU and ~20 % of its allocation per JSON request): one POST over the transport's keep-alive
 * agents (node-exchange.ts). What the SDK is good at stays its own: its error classes (chat-errors.ts) and its SSE
 * reader (`Stream.fromSSEResponse`). The request is the SDK's less its x-stainless-* headers, with `llm-gateway` as
 * its User-Agent; the timeout has the SDK's scope: a JSON answer to its last byte, a stream to its head.
 */
export class ChatCall {
  private readonly url: URL;
  private readonly target: ReturnType<typeof targetOf>;
  private readonly secure: boolean;
  private readonly authorization: string;
  private readonly timeoutMs: number;

  constructor(options: { readonly apiKey: string; readonly baseURL: string; readonly timeoutMs: number }) {
    this.timeoutMs = options.timeoutMs;
    this.url = chatCompletionsURL(options.baseURL);
    this.target = targetOf(this.url);
    this.secure = this.url.protocol === 'https:';
    this.authorization = `Bearer ${options.apiKey}`;
  }

  /** A JSON completion: the parsed body of a 2xx answer (its shape is the caller's to check: answerOf). */
  async complete(params: object, call: ProviderCall): Promise<unknown> {
    const body = JSON.stringify(params);
    const onOpen = call.onConnectionOpen;
    const response = await this.post(body, call, call.signal, onOpen && socketReporter(onOpen, this.secure), false);
    if (!response.ok) throw await statusError(response);
    // As the SDK: a caller gone while the answer came is an abort, not an answer.
    if (call.signal.aborted) throw userAbort(call.signal);
    return bodyOf(response);
  }

  /** A stream of chunks, once the upstream accepted it (a non-2xx: its error). */
  async stream(params: object, call: ProviderCall): Promise<Stream<ChatCompletionChunk>> {
    const body = JSON.stringify(params);
    if (call.signal.aborted) throw userAbort(call.signal);
    // The stream's own controller: the SSE reader aborts it when it stops early (then the exchange ends); the
    // caller's abort reaches it too, and its listener goes with it.
    const controller = new AbortController();
    call.signal.addEventListener('abort', () => controller.abort(), { once: true, signal: controller.signal });
    try {
      const response = await this.post(body, call, controller.signal, undefined, true);
      if (!response.ok) throw await statusError(response);
      return Stream.fromSSEResponse<ChatCompletionChunk>(response, controller, SILENT);
    } catch (err) {
      controller.abort();
      throw err;
    }
  }

  private async post(
    body: string,
    call: ProviderCall,
    signal: AbortSignal,
    onSocket: Parameters<typeof exchange>[0]['onSocket'],
    eventStreams: boolean,
  ): Promise<Response> {
    if (call.signal.aborted) throw userAbort(call.signal);
    const headers: OutgoingHttpHeaders = {
      accept: 'application/json',
      'content-type': 'application/json',
      authorization: this.authorization,
      'user-agent': 'llm-gateway',
      'x-request-id': call.requestId,
    };
    try {
      return await exchange({
        url: this.url,
        target: this.target,
        method: 'POST',
        headers,
        body,
        signal,
        onSocket,
        timeoutMs: this.timeoutMs,
        eventStreams,
      });
    } catch (err) {
      throw transportError(err, call.signal);
    }
  }
}
