/**
 * A fault-injecting fake upstream, on node:http at 127.0.0.1 (port 0): one server, one fault per base URL, speaking
 * OpenAI's Chat Completions (JSON and SSE) and Anthropic's Messages (JSON and SSE) wire formats.
 *
 *   const faults = await startFaultUpstream();
 *   { type: 'openai', baseURL: faults.openAIUrl('stall-after') }       // …/stall-after/v1 (the SDK adds /chat/completions)
 *   { type: 'anthropic', baseURL: faults.anthropicUrl('truncated') }   // …/truncated (the SDK adds /v1/messages)
 *   faults.requests;   // [{ fault, wire, stream, clientAborted }], in arrival order
 *   await faults.close();   // cuts every open connection (stalled ones included) and stops the server
 *
 * Each request gets the fault its path names, every time (no queue: a retry meets the same fault). Keys are not
 * checked. Faults (`Fault`), for a JSON request / a stream:
 *  - `ok`: a complete answer, text `HEALTHY_TEXT` (the healthy target of a fallback alias).
 *  - `500`; `429-short` (Retry-After: 1) and `429-long` (Retry-After: 30); `529` (Anthropic's overloaded_error):
 *    the status with the wire format's error body.
 *  - `no-headers`: the request is read, then the socket is destroyed before any byte of an answer.
 *  - `stall-before`: the request is read, then nothing, until the client leaves.
 *  - `stall-after`: the status, headers and a first piece (JSON: its first bytes; a stream: its start and a first
 *    content piece), then nothing.
 *  - `destroy-mid`: half of the answer (JSON: half its bytes; a stream: its start, some content and half a frame),
 *    then the socket is destroyed (a stream: 100 ms later, so the content was read before the reset).
 *  - `invalid-json`: 200 with a body that is not JSON / a first event whose data is not JSON.
 *  - `truncated`: half of the answer, then a clean end (a stream: content, then no finish, no [DONE] /
 *    message_stop).
 *  - `error-200`: 200 with an error object as the body / as the first event.
 *  - `big`: a complete answer of `bigBytes` text (default 6 MB; a stream in 64 KB content pieces), written as the
 *    socket takes it.
 *  - `trickle`: a complete answer, `PARTIAL_TEXT`, in `trickle.pieces` writes `trickle.gapMs` apart (JSON: its
 *    bytes; a stream: one content piece each).
 * Where a fault sends content before it fails, that content is from `PARTIAL_TEXT`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  anthropicError,
  events as anthropicEvents,
  message,
  textBlock,
  usage as anthropicUsage,
  type SseEvent,
} from './fake-anthropic.js';
import { openAIError, textChunks, textCompletion, usage as openAIUsage } from './fake-openai.js';
import { readJsonBody } from './read-body.js';
import { sseFrame } from './sse-writer.js';

export const FAULTS = [
  'ok',
  '500',
  '429-short',
  '429-long',
  '529',
  'no-headers',
  'stall-before',
  'stall-after',
  'destroy-mid',
  'invalid-json',
  'truncated',
  'error-200',
  'big',
  'trickle',
] as const;
export type Fault = (typeof FAULTS)[number];
export type Wire = 'openai' | 'anthropic';

/** The healthy target's answer. */
export const HEALTHY_TEXT = 'The healthy target answers.';
/** What a faulty target sends before it fails, and the trickle's whole answer. */
export const PARTIAL_TEXT = 'one two three four five six seven eight';

export interface FaultRequest {
  readonly fault: Fault;
  readonly wire: Wire;
  readonly stream: boolean;
  /** The client closed the connection before the answer was complete (not counting the fault's own cuts). */
  clientAborted: boolean;
}

export interface FaultUpstreamOptions {
  /** Size of the `big` answer's text (default 6 MB). */
  readonly bigBytes?: number;
  /** The `trickle` fault's pace (default 8 pieces, 100 ms apart). */
  readonly trickle?: { readonly pieces: number; readonly gapMs: number };
}

