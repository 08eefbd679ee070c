import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { RouteMatch } from './route-match.js';

/**
 * Name → values, built in a Map and turned into an object with own properties only (as API Gateway's JSON event
 * has them): a header or parameter named `constructor`, `__proto__` or `toString` is just another name, never a
 * lookup into Object.prototype.
 */
function collect(pairs: Iterable<readonly [string, string]>) {
  const all = new Map<string, string[]>();
  for (const [name, value] of pairs) {
    const values = all.get(name);
    if (values === undefined) all.set(name, [value]);
    else values.push(value);
  }
  return fromMap(all);
}

function fromMap(all: ReadonlyMap<string, string[]>) {
  const single = Object.fromEntries([...all].map(([name, values]) => [name, values[values.length - 1] ?? '']));
  const multi = Object.fromEntries(all);
  return { single: single as Record<string, string>, multi: multi as Record<string, string[]> };
}

/**
 * The raw header list (name, value, name, value…) folded by name in one pass, every name in the first spelling it was
 * sent in. HTTP names are case-insensitive, so `Authorization` and `authorization` are one header: the event gets one
 * entry for it, its last value in `headers` and all its values, in order, in `multiValueHeaders` (as for a name
 * repeated in one spelling). No reader can then take one spelling's value while another reader takes the other's.
 */
function headersOf(raw: readonly string[]) {
  const all = new Map<string, string[]>();
  const spellings = new Map<string, string>();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const sent = raw[i] ?? '';
    const value = raw[i + 1] ?? '';
    const lower = sent.toLowerCase();
    const name = spellings.get(lower);
    if (name === undefined) {
      spellings.set(lower, sent);
      all.set(sent, [value]);
    } else all.get(name)?.push(value);
  }
  const { single, multi } = fromMap(all);
  return { headers: single, multi };
}

function queryOf(search: URLSearchParams) {
  if (search.size === 0) return { single: null, multi: null };
  return collect(search);
}

/** The `requestContext.identity` of a REST proxy event without IAM or Cognito: only the caller's address and agent. */
export function callerIdentity(
  sourceIp: string,
  userAgent: string | null,
): APIGatewayProxyEvent['requestContext']['identity'] {
  return {
    accessKey: null,
    accountId: null,
    apiKey: null,
    apiKeyId: null,
    caller: null,
    clientCert: null,
    cognitoAuthenticationProvider: null,
    cognitoAuthenticationType: null,
    cognitoIdentityId: null,
    cognitoIdentityPoolId: null,
    principalOrgId: null,
    sourceIp,
    user: null,
    userAgent,
    userArn: null,
  };
}

/** The API Gateway REST proxy event (payload 1.0) that a deployed stage would hand the function. */
export function toProxyEvent(
  req: IncomingMessage,
  url: URL,
  match: RouteMatch,
  body: string | null,
): APIGatewayProxyEvent {
  const { headers, multi } = headersOf(req.rawHeaders);
  const query = queryOf(url.searchParams);
  const method = req.method ?? 'GET';
  return {
    resource: match.resource,
    path: url.pathname,
    httpMethod: method,
    headers,
    multiValueHeaders: multi,
    queryStringParameters: query.single,
    multiValueQueryStringParameters: query.multi,
    pathParameters: match.pathParameters,
    stageVariables: null,
    body,
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      authorizer: null,
      protocol: `HTTP/${req.httpVersion}`,
      httpMethod: method,
      path: url.pathname,
      stage: 'local',
      requestId: randomUUID(),
      requestTimeEpoch: Date.now(),
      resourceId: 'local',
      resourcePath: match.resource,
      identity: callerIdentity(req.socket.remoteAddress ?? '127.0.0.1', req.headers['user-agent'] ?? null),
    },
  };
}
