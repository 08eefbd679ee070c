import { error, OPEN, type RouteSpec } from './route-spec.js';
import { liveResponseSchema, readyResponseSchema } from './schemas.js';

/** Health checks and the API's documentation (open to anyone). */
export const healthRoutes: readonly RouteSpec[] = [
  {
    method: 'GET',
    path: '/health/live',
    fn: 'health',
    operationId: 'getLive',
    summary: 'Liveness: 200 whenever the process serves',
    tag: 'health',
    access: OPEN,
    responses: { 200: { description: 'The process serves', schema: liveResponseSchema } },
  },
  {
    method: 'GET',
    path: '/health/ready',
    fn: 'health',
    operationId: 'getReady',
    summary: 'Readiness: configuration valid, store answering, provider secrets readable',
    tag: 'health',
    access: OPEN,
    responses: {
      200: { description: 'Every check passed', schema: readyResponseSchema },
      503: { description: 'A check failed; the body names it', schema: readyResponseSchema },
    },
  },
  {
    method: 'GET',
    path: '/openapi.json',
    fn: 'docs',
    operationId: 'getOpenApi',
    summary: 'This OpenAPI 3.1 document',
    tag: 'docs',
    access: OPEN,
    responses: { 200: { description: 'The OpenAPI document' } },
  },
  {
    method: 'GET',
    path: '/docs',
    fn: 'docs',
    operationId: 'getDocs',
    summary: 'Swagger UI for /openapi.json',
    tag: 'docs',
    access: OPEN,
    responses: { 200: { description: 'HTML page', contentType: 'text/html' } },
  },
  {
    method: 'GET',
    path: '/docs/{asset}',
    fn: 'docs',
    operationId: 'getDocsAsset',
    summary: 'Static files of the Swagger UI',
    tag: 'docs',
    access: OPEN,
    hidden: true,
    responses: { 200: { description: 'A static file' }, 404: error('No such file') },
  },
];
