/**
 * A scriptable fake of Anthropic's Messages API, on node:http at 127.0.0.1 (port 0).
 *
 *   const fake = await startFakeAnthropic();                          // every option is optional
 *   new AnthropicProvider({ name: 'anthropic', apiKey: fake.apiKey, baseURL: fake.url, timeoutMs: 5000, defaultMaxTokens: 1024 });
 *   fake.enqueue(reply.text('Hello'), reply.overloaded(), reply.stream(textEvents('Hi there', { parts: 3 })));
 *   fake.requests;   // [{ method, path, headers, body (parsed JSON), clientAborted, closed }], in arrival order
 *   fake.pending();  // scripts still queued
 *   await fake.close();
 *
 * Routes: POST /v1/messages, answered from the queue, else by `defaultReply`; POST /v1/messages/count_tokens, answered
 * by `countTokens` (never from the queue); anything else 404 not_found_error.
 * Every request is first checked, in this order, without consuming a queued script:
 *  - `anthropic-version` must equal `anthropicVersion` (default 2026-10-21): else 400 invalid_request_error;
 *  - `x-api-key: <apiKey>` or `Authorization: Bearer <apiKey>`: else 401 authentication_error ("invalid x-api-key");
 *  - the body must be JSON: else 400 invalid_request_error.
 * Every request is recorded, including rejected ones. Errors use Anthropic's body
 * `{"type":"error","error":{"type":"...","message":"..."}}` and every answer carries a `request-id` header.
 *
 * Options (`FakeAnthropicOptions`): `apiKey` (default DEFAULT_FAKE_ANTHROPIC_KEY), `anthropicVersion`, `latencyMs`
 * (before every answer), `defaultReply` when the queue is empty — `'echo'` (default: the last user text back, as a
 * stream when the request says `stream: true`) or a function of the request returning a Script — and `split` (byte
 * splitting of streams, default `{ seed: 1, maxPieceBytes: 16 }`; the n-th stream uses seed + n), and `countTokens`:
 * count_tokens' answer, a number (`{"input_tokens": n}`) or a JsonScript (e.g. an error), or a function of the request
 * returning either (default: a quarter of the body's JSON length).
 *
 * Scripts (`Script`), built with `reply.*` or by hand; a function of the request may stand for any of them:
 *  - `reply.message(message, opts)` / `reply.text(text, opts)` / `reply.toolUse(calls, opts)`: 200 with a Message.
 *  - `reply.error(status, type, message, opts)`; `reply.overloaded()` (529 overloaded_error);
 *    `reply.unauthorized()` (401 authentication_error); `reply.rateLimit(retryAfterSeconds)` (429 rate_limit_error
 *    with retry-after and anthropic-ratelimit-* headers); `reply.serverError()` (500 api_error).
 *  - `reply.stream(events, opts)`: each event written as `event: <type>\ndata: <json>\n\n`, cut at seeded arbitrary
 *    byte positions (inside field names, JSON and multi-byte UTF-8 characters; see sse-writer.ts). Options: `split`
 *    (`false`: one write per event), `eventDelayMs` (before each event; keep it short), `disconnectAfterEvents`
 *    (n events, half of the next, then the socket is destroyed), `malformed: { afterEvents, line? }` (a data line
 *    that is not JSON).
 *  Every script takes `headers` (added to the answer) and `delayMs` (wait before answering: use it for timeouts).
 *
 * Builders: `usage({ input, output, cacheWrite, cacheRead })` (Anthropic's input_tokens excludes cached tokens),
 * `message(content, opts)`, `textBlock` / `toolUseBlock`, stream events in `events.*` (messageStart, text, toolUse,
 * thinking, messageDelta, messageStop, ping, error, unknown; and for hand-made interleavings toolUseStart, inputJson,
 * blockStop), typed against the SDK's event types, and whole sequences: `textEvents(text, {parts})`
 * (with a ping inside), `toolUseEvents(calls)` (two parallel tool_use blocks by default, after a text block),
 * `errorAfterContentEvents(text, errorType)` (some text, then an `error` event, no message_stop).
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type {
  ContentBlock,
  Message,
  MessageDeltaUsage,
  RawMessageStreamEvent,
  StopReason,
  TextBlock,
  ToolUseBlock,
  Usage,
} from '@anthropic-ai/sdk/resources/messages';
import { readJsonBody } from './read-body.js';
import { writeSse, type SplitOptions } from './sse-writer.js';
import type { FakeServer } from './fake-server.js';

export interface RecordedRequest {
  readonly method: string;
  /** Path and query, as received. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** Parsed JSON; the raw text when it is not JSON; undefined when empty. */
  readonly body: unknown;
  /** Whether the client closed the connection before the response was complete (not counting scripted cuts). */
  clientAborted: boolean;
  /** Resolves when the response is over (written, cut, or the client left). */
  readonly closed: Promise<void>;
}

