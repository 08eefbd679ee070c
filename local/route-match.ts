import { CATCH_ALL_RESOURCE, routes, type RouteSpec } from '../lambdas/api/routes.js';

/** The function that serves what no route claims. */
export const FALLBACK_FUNCTION = 'fallback';

export interface RouteMatch {
  /** The API Gateway resource template that matched (`event.resource`). */
  readonly resource: string;
  readonly pathParameters: Record<string, string> | null;
  readonly fn: string;
}

interface Matcher {
  readonly resource: string;
  readonly pattern: RegExp;
  readonly names: readonly string[];
  readonly methods: ReadonlyMap<string, string>;
}

/**
 * A path parameter as API Gateway hands it on: percent-decoded. A malformed escape (`%ZZ`, a cut `%E2%82`) is kept as
 * the client sent it rather than failing the request: the function sees an odd value and answers for it (a 4xx), as
 * it must when API Gateway passes such a value on.
 */
export function decodePathParameter(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

function compile(resource: string, table: readonly RouteSpec<string>[]): Matcher {
  const names: string[] = [];
  const source = resource
    .split('/')
    .map((segment) => {
      const param = /^\{(\w+)(\+?)\}$/.exec(segment);
      if (param === null) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(param[1] ?? '');
      return param[2] === '+' ? '(.+)' : '([^/]+)';
    })
    .join('/');
  const methods = new Map(table.filter((r) => r.path === resource).map((r) => [r.method, r.fn] as const));
  return { resource, pattern: new RegExp(`^${source}$`), names, methods };
}

/**
 * API Gateway's resource selection for the route table: static paths before templated ones; a known resource with
 * an unrouted method and any unknown path go to the fallback function, as the stack's ANY methods do.
 */
export function createRouteMatcher(
  table: readonly RouteSpec<string>[] = routes,
): (method: string, path: string) => RouteMatch {
  const resources = [...new Set(table.map((r) => r.path))];
  const matchers = resources
    .map((resource) => compile(resource, table))
    .sort((a, b) => a.names.length - b.names.length);
  // Static resources (no parameter) come first in the order above: an exact path finds its own at once.
  const statics = new Map(matchers.filter((m) => m.names.length === 0).map((m) => [m.resource, m] as const));
  return (method, path) => {
    const exact = statics.get(path);
    if (exact !== undefined)
      return { resource: exact.resource, pathParameters: null, fn: exact.methods.get(method) ?? FALLBACK_FUNCTION };
    for (const matcher of matchers) {
      const found = matcher.pattern.exec(path);
      if (found === null) continue;
      const pathParameters = Object.fromEntries(
        matcher.names.map((name, i) => [name, decodePathParameter(found[i + 1] ?? '')]),
      );
      return {
        resource: matcher.resource,
        pathParameters: matcher.names.length > 0 ? pathParameters : null,
        fn: matcher.methods.get(method) ?? FALLBACK_FUNCTION,
      };
    }
    return { resource: CATCH_ALL_RESOURCE, pathParameters: { proxy: path.replace(/^\//, '') }, fn: FALLBACK_FUNCTION };
  };
}
