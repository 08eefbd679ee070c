import { OPEN, type Route } from './route-spec.js';

/** Health checks and the API's documentation (open to anyone; schemas: health-route-schemas.ts). */
export const healthRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/health/live',
    fn: 'health',
    operationId: 'getLive',
    summary: 'Liveness: 200 whenever the process serves',
    tag: 'health',
    access: OPEN,
  },
  {
    method: 'GET',
    path: '/health/ready',
    fn: 'health',
    operationId: 'getReady',
    summary: 'Readiness: configuration valid, store answering, provider secrets readable',
    tag: 'health',
    access: OPEN,
  },
  {
    method: 'GET',
    path: '/openapi.json',
    fn: 'docs',
    operationId: 'getOpenApi',
    summary: 'This OpenAPI 3.1 document',
    tag: 'docs',
    access: OPEN,
  },
  {
    method: 'GET',
    path: '/docs',
    fn: 'docs',
    operationId: 'getDocs',
    summary: 'Swagger UI for /openapi.json',
    tag: 'docs',
    access: OPEN,
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
  },
];
