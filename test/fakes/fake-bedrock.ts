/**
 * A scriptable fake of the Amazon Bedrock runtime's Converse and ConverseStream APIs (restJson1 + event stream), on
 * node:http2 at 127.0.0.1 (port 0; cleartext HTTP/2, which the SDK's default handler for this service speaks to an
 * http:// endpoint). Point the AWS SDK at it with AWS_ENDPOINT_URL_BEDROCK_RUNTIME = fake.url.
 *
 *   const fake = await startFakeBedrock();
 *   fake.enqueue(bedrockReply.answer([{ text: 'Hi' }], { usage: bedrockUsage({ input: 10, cacheRead: 100 }) }));
 *   fake.requests;  // [{ operation, modelId (decoded), region (from the SigV4 scope), headers, body }], in order
 *
 * Routes: POST /model/{modelId}/converse (JSON) and POST /model/{modelId}/converse-stream
 * (application/vnd.amazon.eventstream); the model id is URL-encoded on the wire (an ARN's ':' and '/'). Anything else
 * is a 404 UnknownOperationException. A request without a SigV4 Authorization header for service `bedrock` is a 403
 * (MissingAuthenticationTokenException), before the queue.
 *
 * Scripts: `bedrockReply.answer(content, { stopReason, usage })` is the same answer for either operation: a Converse
 * body, or its events (messageStart; per block contentBlockStart for toolUse, contentBlockDelta pieces,
 * contentBlockStop; messageStop; metadata). `bedrockReply.error(status, type, message)` answers as the real service
 * does: the status, `x-amzn-ErrorType: <type>:http://internal.amazon.com/coral/com.amazon.bedrock/` and
 * `{"message": …}`; `bedrockReply.throttled()` is its 429 ThrottlingException. `bedrockReply.events(events)` streams
 * events and exception frames as given (`exceptionFrame(type, message)`; e.g. `midStreamException` below) and ends.
 * Event frames are written in two pieces each (the client must reassemble them). An empty queue answers 'ok'.
 */
import {
  createServer,
  type Http2ServerRequest,
  type Http2ServerResponse,
  type Http2Session,
  type IncomingHttpHeaders,
} from 'node:http2';
import type { AddressInfo } from 'node:net';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import type { FakeServer } from './fake-server.js';

export interface BedrockRequest {
  readonly operation: 'converse' | 'converse-stream';
  readonly modelId: string;
  /** The region of the SigV4 credential scope. */
  readonly region: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Record<string, unknown>;
}

/** One frame of a ConverseStream answer: an event (`:event-type`) or an exception (`:exception-type`). */
export type Frame =
  | { readonly event: string; readonly payload: Record<string, unknown> }
  | { readonly exception: string; readonly message: string };

type Block = Record<string, unknown>;
export type BedrockScript =
  | {
      readonly kind: 'answer';
      readonly content: readonly Block[];
      readonly stopReason: string;
      readonly usage: object;
      /** additionalModelResponseFields (e.g. `{ stop_sequence }`), on the body or on messageStop. */
      readonly fields?: object;
      readonly delayMs?: number;
    }
  | { readonly kind: 'error'; readonly status: number; readonly type: string; readonly message: string }
  | { readonly kind: 'events'; readonly frames: readonly Frame[] }
  | ((request: BedrockRequest) => BedrockScript);

export type FakeBedrock = FakeServer<BedrockScript, BedrockRequest>;

/** Converse's TokenUsage: `input` excludes the cached tokens (read from, written to the cache), as Bedrock counts. */
export function bedrockUsage(
  counts: { input?: number; output?: number; cacheRead?: number; cacheWrite?: number; cacheWrite1h?: number } = {},
): Record<string, unknown> {
  const input = counts.input ?? 12;
  const output = counts.output ?? 5;
  const cacheRead = counts.cacheRead ?? 0;
  const cacheWrite = counts.cacheWrite ?? 0;
  return {
    inputTokens: input,
    outputTokens: output,
    totalTokens: input + output + cacheRead + cacheWrite,
    ...(cacheRead + cacheWrite === 0 ? {} : { cacheReadInputTokens: cacheRead, cacheWriteInputTokens: cacheWrite }),
    ...(counts.cacheWrite1h === undefined
      ? {}
      : {
          cacheDetails: [
            { ttl: '1h', inputTokens: counts.cacheWrite1h },
            { ttl: '5m', inputTokens: cacheWrite - counts.cacheWrite1h },
          ],
        }),
  };
}

