import { adminRoutes } from './admin-routes.js';
import { chatRoutes } from './chat-routes.js';
import { healthRoutes } from './health-routes.js';
import type { HttpMethod, RouteFunctionName, RouteSpec } from './route-spec.js';
import { responsesRoutes } from './responses-routes.js';
import { usageRoutes } from './usage-routes.js';

export type { Access, FunctionName, HttpMethod, RouteSpec } from './route-spec.js';

/**
 * The route table: the one list of what the API serves. The CDK stack creates API Gateway resources and methods
 * from it, the local server dispatches with it, the fallback function answers 404/405 from it, and /openapi.json is
 * generated from it. A route names the Lambda function (`fn`) that serves it; the specs are kept by area.
 */
export const routes: readonly RouteSpec[] = [
  ...healthRoutes,
  ...chatRoutes,
  ...responsesRoutes,
  ...usageRoutes,
  ...adminRoutes,
];

/** Every resource path with the methods defined on it (for 405 and its Allow header). */
export function methodsByPath(
  table: readonly RouteSpec<string>[] = routes,
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
