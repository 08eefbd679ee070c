import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { GatewayError } from '../../../lambdas/core/errors.js';
import { OpenAIProvider } from '../../../lambdas/providers/openai/openai-provider.js';
import { isAbort } from '../../../lambdas/providers/upstream-error.js';
import type { ProviderCall } from '../../../lambdas/providers/types.js';
import { closeUpstreamConnections, nodeFetch } from '../../../lambdas/transport/node-fetch.js';

// Chat completions of a provider that builds its own client go without the SDK's pipeline (chat-call.ts). Each case
// runs twice against one scripted upstream: through the lean call and through the SDK (the `{ client }` form Azure
// uses, configured alike), and both must end alike: the same result, or the same gateway error.
const TIMEOUT_MS = 300;
const completion = {
  id: 'c1',
  object: 'chat.completion',
  created: 1,
  model: 'm',
  choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
};
const chunk = (delta: object, finish: string | null = null): string =>
  `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
const json = { 'content-type': 'application/json' };

/** What the upstream does, by the request's X-Request-Id. */
const scripts: Record<string, (res: import('node:http').ServerResponse) => void> = {
  ok: (res) => res.writeHead(200, json).end(JSON.stringify(completion)),
  'error-200': (res) => res.writeHead(200, json).end('{"error":{"message":"overloaded"}}'),
  'text-200': (res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('hello'),
  'broken-json-200': (res) => res.writeHead(200, json).end('{"choices": ['),
  limited: (res) =>
    res.writeHead(429, { ...json, 'retry-after': '7', 'retry-after-ms': '6500' }).end('{"error":{"message":"slow"}}'),
  'bad-json': (res) => res.writeHead(400, json).end('{"error":{"message":"no such field: foo"}}'),
  'bad-bare-json': (res) => res.writeHead(400, json).end('{"message":"bare message"}'),
  'bad-html': (res) => res.writeHead(400, { 'content-type': 'text/html' }).end('<html>bad gateway</html>'),
  'html-502': (res) => res.writeHead(502, { 'content-type': 'text/html' }).end('<html>502</html>'),
  unavailable: (res) => res.writeHead(503, { ...json, 'retry-after': '2' }).end('{"error":{"message":"later"}}'),
  auth: (res) => res.writeHead(401, json).end('{"error":{"message":"bad key sk-secret"}}'),
  'stall-head': () => undefined,
  'stall-body': (res) => {
    res.writeHead(200, json);
    res.write('{"id":"c1",');
  },
  stream: (res) =>
    res
      .writeHead(200, { 'content-type': 'text/event-stream' })
      .end(`${chunk({ role: 'assistant', content: 'he' })}${chunk({ content: 'llo' }, 'stop')}data: [DONE]\n\n`),
  // Its head in time, its events after the timeout: a stream's timeout ends at its head.
  'slow-stream': (res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(chunk({ content: 'slow' }));
    setTimeout(() => res.end(`${chunk({ content: '!' }, 'stop')}data: [DONE]\n\n`), TIMEOUT_MS + 150);
  },
  'error-event': (res) =>
    res
      .writeHead(200, { 'content-type': 'text/event-stream' })
      .end(`${chunk({ content: 'a' })}event: error\ndata: {"error":{"message":"boom"}}\n\n`),
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
      scripts[String(req.headers['x-request-id'])]?.(res);
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

const lean = (baseURL = `${base}/v1`): OpenAIProvider =>
  new OpenAIProvider({ name: 'up', apiKey: 'sk-test', baseURL, timeoutMs: TIMEOUT_MS });
const viaSdk = (baseURL = `${base}/v1`): OpenAIProvider =>
  new OpenAIProvider({
    name: 'up',
    client: new OpenAI({
      apiKey: 'sk-test',
      baseURL,
      timeout: TIMEOUT_MS,
      maxRetries: 0,
      logLevel: 'off',
      fetch: nodeFetch,
      organization: null,
      project: null,
    }),
  });

const callOf = (requestId: string, extra: Partial<ProviderCall> = {}): ProviderCall => ({
  request: { model: 'alias', messages: [{ role: 'user', content: 'hi' }], max_tokens: 5 },
  model: 'm',
  requestId,
  signal: new AbortController().signal,
  ...extra,
});

/** A call's outcome, comparable across both paths. */
function outcome(err: unknown): object {
  if (err instanceof GatewayError) {
    return { status: err.status, code: err.code, message: err.message, headers: err.headers };
  }
  return { abort: isAbort(err) };
}
const complete = (provider: OpenAIProvider, call: ProviderCall): Promise<object> =>
  provider.complete(call).then((result) => ({ result }), outcome);
async function stream(provider: OpenAIProvider, call: ProviderCall): Promise<object> {
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

describe('the lean chat call ends as the SDK does', () => {
  it.each([
    ['ok', { result: expect.objectContaining({ content: 'hi' }) }],
    ['error-200', { code: 'upstream_invalid_response', status: 502 }],
    ['text-200', { code: 'upstream_invalid_response' }],
    ['broken-json-200', { code: 'upstream_invalid_response' }],
    ['limited', { code: 'upstream_rate_limited', headers: { 'Retry-After': '7', 'Retry-After-Ms': '6500' } }],
    ['bad-json', { code: 'upstream_bad_request', message: 'no such field: foo' }],
    ['bad-bare-json', { code: 'upstream_bad_request', message: 'bare message' }],
    ['bad-html', { code: 'upstream_bad_request', message: 'Provider up rejected the request.' }],
    ['html-502', { code: 'upstream_error', status: 502 }],
    ['unavailable', { code: 'upstream_error', headers: { 'Retry-After': '2' } }],
    ['auth', { code: 'provider_authentication_failed' }],
    ['stall-head', { code: 'upstream_timeout' }],
    ['stall-body', { code: 'upstream_timeout' }],
  ])('JSON, %s', async (id, expected) => {
    const mine = await complete(lean(), callOf(id));
    expect(mine).toMatchObject(expected);
    expect(mine).toEqual(await complete(viaSdk(), callOf(id)));
  });

  it.each([
    ['stream', { parts: expect.arrayContaining([{ type: 'text-delta', delta: 'llo' }]) }],
    ['slow-stream', { parts: expect.arrayContaining([{ type: 'text-delta', delta: '!' }]) }],
    [
      'error-event',
      { parts: expect.arrayContaining([expect.objectContaining({ type: 'error', code: 'upstream_stream_error' })]) },
    ],
    ['limited', { failed: expect.objectContaining({ code: 'upstream_rate_limited' }) }],
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
    const url = `http://127.0.0.1:${port}/v1`;
    const mine = await complete(lean(url), callOf('ok'));
    expect(mine).toMatchObject({ code: 'upstream_unreachable' });
    expect(mine).toEqual(await complete(viaSdk(url), callOf('ok')));
    expect(await stream(lean(url), callOf('stream'))).toMatchObject({ failed: { code: 'upstream_unreachable' } });
  });

  it.each(['complete', 'stream'] as const)(
    '%s: the caller aborting, before or during the call, is an abort',
    async (kind) => {
      const run = kind === 'complete' ? complete : stream;
      const early = new AbortController();
      early.abort(new Error('client gone'));
      const during = new AbortController();
      setTimeout(() => during.abort(new Error('client gone')), 50);
      const expected = kind === 'complete' ? { abort: true } : { failed: { abort: true } };
      expect(await run(lean(), callOf('stall-head', { signal: early.signal }))).toMatchObject(expected);
      expect(await run(lean(), callOf('stall-head', { signal: during.signal }))).toMatchObject(expected);
      expect(seen).toHaveLength(1);
    },
  );
});