interface AnswerOptions {
  readonly stopReason?: string;
  readonly usage?: object;
  readonly fields?: object;
  /** Converse (JSON) only: the answer, status included, comes this late (a long generation). */
  readonly delayMs?: number;
}

export const exceptionFrame = (exception: string, message: string): Frame => ({ exception, message });

export const bedrockReply = {
  answer: (content: readonly Block[], options: AnswerOptions = {}): BedrockScript => ({
    kind: 'answer',
    content,
    stopReason: options.stopReason ?? (content.some((block) => 'toolUse' in block) ? 'tool_use' : 'end_turn'),
    usage: options.usage ?? bedrockUsage(),
    ...(options.fields === undefined ? {} : { fields: options.fields }),
    ...(options.delayMs === undefined ? {} : { delayMs: options.delayMs }),
  }),
  text: (text: string, options: AnswerOptions = {}): BedrockScript => bedrockReply.answer([{ text }], options),
  error: (status: number, type: string, message: string): BedrockScript => ({ kind: 'error', status, type, message }),
  throttled: (): BedrockScript =>
    bedrockReply.error(429, 'ThrottlingException', 'Too many requests, please wait before trying again.'),
  events: (frames: readonly Frame[]): BedrockScript => ({ kind: 'events', frames }),
  /** Some text, then an exception frame (default modelStreamErrorException) and no messageStop. */
  midStreamException: (text: string, exception = 'modelStreamErrorException'): BedrockScript =>
    bedrockReply.events([
      { event: 'messageStart', payload: { role: 'assistant' } },
      { event: 'contentBlockDelta', payload: { contentBlockIndex: 0, delta: { text } } },
      exceptionFrame(exception, 'The model stream failed.'),
    ]),
};

/** Splits a text in (up to) three pieces, so deltas are really deltas. */
const pieces = (text: string): string[] => {
  const third = Math.max(1, Math.ceil(text.length / 3));
  const out: string[] = [];
  for (let at = 0; at < text.length; at += third) out.push(text.slice(at, at + third));
  return out.length === 0 ? [''] : out;
};

function blockFrames(block: Block, index: number): Frame[] {
  const delta = (value: Record<string, unknown>): Frame => ({
    event: 'contentBlockDelta',
    payload: { contentBlockIndex: index, delta: value },
  });
  const frames: Frame[] = [];
  if (typeof block.text === 'string') frames.push(...pieces(block.text).map((text) => delta({ text })));
  const toolUse = block.toolUse as { toolUseId: string; name: string; input: unknown } | undefined;
  if (toolUse !== undefined) {
    const start = { toolUse: { toolUseId: toolUse.toolUseId, name: toolUse.name } };
    frames.push({ event: 'contentBlockStart', payload: { contentBlockIndex: index, start } });
    frames.push(...pieces(JSON.stringify(toolUse.input)).map((input) => delta({ toolUse: { input } })));
  }
  const reasoning = (block.reasoningContent as { reasoningText?: { text: string; signature?: string } } | undefined)
    ?.reasoningText;
  if (reasoning !== undefined) {
    frames.push(...pieces(reasoning.text).map((text) => delta({ reasoningContent: { text } })));
    if (reasoning.signature !== undefined) frames.push(delta({ reasoningContent: { signature: reasoning.signature } }));
  }
  frames.push({ event: 'contentBlockStop', payload: { contentBlockIndex: index } });
  return frames;
}

/** An answer as ConverseStream sends it. */
export function answerFrames(script: Extract<BedrockScript, { kind: 'answer' }>): Frame[] {
  return [
    { event: 'messageStart', payload: { role: 'assistant' } },
    ...script.content.flatMap(blockFrames),
    {
      event: 'messageStop',
      payload: {
        stopReason: script.stopReason,
        ...(script.fields === undefined ? {} : { additionalModelResponseFields: script.fields }),
      },
    },
    { event: 'metadata', payload: { usage: script.usage, metrics: { latencyMs: 42 } } },
  ];
}

