import { requestSchemaLoaders } from '../../lambdas/api/request-schema-loaders.js';
import { routeTable } from '../../lambdas/api/route-table.js';
import { routes } from '../../lambdas/api/routes.js';
import { lazyRouteSchemas } from '../../lambdas/runtime/lazy-route-schemas.js';

describe('the zod-free route table and the schemas loaded on first use', () => {
  it('routes.ts joins every route of the table with its schemas, in order', () => {
    expect(routes.map((r) => r.operationId)).toEqual(routeTable.map((r) => r.operationId));
    for (const route of routes) {
      expect(route.body !== undefined).toBe(route.hasBody === true);
      expect(route.query !== undefined).toBe(route.hasQuery === true);
    }
  });

  it.each(routes.map((r) => [r.operationId, r] as const))(
    '%s: the schemas the middlewares load on first use are the documented ones',
    async (_id, route) => {
      const loaded = await lazyRouteSchemas(route);
      if (route.body === undefined && route.query === undefined) {
        expect(loaded).toBeUndefined();
        return;
      }
      expect(loaded?.body).toBe(route.body);
      expect(loaded?.query).toBe(route.query);
    },
  );

  it('no loader for an operation the table does not have', () => {
    const known = new Set(routeTable.map((r) => r.operationId));
    expect(Object.keys(requestSchemaLoaders).filter((id) => !known.has(id))).toEqual([]);
  });
});
