import { edgeErrors } from '../../lambdas/api/edge-errors.js';
import { ERROR_CODES, isErrorCode, type ErrorCode } from '../../lambdas/core/error-codes.js';
import { GatewayError } from '../../lambdas/core/errors.js';
import { countsAgainstTarget, dispositionOf } from '../../lambdas/routing/classify.js';
import { CLIENT_CLOSED_REQUEST } from '../../lambdas/runtime/client-signal.js';

// The table pinned: every code's status and type on the wire, and what the router does with it, as they were before
// the table existed (statuses and types then written at each creation site, dispositions in routing/codes.ts).
// Changing a row here is a behaviour change of the API or of routing, never a refactoring.
const PINNED: Record<ErrorCode, readonly [status: number, type: string, routing: string, breaker: boolean]> = {
  upstream_rate_limited: [429, 'rate_limit_error', 'retry', true],
  upstream_conflict: [502, 'api_error', 'retry', true],
  upstream_error: [502, 'api_error', 'retry', true],
  upstream_overloaded: [502, 'api_error', 'retry', true],
  upstream_model_not_ready: [502, 'api_error', 'retry', true],
  upstream_timeout: [504, 'api_error', 'retry', true],
  upstream_unreachable: [502, 'api_error', 'retry', true],
  upstream_stream_error: [502, 'api_error', 'retry', true],
  upstream_idle_timeout: [504, 'api_error', 'retry', true],
  upstream_invalid_response: [502, 'api_error', 'retry', true],
  provider_authentication_failed: [502, 'api_error', 'failover', true],
  upstream_model_not_found: [502, 'api_error', 'failover', true],
  provider_key_missing: [502, 'api_error', 'failover', true],
  upstream_empty: [502, 'api_error', 'failover', true],
  invalid_target_params: [502, 'api_error', 'failover', true],
  embeddings_unsupported: [502, 'api_error', 'failover', true],
  upstream_bad_request: [400, 'invalid_request_error', 'fatal', false],
  request_not_encodable: [400, 'invalid_request_error', 'fatal', false],
  content_filtered: [400, 'invalid_request_error', 'fatal', false],
  try_cancelled: [502, 'api_error', 'fatal', false],
  upstream_stream_truncated: [502, 'api_error', 'fatal', false],
  no_target_available: [503, 'service_unavailable', 'fatal', false],
  request_deadline_exceeded: [504, 'api_error', 'fatal', false],
  client_closed_request: [499, 'invalid_request_error', 'fatal', false],
  ledger_unavailable: [503, 'service_unavailable', 'fatal', false],
  config_invalid: [503, 'service_unavailable', 'fatal', false],
  internal_error: [500, 'api_error', 'fatal', false],
  thread_not_found: [404, 'not_found_error', 'fatal', false],
  previous_response_not_found: [404, 'not_found_error', 'fatal', false],
  item_not_found: [404, 'not_found_error', 'fatal', false],
  response_not_found: [404, 'not_found_error', 'fatal', false],
  stored_response_too_large: [400, 'invalid_request_error', 'fatal', false],
  invalid_encrypted_content: [400, 'invalid_request_error', 'fatal', false],
  unsupported_parameter: [400, 'invalid_request_error', 'refused', false],
  unsupported_content: [400, 'invalid_request_error', 'refused', false],
  unsupported_image: [400, 'invalid_request_error', 'refused', false],
  upstream_feature_unsupported: [400, 'invalid_request_error', 'refused', false],
  invalid_image_url: [400, 'invalid_request_error', 'fatal', false],
  invalid_tool_arguments: [400, 'invalid_request_error', 'fatal', false],
  invalid_messages: [400, 'invalid_request_error', 'fatal', false],
  unsupported_tool: [400, 'invalid_request_error', 'fatal', false],
  invalid_json: [400, 'invalid_request_error', 'fatal', false],
  json_too_deep: [400, 'invalid_request_error', 'fatal', false],
  invalid_request_body: [400, 'invalid_request_error', 'fatal', false],
  invalid_query: [400, 'invalid_request_error', 'fatal', false],
  invalid_header: [400, 'invalid_request_error', 'fatal', false],
  request_too_large: [413, 'invalid_request_error', 'fatal', false],
  invalid_request_target: [400, 'invalid_request_error', 'fatal', false],
  incomplete_body: [400, 'invalid_request_error', 'fatal', false],
  malformed_request: [400, 'invalid_request_error', 'fatal', false],
  request_timeout: [408, 'invalid_request_error', 'fatal', false],
  request_header_too_large: [431, 'invalid_request_error', 'fatal', false],
  unsupported_media_type: [415, 'invalid_request_error', 'fatal', false],
  method_not_allowed: [405, 'invalid_request_error', 'fatal', false],
  not_found: [404, 'not_found_error', 'fatal', false],
  unknown_route: [404, 'not_found_error', 'fatal', false],
  model_not_found: [404, 'not_found_error', 'fatal', false],
  wrong_model_kind: [400, 'invalid_request_error', 'fatal', false],
  policy_violation: [400, 'invalid_request_error', 'fatal', false],
  invalid_api_key: [401, 'invalid_request_error', 'fatal', false],
  access_denied: [403, 'permission_error', 'fatal', false],
  admin_required: [403, 'permission_error', 'fatal', false],
  missing_scope: [403, 'permission_error', 'fatal', false],
  model_not_allowed: [403, 'permission_error', 'fatal', false],
  rate_limit_exceeded: [429, 'rate_limit_error', 'fatal', false],
  request_quota_exceeded: [429, 'rate_limit_error', 'fatal', false],
  authorizer_failure: [500, 'api_error', 'fatal', false],
  authorizer_unavailable: [503, 'service_unavailable', 'fatal', false],
  bad_gateway: [502, 'api_error', 'fatal', false],
  insufficient_quota: [429, 'insufficient_quota', 'fatal', false],
  invalid_idempotency_key: [400, 'invalid_request_error', 'fatal', false],
  idempotency_key_in_flight: [409, 'invalid_request_error', 'fatal', false],
  idempotency_key_used_for_stream: [409, 'invalid_request_error', 'fatal', false],
  idempotency_key_reused: [422, 'invalid_request_error', 'fatal', false],
  idempotency_key_other_route: [422, 'invalid_request_error', 'fatal', false],
  invalid_key_id: [400, 'invalid_request_error', 'fatal', false],
  key_not_found: [404, 'not_found_error', 'fatal', false],
  key_not_active: [409, 'invalid_request_error', 'fatal', false],
  unknown_plan: [400, 'invalid_request_error', 'fatal', false],
  unknown_model: [400, 'invalid_request_error', 'fatal', false],
  invalid_expiry: [400, 'invalid_request_error', 'fatal', false],
  invalid_request_id: [400, 'invalid_request_error', 'fatal', false],
  request_not_found: [404, 'not_found_error', 'fatal', false],
  invalid_date: [400, 'invalid_request_error', 'fatal', false],
  invalid_date_range: [400, 'invalid_request_error', 'fatal', false],
};