/** One server-sent event: `event: <event>\ndata: <JSON of data>\n\n`. */
export interface SseEvent {
  readonly event: string;
  readonly data: unknown;
}

export interface AnthropicErrorBody {
  readonly type: 'error';
  readonly error: { readonly type: string; readonly message: string };
}

interface Common {
  readonly headers?: Readonly<Record<string, string>>;
  /** Wait before answering (before the status line), on top of the server's `latencyMs`. */
  readonly delayMs?: number;
}
export interface JsonScript extends Common {
  readonly kind: 'json';
  readonly status: number;
  /** A Message, an Anthropic error body, or raw text (e.g. an HTML page from a proxy). */
  readonly body: Message | AnthropicErrorBody | object | string;
}
export interface StreamOptions extends Common {
  readonly split?: SplitOptions | false;
  readonly eventDelayMs?: number;
  readonly disconnectAfterEvents?: number;
  readonly malformed?: { readonly afterEvents: number; readonly line?: string };
}
export interface StreamScript extends StreamOptions {
  readonly kind: 'stream';
  readonly events: readonly SseEvent[];
}
export type Script = JsonScript | StreamScript | ((request: RecordedRequest) => Script);

export interface FakeAnthropicOptions {
  readonly apiKey?: string;
  readonly anthropicVersion?: string;
  readonly latencyMs?: number;
  readonly defaultReply?: 'echo' | ((request: RecordedRequest) => Script);
  readonly split?: SplitOptions | false;
  readonly countTokens?: number | JsonScript | ((request: RecordedRequest) => number | JsonScript);
}

/** `url`: the base URL without /v1 (the SDK adds /v1/messages), e.g. http://127.0.0.1:41234. */
export type FakeAnthropic = FakeServer<Script, RecordedRequest>;

export const DEFAULT_FAKE_ANTHROPIC_KEY = 'sk-ant-fake-0123456789abcdef';
export const FAKE_ANTHROPIC_VERSION = '2026-10-21';
const DEFAULT_MODEL = 'claude-sonnet-4-6';
let ids = 0;
const nextId = (prefix: string): string => `${prefix}_fake${(++ids).toString(36).padStart(8, '0')}`;

// ---------------------------------------------------------------------------------------------- body builders

export const anthropicError = (type: string, message: string): AnthropicErrorBody => ({
  type: 'error',
  error: { type, message },
});

/**
 * Usage as Anthropic reports it: `input` excludes the cached tokens (`cacheWrite` created, `cacheRead` read);
 * with `cacheWrite1h`, `cache_creation` splits the writes into one-hour and five-minute ones.
 */
export function usage(
  counts: { input?: number; output?: number; cacheWrite?: number; cacheWrite1h?: number; cacheRead?: number } = {},
): Usage {
  return {
    input_tokens: counts.input ?? 12,
    output_tokens: counts.output ?? 5,
    cache_creation_input_tokens: counts.cacheWrite ?? 0,
    cache_read_input_tokens: counts.cacheRead ?? 0,
    cache_creation:
      counts.cacheWrite1h === undefined
        ? null
        : {
            ephemeral_1h_input_tokens: counts.cacheWrite1h,
            ephemeral_5m_input_tokens: (counts.cacheWrite ?? 0) - counts.cacheWrite1h,
          },
    inference_geo: null,
    output_tokens_details: null,
    server_tool_use: null,
    service_tier: 'standard',
    speed: null,
  };
}

