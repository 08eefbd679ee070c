import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { RouteMatch } from './route-match.js';

/**
 * Sets an own property, whatever the name: a header or parameter named `constructor`, `__proto__` or `toString` is
 * just another name, never a lookup into (or a change of) Object.prototype. Plain assignment makes an own property of
 * any name but `__proto__`, whose assignment would set the prototype instead.
 */
function setOwn<T>(target: Record<string, T>, name: string, value: T): void {
  if (name === '__proto__')
    Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
  else target[name] = value;
}

/**
 * Name → its last value (`single`) and name → all its values in order (`multi`), as API Gateway's JSON event has them
 * (own properties only), folded in one pass straight into the two objects: pairs added under one key are one name,
 * in the first spelling it was sent in.
 */
class Folded {
  readonly single: Record<string, string> = {};
  readonly multi: Record<string, string[]> = {};
  private readonly spellings = new Map<string, string>();

  add(key: string, sent: string, value: string): void {
    const name = this.spellings.get(key);
    if (name === undefined) {
      this.spellings.set(key, sent);
      setOwn(this.single, sent, value);
      setOwn(this.multi, sent, [value]);
    } else {
      setOwn(this.single, name, value);
      this.multi[name]?.push(value);
    }
  }
}

function collect(pairs: Iterable<readonly [string, string]>): Folded {
  const folded = new Folded();
  for (const [name, value] of pairs) folded.add(name, name, value);
  return folded;
}

/**
 * The raw header list (name, value, name, value…) folded by name in one pass, every name in the first spelling it was
 * sent in. HTTP names are case-insensitive, so `Authorization` and `authorization` are one header: the event gets one
 * entry for it, its last value in `headers` and all its values, in order, in `multiValueHeaders` (as for a name
 * repeated in one spelling). No reader can then take one spelling's value while another reader takes the other's.
 */
function headersOf(raw: readonly string[]) {
  const folded = new Folded();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const sent = raw[i] ?? '';
    folded.add(sent.toLowerCase(), sent, raw[i + 1] ?? '');
  }
  return { headers: folded.single, multi: folded.multi };
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
