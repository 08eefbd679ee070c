import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { RouteMatch } from './route-match.js';

function headersOf(raw: readonly string[]) {
  const headers: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] ?? '';
    const value = raw[i + 1] ?? '';
    headers[name] = value;
    (multi[name] ??= []).push(value);
  }
  return { headers, multi };
}

function queryOf(search: URLSearchParams) {
  if (search.size === 0) return { single: null, multi: null };
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [key, value] of search) {
    single[key] = value;
    (multi[key] ??= []).push(value);
  }
  return { single, multi };
}

/** The API Gateway REST proxy event (payload 1.0) that a deployed stage would hand the function. */
export function toProxyEvent(req: IncomingMessage, url: URL, match: RouteMatch, body: string | null): APIGatewayProxyEvent {
  const { headers, multi } = headersOf(oneSpellingPerName(req.rawHeaders));
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
      identity: {
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
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        user: null,
        userAgent: req.headers['user-agent'] ?? null,
        userArn: null,
      },
    },
  };
}

/**
 * The raw header list with every name in the first spelling it was sent in. HTTP names are case-insensitive, so
 * `Authorization` and `authorization` are one header: the event gets one entry for it, its last value in `headers`
 * and all its values, in order, in `multiValueHeaders` (as for a name repeated in one spelling). No reader can then
 * take one spelling's value while another reader takes the other's.
 */
function oneSpellingPerName(raw: readonly string[]): string[] {
  const spellings = new Map<string, string>();
  return raw.map((item, i) => {
    if (i % 2 === 1) return item;
    const lower = item.toLowerCase();
    const first = spellings.get(lower);
    if (first !== undefined) return first;
    spellings.set(lower, item);
    return item;
  });
}
