import { header, SECURITY_HEADERS } from '../core/http.js';
import { requestLog } from '../core/request-log.js';
import { REQUEST_ID_HEADER, resolveRequestId } from '../core/request-id.js';
import { routeKey, type Route } from '../api/route-table.js';
import { gatewayRequestOf, isSelfReported, setGatewayRequest } from '../runtime/request-state.js';
import type { GatewayMiddleware, MiddyRequest } from '../runtime/types.js';

/**
 * First in, last out: gives the request its id and a child logger carrying it, and stamps X-Request-Id and the
 * security headers on whatever response leaves — success, error or stream — then writes one access log line, unless
 * the handler wrote the request's own "request completed" line (chat: written already, or for a stream promised at
 * its end).
 */
export function requestContext(routesByKey: ReadonlyMap<string, Route<string>>): GatewayMiddleware {
  const before = (request: MiddyRequest): void => {
    const { event } = request;
    const requestId = resolveRequestId(header(event, REQUEST_ID_HEADER), event.requestContext.requestId);
    setGatewayRequest(event, {
      event,
      lambdaContext: request.context,
      requestId,
      log: requestLog(requestId, request.context.awsRequestId),
      route: routesByKey.get(routeKey(event.httpMethod, event.resource)),
      body: undefined,
      startedAt: performance.now(),
    });
  };

  const finish = (request: MiddyRequest): void => {
    const gateway = gatewayRequestOf(request.event);
    const response = request.response;
    if (gateway === undefined || response == null) return;
    response.headers = { ...response.headers, ...SECURITY_HEADERS, [REQUEST_ID_HEADER]: gateway.requestId };
    // Anthropic's SDK reads its `_request_id` from `request-id`: the same id on Anthropic-format routes.
    if (gateway.route?.errorFormat === 'anthropic') response.headers['request-id'] = gateway.requestId;
    // One line per request: a chat answer has its own "request completed" line, with more in it.
    if (isSelfReported(request.event)) return;
    gateway.log.line('request', {
      method: request.event.httpMethod,
      path: request.event.path,
      status: response.statusCode,
      latencyMs: Math.round((performance.now() - gateway.startedAt) * 1000) / 1000,
    });
  };

  return { name: 'requestContext', before, after: finish, onError: finish };
}
