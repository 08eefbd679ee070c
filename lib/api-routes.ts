import type { IResource, LambdaIntegration, Method, MethodOptions, RestApi } from 'aws-cdk-lib/aws-apigateway';
import { CATCH_ALL_RESOURCE, type Access, type FunctionName, type RouteSpec } from '../lambdas/api/routes.js';

/** The function answering what no route claims: 404 for unknown paths, 405 (with Allow) for unknown methods. */
export const FALLBACK_FUNCTION: FunctionName = 'fallback';
/** The Lambda REQUEST authorizer checking gateway keys; it serves no route itself. */
export const AUTHORIZER_FUNCTION: FunctionName = 'authorizer';

/** Releases expired quota reservations on a schedule; deployed with the chat function, whose quotas it serves. */
export const SWEEPER_FUNCTION: FunctionName = 'sweeper';

/** Derives the usage counters and quota settles from the request records (the table's stream); deployed with chat. */
export const AGGREGATOR_FUNCTION: FunctionName = 'ledger-aggregator';

/** The access of the fallback's ANY methods: it only answers 404/405, so anyone may reach it. */
export const FALLBACK_ACCESS: Access = { kind: 'open' };

/** Every resource path the route table needs, parents before children: `/`, `/health`, `/health/live`, … */
export function resourcePaths(table: readonly RouteSpec[]): string[] {
  const paths = new Set<string>(['/']);
  for (const route of table) {
    const parts = route.path.split('/').filter((part) => part !== '');
    parts.forEach((_, i) => paths.add(`/${parts.slice(0, i + 1).join('/')}`));
  }
  return [...paths];
}

/** True when some route needs a gateway key, so the stack needs the authorizer. */
export const needsAuthorizer = (table: readonly RouteSpec[]): boolean =>
  table.some((route) => route.access.kind === 'key');

/**
 * The functions the stack deploys: every `fn` of the table, the fallback, the authorizer when a route needs it, and
 * the sweeper and the ledger's aggregator when chat (which reserves quotas and books) is deployed.
 */
export function functionNames(table: readonly RouteSpec[]): FunctionName[] {
  return [
    ...new Set<FunctionName>([
      ...table.map((route) => route.fn),
      FALLBACK_FUNCTION,
      ...(needsAuthorizer(table) ? [AUTHORIZER_FUNCTION] : []),
      ...(table.some((route) => route.fn === 'chat') ? [SWEEPER_FUNCTION, AGGREGATOR_FUNCTION] : []),
    ]),
  ];
}

/** A method the stack created, with the function it sends requests to and who may call it. */
export interface RouteMethod {
  readonly method: Method;
  readonly fn: FunctionName;
  readonly access: Access;
}

const resourceAt = (api: RestApi, path: string): IResource => api.root.resourceForPath(path);

/**
 * API Gateway resources and methods from the route table. Each route's method goes to its function, with the
 * authorization `authorizationOf` gives for its route (the fallback's: `undefined`, with FALLBACK_ACCESS); ANY on every resource goes to the fallback (an explicit
 * method wins over ANY, so only undefined methods reach it), and ANY /{proxy+} sends unknown paths there too.
 */
export function addRoutes(
  api: RestApi,
  table: readonly RouteSpec[],
  integrationOf: (fn: FunctionName) => LambdaIntegration,
  authorizationOf: (access: Access, route: RouteSpec | undefined) => MethodOptions,
): RouteMethod[] {
  const routed = table.map((route) => ({
    fn: route.fn,
    access: route.access,
    method: resourceAt(api, route.path).addMethod(route.method, integrationOf(route.fn), {
      operationName: route.operationId,
      ...authorizationOf(route.access, route),
    }),
  }));
  const fallback = integrationOf(FALLBACK_FUNCTION);
  const fallbackAuthorization = authorizationOf(FALLBACK_ACCESS, undefined);
  const unrouted = [...resourcePaths(table), CATCH_ALL_RESOURCE].map((path) => ({
    fn: FALLBACK_FUNCTION,
    access: FALLBACK_ACCESS,
    method: resourceAt(api, path).addMethod('ANY', fallback, fallbackAuthorization),
  }));
  return [...routed, ...unrouted];
}
