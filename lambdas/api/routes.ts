import { routeSchemas } from './route-schemas.js';
import type { Route, RouteSpec } from './route-spec.js';
import { routeTable } from './route-table.js';

export type { Access, FunctionName, HttpMethod, Route, RouteSchemas, RouteSpec } from './route-spec.js';
export { CATCH_ALL_RESOURCE, methodsByPath, routeKey, routeTable, STREAMING_FUNCTIONS } from './route-table.js';

/** A route joined with its schemas; a route whose flags (`hasBody`, `hasQuery`) disagree with them is an error. */
function withSchemas(route: Route): RouteSpec {
  const schemas = routeSchemas.get(route.operationId);
  if (schemas === undefined) throw new Error(`route ${route.operationId} has no schemas (route-schemas.ts)`);
  if ((schemas.body !== undefined) !== (route.hasBody === true))
    throw new Error(`route ${route.operationId}: hasBody disagrees with its body schema`);
  if ((schemas.query !== undefined) !== (route.hasQuery === true))
    throw new Error(`route ${route.operationId}: hasQuery disagrees with its query schema`);
  return { ...route, ...schemas };
}

/**
 * The route table with its schemas (zod): the CDK stack creates API Gateway resources and methods from it, the local
 * server dispatches with it, and /openapi.json is generated from it. The functions read route-table.ts instead.
 */
export const routes: readonly RouteSpec[] = routeTable.map(withSchemas);
