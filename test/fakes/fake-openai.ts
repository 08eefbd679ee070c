/**
 * A scriptable fake of the OpenAI Chat Completions API, on node:http at 127.0.0.1 (port 0).
 *
 *   const fake = await startFakeOpenAI({ apiKey: 'sk-test-123' });   // every option is optional
 *   new OpenAI({ baseURL: fake.url, apiKey: fake.apiKey });           // fake.url ends in /v1
 *   fake.enqueue(reply.text('Hello'), reply.rateLimit(2), reply.stream(textChunks('Hi there', { parts: 3 })));
 *   fake.requests;   // [{ method, path, headers, body (parsed JSON), clientAborted, closed }], in arrival order
 *   fake.pending();  // scripts still queued
 *   await fake.close();
 *
 * Routes: POST /v1/chat/completions (answered from the queue, else by `defaultReply`), POST /v1/embeddings (from the
 * queue, else `embeddingsReply` or deterministic vectors: fake-openai-embeddings.ts), POST /v1/responses (the Responses
 * API: from the queue, else fake-openai-responses.ts's echo; `responsesReply.*` builds its scripts), GET /v1/models, anything
 * else 404 with OpenAI's `Invalid URL (METHOD /path)` error. Every route first checks `Authorization: Bearer <apiKey>`
 * (missing or wrong: 401 with OpenAI's body, code `invalid_api_key`); a 401 does not consume a queued script.
 * A body that is not JSON: 400. Every request is recorded (unless `record: false`), including rejected ones.
 *
 * Options (`FakeOpenAIOptions`): `apiKey` (default `sk-fake-openai-0123456789`), `latencyMs` (added before every
 * answer: before the JSON, or before the first stream byte), `defaultReply` when the queue is empty — `'echo'`
 * (default: the last user message back, streamed when the request says `stream: true`), `'fixed'` (a constant reply
 * serialised once and written in one piece: the benchmark mode), or a function of the request returning a Script —
 * `split` (byte splitting of streams, default `{ seed: 1, maxPieceBytes: 16 }`; the n-th stream uses seed + n),
 * `record`.
 *
 * Scripts (`Script`), built with `reply.*` or written by hand; a function of the request may stand for any of them:
 *  - `reply.json(body, opts)` / `reply.text(text)` / `reply.toolCalls()` / `reply.jsonSchema(value)`: 200 JSON.
 *  - `reply.error(status, { message, type, code, param }, opts)`; `reply.rateLimit(retryAfterSeconds)` (429 with
 *    retry-after, retry-after-ms and x-ratelimit-* headers); `reply.serverError(status)`; `reply.overloaded()` (503).
 *  - `reply.stream(chunks, opts)`: `data: <json>\n\n` per chunk, then `data: [DONE]\n\n`, cut at seeded arbitrary
 *    byte positions (inside `data:` and inside multi-byte UTF-8). When the request set
 *    `stream_options.include_usage`, every chunk carries `usage: null` and a last chunk `choices: []` carries
 *    `opts.usage` (or an estimate). Options: `split`, `chunkDelayMs` (before each chunk), `disconnectAfterChunks`
 *    (n chunks, half of the next, then the socket is destroyed), `hold: { afterFrames, until }` (the rest waits for a
 *    promise), `malformed: { afterChunks, line? }` (a line that is not JSON), `done: false` (no [DONE]), `headers`, `delayMs`.
 *  Every script takes `headers` and `delayMs` (before answering; on top of `latencyMs`).
 *
 * Builders of bodies: `usage({ prompt, completion, cached })` (with `prompt_tokens_details.cached_tokens`),
 * `textCompletion`, `toolCallsCompletion` (two parallel calls by default), `jsonSchemaCompletion`, `textChunks`
 * (role chunk, text in `parts` deltas, finish chunk) and `toolCallChunks` (two calls with `index` 0 and 1 whose
 * argument deltas interleave, then `finish_reason: "tool_calls"`), `openAIError`.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import { embeddingsBody } from './fake-openai-embeddings.js';
import { responsesEcho, responsesFrame, type EventsScript } from './fake-openai-responses.js';
import { readJsonBody } from './read-body.js';
import { sseFrame, writeSse, type SplitOptions } from './sse-writer.js';
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

export interface OpenAIErrorBody {
  readonly error: {
    readonly message: string;
    readonly type: string;
    readonly param: string | null;
    readonly code: string | null;
  };
}

interface Common {
  readonly headers?: Readonly<Record<string, string>>;
  /** Wait before answering, on top of the server's `latencyMs`. */
  readonly delayMs?: number;
}
export interface JsonScript extends Common {
  readonly kind: 'json';
  readonly body: ChatCompletion | object;
  readonly status?: number;
}
export interface ErrorScript extends Common {
  readonly kind: 'error';
  readonly status: number;
  /** An OpenAI error body, or raw text (e.g. an HTML page from a proxy). */
  readonly body: OpenAIErrorBody | string;
}
export interface StreamOptions extends Common {
  /** Sent in a `choices: []` chunk when the request asked for `stream_options.include_usage`. */
  readonly usage?: CompletionUsage;
  readonly split?: SplitOptions | false;
  readonly chunkDelayMs?: number;
  /** Write this many frames (SSE events), then wait for `until` before the rest. */
  readonly hold?: { readonly afterFrames: number; readonly until: Promise<void> };
  readonly disconnectAfterChunks?: number;
  readonly malformed?: { readonly afterChunks: number; readonly line?: string };
  /** End with `data: [DONE]` (default true). */
  readonly done?: boolean;
}
export interface StreamScript extends StreamOptions {
  readonly kind: 'stream';
  readonly chunks: readonly ChatCompletionChunk[];
}
export type Script = JsonScript | ErrorScript | StreamScript | EventsScript | ((request: RecordedRequest) => Script);

