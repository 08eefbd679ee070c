import type { Route, RouteSchemas, RouteSpec } from '../api/route-spec.js';
import type { SchemaSource } from './types.js';

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
