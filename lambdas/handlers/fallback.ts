import { CATCH_ALL_RESOURCE, methodsByPath } from '../api/route-table.js';
import { methodNotAllowed, notFound } from '../core/errors.js';
import { gatewayFunction } from '../runtime/gateway-function.js';

const methods = methodsByPath();

/**
 * Serves what no route claims: API Gateway sends it the catch-all `/{proxy+}` and ANY on every resource, so a
 * known path with an unknown method is a 405 (with Allow) and anything else a 404.
 */
export const handler = gatewayFunction(
  {},
  {
    otherwise: async ({ event }) => {
      const allowed = event.resource === CATCH_ALL_RESOURCE ? undefined : methods.get(event.resource);
      if (allowed === undefined) throw notFound(`Unknown route ${event.httpMethod} ${event.path}.`, 'unknown_route');
      throw methodNotAllowed(event.httpMethod, allowed);
    },
  },
);