const codec = new EventStreamCodec(toUtf8, fromUtf8);
const header = (value: string) => ({ type: 'string' as const, value });

/** One event-stream message; the real service pads payloads with a `p` field, and so does the fake. */
export function encodeFrame(frame: Frame): Uint8Array {
  if ('exception' in frame) {
    return codec.encode({
      headers: {
        ':message-type': header('exception'),
        ':exception-type': header(frame.exception),
        ':content-type': header('application/json'),
      },
      body: fromUtf8(JSON.stringify({ message: frame.message })),
    });
  }
  return codec.encode({
    headers: {
      ':message-type': header('event'),
      ':event-type': header(frame.event),
      ':content-type': header('application/json'),
    },
    body: fromUtf8(JSON.stringify({ ...frame.payload, p: 'abcdefghij' })),
  });
}

const ERROR_NAMESPACE = 'http://internal.amazon.com/coral/com.amazon.bedrock/';

function sendError(res: Http2ServerResponse, status: number, type: string, message: string): void {
  res.writeHead(status, {
    'content-type': 'application/json',
    'x-amzn-errortype': `${type}:${ERROR_NAMESPACE}`,
    'x-amzn-requestid': crypto.randomUUID(),
  });
  res.end(JSON.stringify({ message }));
}

async function sendFrames(res: Http2ServerResponse, frames: readonly Frame[]): Promise<void> {
  res.writeHead(200, {
    'content-type': 'application/vnd.amazon.eventstream',
    'x-amzn-requestid': crypto.randomUUID(),
  });
  for (const frame of frames) {
    const bytes = encodeFrame(frame);
    const half = Math.floor(bytes.length / 2);
    res.write(bytes.subarray(0, half));
    await new Promise((resolve) => setImmediate(resolve));
    res.write(bytes.subarray(half));
  }
  res.end();
}

async function answer(res: Http2ServerResponse, request: BedrockRequest, script: BedrockScript): Promise<void> {
  if (typeof script === 'function') return answer(res, request, script(request));
  if (script.kind === 'error') return sendError(res, script.status, script.type, script.message);
  if (script.kind === 'events') return sendFrames(res, script.frames);
  if (request.operation === 'converse-stream') return sendFrames(res, answerFrames(script));
  if (script.delayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, script.delayMs));
  res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': crypto.randomUUID() });
  res.end(
    JSON.stringify({
      output: { message: { role: 'assistant', content: script.content } },
      stopReason: script.stopReason,
      usage: script.usage,
      metrics: { latencyMs: 42 },
      ...(script.fields === undefined ? {} : { additionalModelResponseFields: script.fields }),
    }),
  );
}

async function readBody(req: Http2ServerRequest): Promise<Record<string, unknown>> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  try {
    const body: unknown = JSON.parse(Buffer.concat(parts).toString('utf8'));
    return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const ROUTE = /^\/model\/([^/]+)\/(converse|converse-stream)$/;
const SCOPE = /Credential=[^/]+\/\d{8}\/([^/]+)\/bedrock\/aws4_request/;

export async function startFakeBedrock(): Promise<FakeBedrock> {
  const requests: BedrockRequest[] = [];
  const queue: BedrockScript[] = [];
  const handle = async (req: Http2ServerRequest, res: Http2ServerResponse): Promise<void> => {
    const body = await readBody(req);
    const route = ROUTE.exec(req.url ?? '');
    const scope = SCOPE.exec(req.headers.authorization ?? '');
    if (req.method !== 'POST' || route === null) {
      sendError(res, 404, 'UnknownOperationException', 'Unknown operation');
      return;
    }
    if (scope === null) {
      sendError(res, 403, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
      return;
    }
    const request: BedrockRequest = {
      operation: route[2] === 'converse' ? 'converse' : 'converse-stream',
      modelId: decodeURIComponent(route[1] ?? ''),
      region: scope[1] ?? '',
      headers: req.headers,
      body,
    };
    requests.push(request);
    await answer(res, request, queue.shift() ?? bedrockReply.text('ok'));
  };
  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.stream.destroy());
  });
  const sessions = new Set<Http2Session>();
  server.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    apiKey: '',
    requests,
    enqueue: (...scripts) => queue.push(...scripts),
    pending: () => queue.length,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const session of sessions) session.destroy();
      }),
  };
}
