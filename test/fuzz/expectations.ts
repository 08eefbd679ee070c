import type { FuzzCase } from './cases.js';
import type { RawResponse } from './raw-http.js';

/**
 * Codes of the errors the edge answers itself (the local edge and server, API Gateway's gateway responses): those
 * keep the OpenAI shape on every route, Anthropic-format ones included (README, "/v1/messages").
 */
const EDGE_CODES = new Set([
  'invalid_api_key',
  'access_denied',
  'admin_required',
  'rate_limit_exceeded',
  'request_quota_exceeded',
  'request_too_large',
  'authorizer_failure',
  'authorizer_unavailable',
  'invalid_request_target',
  'incomplete_body',
  'malformed_request',
  'request_header_too_large',
  'request_timeout',
]);

/** Paths whose errors have Anthropic's shape: `/v1/messages` and what lies under it (the fallback's 404/405 too). */
const isAnthropicPath = (target: string): boolean => {
  const path = target.split('?')[0] ?? '';
  return path === '/v1/messages' || path.startsWith('/v1/messages/');
};

function openAIShapeProblem(body: unknown): string | undefined {
  const error = (body as { error?: Record<string, unknown> } | null)?.error;
  if (typeof body !== 'object' || body === null || Object.keys(body).join() !== 'error') return 'not {error}';
  if (typeof error !== 'object' || error === null) return 'error is not an object';
  if (Object.keys(error).sort().join() !== 'code,message,param,type')
    return `error has ${Object.keys(error).join(',')}`;
  if (typeof error.message !== 'string' || typeof error.type !== 'string') return 'message/type not strings';
  if (
    !(error.param === null || typeof error.param === 'string') ||
    !(error.code === null || typeof error.code === 'string')
  )
    return 'param/code types';
  return undefined;
}

function anthropicShapeProblem(body: unknown): string | undefined {
  const shaped = body as { type?: unknown; error?: { type?: unknown; message?: unknown } } | null;
  if (typeof shaped !== 'object' || shaped === null || shaped.type !== 'error') return 'type is not "error"';
  if (typeof shaped.error?.type !== 'string' || typeof shaped.error.message !== 'string')
    return 'error.type/message not strings';
  return undefined;
}

/**
 * What is wrong with the answer to `fuzz`, or undefined when nothing is: an answer came (unless the client itself
 * cut its request short), no 5xx, nosniff on it, and an error in the documented shape for its route.
 */
export function problemOf(
  fuzz: FuzzCase,
  response: RawResponse | undefined,
  timedOut: boolean,
  received = 0,
): string | undefined {
  if (timedOut)
    return `no complete answer in time (${received} bytes${response === undefined ? '' : `, status ${response.status}`})`;
  // A client that ended its side before its request was whole may not get an answer; any other must.
  const incomplete = fuzz.framing === 'length-long' || fuzz.framing === 'chunked-broken';
  if (response === undefined) return incomplete ? undefined : 'connection closed without an answer';
  if (response.status >= 500) return `status ${response.status}: ${response.body.toString('utf8').slice(0, 300)}`;
  if (response.headers.get('x-content-type-options') !== 'nosniff')
    return `status ${response.status} without X-Content-Type-Options: nosniff`;
  if (response.status < 400 || fuzz.method === 'HEAD') return undefined;
  let body: unknown;
  try {
    body = JSON.parse(response.body.toString('utf8'));
  } catch {
    return `status ${response.status} with a body that is not JSON: ${JSON.stringify(response.body.toString('utf8').slice(0, 200))}`;
  }
  const code = (body as { error?: { code?: unknown } } | null)?.error?.code;
  const edge = typeof code === 'string' && EDGE_CODES.has(code);
  const problem = isAnthropicPath(fuzz.target) && !edge ? anthropicShapeProblem(body) : openAIShapeProblem(body);
  return problem === undefined
    ? undefined
    : `status ${response.status}, error shape: ${problem}: ${JSON.stringify(body).slice(0, 300)}`;
}
