import { error } from './route-errors.js';
import type { RouteSchemas } from './route-spec.js';
import { liveResponseSchema, readyResponseSchema } from './schemas.js';

/** The schemas of the health and docs routes (health-routes.ts), by operationId. */
export const healthRouteSchemas: Readonly<Record<string, RouteSchemas>> = {
  getLive: { responses: { 200: { description: 'The process serves', schema: liveResponseSchema } } },
  getReady: {
    responses: {
      200: { description: 'Every check passed', schema: readyResponseSchema },
      503: { description: 'A check failed; the body names it', schema: readyResponseSchema },
    },
  },
  getOpenApi: { responses: { 200: { description: 'The OpenAPI document' } } },
  getDocs: { responses: { 200: { description: 'HTML page', contentType: 'text/html' } } },
  getDocsAsset: { responses: { 200: { description: 'A static file' }, 404: error('No such file') } },
};