export interface FakeOpenAIOptions {
  readonly apiKey?: string;
  readonly latencyMs?: number;
  readonly defaultReply?: 'echo' | 'fixed' | ((request: RecordedRequest) => Script);
  /** POST /v1/embeddings with nothing queued (default: fake-openai-embeddings.ts's deterministic vectors). */
  readonly embeddingsReply?: (request: RecordedRequest) => Script;
  readonly split?: SplitOptions | false;
  readonly record?: boolean;
}

/** `url`: the base URL including /v1, e.g. http://127.0.0.1:41234/v1. */
export type FakeOpenAI = FakeServer<Script, RecordedRequest>;

export const DEFAULT_FAKE_OPENAI_KEY = 'sk-fake-openai-0123456789';
const DEFAULT_MODEL = 'gpt-4o-mini-2024-07-18';
const CREATED = 1_767_225_600;
let ids = 0;
const nextId = (): string => `chatcmpl-fake${(++ids).toString(36).padStart(6, '0')}`;

// ---------------------------------------------------------------------------------------------- body builders

export function openAIError(
  message: string,
  type: string,
  code: string | null = null,
  param: string | null = null,
): OpenAIErrorBody {
  return { error: { message, type, param, code } };
}

export function usage(
  counts: { prompt?: number; completion?: number; cached?: number; reasoning?: number } = {},
): CompletionUsage {
  const prompt = counts.prompt ?? 12;
  const completion = counts.completion ?? 5;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: counts.cached ?? 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: counts.reasoning ?? 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

export interface BodyOptions {
  readonly model?: string;
  readonly id?: string;
  readonly usage?: CompletionUsage;
}

type Message = ChatCompletion.Choice['message'];
type FinishReason = ChatCompletion.Choice['finish_reason'];

function completion(message: Message, finishReason: FinishReason, options: BodyOptions): ChatCompletion {
  return {
    id: options.id ?? nextId(),
    object: 'chat.completion',
    created: CREATED,
    model: options.model ?? DEFAULT_MODEL,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
    usage: options.usage ?? usage(),
    service_tier: 'default',
    system_fingerprint: 'fp_fake0001',
  };
}

export function textCompletion(
  text: string,
  options: BodyOptions & { finishReason?: FinishReason } = {},
): ChatCompletion {
  return completion(
    { role: 'assistant', content: text, refusal: null, annotations: [] },
    options.finishReason ?? 'stop',
    options,
  );
}

/** A structured-output reply: the content is the JSON text of `value`, as with `response_format: json_schema`. */
export function jsonSchemaCompletion(value: unknown, options: BodyOptions = {}): ChatCompletion {
  return textCompletion(JSON.stringify(value), options);
}

export interface ToolCallSpec {
  readonly id: string;
  readonly name: string;
  /** The arguments JSON text. */
  readonly arguments: string;
}

export const TWO_WEATHER_CALLS: readonly ToolCallSpec[] = [
  { id: 'call_fakeParis0001', name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}' },
  { id: 'call_fakeTokyo0002', name: 'get_weather', arguments: '{"city":"Tokyo","unit":"celsius"}' },
];

export function toolCallsCompletion(
  calls: readonly ToolCallSpec[] = TWO_WEATHER_CALLS,
  options: BodyOptions = {},
): ChatCompletion {
  return completion(
    {
      role: 'assistant',
      content: null,
      refusal: null,
      annotations: [],
      tool_calls: calls.map((call) => ({
        id: call.id,
        type: 'function',
        function: { name: call.name, arguments: call.arguments },
      })),
    },
    'tool_calls',
    options,
  );
}

type Delta = ChatCompletionChunk.Choice['delta'];
type ChunkFinish = ChatCompletionChunk.Choice['finish_reason'];

function chunk(id: string, model: string, delta: Delta, finishReason: ChunkFinish = null): ChatCompletionChunk {
  return {
    id,
    object: 'chat.completion.chunk',
    created: CREATED,
    model,
    service_tier: 'default',
    system_fingerprint: 'fp_fake0001',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  };
}

/** `text` cut into `parts` pieces by code point (never inside a character: the byte splitter does that). */
function pieces(text: string, parts: number): string[] {
  const chars = [...text];
  const size = Math.max(1, Math.ceil(chars.length / Math.max(1, parts)));
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(''));
  return out;
}