export interface FaultUpstream {
  /** Base URL of an OpenAI provider with this fault (ends in /v1). */
  openAIUrl(fault: Fault): string;
  /** Base URL of an Anthropic provider with this fault (the SDK appends /v1/messages). */
  anthropicUrl(fault: Fault): string;
  readonly requests: FaultRequest[];
  close(): Promise<void>;
}

const MODEL = 'fault-model';
const BIG_PIECE = 64 * 1024;
const CUT_AFTER_MS = 100;

/** One wire format's bodies: an answer, an error, and a stream as its start, content pieces and end. */
interface WireFormat {
  answer(text: string): object;
  error(status: number): object;
  /** The error object a 200 may carry instead of an answer (as a body, or as a stream's first event). */
  errorObject(): object;
  start(): string[];
  content(piece: string): string;
  end(includeUsage: boolean): string[];
  /** A first event whose data is not JSON. */
  invalidEvent(): string;
  errorEvent(): string;
}

const anthropicFrame = (e: SseEvent): string => `event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`;

const openAIWire: WireFormat = {
  answer: (text) =>
    textCompletion(text, {
      model: MODEL,
      usage: openAIUsage({ prompt: 12, completion: Math.max(1, Math.ceil(text.length / 4)) }),
    }),
  error: (status) =>
    status === 429
      ? openAIError('Rate limit reached for requests.', 'requests', 'rate_limit_exceeded')
      : status === 529
        ? openAIError('Overloaded', 'overloaded_error')
        : openAIError('The server had an error while processing your request.', 'server_error'),
  errorObject: () => openAIError('The server had an error while processing your request.', 'server_error'),
  start: () => {
    const [role] = textChunks('', { model: MODEL, id: 'chatcmpl-fault' });
    return [sseFrame(JSON.stringify(role))];
  },
  content: (piece) =>
    sseFrame(JSON.stringify({ ...textChunks(piece, { model: MODEL, id: 'chatcmpl-fault', parts: 1 })[1] })),
  end: (includeUsage) => {
    const finish = textChunks('', { model: MODEL, id: 'chatcmpl-fault' }).at(-1);
    const usageChunk = {
      id: 'chatcmpl-fault',
      object: 'chat.completion.chunk',
      created: 1_767_225_600,
      model: MODEL,
      choices: [],
      usage: openAIUsage(),
    };
    return [
      sseFrame(JSON.stringify(finish)),
      ...(includeUsage ? [sseFrame(JSON.stringify(usageChunk))] : []),
      sseFrame('[DONE]'),
    ];
  },
  invalidEvent: () => 'data: {"id":"chatcmpl-fault","object":"chat.completion.chunk",\n\n',
  errorEvent: () =>
    sseFrame(JSON.stringify(openAIError('The server had an error while processing your request.', 'server_error'))),
};

const anthropicWire: WireFormat = {
  answer: (text) =>
    message([textBlock(text)], {
      model: MODEL,
      usage: anthropicUsage({ input: 12, output: Math.max(1, Math.ceil(text.length / 4)) }),
    }),
  error: (status) =>
    status === 429
      ? anthropicError('rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit.')
      : status === 529
        ? anthropicError('overloaded_error', 'Overloaded')
        : anthropicError('api_error', 'Internal server error'),
  errorObject: () => anthropicError('api_error', 'Internal server error'),
  start: () =>
    [anthropicEvents.messageStart({ model: MODEL }), anthropicEvents.text(0, [])[0]].flatMap((e) =>
      e === undefined ? [] : [anthropicFrame(e)],
    ),
  content: (piece) =>
    anthropicFrame({
      event: 'content_block_delta',
      data: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: piece } },
    }),
  end: () =>
    [anthropicEvents.blockStop(0), anthropicEvents.messageDelta('end_turn'), anthropicEvents.messageStop()].map(
      anthropicFrame,
    ),
  invalidEvent: () => 'event: message_start\ndata: {"type":"message_start","message":\n\n',
  errorEvent: () => anthropicFrame(anthropicEvents.error('api_error', 'Internal server error')),
};

