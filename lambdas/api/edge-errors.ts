import type { ErrorCode, OpenAIErrorType } from '../core/errors.js';

/**
 * Errors API Gateway answers itself, before any function runs. The stack turns each into a gateway response with
 * this status and OpenAI-shaped body; the local server answers the same for the same cause. One message per cause:
 * a 401 never says whether the key was unknown, revoked, expired or mistyped.
 */
export interface EdgeError {
  /** API Gateway's gateway response type. */
  readonly responseType: string;
  readonly status: number;
  readonly type: OpenAIErrorType;
  readonly code: ErrorCode;
  readonly message: string;
}

export const edgeErrors = {
  unauthorized: {
    responseType: 'UNAUTHORIZED',
    status: 401,
    type: 'invalid_request_error',
    code: 'invalid_api_key',
    message: 'Invalid API key. Send a gateway key as "Authorization: Bearer <key>".',
  },
  accessDenied: {
    responseType: 'ACCESS_DENIED',
    status: 403,
    type: 'permission_error',
    code: 'access_denied',
    message: 'This key may not call this endpoint.',
  },
  adminRequired: {
    responseType: 'MISSING_AUTHENTICATION_TOKEN',
    status: 403,
    type: 'permission_error',
    code: 'admin_required',
    message: 'This endpoint needs administrator credentials (IAM SigV4 in AWS, the admin key locally).',
  },
  throttled: {
    responseType: 'THROTTLED',
    status: 429,
    type: 'rate_limit_error',
    code: 'rate_limit_exceeded',
    message: 'Too many requests for this plan; retry after a moment.',
  },
  quotaExceeded: {
    responseType: 'QUOTA_EXCEEDED',
    status: 429,
    type: 'rate_limit_error',
    code: 'request_quota_exceeded',
    message: 'The request quota of this plan is used up for the current period.',
  },
} as const satisfies Record<string, EdgeError>;

export const edgeErrorBody = (error: EdgeError): string =>
  JSON.stringify({ error: { message: error.message, type: error.type, param: null, code: error.code } });
