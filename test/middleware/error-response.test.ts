import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { ERROR_CODES, type ErrorCode } from '../../lambdas/core/error-codes.js';
import { GatewayError } from '../../lambdas/core/errors.js';
import { errorResponse } from '../../lambdas/middleware/error-response.js';
import type { MiddyRequest } from '../../lambdas/runtime/types.js';

// The retry headers of every error answer (core/retry-advice.ts). Retry-After (and the provider's Retry-After-Ms) only
// where a later retry can succeed at a known time — a rate limit, an exhausted quota or budget, every breaker open —
// and never on a final 5xx or a 400, whatever headers the error carried; x-should-retry: false once the gateway's own
// retries are spent, and never on the request's own faults (SDKs do not retry those anyway).
const RETRY_HEADERS = { 'Retry-After': '7', 'Retry-After-Ms': '7000' };

function answer(code: ErrorCode): Record<string, unknown> {
  const request = {
    event: { path: '/v1/chat/completions', headers: {} } as unknown as APIGatewayProxyEvent,
    context: {} as Context,
    response: undefined,
    error: new GatewayError({ code, message: code, headers: RETRY_HEADERS }),
    internal: {},
  } as unknown as MiddyRequest;
  errorResponse().onError?.(request);
  return { ...request.response?.headers };
}

const WITH_RETRY_AFTER: readonly ErrorCode[] = [
  'upstream_rate_limited',
  'insufficient_quota',
  'rate_limit_exceeded',
  'request_quota_exceeded',
  'no_target_available',
];

it.each(Object.keys(ERROR_CODES) as ErrorCode[])('%s: Retry-After only where a later retry can succeed', (code) => {
  const headers = answer(code);
  if (WITH_RETRY_AFTER.includes(code)) expect(headers).toMatchObject(RETRY_HEADERS);
  else {
    expect(headers['Retry-After']).toBeUndefined();
    expect(headers['Retry-After-Ms']).toBeUndefined();
  }
});

it('those are 429s and the breakers’ 503', () => {
  expect(WITH_RETRY_AFTER.map((code) => [code, ERROR_CODES[code].status])).toEqual([
    ['upstream_rate_limited', 429],
    ['insufficient_quota', 429],
    ['rate_limit_exceeded', 429],
    ['request_quota_exceeded', 429],
    ['no_target_available', 503],
  ]);
});

it.each(['ledger_unavailable', 'config_invalid', 'upstream_error', 'upstream_timeout', 'internal_error'] as const)(
  'a final %s carrying a Retry-After answers without it',
  (code) => {
    expect(answer(code)['Retry-After']).toBeUndefined();
  },
);

it.each([
  ['upstream_error', 'false'],
  ['upstream_rate_limited', 'false'],
  ['provider_authentication_failed', 'false'],
  ['no_target_available', 'false'],
  ['insufficient_quota', 'false'],
  ['unsupported_parameter', undefined],
  ['upstream_bad_request', undefined],
  ['model_not_found', undefined],
] as const)('%s: x-should-retry %s', (code, advice) => {
  expect(answer(code)['x-should-retry']).toBe(advice);
});
