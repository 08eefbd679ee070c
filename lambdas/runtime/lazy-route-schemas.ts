import { requestSchemaLoaders } from '../api/request-schema-loaders.js';
import type { SchemaSource } from './types.js';

/**
 * The gateway's request schemas, imported on the first request of a route that has one (only that route's modules:
 * api/request-schema-loaders.ts). In the single-file bundle esbuild makes each dynamic import a lazy initialiser: zod
 * and the schemas are parsed at init but evaluated only then.
 */
export const lazyRouteSchemas: SchemaSource = async (route) => requestSchemaLoaders[route.operationId]?.();
