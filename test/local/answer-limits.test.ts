import type { RouteSpec } from '../../lambdas/api/routes.js';
import { parseConfig, setGatewayConfig } from '../../lambdas/config/load.js';
import { gatewayFunction } from '../../lambdas/runtime/gateway-function.js';
import { installAwsLambdaShim } from '../../local/awslambda-shim.js';
import { startHttpServer, type HttpServerHandle } from '../../local/server.js';
import { expectOpenAIError } from '../helpers/error-shape.js';

// The local server's emulation of AWS's limits on large answers. A buffered function's result past Lambda's 6 MB
// limit fails the invocation and API Gateway answers 502 (its DEFAULT_5XX response, in the OpenAI shape) — never a
// truncated answer or a hang. A streaming function (chat, JSON answers included) is not bound by API Gateway's 10 MB
// limit on buffered answers: STREAM mode passes it, so a 12 MB JSON answer arrives whole.

const open = { kind: 'open' } as const;
const routes: RouteSpec<string>[] = [
  {
    method: 'GET',
    path: '/big/buffered',
    fn: 'buffered',
    operationId: 'bigBuffered',
    summary: '',
    tag: 't',
    access: open,
    responses: {},
  },
  {
    method: 'GET',
    path: '/big/streamed',
    fn: 'streaming',
    operationId: 'bigStreamed',
    summary: '',
    tag: 't',
    access: open,
    responses: {},
  },
];

const MB = 1024 * 1024;
/** A JSON document of about `bytes` bytes. */
const document = (bytes: number): string =>
  JSON.stringify({ text: 'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(Math.ceil(bytes / 36)).slice(0, bytes) });
const sizeOf = (event: { queryStringParameters: Record<string, string | undefined> | null }): number =>
  Number(event.queryStringParameters?.mb ?? '0') * MB;

let server: HttpServerHandle;
let url: string;
beforeAll(async () => {
  installAwsLambdaShim();
  setGatewayConfig(parseConfig('{}', 'test'));
  const buffered = gatewayFunction(
    { 'GET /big/buffered': async (req) => ({ statusCode: 200, body: document(sizeOf(req.event)) }) },
    { routes },
  );
  const streaming = gatewayFunction(
    {
      'GET /big/streamed': async (req) => ({
        statusCode: 200,
        headers: { 'Content-Type': 'application/json' },
        body: document(sizeOf(req.event)),
      }),
    },
    { routes, streaming: true },
  );
  server = await startHttpServer({ handlers: { buffered, streaming }, routes, port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${server.port}`;
});
afterAll(() => server.stop(100));

it('a buffered answer under Lambda’s 6 MB limit arrives whole', async () => {
  const res = await fetch(`${url}/big/buffered?mb=5`);
  expect(res.status).toBe(200);
  expect(await res.text()).toBe(document(5 * MB));
});

it('a buffered answer past Lambda’s 6 MB limit is API Gateway’s 502 in the OpenAI shape, not the answer', async () => {
  const res = await fetch(`${url}/big/buffered?mb=7`);
  expect(res.status).toBe(502);
  expect(res.headers.get('x-request-id')).toBeTruthy();
  expectOpenAIError(await res.json(), 'bad_gateway');
});

it('a streaming function’s 12 MB JSON answer arrives whole (STREAM mode passes API Gateway’s 10 MB limit)', async () => {
  const res = await fetch(`${url}/big/streamed?mb=12`);
  expect(res.status).toBe(200);
  const body = await res.text();
  expect(body.length).toBe(document(12 * MB).length);
  expect(body === document(12 * MB)).toBe(true);
});