export const textBlock = (text: string): TextBlock => ({ type: 'text', text, citations: null });

export interface ToolUseSpec {
  readonly id: string;
  readonly name: string;
  readonly input: Record<string, unknown>;
}
export const toolUseBlock = (call: ToolUseSpec): ToolUseBlock => ({
  type: 'tool_use',
  caller: { type: 'direct' },
  ...call,
});

export const TWO_WEATHER_CALLS: readonly ToolUseSpec[] = [
  { id: 'toolu_01A09q90qw90lq917835lq9', name: 'get_weather', input: { location: 'Paris', unit: 'celsius' } },
  { id: 'toolu_01B2c3d4e5f6g7h8i9j0k1l2m', name: 'get_weather', input: { location: 'Tōkyō 東京', unit: 'celsius' } },
];

export interface MessageOptions {
  readonly id?: string;
  readonly model?: string;
  readonly stopReason?: StopReason | null;
  /** The stop sequence that matched (with stopReason 'stop_sequence'). */
  readonly stopSequence?: string;
  readonly usage?: Usage;
}

export function message(content: readonly ContentBlock[], options: MessageOptions = {}): Message {
  return {
    id: options.id ?? nextId('msg'),
    type: 'message',
    role: 'assistant',
    model: options.model ?? DEFAULT_MODEL,
    content: [...content],
    stop_reason: options.stopReason === undefined ? 'end_turn' : options.stopReason,
    stop_sequence: options.stopSequence ?? null,
    stop_details: null,
    container: null,
    diagnostics: null,
    usage: options.usage ?? usage(),
  };
}

// ---------------------------------------------------------------------------------------------- stream events

/** Typed against the SDK's event types, so the fake cannot drift from the wire format the SDK describes. */
const ev = (data: RawMessageStreamEvent | { type: 'ping' }): SseEvent => ({ event: data.type, data });

function pieces(text: string, parts: number): string[] {
  const chars = [...text];
  const size = Math.max(1, Math.ceil(chars.length / Math.max(1, parts)));
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(''));
  return out;
}

const deltaUsage = (u: Usage): MessageDeltaUsage => ({
  input_tokens: u.input_tokens,
  output_tokens: u.output_tokens,
  cache_creation_input_tokens: u.cache_creation_input_tokens,
  cache_read_input_tokens: u.cache_read_input_tokens,
  output_tokens_details: null,
  server_tool_use: null,
});

export const events = {
  /** message_start; its usage carries the input counts (output_tokens 1, as Anthropic sends). */
  messageStart: ({ stopSequence: _stopSequence, ...options }: MessageOptions = {}): SseEvent =>
    ev({
      type: 'message_start',
      message: message([], {
        ...options,
        stopReason: null,
        usage: { ...(options.usage ?? usage()), output_tokens: 1 },
      }),
    }),
  /** A text block at `index`: start (empty text), one delta per piece, stop. */
  text: (index: number, textPieces: readonly string[]): SseEvent[] => [
    ev({ type: 'content_block_start', index, content_block: textBlock('') }),
    ...textPieces.map((text) => ev({ type: 'content_block_delta', index, delta: { type: 'text_delta', text } })),
    ev({ type: 'content_block_stop', index }),
  ],
  toolUseStart: (index: number, call: Omit<ToolUseSpec, 'input'>): SseEvent =>
    ev({ type: 'content_block_start', index, content_block: toolUseBlock({ ...call, input: {} }) }),
  inputJson: (index: number, partialJson: string): SseEvent =>
    ev({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: partialJson } }),
  blockStop: (index: number): SseEvent => ev({ type: 'content_block_stop', index }),
  /** A tool_use block at `index`: start, an empty input_json_delta (as Anthropic sends), its input JSON in `parts`, stop. */
  toolUse: (index: number, call: ToolUseSpec, parts = 3): SseEvent[] => [
    events.toolUseStart(index, call),
    events.inputJson(index, ''),
    ...pieces(JSON.stringify(call.input), parts).map((json) => events.inputJson(index, json)),
    events.blockStop(index),
  ],
  thinking: (index: number, thinking: string): SseEvent[] => [
    ev({ type: 'content_block_start', index, content_block: { type: 'thinking', thinking: '', signature: '' } }),
    ev({ type: 'content_block_delta', index, delta: { type: 'thinking_delta', thinking } }),
    ev({
      type: 'content_block_delta',
      index,
      delta: { type: 'signature_delta', signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds' },
    }),
    ev({ type: 'content_block_stop', index }),
  ],
  /** message_delta with the stop reason and cumulative usage (Anthropic repeats the input counts here). */
  messageDelta: (stopReason: StopReason, u: Usage = usage(), stopSequence: string | null = null): SseEvent =>
    ev({
      type: 'message_delta',
      delta: { stop_reason: stopReason, stop_sequence: stopSequence, stop_details: null, container: null },
      usage: deltaUsage(u),
    }),
  messageStop: (): SseEvent => ev({ type: 'message_stop' }),
  ping: (): SseEvent => ev({ type: 'ping' }),
  error: (type = 'overloaded_error', text = 'Overloaded'): SseEvent => ({
    event: 'error',
    data: anthropicError(type, text),
  }),
  /** An event type this SDK version does not know (a newer API's). */
  unknown: (type = 'content_block_annotation'): SseEvent => ({
    event: type,
    data: { type, index: 0, annotation: { kind: 'future' } },
  }),
};

