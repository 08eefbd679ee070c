import type { Route, RouteSchemas, RouteSpec } from '../api/route-spec.js';
import type { SchemaSource } from './types.js';

/**
 * The gateway's route schemas, imported on the first request that needs one. In the single-file bundle esbuild makes
 * the dynamic import a lazy initialiser: zod and the schemas are parsed at init but evaluated only here.
 */
export const lazyRouteSchemas: SchemaSource = async (route) =>
  (await import('../api/route-schemas.js')).routeSchemas.get(route.operationId);

/**
 * A table given with its schemas (tests build functions on tables of their own): each route without its schemas, with
 * `hasBody`/`hasQuery` set from them, and the source that finds them again.
 */
export function splitTable(table: readonly RouteSpec<string>[]): {
  routes: readonly Route<string>[];
  schemasOf: SchemaSource;
} {
  const schemas = new Map<Route<string>, RouteSchemas>();
  const routes = table.map((spec): Route<string> => {
    const route = { ...spec, hasBody: spec.body !== undefined, hasQuery: spec.query !== undefined };
    schemas.set(route, spec);
    return route;
  });
  return { routes, schemasOf: async (route) => schemas.get(route) };
}
