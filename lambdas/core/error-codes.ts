/** The `type` of an OpenAI-shaped error body. */
export type OpenAIErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'insufficient_quota'
  | 'api_error'
  | 'service_unavailable';

/**
 * What the router does with a failed try that has this code: `retry` the same target (after a backoff), `failover`
 * to the next target at once, `fatal` — end the request: it is wrong itself, or no other target would do better —
 * or `refused`: this target cannot honour the request (a parameter or content it lacks; nothing was sent). A refusal
 * ends the request as `fatal` does when no earlier target of the request failed; after an earlier failure it moves to
 * the next target, and when none is left the answer is that earlier failure, not the refusal (routing/router.ts).
 */
export type Disposition = 'retry' | 'failover' | 'fatal' | 'refused';

export interface ErrorCodeSpec {
  readonly status: number;
  readonly type: OpenAIErrorType;
  readonly routing: Disposition;
  /** Whether a try failing with this code counts against its target's circuit breaker (says something about it). */
  readonly breaker: boolean;
}

/**
 * Every error code the gateway creates, with its HTTP status, its OpenAI error `type` and what routing does with it.
 * One typed table: a GatewayError is made from a code of this table (status and type come from here) and the router
 * decides on the same entry, so a misspelt code is a compile error instead of a retryable failure that silently ends
 * the request. Codes only a provider's try can fail with are the ones whose routing is not `fatal`.
 */
