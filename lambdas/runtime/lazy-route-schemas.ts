import type { SchemaSource } from './types.js';

/**
 * The gateway's route schemas, imported on the first request that needs one. In the single-file bundle esbuild makes
 * the dynamic import a lazy initialiser: zod and the schemas are parsed at init but evaluated only here.
 */
export const lazyRouteSchemas: SchemaSource = async (route) =>
  (await import('../api/route-schemas.js')).routeSchemas.get(route.operationId);
