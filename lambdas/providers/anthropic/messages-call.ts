import type { OutgoingHttpHeaders } from 'node:http';
import type { BaseAnthropic } from '@anthropic-ai/sdk/client';
import { Stream } from '@anthropic-ai/sdk/core/streaming';
import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import { socketReporter } from '../../transport/connect-watch.js';
import { exchange, targetOf } from '../../transport/node-exchange.js';
import type { ProviderCall } from '../types.js';
import { ANTHROPIC_VERSION } from './anthropic-api.js';
import { statusError, transportError, userAbort } from './messages-errors.js';

/** `${baseURL}${path}` as the SDK joins them (buildURL): one slash between. */
export function messagesURL(baseURL: string, path: '/v1/messages' | '/v1/messages/count_tokens'): URL {
  return new URL(baseURL.endsWith('/') ? baseURL + path.slice(1) : baseURL + path);
}

/**
 * The SSE reader's only use of a client is its logger (@anthropic-ai/sdk internal/utils/log.mjs loggerFor: a client
 * without a logger is silent); given no client it logs a bad event to the console, outside the gateway's logger. This
 * stands in for the SDK's client, which the provider no longer builds.
 */
const SILENT = { logLevel: 'off' } as unknown as BaseAnthropic;

/** A 2xx answer's body as the SDK reads it (defaultParseResponse): JSON by its content type, else its text. */
async function bodyOf(response: Response): Promise<unknown> {
  if (response.status === 204) return null;
  const mediaType = response.headers.get('content-type')?.split(';')[0]?.trim();
  if (mediaType?.includes('application/json') === true || mediaType?.endsWith('+json') === true) {
    if (response.headers.get('content-length') === '0') return undefined;
    // A SyntaxError here is the SDK's too: upstream-error.ts maps it to upstream_invalid_response.
    return JSON.parse(await response.text()) as unknown;
  }
  return response.text();
}

type Betas = Readonly<Record<string, string>>;

/** The provider's three upstream calls; the params are the translated request, `betas` its anthropic-beta header. */
export interface MessagesCalls {
  message(params: object, call: ProviderCall, betas: Betas): Promise<unknown>;
  countTokens(params: object, call: ProviderCall, betas: Betas): Promise<unknown>;
  /** A stream of events, once the upstream accepted it (a non-2xx: its error). */
  stream(params: object, call: ProviderCall, betas: Betas): Promise<AsyncIterable<RawMessageStreamEvent>>;
}

type Endpoint = { readonly url: URL; readonly target: ReturnType<typeof targetOf> };
const endpointOf = (baseURL: string, path: Parameters<typeof messagesURL>[1]): Endpoint => {
  const url = messagesURL(baseURL, path);
  return { url, target: targetOf(url) };
};

/**
 * Anthropic's Messages calls (create, JSON and stream; count_tokens) without the SDK's per-request pipeline (its
 * nested Headers, log details computed with logging off, AbortController and timer per call): one POST over the
 * transport's keep-alive agents (node-exchange.ts), as providers/openai/chat-call.ts does for chat completions. What
 * the SDK is good at stays its own: its error classes (messages-errors.ts), its SSE reader (`Stream.fromSSEResponse`)
 * and its types. The request is the SDK's (its key as a Bearer token, as the SDK sends an `apiKey`; `anthropic-version`)
 * less its x-stainless-* headers, with `llm-gateway` as its User-Agent; the timeout has the SDK's scope: a JSON answer
 * to its last byte, a stream to its head.
 */
export class MessagesCall implements MessagesCalls {
  private readonly create: Endpoint;
  private readonly count: Endpoint;
  private readonly secure: boolean;
  private readonly authorization: string;
  private readonly timeoutMs: number;

  constructor(options: { readonly apiKey: string; readonly baseURL: string; readonly timeoutMs: number }) {
    this.timeoutMs = options.timeoutMs;
    this.create = endpointOf(options.baseURL, '/v1/messages');
    this.count = endpointOf(options.baseURL, '/v1/messages/count_tokens');
    this.secure = this.create.url.protocol === 'https:';
    this.authorization = `Bearer ${options.apiKey}`;
  }

  message(params: object, call: ProviderCall, betas: Betas): Promise<unknown> {
    return this.json(this.create, params, call, betas);
  }

  countTokens(params: object, call: ProviderCall, betas: Betas): Promise<unknown> {
    return this.json(this.count, params, call, betas);
  }

  async stream(params: object, call: ProviderCall, betas: Betas): Promise<Stream<RawMessageStreamEvent>> {
    const body = JSON.stringify(params);
    if (call.signal.aborted) throw userAbort();
    // The stream's own controller: the SSE reader aborts it when it stops early (then the exchange ends); the
    // caller's abort reaches it too, and its listener goes with it.
    const controller = new AbortController();
    call.signal.addEventListener('abort', () => controller.abort(), { once: true, signal: controller.signal });
    try {
      const response = await this.post(this.create, body, call, betas, controller.signal, true);
      if (!response.ok) throw await statusError(response);
      return Stream.fromSSEResponse<RawMessageStreamEvent>(response, controller, SILENT);
    } catch (err) {
      controller.abort();
      throw err;
    }
  }

  private async json(endpoint: Endpoint, params: object, call: ProviderCall, betas: Betas): Promise<unknown> {
    const response = await this.post(endpoint, JSON.stringify(params), call, betas, call.signal, false);
    if (!response.ok) throw await statusError(response);
    return bodyOf(response);
  }

  private async post(
    endpoint: Endpoint,
    body: string,
    call: ProviderCall,
    betas: Betas,
    signal: AbortSignal,
    eventStreams: boolean,
  ): Promise<Response> {
    if (call.signal.aborted) throw userAbort();
    const headers: OutgoingHttpHeaders = {
      accept: 'application/json',
      'content-type': 'application/json',
      authorization: this.authorization,
      'anthropic-version': ANTHROPIC_VERSION,
      'user-agent': 'llm-gateway',
      'x-request-id': call.requestId,
      ...betas,
    };
    const onOpen = call.onConnectionOpen;
    try {
      return await exchange({
        url: endpoint.url,
        target: endpoint.target,
        method: 'POST',
        headers,
        body,
        signal,
        // A caller timing the connection (connectMs) learns when it is open.
        onSocket: onOpen && socketReporter(onOpen, this.secure),
        timeoutMs: this.timeoutMs,
        eventStreams,
      });
    } catch (err) {
      throw transportError(err, call.signal);
    }
  }
}
