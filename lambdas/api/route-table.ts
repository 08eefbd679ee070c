import { adminRoutes } from './admin-routes.js';
import { chatRoutes } from './chat-routes.js';
import { embeddingsRoutes } from './embeddings-routes.js';
import { healthRoutes } from './health-routes.js';
import type { HttpMethod, Route, RouteFunctionName } from './route-spec.js';
import { responsesRoutes } from './responses-routes.js';
import { usageRoutes } from './usage-routes.js';

export type { Access, FunctionName, HttpMethod, Route, RouteFunctionName } from './route-spec.js';

/**
 * The route table without its schemas: the one list of what the API serves, as the functions read it at init (no
 * zod). routes.ts joins each route with its schemas (route-schemas.ts) for the CDK stack, the local server and
 * /openapi.json; the body and query middlewares load the schemas on a route's first request.
 */
export const routeTable: readonly Route[] = [
  ...healthRoutes,
  ...chatRoutes,
  ...embeddingsRoutes,
  ...responsesRoutes,
  ...usageRoutes,
  ...adminRoutes,
];

/** Every resource path with the methods defined on it (for 405 and its Allow header). */
export function methodsByPath(
  table: readonly Route<string>[] = routeTable,
): ReadonlyMap<string, readonly HttpMethod[]> {
  const map = new Map<string, HttpMethod[]>();
  for (const route of table) {
    const methods = map.get(route.path) ?? [];
    methods.push(route.method);
    map.set(route.path, methods);
  }
  return map;
}

export const routeKey = (method: string, path: string): string => `${method} ${path}`;

/** The resource of the catch-all route that the fallback function serves for unknown paths. */
export const CATCH_ALL_RESOURCE = '/{proxy+}';

/**
 * Functions that answer through Lambda response streaming: their handler runs in Middy's streamify mode and their
 * API Gateway integrations use STREAM transfer mode. Read by both, so the two cannot disagree.
 */
export const STREAMING_FUNCTIONS: ReadonlySet<RouteFunctionName> = new Set<RouteFunctionName>(['chat']);