/** The role chunk, `text` in `parts` content deltas, then an empty delta with the finish reason. */
export function textChunks(
  text: string,
  options: Omit<BodyOptions, 'usage'> & { parts?: number; finishReason?: ChunkFinish } = {},
): ChatCompletionChunk[] {
  const id = options.id ?? nextId();
  const model = options.model ?? DEFAULT_MODEL;
  return [
    chunk(id, model, { role: 'assistant', content: '', refusal: null }),
    ...pieces(text, options.parts ?? 4).map((content) => chunk(id, model, { content })),
    chunk(id, model, {}, options.finishReason ?? 'stop'),
  ];
}

/**
 * Parallel tool calls as OpenAI streams them, with distinct `index` per call, made harder: the calls interleave
 * (call 0 opens, gets a piece, call 1 opens, gets a piece, then pieces alternate), so a consumer keyed on anything
 * but `index` mixes them up.
 */
export function toolCallChunks(
  calls: readonly ToolCallSpec[] = TWO_WEATHER_CALLS,
  options: Omit<BodyOptions, 'usage'> & { parts?: number } = {},
): ChatCompletionChunk[] {
  const id = options.id ?? nextId();
  const model = options.model ?? DEFAULT_MODEL;
  const split = calls.map((call) => pieces(call.arguments, options.parts ?? 3));
  const out = [chunk(id, model, { role: 'assistant', content: null, refusal: null })];
  const longest = Math.max(0, ...split.map((p) => p.length));
  for (let step = 0; step < longest; step++) {
    calls.forEach((call, index) => {
      const piece = split[index]?.[step];
      if (step === 0) {
        const open = { index, id: call.id, type: 'function' as const, function: { name: call.name, arguments: '' } };
        out.push(chunk(id, model, { tool_calls: [open] }));
      }
      if (piece !== undefined) out.push(chunk(id, model, { tool_calls: [{ index, function: { arguments: piece } }] }));
    });
  }
  out.push(chunk(id, model, {}, 'tool_calls'));
  return out;
}