export interface SequenceOptions extends MessageOptions {
  /** Text split into this many deltas (default 3). */
  readonly parts?: number;
}

/** message_start, ping, one text block, message_delta (end_turn), message_stop. */
export function textEvents(text: string, options: SequenceOptions = {}): SseEvent[] {
  const u = options.usage ?? usage();
  return [
    events.messageStart(options),
    events.ping(),
    ...events.text(0, pieces(text, options.parts ?? 3)),
    events.messageDelta(options.stopReason ?? 'end_turn', u, options.stopSequence ?? null),
    events.messageStop(),
  ];
}

/** message_start, a text block (unless `text` is ''), one tool_use block per call, message_delta (tool_use), message_stop. */
export function toolUseEvents(
  calls: readonly ToolUseSpec[] = TWO_WEATHER_CALLS,
  options: SequenceOptions & { text?: string } = {},
): SseEvent[] {
  const text = options.text ?? 'Let me check both cities.';
  const first = text === '' ? 0 : 1;
  return [
    events.messageStart(options),
    ...(text === '' ? [] : events.text(0, [text])),
    ...calls.flatMap((call, i) => events.toolUse(first + i, call, options.parts ?? 3)),
    events.messageDelta('tool_use', options.usage ?? usage()),
    events.messageStop(),
  ];
}

/** message_start, a text block cut short, then an `error` event (e.g. overloaded_error after the 200); no message_stop. */
export function errorAfterContentEvents(
  text: string,
  errorType = 'overloaded_error',
  options: SequenceOptions = {},
): SseEvent[] {
  const block = events.text(0, pieces(text, options.parts ?? 2));
  return [
    events.messageStart(options),
    ...block.slice(0, -1),
    events.error(errorType, errorType === 'overloaded_error' ? 'Overloaded' : 'Internal server error'),
  ];
}

// -------------------------------------------------------------------------------------------- script builders