export const ERROR_CODES = {
  // A provider's fault: retried on the same target, then the next one; counts against the target.
  upstream_rate_limited: { status: 429, type: 'rate_limit_error', routing: 'retry', breaker: true }, // 429
  upstream_conflict: { status: 502, type: 'api_error', routing: 'retry', breaker: true }, // 409
  upstream_error: { status: 502, type: 'api_error', routing: 'retry', breaker: true }, // 5xx
  upstream_overloaded: { status: 502, type: 'api_error', routing: 'retry', breaker: true }, // 529, overloaded_error
  upstream_model_not_ready: { status: 502, type: 'api_error', routing: 'retry', breaker: true }, // Bedrock ModelNotReadyException
  upstream_timeout: { status: 504, type: 'api_error', routing: 'retry', breaker: true }, // 408, timeouts
  upstream_unreachable: { status: 502, type: 'api_error', routing: 'retry', breaker: true }, // connection refused or reset
  upstream_stream_error: { status: 502, type: 'api_error', routing: 'retry', breaker: true }, // broke off before the first content
  upstream_idle_timeout: { status: 504, type: 'api_error', routing: 'retry', breaker: true },
  // A 200 that is not a valid answer (invalid JSON, an error object).
  upstream_invalid_response: { status: 502, type: 'api_error', routing: 'retry', breaker: true },
  // This target's fault, not worth a retry: the next target at once; counts against the target.
  provider_authentication_failed: { status: 502, type: 'api_error', routing: 'failover', breaker: true }, // 401/403: this provider's key
  upstream_model_not_found: { status: 502, type: 'api_error', routing: 'failover', breaker: true }, // 404: this target's model
  provider_key_missing: { status: 502, type: 'api_error', routing: 'failover', breaker: true },
  upstream_empty: { status: 502, type: 'api_error', routing: 'failover', breaker: true },
  invalid_target_params: { status: 502, type: 'api_error', routing: 'failover', breaker: true },
  // An embedding target whose adapter has no `embed` (configuration load refuses those; never expected).
  embeddings_unsupported: { status: 502, type: 'api_error', routing: 'failover', breaker: true },
  // The request's own fault as a provider saw it: ends the request, never counts.
  upstream_bad_request: { status: 400, type: 'invalid_request_error', routing: 'fatal', breaker: false }, // 400/413/422
  request_not_encodable: { status: 400, type: 'invalid_request_error', routing: 'fatal', breaker: false }, // nothing was sent
  // A provider's content filter blocked the prompt (Azure OpenAI): not sent elsewhere to get around the filter.
  content_filtered: { status: 400, type: 'invalid_request_error', routing: 'fatal', breaker: false },
  try_cancelled: { status: 502, type: 'api_error', routing: 'fatal', breaker: false }, // a try the router aborted (a hedge's loser)
  upstream_stream_truncated: { status: 502, type: 'api_error', routing: 'fatal', breaker: false }, // ended before the answer was complete
  no_target_available: { status: 503, type: 'service_unavailable', routing: 'fatal', breaker: false },
  request_deadline_exceeded: { status: 504, type: 'api_error', routing: 'fatal', breaker: false },
  client_closed_request: { status: 499, type: 'invalid_request_error', routing: 'fatal', breaker: false },
  ledger_unavailable: { status: 503, type: 'service_unavailable', routing: 'fatal', breaker: false },
  config_invalid: { status: 503, type: 'service_unavailable', routing: 'fatal', breaker: false },
  internal_error: { status: 500, type: 'api_error', routing: 'fatal', breaker: false },
  // The request translated for a provider (before any upstream call).
  // /v1/messages `thread: continue`: the gateway holds no threads; @anthropic-ai/sdk then sends the whole history.
  thread_not_found: { status: 404, type: 'not_found_error', routing: 'fatal', breaker: false },
  // /v1/responses conversation state: a previous_response_id or item_reference this tenant has not stored (expired,
  // deleted, another tenant's), and a stored conversation over its cap (responses/stored-response.ts).
  previous_response_not_found: { status: 404, type: 'not_found_error', routing: 'fatal', breaker: false },
  item_not_found: { status: 404, type: 'not_found_error', routing: 'fatal', breaker: false },
  response_not_found: { status: 404, type: 'not_found_error', routing: 'fatal', breaker: false },
  stored_response_too_large: { status: 400, type: 'invalid_request_error', routing: 'fatal', breaker: false },
  // A reasoning item's encrypted_content in the gateway's own wrapping that does not unwrap (openai-responses/).
  invalid_encrypted_content: { status: 400, type: 'invalid_request_error', routing: 'fatal', breaker: false },
  // This target cannot honour the request (another target may): `refused`, see Disposition.
  unsupported_parameter: { status: 400, type: 'invalid_request_error', routing: 'refused', breaker: false },
  unsupported_content: { status: 400, type: 'invalid_request_error', routing: 'refused', breaker: false },
  unsupported_image: { status: 400, type: 'invalid_request_error', routing: 'refused', breaker: false },
  // The provider said its model lacks a feature the request needs (Bedrock's ValidationException "… not supported").
  upstream_feature_unsupported: { status: 400, type: 'invalid_request_error', routing: 'refused', breaker: false },
  invalid_image_url: { status: 400, type: 'invalid_request_error', routing: 'fatal', breaker: false },
  invalid_tool_arguments: { status: 400, type: 'invalid_request_error', routing: 'fatal', breaker: false },
  invalid_messages: { status: 400, type: 'invalid_request_error', routing: 'fatal', breaker: false },
  // A provider-hosted (server) tool, e.g. Anthropic's web_search: the gateway runs none, on any target.
  unsupported_tool: { status: 400, type: 'invalid_request_error', routing: 'fatal', breaker: false },
  // The HTTP request itself.
  invalid_json: { status: 400, type: 'invalid_request_error', routing: 'fatal', breaker: false },
  json_too_deep: { status: 400, type: 'invalid_request_error', routing: 'fatal', breaker: false },
  invalid_request_body: { status: 400, type: 'invalid_request_error', routing: 'fatal', breaker: false },
  invalid_query: { status: 400, type: 'invalid_request_error', routing: 'fatal', breaker: false },
  invalid_header: { status: 400, type: 'invalid_request_error', routing: 'fatal', breaker: false },
  request_too_large: { status: 413, type: 'invalid_request_error', routing: 'fatal', breaker: false },
  // The local server's answers to what Node's HTTP parser refuses (API Gateway answers those itself in AWS).
  invalid_request_target: { status: 400, type: 'invalid_request_error', routing: 'fatal', breaker: false },
  incomplete_body: { status: 400, type: 'invalid_request_error', routing: 'fatal', breaker: false },
  malformed_request: { status: 400, type: 'invalid_request_error', routing: 'fatal', breaker: false },
  request_timeout: { status: 408, type: 'invalid_request_error', routing: 'fatal', breaker: false },
  request_header_too_large: { status: 431, type: 'invalid_request_error', routing: 'fatal', breaker: false },
  unsupported_media_type: { status: 415, type: 'invalid_request_error', routing: 'fatal', breaker: false },
  method_not_allowed: { status: 405, type: 'invalid_request_error', routing: 'fatal', breaker: false },
  not_found: { status: 404, type: 'not_found_error', routing: 'fatal', breaker: false },
  unknown_route: { status: 404, type: 'not_found_error', routing: 'fatal', breaker: false },
  model_not_found: { status: 404, type: 'not_found_error', routing: 'fatal', breaker: false },
  // A chat alias on /v1/embeddings, or an embedding alias on a chat route.
  wrong_model_kind: { status: 400, type: 'invalid_request_error', routing: 'fatal', breaker: false },
  policy_violation: { status: 400, type: 'invalid_request_error', routing: 'fatal', breaker: false },
  // Access: the edge's own answers (api/edge-errors.ts) and the per-endpoint checks behind it.
  invalid_api_key: { status: 401, type: 'invalid_request_error', routing: 'fatal', breaker: false },
  access_denied: { status: 403, type: 'permission_error', routing: 'fatal', breaker: false },
  admin_required: { status: 403, type: 'permission_error', routing: 'fatal', breaker: false },
  missing_scope: { status: 403, type: 'permission_error', routing: 'fatal', breaker: false },
  model_not_allowed: { status: 403, type: 'permission_error', routing: 'fatal', breaker: false },
  rate_limit_exceeded: { status: 429, type: 'rate_limit_error', routing: 'fatal', breaker: false },
  request_quota_exceeded: { status: 429, type: 'rate_limit_error', routing: 'fatal', breaker: false },
  // The local server's stand-ins for API Gateway's DEFAULT_5XX answers (deployed, their code is the response type).
  authorizer_failure: { status: 500, type: 'api_error', routing: 'fatal', breaker: false },
  // The local edge: the authorizer timed out or its store stayed unavailable (a burst on a busy store); Retry-After.
  authorizer_unavailable: { status: 503, type: 'service_unavailable', routing: 'fatal', breaker: false },
  bad_gateway: { status: 502, type: 'api_error', routing: 'fatal', breaker: false },
  insufficient_quota: { status: 429, type: 'insufficient_quota', routing: 'fatal', breaker: false },
  // Idempotency-Key.
  invalid_idempotency_key: { status: 400, type: 'invalid_request_error', routing: 'fatal', breaker: false },
  idempotency_key_in_flight: { status: 409, type: 'invalid_request_error', routing: 'fatal', breaker: false },
  idempotency_key_used_for_stream: { status: 409, type: 'invalid_request_error', routing: 'fatal', breaker: false },
  idempotency_key_reused: { status: 422, type: 'invalid_request_error', routing: 'fatal', breaker: false },
  idempotency_key_other_route: { status: 422, type: 'invalid_request_error', routing: 'fatal', breaker: false },
  // The admin and usage APIs.
  invalid_key_id: { status: 400, type: 'invalid_request_error', routing: 'fatal', breaker: false },
  key_not_found: { status: 404, type: 'not_found_error', routing: 'fatal', breaker: false },
  key_not_active: { status: 409, type: 'invalid_request_error', routing: 'fatal', breaker: false },
  unknown_plan: { status: 400, type: 'invalid_request_error', routing: 'fatal', breaker: false },
  unknown_model: { status: 400, type: 'invalid_request_error', routing: 'fatal', breaker: false },
  invalid_expiry: { status: 400, type: 'invalid_request_error', routing: 'fatal', breaker: false },
  invalid_request_id: { status: 400, type: 'invalid_request_error', routing: 'fatal', breaker: false },
  request_not_found: { status: 404, type: 'not_found_error', routing: 'fatal', breaker: false },
  invalid_date: { status: 400, type: 'invalid_request_error', routing: 'fatal', breaker: false },
  invalid_date_range: { status: 400, type: 'invalid_request_error', routing: 'fatal', breaker: false },
} as const satisfies Record<string, ErrorCodeSpec>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The codes whose status is `status`: what a helper that makes errors of one status accepts. */
export type ErrorCodeOfStatus<S extends number> = {
  [C in ErrorCode]: (typeof ERROR_CODES)[C]['status'] extends S ? C : never;
}[ErrorCode];

export const isErrorCode = (code: string): code is ErrorCode => Object.hasOwn(ERROR_CODES, code);
