import { corsHeaders } from '../api/cors.js';
import { CORS_DEFAULTS } from '../config/cors-defaults.js';
import { gatewayConfig } from '../config/current.js';
import { header } from '../core/http.js';
import type { GatewayMiddleware, MiddyRequest } from '../runtime/types.js';

/**
 * CORS on actual answers (the preflight is answered at the edge: the stack's OPTIONS methods, local/edge.ts):
 * Access-Control-Allow-Origin echoing the request's Origin only when `cors.allowedOrigins` lists it, `Vary: Origin`
 * whenever CORS is on; nothing while it is off. On success, error and stream answers alike.
 */
export function cors(): GatewayMiddleware {
  const stamp = (request: MiddyRequest): void => {
    const response = request.response;
    if (response == null) return;
    const loaded = gatewayConfig();
    const stamped = corsHeaders(loaded.ok ? loaded.config.cors : CORS_DEFAULTS, header(request.event, 'origin'));
    if (Object.keys(stamped).length > 0) response.headers = { ...response.headers, ...stamped };
  };
  return { name: 'cors', after: stamp, onError: stamp };
}
