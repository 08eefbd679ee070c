import type { IResource, LambdaIntegration, Method, RestApi } from 'aws-cdk-lib/aws-apigateway';
import { CATCH_ALL_RESOURCE, type FunctionName, type RouteSpec } from '../lambdas/api/routes.js';

/** The function answering what no route claims: 404 for unknown paths, 405 (with Allow) for unknown methods. */
export const FALLBACK_FUNCTION: FunctionName = 'fallback';

/** Every resource path the route table needs, parents before children: `/`, `/health`, `/health/live`, … */
export function resourcePaths(table: readonly RouteSpec[]): string[] {
  const paths = new Set<string>(['/']);
  for (const route of table) {
    const parts = route.path.split('/').filter((part) => part !== '');
    parts.forEach((_, i) => paths.add(`/${parts.slice(0, i + 1).join('/')}`));
  }
  return [...paths];
}

/** The functions the API needs: every `fn` of the table, and the fallback. */
export function functionNames(table: readonly RouteSpec[]): FunctionName[] {
  return [...new Set<FunctionName>([...table.map((route) => route.fn), FALLBACK_FUNCTION])];
}

/** A method the stack created, with the function it sends requests to. */
export interface RouteMethod {
  readonly method: Method;
  readonly fn: FunctionName;
}

const resourceAt = (api: RestApi, path: string): IResource => api.root.resourceForPath(path);

/**
 * API Gateway resources and methods from the route table. Each route's method goes to its function; ANY on every
 * resource goes to the fallback (an explicit method wins over ANY, so only undefined methods reach it), and
 * ANY /{proxy+} sends unknown paths there too.
 */
export function addRoutes(
  api: RestApi,
  table: readonly RouteSpec[],
  integrationOf: (fn: FunctionName) => LambdaIntegration,
): RouteMethod[] {
  const routed = table.map((route) => ({
    fn: route.fn,
    method: resourceAt(api, route.path).addMethod(route.method, integrationOf(route.fn), {
      operationName: route.operationId,
    }),
  }));
  const fallback = integrationOf(FALLBACK_FUNCTION);
  const unrouted = [...resourcePaths(table), CATCH_ALL_RESOURCE].map((path) => ({
    fn: FALLBACK_FUNCTION,
    method: resourceAt(api, path).addMethod('ANY', fallback),
  }));
  return [...routed, ...unrouted];
}
