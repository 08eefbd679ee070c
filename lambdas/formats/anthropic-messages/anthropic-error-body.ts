import type { GatewayError } from '../../core/errors.js';

/**
 * Anthropic's error body: `{ type: "error", error: { type, message }, request_id }`. The gateway's error code rides
 * in `error.details.error_code`, where @anthropic-ai/sdk reads it (`APIError.errorCode`); request_id is the
 * X-Request-Id.
 */
export interface AnthropicErrorBody {
  readonly type: 'error';
  readonly error: {
    readonly type: string;
    readonly message: string;
    readonly details?: { readonly error_code: string };
  };
  readonly request_id: string | null;
}

/**
 * Anthropic's error type for a gateway error, after the status table of Anthropic's API (400 invalid_request_error,
 * 401 authentication_error, 403 permission_error, 404 not_found_error, 413 request_too_large, 429 rate_limit_error,
 * 500 api_error, 504 timeout_error, 529 overloaded_error); an overloaded provider is `overloaded_error` whatever the
 * gateway's status, any other 4xx invalid_request_error, any other 5xx api_error.
 */
export function anthropicErrorType(error: Pick<GatewayError, 'status' | 'code'>): string {
  if (error.code === 'upstream_overloaded') return 'overloaded_error';
  switch (error.status) {
    case 401:
      return 'authentication_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit_error';
    case 504:
      return 'timeout_error';
    default:
      return error.status >= 500 ? 'api_error' : 'invalid_request_error';
  }
}

export function anthropicErrorBody(error: GatewayError, requestId: string | null): AnthropicErrorBody {
  return {
    type: 'error',
    error: {
      type: anthropicErrorType(error),
      message: error.message,
      ...(error.code === null ? {} : { details: { error_code: error.code } }),
    },
    request_id: requestId,
  };
}