export const reply = {
  message: (body: Message, options: Common = {}): JsonScript => ({ kind: 'json', status: 200, body, ...options }),
  text: (text: string, options: MessageOptions & Common = {}): JsonScript =>
    reply.message(message([textBlock(text)], options), common(options)),
  toolUse: (
    calls: readonly ToolUseSpec[] = TWO_WEATHER_CALLS,
    options: MessageOptions & Common & { text?: string } = {},
  ): JsonScript =>
    reply.message(
      message([...(options.text === undefined ? [] : [textBlock(options.text)]), ...calls.map(toolUseBlock)], {
        stopReason: 'tool_use',
        ...options,
      }),
      common(options),
    ),
  error: (status: number, type: string, text: string, options: Common = {}): JsonScript => ({
    kind: 'json',
    status,
    body: anthropicError(type, text),
    ...options,
  }),
  overloaded: (options: Common = {}): JsonScript => reply.error(529, 'overloaded_error', 'Overloaded', options),
  unauthorized: (options: Common = {}): JsonScript =>
    reply.error(401, 'authentication_error', 'invalid x-api-key', options),
  serverError: (options: Common = {}): JsonScript => reply.error(500, 'api_error', 'Internal server error', options),
  rateLimit: (retryAfterSeconds = 1, options: Common = {}): JsonScript =>
    reply.error(
      429,
      'rate_limit_error',
      'This request would exceed the rate limit for your organization of 50 requests per minute.',
      {
        ...options,
        headers: {
          'retry-after': String(retryAfterSeconds),
          'anthropic-ratelimit-requests-limit': '50',
          'anthropic-ratelimit-requests-remaining': '0',
          'anthropic-ratelimit-requests-reset': new Date(
            Date.UTC(2026, 10, 1) + retryAfterSeconds * 1000,
          ).toISOString(),
          ...options.headers,
        },
      },
    ),
  stream: (streamEvents: readonly SseEvent[], options: StreamOptions = {}): StreamScript => ({
    kind: 'stream',
    events: streamEvents,
    ...options,
  }),
};

function common(options: Common): Common {
  return {
    ...(options.headers === undefined ? {} : { headers: options.headers }),
    ...(options.delayMs === undefined ? {} : { delayMs: options.delayMs }),
  };
}

// ----------------------------------------------------------------------------------------------------- server

const frame = (event: SseEvent): string => `event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`;

function streamFrames(script: StreamScript): string[] {
  const frames = script.events.map(frame);
  if (script.malformed !== undefined) {
    frames.splice(
      script.malformed.afterEvents,
      0,
      script.malformed.line ??
        'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{\n\n',
    );
  }
  return frames;
}

function lastUserText(body: unknown): string {
  const messages: unknown = typeof body === 'object' && body !== null && 'messages' in body ? body.messages : undefined;
  if (!Array.isArray(messages)) return '';
  for (const entry of [...messages].reverse()) {
    if (
      typeof entry !== 'object' ||
      entry === null ||
      !('role' in entry) ||
      entry.role !== 'user' ||
      !('content' in entry)
    )
      continue;
    const content: unknown = entry.content;
    if (typeof content === 'string') return content;
    if (!Array.isArray(content)) return '';
    return content
      .map((part: unknown) =>
        typeof part === 'object' && part !== null && 'text' in part && typeof part.text === 'string' ? part.text : '',
      )
      .join('');
  }
  return '';
}

function echoScript(request: RecordedRequest): Script {
  const text = lastUserText(request.body);
  const body = typeof request.body === 'object' && request.body !== null ? request.body : {};
  const model = 'model' in body && typeof body.model === 'string' ? body.model : DEFAULT_MODEL;
  const counts = usage({
    input: Math.max(1, Math.ceil(JSON.stringify(body).length / 4)),
    output: Math.max(1, Math.ceil(text.length / 4)),
  });
  if ('stream' in body && body.stream === true) return reply.stream(textEvents(text, { model, usage: counts }));
  return reply.text(text, { model, usage: counts });
}

const defaultCount = (request: RecordedRequest): number => Math.ceil(JSON.stringify(request.body ?? null).length / 4);

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': typeof body === 'string' ? 'text/html; charset=utf-8' : 'application/json',
    'content-length': Buffer.byteLength(text),
    'request-id': nextId('req'),
    ...headers,
  });
  res.end(text);
}

function rejection(
  headers: IncomingHttpHeaders,
  body: unknown,
  apiKey: string,
  version: string,
): JsonScript | undefined {
  const given = headers['anthropic-version'];
  if (given === undefined) return reply.error(400, 'invalid_request_error', 'anthropic-version: header is required');
  if (given !== version)
    return reply.error(
      400,
      'invalid_request_error',
      `anthropic-version: unsupported version "${String(given)}" (the fake expects ${version})`,
    );
  if (headers['x-api-key'] !== apiKey && headers.authorization !== `Bearer ${apiKey}`) return reply.unauthorized();
  if (typeof body !== 'object' || body === null)
    return reply.error(400, 'invalid_request_error', 'The request body is not valid JSON.');
  return undefined;
}

