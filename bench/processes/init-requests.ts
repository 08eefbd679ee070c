/**
 * The request the cold-start probe sends each function twice after its init (the first pays what init left for
 * later: lazily loaded modules, the configuration, SDK clients), as API Gateway's REST proxy event, by row name (the
 * probe reads BENCH_PROBE_REQUEST). Functions without one here (authorizer, sweeper, admin, usage: they need a store
 * that answers) are measured at init only. The chat function has three rows: the echo model, and an alias to each
 * provider a first request loads (its adapter's chunk, its SDK), at the fake upstreams bench/cold-upstreams.ts starts.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { callerIdentity } from '../../local/proxy-event.js';

interface Request {
  readonly method: string;
  readonly resource: string;
  readonly path: string;
  readonly body?: unknown;
  /** The authorizer's context (lambdas/auth/principal.ts toAuthorizerContext). */
  readonly authorizer?: Readonly<Record<string, string>>;
  /** The status the request must get: a run answering another is counted under its status, not timed. */
  readonly expect?: number;
}

const KEY_CONTEXT = { tenant: 'bench', keyId: 'bench-key', plan: 'default', scopes: 'chat', models: '*' };

/** The aliases of the provider rows, by row, with the provider type their one target is (cold-upstreams.ts). */
export const UPSTREAM_ROWS = {
  'chat (openai)': { alias: 'bench-openai', type: 'openai-compatible' },
  'chat (anthropic)': { alias: 'bench-anthropic', type: 'anthropic' },
} as const;

const chat = (model: string): Request => ({
  method: 'POST',
  resource: '/v1/chat/completions',
  path: '/v1/chat/completions',
  body: { model, messages: [{ role: 'user', content: 'Hello' }] },
  authorizer: KEY_CONTEXT,
  expect: 200,
});

const REQUESTS: Readonly<Record<string, Request>> = {
  'hello-world': { method: 'GET', resource: '/', path: '/' },
  'sdk-floor': { method: 'GET', resource: '/', path: '/' },
  'sdk-floor+cache': { method: 'GET', resource: '/', path: '/' },
  health: { method: 'GET', resource: '/health/live', path: '/health/live' },
  docs: { method: 'GET', resource: '/docs', path: '/docs' },
  fallback: { method: 'GET', resource: '/{proxy+}', path: '/no/such/route' },
  // The echo model: no upstream; the booking's store calls get empty successes (cold-start.ts), after the answer.
  chat: chat('demo'),
  // The same through a provider's adapter, to a fake upstream.
  ...Object.fromEntries(Object.entries(UPSTREAM_ROWS).map(([row, { alias }]) => [row, chat(alias)])),
};

/** The status the row's request must get, when it has one to get. */
export const expectedStatus = (name: string): number | undefined => REQUESTS[name]?.expect;

/** The event for function `name`, or undefined when it is measured at init only. */
export function probeEvent(name: string, index: number): APIGatewayProxyEvent | undefined {
  const request = REQUESTS[name];
  if (request === undefined) return undefined;
  const headers: Record<string, string> =
    request.body === undefined ? {} : { 'content-type': 'application/json', authorization: 'Bearer bench' };
  return {
    resource: request.resource,
    path: request.path,
    httpMethod: request.method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: request.resource === '/{proxy+}' ? { proxy: request.path.slice(1) } : null,
    stageVariables: null,
    body: request.body === undefined ? null : JSON.stringify(request.body),
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'bench',
      authorizer: request.authorizer ?? null,
      protocol: 'HTTP/1.1',
      httpMethod: request.method,
      path: request.path,
      stage: 'v1',
      requestId: `bench-${index}`,
      requestTimeEpoch: Date.now(),
      resourceId: 'bench',
      resourcePath: request.resource,
      identity: callerIdentity('127.0.0.1', 'bench'),
    },
  };
}
