import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GatewayError } from '../../../lambdas/core/errors.js';
import { ANTHROPIC_VERSION, AnthropicProvider } from '../../../lambdas/providers/anthropic/anthropic-provider.js';
import { isAbort } from '../../../lambdas/providers/upstream-error.js';
import type { ProviderCall } from '../../../lambdas/providers/types.js';
import { closeUpstreamConnections } from '../../../lambdas/transport/node-fetch.js';
import { sdkMessagesCalls } from './sdk-messages-calls.js';

// Anthropic's calls go without the SDK's pipeline (messages-call.ts). Each case runs twice against one scripted
// upstream: through the lean call and through the SDK's client (as the provider called it before), and both must end
// alike: the same result, or the same gateway error.
const TIMEOUT_MS = 300;
const message = {
  id: 'msg_1',
  type: 'message',
  role: 'assistant',
  model: 'claude-x',
  content: [{ type: 'text', text: 'hi' }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: { input_tokens: 3, output_tokens: 1 },
};
const event = (type: string, data: object): string => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
const start = event('message_start', { message: { ...message, content: [], stop_reason: null } });
const text = (index: number, delta: string): string =>
  event('content_block_delta', { index, delta: { type: 'text_delta', text: delta } });
const opening = `${start}${event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } })}`;
const closing = `${event('content_block_stop', { index: 0 })}${event('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 2 } })}${event('message_stop', {})}`;
const json = { 'content-type': 'application/json' };
const sse = { 'content-type': 'text/event-stream' };
const failure = (type: string, text: string) => JSON.stringify({ type: 'error', error: { type, message: text } });

/** What the upstream does, by the request's X-Request-Id. */
const scripts: Record<string, (res: ServerResponse, url: string) => void> = {
  ok: (res, url) =>
    res.writeHead(200, json).end(JSON.stringify(url.endsWith('/count_tokens') ? { input_tokens: 7 } : message)),
  'error-200': (res) => res.writeHead(200, json).end(failure('api_error', 'inside')),
  'text-200': (res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('hello'),
  'broken-json-200': (res) => res.writeHead(200, json).end('{"content": ['),
  limited: (res) =>
    res
      .writeHead(429, { ...json, 'retry-after': '7', 'retry-after-ms': '6500' })
      .end(failure('rate_limit_error', 'slow')),
  'bad-json': (res) => res.writeHead(400, json).end(failure('invalid_request_error', 'no such field: foo')),
  auth: (res) => res.writeHead(401, json).end(failure('authentication_error', 'invalid x-api-key sk-secret')),
  internal: (res) => res.writeHead(500, json).end(failure('api_error', 'oops')),
  overloaded: (res) =>
    res.writeHead(529, { ...json, 'retry-after': '3' }).end(failure('overloaded_error', 'Overloaded')),
  'html-502': (res) => res.writeHead(502, { 'content-type': 'text/html' }).end('<html>502</html>'),
  'stall-head': () => undefined,
  'stall-body': (res) => {
    res.writeHead(200, json);
    res.write('{"id":"msg_1",');
  },
  stream: (res) => res.writeHead(200, sse).end(`${opening}${text(0, 'he')}${text(0, 'llo')}${closing}`),
  // Its head in time, its events after the timeout: a stream's timeout ends at its head.
  'slow-stream': (res) => {
    res.writeHead(200, sse);
    res.write(`${opening}${text(0, 'slow')}`);
    setTimeout(() => res.end(`${text(0, '!')}${closing}`), TIMEOUT_MS + 150);
  },
  'error-event': (res) =>
    res.writeHead(200, sse).end(`${opening}${text(0, 'a')}event: error\ndata: ${failure('overloaded_error', 'x')}\n\n`),
  cut: (res) => res.writeHead(200, sse).end(`${opening}${text(0, 'a')}`),
  'cut-socket': (res) => {
    res.writeHead(200, sse);
    res.write(`${opening}${text(0, 'a')}`);
    setTimeout(() => res.destroy(), 20);
  },
};

type Seen = { url: string; headers: IncomingHttpHeaders; body: unknown };
const seen: Seen[] = [];
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (piece: Buffer) => chunks.push(piece));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString()) });
      scripts[String(req.headers['x-request-id'])]?.(res, req.url ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(() => (seen.length = 0));
afterAll(async () => {
  closeUpstreamConnections();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const settings = (baseURL: string) => ({ apiKey: 'sk-ant-test', baseURL, timeoutMs: TIMEOUT_MS });
const lean = (baseURL = base): AnthropicProvider =>
  new AnthropicProvider({ name: 'claude', defaultMaxTokens: 64, ...settings(baseURL) });
const viaSdk = (baseURL = base): AnthropicProvider =>
  new AnthropicProvider({
    name: 'claude',
    defaultMaxTokens: 64,
    ...settings(baseURL),
    calls: sdkMessagesCalls(settings(baseURL)),
  });

const callOf = (requestId: string, extra: Partial<ProviderCall> = {}): ProviderCall => ({
  request: { model: 'alias', messages: [{ role: 'user', content: 'hi' }], max_tokens: 5 },
  model: 'claude-x',
  requestId,
  signal: new AbortController().signal,
  ...extra,
});

/** A call's outcome, comparable across both paths. */
function outcome(err: unknown): object {
  if (err instanceof GatewayError) {
    return { status: err.status, code: err.code, message: err.message, headers: err.headers };
  }
  return { abort: isAbort(err), other: String(err) };
}
const complete = (provider: AnthropicProvider, call: ProviderCall): Promise<object> =>
  provider.complete(call).then((result) => ({ result }), outcome);
const count = (provider: AnthropicProvider, call: ProviderCall): Promise<object> =>
  provider.countTokens(call).then((tokens) => ({ tokens }), outcome);
async function stream(provider: AnthropicProvider, call: ProviderCall): Promise<object> {
  const parts: unknown[] = [];
  try {
    // An error part's error compared by what it says (status, code, message, headers).
    for await (const part of await provider.stream(call))
      parts.push(part.type === 'error' ? { type: 'error', ...outcome(part.error) } : part);
    return { parts };
  } catch (err) {
    return { parts, failed: outcome(err) };
  }
}

describe('the lean Messages call ends as the SDK does', () => {
  it.each([
    ['ok', { result: expect.objectContaining({ content: 'hi' }) }],
    ['error-200', { code: 'upstream_invalid_response', status: 502 }],
    ['text-200', { code: 'upstream_invalid_response' }],
    ['broken-json-200', { code: 'upstream_invalid_response' }],
    ['limited', { code: 'upstream_rate_limited', headers: { 'Retry-After': '7', 'Retry-After-Ms': '6500' } }],
    ['bad-json', { code: 'upstream_bad_request', message: 'no such field: foo' }],
    ['auth', { code: 'provider_authentication_failed' }],
    ['internal', { code: 'upstream_error', status: 502 }],
    ['overloaded', { status: 502, headers: { 'Retry-After': '3' } }],
    ['html-502', { code: 'upstream_error', status: 502 }],
    ['stall-head', { code: 'upstream_timeout' }],
    ['stall-body', { code: 'upstream_timeout' }],
  ])('JSON, %s', async (id, expected) => {
    const mine = await complete(lean(), callOf(id));
    expect(mine).toMatchObject(expected);
    expect(mine).toEqual(await complete(viaSdk(), callOf(id)));
  });

  it.each([
    ['ok', { tokens: 7 }],
    ['limited', { code: 'upstream_rate_limited' }],
    ['bad-json', { code: 'upstream_bad_request' }],
    ['stall-head', { code: 'upstream_timeout' }],
  ])('count_tokens, %s', async (id, expected) => {
    const mine = await count(lean(), callOf(id));
    expect(mine).toMatchObject(expected);
    expect(mine).toEqual(await count(viaSdk(), callOf(id)));
  });

  it.each([
    ['stream', { parts: expect.arrayContaining([{ type: 'text-delta', delta: 'llo' }]) }],
    ['slow-stream', { parts: expect.arrayContaining([{ type: 'text-delta', delta: '!' }]) }],
    ['error-event', { parts: expect.arrayContaining([expect.objectContaining({ code: 'upstream_overloaded' })]) }],
    ['cut', { parts: expect.arrayContaining([expect.objectContaining({ type: 'error', status: 502 })]) }],
    ['cut-socket', { parts: expect.arrayContaining([expect.objectContaining({ type: 'error', status: 502 })]) }],
    ['limited', { failed: expect.objectContaining({ code: 'upstream_rate_limited' }) }],
    ['overloaded', { failed: expect.objectContaining({ status: 502 }) }],
    ['html-502', { failed: expect.objectContaining({ code: 'upstream_error' }) }],
    ['stall-head', { failed: expect.objectContaining({ code: 'upstream_timeout' }) }],
  ])('stream, %s', async (id, expected) => {
    const mine = await stream(lean(), callOf(id));
    expect(mine).toMatchObject(expected);
    expect(mine).toEqual(await stream(viaSdk(), callOf(id)));
  });

  it('a connection refused: upstream_unreachable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const url = `http://127.0.0.1:${port}`;
    const mine = await complete(lean(url), callOf('ok'));
    expect(mine).toMatchObject({ code: 'upstream_unreachable' });
    expect(mine).toEqual(await complete(viaSdk(url), callOf('ok')));
    expect(await stream(lean(url), callOf('stream'))).toEqual(await stream(viaSdk(url), callOf('stream')));
  });

  it.each(['complete', 'stream', 'count'] as const)(
    '%s: the caller aborting, before or during the call, is an abort',
    async (kind) => {
      const run = { complete, stream, count }[kind];
      const early = new AbortController();
      early.abort(new Error('client gone'));
      const during = new AbortController();
      setTimeout(() => during.abort(new Error('client gone')), 50);
      const abort = { abort: true };
      const expected = kind === 'stream' ? { failed: abort } : abort;
      expect(await run(lean(), callOf('stall-head', { signal: early.signal }))).toMatchObject(expected);
      expect(await run(lean(), callOf('stall-head', { signal: during.signal }))).toMatchObject(expected);
      expect(seen).toHaveLength(1);
      const late = new AbortController();
      setTimeout(() => late.abort(new Error('client gone')), 50);
      expect(await run(viaSdk(), callOf('stall-head', { signal: late.signal }))).toMatchObject(expected);
    },
  );

  it('a stream aborted by its caller while it runs: the call ends quietly on both paths', async () => {
    const outcomes = [];
    for (const provider of [lean(), viaSdk()]) {
      const controller = new AbortController();
      const parts = await provider.stream(callOf('slow-stream', { signal: controller.signal }));
      const got: string[] = [];
      try {
        for await (const part of parts) {
          got.push(part.type);
          if (part.type === 'text-delta') controller.abort(new Error('client gone'));
        }
        outcomes.push({ got });
      } catch (err) {
        outcomes.push({ got, abort: isAbort(err) });
      }
    }
    expect(outcomes[0]).toEqual(outcomes[1]);
  });
});

describe('the request the lean call sends', () => {
  it.each(['', '/', '/proxy', '/proxy/'])(
    'base URL ending in "%s": the same URL, headers and body as the SDK',
    async (suffix) => {
      const betas = { betas: ['files-api-2025-04-14'] };
      const request = { ...callOf('ok').request, context_management: { edits: [] } };
      await lean(`${base}${suffix}`).complete(callOf('ok', { ...betas, request }));
      await viaSdk(`${base}${suffix}`).complete(callOf('ok', { ...betas, request }));
      const [mine, sdk] = seen as [Seen, Seen];
      expect(mine.url).toBe(suffix.startsWith('/proxy') ? '/proxy/v1/messages' : '/v1/messages');
      expect(mine.url).toBe(sdk.url);
      expect(mine.body).toEqual(sdk.body);
      const same = [
        'authorization',
        'anthropic-version',
        'anthropic-beta',
        'content-type',
        'accept',
        'x-request-id',
        'host',
        'content-length',
      ];
      for (const name of same) expect([name, mine.headers[name]]).toEqual([name, sdk.headers[name]]);
      expect(mine.headers).toMatchObject({
        authorization: 'Bearer sk-ant-test',
        'anthropic-version': ANTHROPIC_VERSION,
        'anthropic-beta': 'files-api-2025-04-14,context-management-2025-06-27',
        'user-agent': 'llm-gateway',
      });
      expect(Object.keys(mine.headers).filter((name) => name.startsWith('x-stainless'))).toEqual([]);
    },
  );

  it('count_tokens and a stream: the same URL, headers and body as the SDK', async () => {
    for (const provider of [lean(), viaSdk()]) {
      await count(provider, callOf('ok', { betas: ['b-1'] }));
      await stream(provider, callOf('stream', { betas: ['b-1'] }));
    }
    const [countMine, streamMine, countSdk, streamSdk] = seen as [Seen, Seen, Seen, Seen];
    expect(countMine.url).toBe('/v1/messages/count_tokens');
    for (const [mine, sdk] of [
      [countMine, countSdk],
      [streamMine, streamSdk],
    ] as const) {
      expect(mine.url).toBe(sdk.url);
      expect(mine.body).toEqual(sdk.body);
      for (const name of ['authorization', 'anthropic-version', 'anthropic-beta', 'accept', 'content-length'])
        expect([name, mine.headers[name]]).toEqual([name, sdk.headers[name]]);
    }
    expect(streamMine.body).toMatchObject({ stream: true });
    expect(countMine.headers['anthropic-beta']).toBe('b-1');
  });

  it('a JSON call and count_tokens report their open connection', async () => {
    let opened = 0;
    await lean().complete(callOf('ok', { onConnectionOpen: () => (opened += 1) }));
    await lean().countTokens(callOf('ok', { onConnectionOpen: () => (opened += 1) }));
    expect(opened).toBe(2);
  });
});
