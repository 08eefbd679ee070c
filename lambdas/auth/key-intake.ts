import { routeKey, routeTable, type Route } from '../api/route-table.js';

/**
 * Where a key route takes its gateway key from, decided once here for the stack, the authorizer and the local edge:
 *
 * - `bearer`: only `Authorization: Bearer <key>`. These routes use the authorizer API Gateway caches per
 *   Authorization header, so the key must come from that header and no other: a decision cached for one
 *   Authorization value must never have been made on a key from elsewhere.
 * - `bearer-or-x-api-key`: `x-api-key: <key>` (what Anthropic clients send) or `Authorization: Bearer <key>`. These
 *   routes use an authorizer API Gateway does not cache (TTL 0: no identity source is demanded, the function sees
 *   every request), which caches per presented key itself.
 *
 * Anthropic-format routes (`errorFormat: 'anthropic'`) take either, so Anthropic clients work with their defaults;
 * with `auth.cacheTtlSeconds` 0 nothing is cached at the edge, so every key route takes either.
 */
export type KeyIntake = 'bearer' | 'bearer-or-x-api-key';

export const keyIntakeOf = (route: Pick<Route<string>, 'errorFormat'>, cacheTtlSeconds: number): KeyIntake =>
  route.errorFormat === 'anthropic' || cacheTtlSeconds === 0 ? 'bearer-or-x-api-key' : 'bearer';

const byMethodAndResource = new Map<string, Route>(
  routeTable.map((route) => [routeKey(route.method, route.path), route]),
);

/**
 * The intake of the route an authorizer event is for (API Gateway names the method and the resource path it matched).
 * A resource the table does not know gets the strictest, `bearer`.
 */
export function keyIntakeAt(httpMethod: string, resource: string, cacheTtlSeconds: number): KeyIntake {
  const route = byMethodAndResource.get(routeKey(httpMethod, resource));
  return route === undefined ? 'bearer' : keyIntakeOf(route, cacheTtlSeconds);
}