describe('the request the lean call sends', () => {
  it.each([`/v1`, `/v1/`])('base URL ending in %s: the same URL, headers and body as the SDK', async (suffix) => {
    await lean(`${base}${suffix}`).complete(callOf('ok'));
    await viaSdk(`${base}${suffix}`).complete(callOf('ok'));
    const [mine, sdk] = seen as [Seen, Seen];
    expect(mine.url).toBe('/v1/chat/completions');
    expect(mine.url).toBe(sdk.url);
    expect(mine.body).toEqual(sdk.body);
    expect(mine.headers).toMatchObject({
      authorization: 'Bearer sk-test',
      'content-type': 'application/json',
      accept: 'application/json',
      'x-request-id': 'ok',
      'user-agent': 'llm-gateway',
      host: sdk.headers.host,
      'content-length': sdk.headers['content-length'],
    });
    expect(Object.keys(mine.headers).filter((name) => name.startsWith('x-stainless'))).toEqual([]);
  });

  it('a query on the base URL stays on the call, as with the SDK', async () => {
    await lean(`${base}/v1?api-version=2`).complete(callOf('ok'));
    await viaSdk(`${base}/v1?api-version=2`).complete(callOf('ok'));
    expect(seen.map((request) => request.url)).toEqual([
      '/v1/chat/completions?api-version=2',
      '/v1/chat/completions?api-version=2',
    ]);
  });

  it('a stream asks for usage, and a JSON call reports its open connection', async () => {
    let opened = 0;
    await lean().complete(callOf('ok', { onConnectionOpen: () => (opened += 1) }));
    await stream(lean(), callOf('stream'));
    expect(opened).toBe(1);
    expect(seen[1]?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });
});
