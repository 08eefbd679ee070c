/**
 * A scriptable fake of the Amazon Bedrock runtime's InvokeModel for embedding models (restJson1, JSON bodies), on
 * node:http2 at 127.0.0.1 (port 0; cleartext HTTP/2, which the AWS SDK's default handler for bedrock-runtime speaks
 * to an http:// endpoint). Point a BedrockRuntimeClient at it (`endpoint: fake.url`, any static credentials), or set
 * AWS_ENDPOINT_URL_BEDROCK_RUNTIME = fake.url.
 *
 *   const fake = await startFakeBedrockEmbed();
 *   fake.enqueue(embedReply.throttled());       // the next call's answer; an empty queue answers as the model does
 *   fake.requests;  // [{ modelId (decoded), region (from the SigV4 scope), headers, body }], in arrival order
 *
 * Route: POST /model/{modelId}/invoke (the id URL-encoded on the wire). Anything else is a 404
 * UnknownOperationException; a request without a SigV4 Authorization for service `bedrock` is a 403.
 * The model's own answer (`embedReply.model()`, the default):
 *   amazon.titan-embed-text-v2:0 — `{inputText, dimensions?, normalize?}` → `{embedding, inputTextTokenCount}`
 *     (dimensions 256, 512 or 1024, default 1024; else a 400 ValidationException);
 *   cohere.embed-english-v3 / -multilingual-v3 — `{texts (≤ 96), input_type, embedding_types?}` →
 *     `{id, response_type, embeddings, texts}`, `embeddings` `{float: [...]}` when embedding_types names float, else a
 *     plain list; the token count only in the header x-amzn-bedrock-input-token-count;
 *   any other model: a 400 ValidationException (the model identifier is invalid).
 * Every answer also carries x-amzn-bedrock-input-token-count. Vectors are fake-openai-embeddings' (deterministic).
 */
import { randomUUID } from 'node:crypto';
import {
  createServer,
  type Http2ServerRequest,
  type Http2ServerResponse,
  type Http2Session,
  type IncomingHttpHeaders,
} from 'node:http2';
import type { AddressInfo } from 'node:net';
import { fakeEmbedding, fakeTokens } from './fake-openai-embeddings.js';
import type { FakeServer } from './fake-server.js';

export interface BedrockInvokeRequest {
  readonly modelId: string;
  /** The region of the SigV4 credential scope. */
  readonly region: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Record<string, unknown>;
}

export type EmbedScript =
  | { readonly kind: 'model' }
  | { readonly kind: 'json'; readonly body: unknown; readonly headers: Readonly<Record<string, string>> }
  | { readonly kind: 'raw'; readonly text: string }
  | {
      readonly kind: 'error';
      readonly status: number;
      readonly type: string;
      readonly message: string;
      readonly headers: Readonly<Record<string, string>>;
    };

export type FakeBedrockEmbed = FakeServer<EmbedScript, BedrockInvokeRequest>;

export const embedReply = {
  model: (): EmbedScript => ({ kind: 'model' }),
  json: (body: unknown, headers: Record<string, string> = {}): EmbedScript => ({ kind: 'json', body, headers }),
  raw: (text: string): EmbedScript => ({ kind: 'raw', text }),
  error: (status: number, type: string, message: string, headers: Record<string, string> = {}): EmbedScript => ({
    kind: 'error',
    status,
    type,
    message,
    headers,
  }),
  throttled: (retryAfter?: string): EmbedScript =>
    embedReply.error(
      429,
      'ThrottlingException',
      'Too many requests, please wait before trying again.',
      retryAfter === undefined ? {} : { 'retry-after': retryAfter },
    ),
};

export const TITAN_DEFAULT_DIMENSIONS = 1024;
export const COHERE_DIMENSIONS = 1024;

type Answer = { status: number; body: unknown; headers?: Record<string, string>; type?: string };

const invalid = (message: string): Answer => ({ status: 400, type: 'ValidationException', body: { message } });

