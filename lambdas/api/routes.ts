import type { ZodType } from 'zod';
import { errorResponseSchema, liveResponseSchema, readyResponseSchema } from './schemas.js';

/**
 * The route table: the one list of what the API serves. The CDK stack creates API Gateway resources and methods
 * from it, the local server dispatches with it, the fallback function answers 404/405 from it, and /openapi.json is
 * generated from it. A route names the Lambda function (`fn`) that serves it.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type FunctionName = 'health' | 'docs' | 'fallback';

export interface ResponseSpec {
  readonly description: string;
  readonly schema?: ZodType;
  /** Defaults to application/json. */
  readonly contentType?: string;
}

export interface RouteSpec<F extends string = FunctionName> {
  readonly method: HttpMethod;
  /** API Gateway resource path; `{name}` is a path parameter. */
  readonly path: string;
  readonly fn: F;
  readonly operationId: string;
  readonly summary: string;
  readonly tag: string;
  /** JSON body schema; a route with one requires `Content-Type: application/json`. */
  readonly body?: ZodType;
  readonly responses: Readonly<Record<number, ResponseSpec>>;
  /** Left out of /openapi.json (static assets of the docs UI). */
  readonly hidden?: boolean;
}

const error = (description: string): ResponseSpec => ({ description, schema: errorResponseSchema });

export const routes: readonly RouteSpec[] = [
  {
    method: 'GET',
    path: '/health/live',
    fn: 'health',
    operationId: 'getLive',
    summary: 'Liveness: 200 whenever the process serves',
    tag: 'health',
    responses: { 200: { description: 'The process serves', schema: liveResponseSchema } },
  },
  {
    method: 'GET',
    path: '/health/ready',
    fn: 'health',
    operationId: 'getReady',
    summary: 'Readiness: configuration valid, store answering, provider secrets readable',
    tag: 'health',
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
    responses: { 200: { description: 'The OpenAPI document' } },
  },
  {
    method: 'GET',
    path: '/docs',
    fn: 'docs',
    operationId: 'getDocs',
    summary: 'Swagger UI for /openapi.json',
    tag: 'docs',
    responses: { 200: { description: 'HTML page', contentType: 'text/html' } },
  },
  {
    method: 'GET',
    path: '/docs/{asset}',
    fn: 'docs',
    operationId: 'getDocsAsset',
    summary: 'Static files of the Swagger UI',
    tag: 'docs',
    hidden: true,
    responses: { 200: { description: 'A static file' }, 404: error('No such file') },
  },
];

/** Every resource path with the methods defined on it (for 405 and its Allow header). */
export function methodsByPath(table: readonly RouteSpec<string>[] = routes): ReadonlyMap<string, readonly HttpMethod[]> {
  const map = new Map<string, HttpMethod[]>();
  for (const route of table) {
    const methods = map.get(route.path) ?? [];
    methods.push(route.method);
    map.set(route.path, methods);
  }
  return map;
}

export const routeKey = (method: string, path: string): string => `${method} ${path}`;

/** The resource of the catch-all route that the fallback function serves for unknown paths. */
export const CATCH_ALL_RESOURCE = '/{proxy+}';
