import { Writable } from 'node:stream';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import type { RouteSpec } from '../../lambdas/api/routes.js';
import { parseConfig, setGatewayConfig } from '../../lambdas/config/load.js';
import { onClientGone } from '../../lambdas/runtime/client-signal.js';
import { gatewayFunction } from '../../lambdas/runtime/gateway-function.js';
import { installAwsLambdaShim } from '../../local/awslambda-shim.js';
import { lambdaContext } from '../../local/lambda-context.js';

// A streaming function's handlers learn that the client is gone from the response stream the runtime hands the
// invocation (they never see it: Middy passes them the event): the stream closing before its end or failing — what
// the local server does when the socket closes, and all a Lambda response stream can show.

const open = { kind: 'open' } as const;
const routes: RouteSpec<string>[] = [
  {
    method: 'GET',
    path: '/wait',
    fn: 'streaming',
    operationId: 'wait',
    summary: '',
    tag: 't',
    access: open,
    responses: {},
  },
];

const event = (): APIGatewayProxyEvent =>
  ({
    resource: '/wait',
    path: '/wait',
    httpMethod: 'GET',
    headers: {},
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: null,
    isBase64Encoded: false,
    requestContext: { requestId: 'req-client-signal', identity: {} },
  }) as unknown as APIGatewayProxyEvent;

/** A response stream like Lambda's: it takes writes and ends; the test can make it fail. */
class ResponseStream extends Writable {
  readonly written: Buffer[] = [];
  constructor() {
    super();
    this.on('error', () => undefined);
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.written.push(chunk);
    callback();
  }
  setPrelude(): void {}
}

type Invoke = (event: APIGatewayProxyEvent, stream: Writable, context: Context) => Promise<void>;

let gone: Promise<string>;
let release: () => void = () => undefined;
let handler: Invoke;
beforeAll(() => {
  installAwsLambdaShim();
  setGatewayConfig(parseConfig('{}', 'test'));
  handler = gatewayFunction(
    {
      'GET /wait': async (request) => {
        // The handler waits (as for an upstream's answer) until its client is gone, or the test lets it answer.
        gone = new Promise((resolve) => {
          release = () => resolve('answered');
          onClientGone(request.event, () => resolve('client gone'));
        });
        return { statusCode: 200, body: await gone };
      },
    },
    { routes, streaming: true },
  ) as unknown as Invoke;
});

const started = async (): Promise<void> => {
  while (typeof gone === 'undefined') await new Promise((resolve) => setImmediate(resolve));
};

beforeEach(() => {
  (gone as Promise<string> | undefined) = undefined;
});

it('a response stream that fails while the handler waits tells the handler at once', async () => {
  const stream = new ResponseStream();
  const invocation = handler(event(), stream, lambdaContext('streaming', 60_000)).catch(() => undefined);
  await started();
  stream.destroy(new Error('write EPIPE'));
  expect(await gone).toBe('client gone');
  await invocation;
});

it('a response stream closed before its end tells the handler at once', async () => {
  const stream = new ResponseStream();
  // Not awaited: Middy's string writer waits for the end of a stream destroyed without an error for ever.
  void handler(event(), stream, lambdaContext('streaming', 60_000)).catch(() => undefined);
  await started();
  stream.destroy();
  expect(await gone).toBe('client gone');
});

it('a response that ends normally never reports its client gone', async () => {
  const stream = new ResponseStream();
  const invocation = handler(event(), stream, lambdaContext('streaming', 60_000));
  await started();
  release();
  await invocation;
  expect(await gone).toBe('answered');
  expect(Buffer.concat(stream.written).toString('utf8')).toBe('answered');
});

it('an invocation nobody watches (a buffered function) is never reported gone', () => {
  let called = false;
  const forget = onClientGone(event(), () => (called = true));
  forget();
  expect(called).toBe(false);
});