function titan(body: Record<string, unknown>): Answer {
  const { inputText, dimensions = TITAN_DEFAULT_DIMENSIONS } = body;
  if (typeof inputText !== 'string') return invalid('Malformed input request: required key [inputText] not found');
  if (typeof dimensions !== 'number' || ![256, 512, 1024].includes(dimensions)) {
    return invalid('Malformed input request: #/dimensions: must be one of 256, 512, 1024');
  }
  const tokens = fakeTokens(inputText);
  return {
    status: 200,
    body: { embedding: fakeEmbedding(inputText, dimensions), inputTextTokenCount: tokens },
    headers: { 'x-amzn-bedrock-input-token-count': String(tokens) },
  };
}

function cohere(body: Record<string, unknown>): Answer {
  const { texts, input_type: inputType, embedding_types: types } = body;
  if (!Array.isArray(texts) || !texts.every((t) => typeof t === 'string')) {
    return invalid('Malformed input request: required key [texts] not found');
  }
  if (texts.length > 96) return invalid('Malformed input request: #/texts: expected maxItems: 96');
  if (typeof inputType !== 'string') return invalid('Malformed input request: required key [input_type] not found');
  const vectors = texts.map((text: string) => fakeEmbedding(text, COHERE_DIMENSIONS));
  const byType = Array.isArray(types) && types.includes('float');
  const tokens = texts.reduce((sum: number, text: string) => sum + fakeTokens(text), 0);
  return {
    status: 200,
    body: {
      id: randomUUID(),
      response_type: byType ? 'embeddings_by_type' : 'embeddings_floats',
      embeddings: byType ? { float: vectors } : vectors,
      texts,
    },
    headers: { 'x-amzn-bedrock-input-token-count': String(tokens) },
  };
}

function modelAnswer(request: BedrockInvokeRequest): Answer {
  if (request.modelId.includes('amazon.titan-embed-text-v2')) return titan(request.body);
  if (/cohere\.embed-(english|multilingual)-v3/.test(request.modelId)) return cohere(request.body);
  return invalid('The provided model identifier is invalid.');
}

function send(res: Http2ServerResponse, answer: Answer): void {
  res.writeHead(answer.status, {
    'content-type': 'application/json',
    'x-amzn-requestid': randomUUID(),
    ...(answer.type === undefined
      ? {}
      : { 'x-amzn-errortype': `${answer.type}:http://internal.amazon.com/coral/com.amazon.bedrock/` }),
    ...answer.headers,
  });
  res.end(JSON.stringify(answer.body));
}

function answer(res: Http2ServerResponse, request: BedrockInvokeRequest, script: EmbedScript): void {
  switch (script.kind) {
    case 'model':
      return send(res, modelAnswer(request));
    case 'json':
      return send(res, { status: 200, body: script.body, headers: { ...script.headers } });
    case 'raw':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(script.text);
      return;
    case 'error':
      return send(res, {
        status: script.status,
        type: script.type,
        body: { message: script.message },
        headers: { ...script.headers },
      });
  }
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

const ROUTE = /^\/model\/([^/]+)\/invoke$/;
const SCOPE = /Credential=[^/]+\/\d{8}\/([^/]+)\/bedrock\/aws4_request/;

export async function startFakeBedrockEmbed(): Promise<FakeBedrockEmbed> {
  const requests: BedrockInvokeRequest[] = [];
  const queue: EmbedScript[] = [];
  const handle = async (req: Http2ServerRequest, res: Http2ServerResponse): Promise<void> => {
    const body = await readBody(req);
    const route = ROUTE.exec(req.url);
    const scope = SCOPE.exec(req.headers.authorization ?? '');
    if (req.method !== 'POST' || route === null) {
      send(res, { status: 404, type: 'UnknownOperationException', body: { message: 'Unknown operation' } });
      return;
    }
    if (scope === null) {
      send(res, {
        status: 403,
        type: 'MissingAuthenticationTokenException',
        body: { message: 'Missing Authentication Token' },
      });
      return;
    }
    const request = { modelId: decodeURIComponent(route[1] ?? ''), region: scope[1] ?? '', headers: req.headers, body };
    requests.push(request);
    answer(res, request, queue.shift() ?? embedReply.model());
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