// -------------------------------------------------------------------------------------------- script builders

export const reply = {
  json: (body: ChatCompletion | object, options: Common & { status?: number } = {}): JsonScript => ({
    kind: 'json',
    body,
    ...options,
  }),
  text: (text: string, options: BodyOptions & Common = {}): JsonScript => ({
    kind: 'json',
    body: textCompletion(text, options),
    ...common(options),
  }),
  toolCalls: (calls: readonly ToolCallSpec[] = TWO_WEATHER_CALLS, options: BodyOptions & Common = {}): JsonScript => ({
    kind: 'json',
    body: toolCallsCompletion(calls, options),
    ...common(options),
  }),
  jsonSchema: (value: unknown, options: BodyOptions & Common = {}): JsonScript => ({
    kind: 'json',
    body: jsonSchemaCompletion(value, options),
    ...common(options),
  }),
  error: (
    status: number,
    error: Partial<OpenAIErrorBody['error']> & { message: string },
    options: Common = {},
  ): ErrorScript => ({
    kind: 'error',
    status,
    body: openAIError(error.message, error.type ?? 'invalid_request_error', error.code ?? null, error.param ?? null),
    ...options,
  }),
  rateLimit: (retryAfterSeconds = 1, options: Common = {}): ErrorScript => ({
    kind: 'error',
    status: 429,
    body: openAIError(
      `Rate limit reached for gpt-4o-mini in organization org-fake on requests per min (RPM): Limit 500, Used 500, Requested 1. Please try again in ${retryAfterSeconds}s.`,
      'requests',
      'rate_limit_exceeded',
    ),
    ...options,
    headers: {
      'retry-after': String(retryAfterSeconds),
      'retry-after-ms': String(retryAfterSeconds * 1000),
      'x-ratelimit-limit-requests': '500',
      'x-ratelimit-remaining-requests': '0',
      'x-ratelimit-reset-requests': `${retryAfterSeconds}s`,
      ...options.headers,
    },
  }),
  serverError: (status = 500, options: Common = {}): ErrorScript => ({
    kind: 'error',
    status,
    body: openAIError('The server had an error while processing your request. Sorry about that!', 'server_error'),
    ...options,
  }),
  overloaded: (options: Common = {}): ErrorScript => ({
    kind: 'error',
    status: 503,
    body: openAIError(
      'The engine is currently overloaded, please try again later.',
      'server_error',
      'engine_overloaded',
    ),
    ...options,
  }),
  stream: (chunks: readonly ChatCompletionChunk[], options: StreamOptions = {}): StreamScript => ({
    kind: 'stream',
    chunks,
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

const maskKey = (key: string): string =>
  key.length <= 8
    ? '*'.repeat(key.length)
    : `${key.slice(0, 3)}${'*'.repeat(Math.min(20, key.length - 7))}${key.slice(-4)}`;

function authFailure(header: string | undefined, apiKey: string): OpenAIErrorBody | undefined {
  if (header === `Bearer ${apiKey}`) return undefined;
  const given = /^Bearer\s+(.+)$/i.exec(header ?? '')?.[1]?.trim();
  if (given === undefined || given === '') {
    return openAIError(
      "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys.",
      'invalid_request_error',
    );
  }
  return openAIError(
    `Incorrect API key provided: ${maskKey(given)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
    'invalid_request_error',
    'invalid_api_key',
  );
}

interface ChatRequest {
  readonly model?: unknown;
  readonly stream?: unknown;
  readonly stream_options?: { readonly include_usage?: unknown } | null;
  readonly messages?: unknown;
}

const asChat = (body: unknown): ChatRequest => (typeof body === 'object' && body !== null ? (body as ChatRequest) : {});
const wantsUsage = (body: unknown): boolean => asChat(body).stream_options?.include_usage === true;

function lastUserText(body: unknown): string {
  const messages = asChat(body).messages;
  if (!Array.isArray(messages)) return '';
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i] as { role?: unknown; content?: unknown } | undefined;
    if (message?.role !== 'user') continue;
    if (typeof message.content === 'string') return message.content;
    if (Array.isArray(message.content)) {
      return message.content
        .map((part: unknown) =>
          typeof part === 'object' && part !== null && 'text' in part && typeof part.text === 'string' ? part.text : '',
        )
        .join('');
    }
  }
  return '';
}

const estimate = (text: string): number => Math.max(1, Math.ceil(Buffer.byteLength(text) / 4));

/** POST /v1/embeddings with nothing queued: fake-openai-embeddings.ts. */
const embeddingsScript = (request: RecordedRequest): Script => reply.json(embeddingsBody(request.body));

function echoScript(request: RecordedRequest): Script {
  const text = lastUserText(request.body);
  const chat = asChat(request.body);
  const model = typeof chat.model === 'string' ? chat.model : DEFAULT_MODEL;
  const counts = usage({ prompt: estimate(JSON.stringify(chat.messages ?? '')), completion: estimate(text) });
  if (chat.stream === true) return reply.stream(textChunks(text, { model, parts: 4 }), { usage: counts });
  return reply.text(text, { model, usage: counts });
}

/** The benchmark reply: serialised once, written in one piece. */
class FixedReply {
  private readonly json: Buffer;
  private readonly stream: Buffer;
  private readonly streamWithUsage: Buffer;
  constructor() {
    const text = 'Hello! This is a fixed reply from the fake OpenAI upstream.';
    this.json = Buffer.from(JSON.stringify(textCompletion(text, { id: 'chatcmpl-fixed' })));
    const chunks = textChunks(text, { id: 'chatcmpl-fixed', parts: 4 });
    this.stream = Buffer.from(chunks.map((c) => sseFrame(JSON.stringify(c))).join('') + sseFrame('[DONE]'));
    const usageChunk = { ...chunks[0], choices: [], usage: usage({ prompt: 12, completion: 14 }) };
    this.streamWithUsage = Buffer.from(
      [...chunks.map((c) => ({ ...c, usage: null })), usageChunk].map((c) => sseFrame(JSON.stringify(c))).join('') +
        sseFrame('[DONE]'),
    );
  }
  send(res: ServerResponse, body: unknown): void {
    const chat = asChat(body);
    if (chat.stream === true) {
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
      res.end(wantsUsage(body) ? this.streamWithUsage : this.stream);
    } else {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': this.json.length });
      res.end(this.json);
    }
  }
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-request-id': `req_fake${ids}`,
    ...headers,
  });
  res.end(text);
}

function streamFrames(script: StreamScript, body: unknown): string[] {
  const include = wantsUsage(body);
  const chunks: object[] = include ? script.chunks.map((c) => ({ ...c, usage: null })) : [...script.chunks];
  if (include) {
    const first = script.chunks[0];
    const text = script.chunks.map((c) => c.choices.map((choice) => choice.delta.content ?? '').join('')).join('');
    chunks.push({
      id: first?.id ?? nextId(),
      object: 'chat.completion.chunk',
      created: CREATED,
      model: first?.model ?? DEFAULT_MODEL,
      service_tier: 'default',
      system_fingerprint: 'fp_fake0001',
      choices: [],
      usage: script.usage ?? usage({ completion: estimate(text) }),
    });
  }
  const frames = chunks.map((c) => sseFrame(JSON.stringify(c)));
  if (script.malformed !== undefined) {
    frames.splice(
      script.malformed.afterChunks,
      0,
      script.malformed.line ?? 'data: {"id":"chatcmpl-broken","object":"chat.completion.chunk","choices":[{\n\n',
    );
  }
  if (script.done !== false) frames.push(sseFrame('[DONE]'));
  return frames;
}

export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const apiKey = options.apiKey ?? DEFAULT_FAKE_OPENAI_KEY;
  const latencyMs = options.latencyMs ?? 0;
  const split = options.split ?? { seed: 1, maxPieceBytes: 16 };
  const record = options.record ?? true;
  const fixed = options.defaultReply === 'fixed' ? new FixedReply() : undefined;
  const fallback = typeof options.defaultReply === 'function' ? options.defaultReply : echoScript;
  const embeddingsFallback = options.embeddingsReply ?? embeddingsScript;
  const queue: Script[] = [];
  const requests: RecordedRequest[] = [];
  const closing = new AbortController();
  let streams = 0;

  const wait = async (ms: number): Promise<boolean> => {
    if (ms <= 0) return true;
    try {
      await sleep(ms, undefined, { signal: closing.signal });
      return true;
    } catch {
      return false;
    }
  };

  async function answer(
    script: StreamScript | JsonScript | ErrorScript | EventsScript,
    req: RecordedRequest,
    res: ServerResponse,
    beforeCut: () => void,
  ): Promise<void> {
    if (!(await wait(latencyMs + (script.delayMs ?? 0))) || res.destroyed) return;
    if (script.kind === 'json') return sendJson(res, script.status ?? 200, script.body, script.headers);
    if (script.kind === 'error') return sendJson(res, script.status, script.body, script.headers);
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'x-request-id': `req_fake${ids}`,
      ...script.headers,
    });
    // The 200 leaves at once, as a real provider's does, even when the first chunk is delayed.
    res.flushHeaders();
    const chosen = script.split ?? split;
    const frames = script.kind === 'events' ? script.events.map(responsesFrame) : streamFrames(script, req.body);
    await writeSse(res, frames, {
      split: chosen === false ? false : { ...chosen, seed: chosen.seed + streams++ },
      signal: closing.signal,
      beforeDisconnect: beforeCut,
      ...(script.chunkDelayMs === undefined ? {} : { frameDelayMs: script.chunkDelayMs }),
      ...(script.hold === undefined ? {} : { hold: script.hold }),
      ...(script.disconnectAfterChunks === undefined ? {} : { disconnectAfterFrames: script.disconnectAfterChunks }),
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readJsonBody(req);
    const path = req.url ?? '/';
    let markClosed = (): void => undefined;
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path,
      headers: req.headers,
      body,
      clientAborted: false,
      closed: new Promise<void>((resolve) => (markClosed = resolve)),
    };
    if (record) requests.push(recorded);
    let cutByUs = false;
    res.on('close', () => {
      if (!res.writableFinished && !cutByUs) recorded.clientAborted = true;
      markClosed();
    });
    const denied = authFailure(req.headers.authorization, apiKey);
    if (denied !== undefined) return sendJson(res, 401, denied);
    const route = `${recorded.method} ${path.split('?')[0] ?? ''}`;
    if (route === 'GET /v1/models') {
      return sendJson(res, 200, {
        object: 'list',
        data: [{ id: DEFAULT_MODEL, object: 'model', created: CREATED, owned_by: 'system' }],
      });
    }
    const embeddings = route === 'POST /v1/embeddings';
    const responses = route === 'POST /v1/responses';
    if (route !== 'POST /v1/chat/completions' && !embeddings && !responses) {
      return sendJson(res, 404, openAIError(`Invalid URL (${route})`, 'invalid_request_error'));
    }
    if (typeof body !== 'object' || body === null) {
      return sendJson(
        res,
        400,
        openAIError(
          "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
          'invalid_request_error',
        ),
      );
    }
    if (fixed !== undefined && queue.length === 0 && !embeddings && !responses) {
      if (latencyMs > 0 && !(await wait(latencyMs))) return;
      if (!res.destroyed) fixed.send(res, body);
      return;
    }
    // A `defaultReply` function answers /v1/responses too (it reads `request.path`); the echo otherwise.
    const echo = typeof options.defaultReply === 'function' ? fallback : (): Script => responsesEcho(body);
    const defaultScript = responses ? echo : embeddings ? embeddingsFallback : fallback;
    let script = queue.shift() ?? defaultScript;
    while (typeof script === 'function') script = script(recorded);
    await answer(script, recorded, res, () => (cutByUs = true));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, openAIError(`fake-openai failed: ${String(err)}`, 'server_error'));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    apiKey,
    requests,
    enqueue: (...scripts) => void queue.push(...scripts),
    pending: () => queue.length,
    close: async () => {
      closing.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