describe('error codes', () => {
  it('every code keeps its status, type, routing and breaker verdict', () => {
    const table = Object.fromEntries(
      Object.entries(ERROR_CODES).map(([code, spec]) => [code, [spec.status, spec.type, spec.routing, spec.breaker]]),
    );
    expect(table).toEqual(PINNED);
  });

  it('a GatewayError takes its status and type from its code; the router decides on the same entry', () => {
    for (const code of Object.keys(PINNED) as ErrorCode[]) {
      const [status, type, routing, breaker] = PINNED[code];
      const error = new GatewayError({ code, message: 'm' });
      expect([error.status, error.type, error.code, dispositionOf(error), countsAgainstTarget(error.code)]).toEqual([
        status,
        type,
        code,
        routing,
        breaker,
      ]);
      expect(error.toBody()).toEqual({ error: { message: 'm', type, param: null, code } });
    }
  });

  it('only a try that says something about the target counts against it: every retry or failover, nothing fatal or refused', () => {
    for (const spec of Object.values(ERROR_CODES))
      expect(spec.breaker).toBe(spec.routing === 'retry' || spec.routing === 'failover');
  });

  it("the refusals are 400s: this target cannot honour the request (the router's `refused`)", () => {
    const refused = Object.entries(ERROR_CODES).filter(([, spec]) => spec.routing === 'refused');
    expect(refused.map(([code]) => code)).toEqual([
      'unsupported_parameter',
      'unsupported_content',
      'unsupported_image',
      'upstream_feature_unsupported',
    ]);
    for (const [, spec] of refused) expect(spec.status).toBe(400);
  });

  it('the edge answers with the status and type of its code', () => {
    for (const edge of Object.values(edgeErrors)) {
      expect([edge.status, edge.type]).toEqual([ERROR_CODES[edge.code].status, ERROR_CODES[edge.code].type]);
    }
  });

  it("client_closed_request is the runtime's 499", () => {
    expect(ERROR_CODES.client_closed_request.status).toBe(CLIENT_CLOSED_REQUEST);
  });

  it('a code outside the table is not one', () => {
    expect(isErrorCode('upstream_timeout')).toBe(true);
    expect(isErrorCode('upstream_timout')).toBe(false);
    expect(isErrorCode('toString')).toBe(false);
  });
});
