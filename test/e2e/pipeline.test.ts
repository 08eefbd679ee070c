import { PassThrough } from 'node:stream';
import { z } from 'zod';
import type { RouteSpec } from '../../lambdas/api/routes.js';
import { parseConfig, setGatewayConfig } from '../../lambdas/config/load.js';
import { bodyOf, gatewayFunction } from '../../lambdas/runtime/gateway-function.js';
import { installAwsLambdaShim } from '../../local/awslambda-shim.js';
import { startHttpServer, type Handlers, type HttpServerHandle } from '../../local/server.js';
import { expectOpenAIError } from '../helpers/error-shape.js';

// The standard Middy pipeline on a route table of the test's own (the gateway has no JSON-body route until chat
// lands), served by the same local server glue over real HTTP, streaming included.
const echoBody = z.object({ name: z.string().min(1), count: z.int().positive().optional() }).meta({ id: 'TestEcho' });
const open = { kind: 'open' } as const;
const testRoutes: RouteSpec<string>[] = [
  {
    method: 'POST',
    path: '/test/echo',
    fn: 'buffered',
    operationId: 'echo',
    summary: '',
    tag: 't',
    access: open,
    body: echoBody,
    responses: {},
  },
  {
    method: 'GET',
    path: '/test/boom',
    fn: 'buffered',
    operationId: 'boom',
    summary: '',
    tag: 't',
    access: open,
    responses: {},
  },
  {
    method: 'GET',
    path: '/test/stream',
    fn: 'streaming',
    operationId: 'stream',
    summary: '',
    tag: 't',
    access: open,
    responses: {},
  },
];

let server: HttpServerHandle;
let loaded: Handlers;
let url: string;
let source: PassThrough | undefined;
const sourceClosed: Array<() => void> = [];

beforeAll(async () => {
  installAwsLambdaShim();
  setGatewayConfig(parseConfig('{"limits":{"maxRequestBytes":2048}}', 'test'));
  const buffered = gatewayFunction(
    {
      'POST /test/echo': async (req) => ({ statusCode: 200, body: JSON.stringify(bodyOf<typeof echoBody>(req)) }),
      'GET /test/boom': async () => {
        throw new Error('secret internal detail');
      },
    },
    { routes: testRoutes },
  );
  const streaming = gatewayFunction(
    {
      'GET /test/stream': async () => {
        source = new PassThrough();
        source.on('close', () => sourceClosed.forEach((fn) => fn()));
        return { statusCode: 200, headers: { 'Content-Type': 'text/event-stream' }, body: source as unknown as string };
      },
    },
    { routes: testRoutes, streaming: true },
  );
  const fallback = gatewayFunction({}, { routes: testRoutes, otherwise: async () => ({ statusCode: 404, body: '' }) });
  loaded = { buffered, streaming, fallback };
  server = await startHttpServer({ handlers: loaded, routes: testRoutes, port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${server.port}`;
});
afterAll(() => server.stop(100));

const post = (body: string, contentType: string | null = 'application/json') =>
  fetch(`${url}/test/echo`, {
    method: 'POST',
    body,
    headers: contentType === null ? {} : { 'Content-Type': contentType, 'X-Request-Id': 'pipe-1' },
  });

describe('JSON body', () => {
  it('passes a valid body to the handler, parsed and validated', async () => {
    const res = await post('{"name":"ada","count":2}', 'application/json; charset=utf-8');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ name: 'ada', count: 2 });
  });

  it('malformed JSON → 400 invalid_json', async () => {
    const res = await post('{"name":');
    expect(res.status).toBe(400);
    expect(res.headers.get('x-request-id')).toBe('pipe-1');
    expectOpenAIError(await res.json(), 'invalid_json');
  });

  it('a body the schema rejects → 400 naming the field in param', async () => {
    const res = await post('{"name":"ada","count":-1}');
    expect(res.status).toBe(400);
    const error = expectOpenAIError(await res.json(), 'invalid_request_body');
    expect(error.param).toBe('count');
    expect(error.message).toContain('count');
  });

  it('wrong content type → 415', async () => {
    const res = await post('name=ada', 'application/x-www-form-urlencoded');
    expect(res.status).toBe(415);
    expectOpenAIError(await res.json(), 'unsupported_media_type');
  });

  it('no content type → 415', async () => {
    const res = await fetch(`${url}/test/echo`, { method: 'POST', body: new Uint8Array([123, 125]) });
    expect(res.status).toBe(415);
  });

  it('a body over the configured limit → 413, one byte under passes the size check', async () => {
    const over = await post(JSON.stringify({ name: 'x'.repeat(2048) }));
    expect(over.status).toBe(413);
    expect(expectOpenAIError(await over.json(), 'request_too_large').message).toContain('2048');
    const fits = await post(JSON.stringify({ name: 'x'.repeat(2048 - 12) }));
    expect(fits.status).toBe(200);
  });
});

describe('errors', () => {
  it('an unexpected error is a 500 that says nothing of its cause', async () => {
    const res = await fetch(`${url}/test/boom`);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain('secret internal detail');
    expect(text).not.toContain('.ts:');
    expectOpenAIError(JSON.parse(text), 'internal_error');
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });
});

describe('streaming handlers (Middy streamify path)', () => {
  it('each piece reaches the client as the handler produces it', async () => {
    const res = await fetch(`${url}/test/stream`, { headers: { 'X-Request-Id': 'stream-1' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    expect(res.headers.get('x-request-id')).toBe('stream-1');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    source!.write('data: one\n\n');
    expect(decoder.decode((await reader.read()).value)).toBe('data: one\n\n');
    // The second piece does not exist until the client has read the first.
    source!.write('data: two\n\n');
    expect(decoder.decode((await reader.read()).value)).toBe('data: two\n\n');
    source!.end();
    expect((await reader.read()).done).toBe(true);
  });

  it("the client going away destroys the handler's stream", async () => {
    const closed = new Promise<void>((resolve) => sourceClosed.push(resolve));
    const controller = new AbortController();
    const res = await fetch(`${url}/test/stream`, { signal: controller.signal });
    const reader = res.body!.getReader();
    source!.write('data: first\n\n');
    await reader.read();
    controller.abort();
    await closed;
    expect(source!.destroyed).toBe(true);
  });
});

describe('graceful stop', () => {
  it('stops accepting at once, lets the in-flight stream finish, then resolves', async () => {
    const own = await startHttpServer({
      handlers: loaded,
      routes: testRoutes,
      port: 0,
      host: '127.0.0.1',
    });
    const base = `http://127.0.0.1:${own.port}`;
    const res = await fetch(`${base}/test/stream`);
    const reader = res.body!.getReader();
    source!.write('data: a\n\n');
    await reader.read();
    let stopped = false;
    const stopping = own.stop(5000).then(() => {
      stopped = true;
    });
    await expect(fetch(`${base}/test/stream`)).rejects.toThrow();
    expect(stopped).toBe(false);
    source!.write('data: b\n\n');
    source!.end();
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
      rest += new TextDecoder().decode(chunk.value);
    expect(rest).toBe('data: b\n\n');
    await stopping;
    expect(stopped).toBe(true);
  });
});
