import { GatewayError, internalError } from '../core/errors.js';
import { json } from '../core/http.js';
import { logger } from '../core/logger.js';
import { gatewayRequestOf } from '../runtime/request-state.js';
import type { GatewayMiddleware, MiddyRequest } from '../runtime/types.js';

/**
 * The one way errors leave: a GatewayError becomes its OpenAI-shaped body and status; anything else is logged with
 * its stack and becomes a 500 that says nothing about the cause.
 */
export function errorResponse(): GatewayMiddleware {
  const onError = (request: MiddyRequest): void => {
    const log = gatewayRequestOf(request.event)?.log ?? logger;
    const cause = request.error;
    const error = cause instanceof GatewayError ? cause : internalError(cause);
    if (error.status >= 500) log.error('request failed', { error: cause ?? undefined, status: error.status });
    else log.info('request rejected', { status: error.status, code: error.code });
    request.response = json(error.status, error.toBody(), { ...error.headers });
  };
  return { name: 'errorResponse', onError };
}
