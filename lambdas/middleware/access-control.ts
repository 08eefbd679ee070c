import { checkAccess } from '../auth/access.js';
import { gatewayRequestOf, setGatewayRequest } from '../runtime/request-state.js';
import type { GatewayMiddleware, MiddyRequest } from '../runtime/types.js';

/** Who may call the matched route (its `access`), checked before the body is even read. */
export function accessControl(): GatewayMiddleware {
  const before = (request: MiddyRequest): void => {
    const gateway = gatewayRequestOf(request.event);
    if (gateway?.route === undefined) return;
    const principal = checkAccess(gateway.route.access, request.event);
    if (principal !== undefined) setGatewayRequest(request.event, { ...gateway, principal });
  };
  return { name: 'accessControl', before };
}
