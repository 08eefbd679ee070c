import { Readable, Writable } from 'node:stream';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import type { RouteSpec } from '../../lambdas/api/routes.js';
import { parseConfig, setGatewayConfig } from '../../lambdas/config/load.js';
import { afterResponse, whenAfterResponsesDone } from '../../lambdas/runtime/after-response.js';
import { gatewayFunction } from '../../lambdas/runtime/gateway-function.js';
import { installAwsLambdaShim } from '../../local/awslambda-shim.js';
import { lambdaContext } from '../../local/lambda-context.js';

// What a request leaves for after its response (the booking) runs once the response stream has ended, and the
// invocation — the streaming function the runtime calls with the response stream — resolves only after it: Lambda
// freezes the instance once it has. Called directly here, with a response stream like Lambda's.

const open = { kind: 'open' } as const;
const route = (path: string): RouteSpec<string> => ({
  method: 'GET',
  path,
  fn: 'streaming',
  operationId: path.slice(1),
  summary: '',
  tag: 't',
  access: open,
  responses: {},
});

const event = (path: string): APIGatewayProxyEvent =>
  ({
    resource: path,
    path,
    httpMethod: 'GET',
    headers: {},
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: null,
    isBase64Encoded: false,
    requestContext: { requestId: `req${path.replace('/', '-')}`, identity: {} },
  }) as unknown as APIGatewayProxyEvent;

/** A response stream like Lambda's: it takes writes and ends. */
class ResponseStream extends Writable {
  readonly written: Buffer[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.written.push(chunk);
    callback();
  }
  setPrelude(): void {}
  text(): string {
    return Buffer.concat(this.written).toString('utf8');
  }
}

type Invoke = (event: APIGatewayProxyEvent, stream: Writable, context: Context) => Promise<void>;

let handler: Invoke;
let order: string[] = [];
let release: () => void = () => undefined;
const held = (): Promise<void> =>
  new Promise((resolve) => {
    release = resolve;
  });

beforeAll(() => {
  installAwsLambdaShim();
  setGatewayConfig(parseConfig('{}', 'test'));
  handler = gatewayFunction(
    {
      'GET /json': async (request) => {
        void afterResponse(request.event, async (inline) => {
          order.push(`booking starts (inline: ${inline})`);
          await held();
          order.push('booking written');
        });
        return { statusCode: 200, body: '{"answer":true}' };
      },
      'GET /stream': async (request) => {
        async function* frames(): AsyncGenerator<string> {
          yield 'data: 1\n\n';
          // The stream's end registers its booking before its last event goes out (formats/sse-stream.ts).
          await afterResponse(request.event, async () => {
            order.push('booking starts');
            await held();
            order.push('booking written');
          });
          yield 'data: [DONE]\n\n';
        }
        return { statusCode: 200, body: Readable.from(frames()) };
      },
      'GET /failing': async (request) => {
        void afterResponse(request.event, () => Promise.reject(new Error('store down')));
        void afterResponse(request.event, async () => {
          order.push('second task ran');
        });
        return { statusCode: 200, body: 'ok' };
      },
    },
    { routes: ['/json', '/stream', '/failing'].map(route), streaming: true },
  ) as unknown as Invoke;
});

beforeEach(() => {
  order = [];
});

async function invoke(path: string, stream: ResponseStream): Promise<{ resolved: () => boolean; done: Promise<void> }> {
  let resolved = false;
  stream.once('finish', () => order.push(`response ended: ${stream.text()}`));
  const done = handler(event(path), stream, lambdaContext('streaming', 60_000)).then(() => {
    resolved = true;
    order.push('invocation resolved');
  });
  while (!order.some((step) => step.startsWith('booking starts'))) await new Promise((r) => setImmediate(r));
  return { resolved: () => resolved, done };
}

it('a JSON answer is written and ended before its booking runs; the invocation resolves after the booking', async () => {
  const stream = new ResponseStream();
  const { resolved, done } = await invoke('/json', stream);
  expect(stream.writableFinished).toBe(true);
  expect(resolved()).toBe(false);
  release();
  await done;
  expect(order).toEqual([
    'response ended: {"answer":true}',
    'booking starts (inline: false)',
    'booking written',
    'invocation resolved',
  ]);
});

it("a stream's last event goes out and the stream ends before its booking runs", async () => {
  const stream = new ResponseStream();
  const { resolved, done } = await invoke('/stream', stream);
  expect(stream.text()).toBe('data: 1\n\ndata: [DONE]\n\n');
  expect(stream.writableFinished).toBe(true);
  expect(resolved()).toBe(false);
  release();
  await done;
  expect(order.slice(-3)).toEqual(['booking starts', 'booking written', 'invocation resolved']);
});

it('a task that fails does not keep the others from running, nor fail the invocation', async () => {
  const stream = new ResponseStream();
  await handler(event('/failing'), stream, lambdaContext('streaming', 60_000));
  expect(stream.text()).toBe('ok');
  expect(order).toEqual(['second task ran']);
  await whenAfterResponsesDone();
});

it('without a registry (a buffered function, a direct call) the work runs at once, awaited by its caller', async () => {
  const steps: string[] = [];
  await afterResponse(event('/json'), async (inline) => {
    steps.push(`ran (inline: ${inline})`);
  });
  steps.push('after');
  expect(steps).toEqual(['ran (inline: true)', 'after']);
  await expect(afterResponse(event('/json'), () => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
});
