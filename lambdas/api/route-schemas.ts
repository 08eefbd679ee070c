import { chatRouteSchemas } from './chat-route-schemas.js';
import { healthRouteSchemas } from './health-route-schemas.js';
import type { RouteSchemas } from './route-spec.js';
import { responsesRouteSchemas } from './responses-route-schemas.js';
import { usageRouteSchemas } from './usage-route-schemas.js';

/**
 * Every route's schemas by operationId (zod): loaded by the body and query middlewares on first use (a dynamic
 * import, so no function evaluates zod at init) and joined with the route table by routes.ts.
 */
export const routeSchemas: ReadonlyMap<string, RouteSchemas> = new Map(
  Object.entries({ ...healthRouteSchemas, ...chatRouteSchemas, ...responsesRouteSchemas, ...usageRouteSchemas }),
);
