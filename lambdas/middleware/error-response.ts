import { errorBody } from '../formats/error-body.js';
import { GatewayError, internalError } from '../core/errors.js';
import { json } from '../core/http.js';
import { retryAdvice } from '../core/retry-advice.js';
import { logger } from '../core/logger.js';
import { errorFormatOf } from './error-format.js';
import { gatewayRequestOf } from '../runtime/request-state.js';
import { withSourceStack } from '../runtime/source-stack.js';
import type { GatewayMiddleware, MiddyRequest } from '../runtime/types.js';

/**
 * The one way errors leave: a GatewayError becomes its status and a body in the route's error format (OpenAI's
 * unless the route says `errorFormat: 'anthropic'`; the fallback's 404/405 take the format of the path they are
 * under: error-format.ts); anything else is logged with its stack (mapped to the sources: runtime/source-stack.ts) and becomes a 500 that says nothing about the cause. Retry headers:
 * core/retry-advice.ts (no SDK retries on top of the gateway's own).
 */
export function errorResponse(): GatewayMiddleware {
  const onError = (request: MiddyRequest): void => {
    const gateway = gatewayRequestOf(request.event);
    const log = gateway?.log ?? logger;
    const cause = request.error;
    const error = cause instanceof GatewayError ? cause : internalError(cause);
    if (error.status >= 500)
      log.error('request failed', { error: withSourceStack(cause) ?? undefined, status: error.status });
    else log.info('request rejected', { status: error.status, code: error.code });
    const body = errorBody(error, errorFormatOf(gateway?.route, request.event), gateway?.requestId ?? null);
    request.response = json(error.status, body, retryAdvice(error.code, error.headers));
  };
  return { name: 'errorResponse', onError };
}