export async function startFakeAnthropic(options: FakeAnthropicOptions = {}): Promise<FakeAnthropic> {
  const apiKey = options.apiKey ?? DEFAULT_FAKE_ANTHROPIC_KEY;
  const version = options.anthropicVersion ?? FAKE_ANTHROPIC_VERSION;
  const latencyMs = options.latencyMs ?? 0;
  const split = options.split ?? { seed: 1, maxPieceBytes: 16 };
  const fallback = typeof options.defaultReply === 'function' ? options.defaultReply : echoScript;
  const queue: Script[] = [];
  const requests: RecordedRequest[] = [];
  const closing = new AbortController();
  let streams = 0;

  const wait = async (ms: number, res: ServerResponse): Promise<boolean> => {
    if (ms > 0) {
      const gone = new AbortController();
      const onClose = (): void => gone.abort();
      res.once('close', onClose);
      try {
        await sleep(ms, undefined, { signal: AbortSignal.any([closing.signal, gone.signal]) });
      } catch {
        return false;
      } finally {
        res.off('close', onClose);
      }
    }
    return !res.destroyed;
  };

  async function answer(script: JsonScript | StreamScript, res: ServerResponse, beforeCut: () => void): Promise<void> {
    if (!(await wait(latencyMs + (script.delayMs ?? 0), res))) return;
    if (script.kind === 'json') return sendJson(res, script.status, script.body, script.headers);
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'request-id': nextId('req'),
      ...script.headers,
    });
    res.flushHeaders();
    res.socket?.setNoDelay(true);
    const chosen = script.split ?? split;
    await writeSse(res, streamFrames(script), {
      split: chosen === false ? false : { ...chosen, seed: chosen.seed + streams++ },
      signal: closing.signal,
      beforeDisconnect: beforeCut,
      ...(script.eventDelayMs === undefined ? {} : { frameDelayMs: script.eventDelayMs }),
      ...(script.disconnectAfterEvents === undefined ? {} : { disconnectAfterFrames: script.disconnectAfterEvents }),
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let cutByUs = false;
    let markClosed = (): void => undefined;
    const closed = new Promise<void>((resolve) => (markClosed = resolve));
    const body = await readJsonBody(req);
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers: req.headers,
      body,
      clientAborted: false,
      closed,
    };
    requests.push(recorded);
    res.on('close', () => {
      if (!res.writableFinished && !cutByUs) recorded.clientAborted = true;
      markClosed();
    });
    const route = `${recorded.method} ${recorded.path.split('?')[0] ?? ''}`;
    if (route === 'POST /v1/messages/count_tokens') {
      const rejected = rejection(req.headers, body, apiKey, version);
      if (rejected !== undefined) return sendJson(res, rejected.status, rejected.body);
      const option = options.countTokens ?? defaultCount;
      const counted = typeof option === 'function' ? option(recorded) : option;
      if (typeof counted === 'number') return sendJson(res, 200, { input_tokens: counted });
      return answer(counted, res, () => undefined);
    }
    if (route !== 'POST /v1/messages') {
      return sendJson(res, 404, anthropicError('not_found_error', `${recorded.method} ${recorded.path} not found`));
    }
    const rejected = rejection(req.headers, body, apiKey, version);
    if (rejected !== undefined) return sendJson(res, rejected.status, rejected.body);
    let script: Script = queue.shift() ?? fallback;
    while (typeof script === 'function') script = script(recorded);
    await answer(script, res, () => (cutByUs = true));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, anthropicError('api_error', `fake-anthropic failed: ${String(err)}`));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    requests,
    enqueue: (...scripts) => void queue.push(...scripts),
    pending: () => queue.length,
    close: () =>
      new Promise<void>((resolve) => {
        closing.abort();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