const RETRY_AFTER: Partial<Record<Fault, string>> = { '429-short': '1', '429-long': '30' };
const STATUS: Partial<Record<Fault, number>> = { '500': 500, '429-short': 429, '429-long': 429, '529': 529 };

// Answers the fault itself cut (their end is no client abort).
const cutByFault = new WeakSet<ServerResponse>();
const cut = (res: ServerResponse): void => {
  cutByFault.add(res);
  res.socket?.destroy();
};

const words = (text: string): string[] => text.split(/(?<= )/);

/** Writes and waits for the socket to take it (a 6 MB answer must not sit in memory as one write). */
async function write(res: ServerResponse, data: string): Promise<void> {
  if (res.destroyed) return;
  if (res.write(data)) return;
  await new Promise<void>((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** Resolves when the connection closes (the client left, or close() cut it). */
const closed = (res: ServerResponse): Promise<void> =>
  new Promise((resolve) => (res.destroyed ? resolve() : res.once('close', () => resolve())));

async function answerJson(
  res: ServerResponse,
  fault: Fault,
  wire: WireFormat,
  options: Required<FaultUpstreamOptions>,
): Promise<void> {
  const json = { 'content-type': 'application/json' };
  const partial = JSON.stringify(wire.answer(PARTIAL_TEXT));
  switch (fault) {
    case 'stall-after':
      res.writeHead(200, { ...json, 'content-length': String(Buffer.byteLength(partial)) });
      await write(res, partial.slice(0, 1));
      return closed(res);
    case 'destroy-mid':
      res.writeHead(200, { ...json, 'content-length': String(Buffer.byteLength(partial)) });
      await write(res, partial.slice(0, partial.length >> 1));
      return cut(res);
    case 'invalid-json':
      res.writeHead(200, json);
      res.end('{"id":"chatcmpl-fault","object":"chat.completion","choices":[{"index":0,"message":{oops}}]}');
      return;
    case 'truncated':
      res.writeHead(200, json);
      res.end(partial.slice(0, partial.length >> 1));
      return;
    case 'error-200':
      res.writeHead(200, json);
      res.end(JSON.stringify(wire.errorObject()));
      return;
    case 'big': {
      const body = JSON.stringify(wire.answer('x'.repeat(options.bigBytes)));
      res.writeHead(200, { ...json, 'content-length': String(Buffer.byteLength(body)) });
      for (let at = 0; at < body.length; at += BIG_PIECE) await write(res, body.slice(at, at + BIG_PIECE));
      res.end();
      return;
    }
    case 'trickle': {
      res.writeHead(200, json);
      const size = Math.ceil(partial.length / options.trickle.pieces);
      for (let at = 0; at < partial.length && !res.destroyed; at += size) {
        await write(res, partial.slice(at, at + size));
        await sleep(options.trickle.gapMs);
      }
      res.end();
      return;
    }
    default:
      res.writeHead(200, json);
      res.end(JSON.stringify(wire.answer(HEALTHY_TEXT)));
  }
}

async function answerStream(
  res: ServerResponse,
  fault: Fault,
  wire: WireFormat,
  includeUsage: boolean,
  options: Required<FaultUpstreamOptions>,
): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
  const send = async (frames: readonly string[]): Promise<void> => {
    for (const frame of frames) await write(res, frame);
  };
  const partial = words(PARTIAL_TEXT);
  switch (fault) {
    case 'stall-after':
      await send([...wire.start(), wire.content(partial[0] ?? '')]);
      return closed(res);
    case 'destroy-mid':
      await send([...wire.start(), ...partial.slice(0, 3).map(wire.content)]);
      // Half of the next frame, then the connection is gone.
      await write(res, wire.content(partial[3] ?? '').slice(0, 12));
      // The content must be on its way before the cut (a reset can discard what the reader has not taken yet).
      await sleep(CUT_AFTER_MS);
      return cut(res);
    case 'invalid-json':
      await send([wire.invalidEvent()]);
      res.end();
      return;
    case 'truncated':
      await send([...wire.start(), ...partial.slice(0, 3).map(wire.content)]);
      res.end();
      return;
    case 'error-200':
      await send([wire.errorEvent()]);
      res.end();
      return;
    case 'big': {
      await send(wire.start());
      for (let left = options.bigBytes; left > 0 && !res.destroyed; left -= BIG_PIECE)
        await write(res, wire.content('x'.repeat(Math.min(BIG_PIECE, left))));
      await send(wire.end(includeUsage));
      res.end();
      return;
    }
    case 'trickle': {
      await send(wire.start());
      const size = Math.ceil(partial.length / options.trickle.pieces);
      for (let at = 0; at < partial.length && !res.destroyed; at += size) {
        await write(res, wire.content(partial.slice(at, at + size).join('')));
        await sleep(options.trickle.gapMs);
      }
      await send(wire.end(includeUsage));
      res.end();
      return;
    }
    default:
      await send([...wire.start(), ...words(HEALTHY_TEXT).map(wire.content), ...wire.end(includeUsage)]);
      res.end();
  }
}

const isFault = (value: string): value is Fault => (FAULTS as readonly string[]).includes(value);

interface ChatBody {
  readonly stream?: unknown;
  readonly stream_options?: { readonly include_usage?: unknown } | null;
}

export async function startFaultUpstream(options: FaultUpstreamOptions = {}): Promise<FaultUpstream> {
  const settings: Required<FaultUpstreamOptions> = {
    bigBytes: options.bigBytes ?? 6 * 1024 * 1024,
    trickle: options.trickle ?? { pieces: 8, gapMs: 100 },
  };
  const requests: FaultRequest[] = [];
  const sockets = new Set<Socket>();

  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const match = /^\/([\w-]+)\/v1\/(chat\/completions|messages)$/.exec(req.url ?? '');
    const fault = match?.[1];
    const body = (await readJsonBody(req)) as ChatBody | undefined;
    if (match === null || fault === undefined || !isFault(fault) || req.method !== 'POST') {
      res
        .writeHead(404, { 'content-type': 'application/json' })
        .end(JSON.stringify(openAIError(`Invalid URL (${req.method} ${req.url})`, 'invalid_request_error')));
      return;
    }
    const wireName: Wire = match[2] === 'messages' ? 'anthropic' : 'openai';
    const wire = wireName === 'anthropic' ? anthropicWire : openAIWire;
    const stream = body?.stream === true;
    const recorded: FaultRequest = { fault, wire: wireName, stream, clientAborted: false };
    requests.push(recorded);
    res.on('close', () => {
      if (!res.writableFinished && !cutByFault.has(res)) recorded.clientAborted = true;
    });

    const status = STATUS[fault];
    if (status !== undefined) {
      const retryAfter = RETRY_AFTER[fault];
      res.writeHead(status, {
        'content-type': 'application/json',
        ...(retryAfter === undefined ? {} : { 'retry-after': retryAfter }),
      });
      res.end(JSON.stringify(wire.error(status)));
      return;
    }
    if (fault === 'no-headers') return cut(res);
    if (fault === 'stall-before') return closed(res);
    if (stream) return answerStream(res, fault, wire, body?.stream_options?.include_usage === true, settings);
    return answerJson(res, fault, wire, settings);
  };

  const server = createServer((req, res) => {
    serve(req, res).catch(() => res.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    openAIUrl: (fault) => `${base}/${fault}/v1`,
    anthropicUrl: (fault) => `${base}/${fault}`,
    requests,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
